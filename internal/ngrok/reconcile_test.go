package ngrok_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// A POST is retried blindly only when the API certainly did not act on it;
// otherwise Create reconciles. Whatever happens, exactly one user exists.
func TestUsers_CreateNeverDuplicates(t *testing.T) {
	cases := []struct {
		name  string
		fault emulator.Fault
	}{
		{"rate limited", emulator.Fault{Kind: emulator.FaultRateLimit, Times: 3}},
		{"dropped before processing", emulator.Fault{Kind: emulator.FaultDropBeforeProcess, Times: 2}},
		{"reply lost after processing", emulator.Fault{Kind: emulator.FaultDropAfterProcess, Times: 1}},
		{"503 before processing", emulator.Fault{Kind: emulator.FaultStatus, Status: 503, Times: 2}},
		{"slow reply past the attempt timeout", emulator.Fault{Kind: emulator.FaultLatency, Delay: 300 * time.Millisecond, Times: 1}},
		// The API commits after the client gave up: the create must wait
		// for it, not resend.
		{"slow commit past the attempt timeout", emulator.Fault{Kind: emulator.FaultSlowCommit, Delay: 250 * time.Millisecond, Times: 1}},
		{"proxy error page", emulator.Fault{Kind: emulator.FaultHTML, Times: 2}},
		// A 2xx whose body is not a user: the user exists, so it is adopted.
		{"garbage reply", emulator.Fault{Kind: emulator.FaultGarbage, Times: 1}},
		{"truncated reply", emulator.Fault{Kind: emulator.FaultTruncated, Times: 1}},
		{"huge reply", emulator.Fault{Kind: emulator.FaultHuge, Times: 1}},
		{"wrong types", emulator.Fault{Kind: emulator.FaultWrongTypes, Times: 1}},
		{"missing id", emulator.Fault{Kind: emulator.FaultMissingID, Times: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, clk := steadyEmulator(t)
			srv.AddUser("other", true)
			// An older user of the same name is not ours. "Older" is coarse:
			// created_at and Date have one-second resolution.
			srv.AddUser("ci", true)
			clk.Advance(2 * time.Second)
			users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.AttemptTimeout = 150 * time.Millisecond }).Users(ngrok.ServiceUsers)
			tc.fault.Method, tc.fault.Route = "POST", "/service_users"
			srv.AddFault(tc.fault)
			got, err := users.Create(t.Context(), ngrok.UserCreate{Name: "ci"})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := srv.GetUser(got.ID); !ok {
				t.Fatalf("Create returned %s, which does not exist", got.ID)
			}
			if total := len(srv.Users()); total != 3 {
				t.Errorf("%d users exist, want 3 (two before, one created)", total)
			}
			if srv.Users()[0].ID != got.ID {
				t.Errorf("Create returned %s, not the user it created (%s)", got.ID, srv.Users()[0].ID)
			}
		})
	}
}

func TestUsers_CreateDoesNotGuessBetweenCandidates(t *testing.T) {
	srv, _ := steadyEmulator(t)
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	// Another process created "ci" at the same moment as our lost request.
	srv.AddUser("ci", true)
	srv.AddFault(emulator.Fault{Method: "POST", Kind: emulator.FaultDropAfterProcess, Times: 1})
	_, err := users.Create(t.Context(), ngrok.UserCreate{Name: "ci"})
	var amb *ngrok.AmbiguousCreateError
	if !errors.As(err, &amb) || len(amb.IDs) != 2 {
		t.Fatalf("err = %v, want an ambiguity naming both users", err)
	}
	if len(srv.Users()) != 2 {
		t.Errorf("%d users, want 2: Create must not add a third", len(srv.Users()))
	}
}

// A create whose reply does not arrive before the operation's deadline may
// still have created the user: Create looks for it in a short grace period
// rather than leave it orphaned.
func TestUsers_CreatePastTheDeadlineAdoptsTheUser(t *testing.T) {
	srv, _ := steadyEmulator(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r) // the API acts…
			time.Sleep(time.Second)
			return // …and the reply never comes in time
		}
		srv.ServeHTTP(w, r)
	}))
	defer slow.Close()
	users := newClient(t, slow.URL, srv.APIKey()).Users(ngrok.ServiceUsers)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	got, err := users.Create(ctx, ngrok.UserCreate{Name: "late"})
	if err != nil {
		t.Fatalf("Create: %v (the user exists: %d users)", err, len(srv.Users()))
	}
	if all := srv.Users(); len(all) != 1 || all[0].ID != got.ID {
		t.Fatalf("Create returned %+v; the emulator holds %+v", got, all)
	}
}

// A create whose outcome stays unknown is sent again a bounded number of
// times of its own (three), not max_retries more times: with max_retries = 8
// and every reply a 503, four POSTs, then the error.
func TestUsersCreate_ResendsAreBoundedOnTheirOwn(t *testing.T) {
	srv, _ := steadyEmulator(t)
	srv.AddFault(emulator.Fault{Method: "POST", Kind: emulator.FaultStatus, Status: 503, Times: 100})
	c := newClient(t, srv.URL(), srv.APIKey(), func(cfg *ngrok.Config) {
		cfg.MaxRetries = 8
		cfg.SettleTime = 20 * time.Millisecond
	})
	if _, err := c.Users(ngrok.ServiceUsers).Create(t.Context(), ngrok.UserCreate{Name: "never"}); err == nil {
		t.Fatal("a create answered 503 every time succeeded")
	}
	if n := srv.RequestCounts()["POST /service_users"]; n != 4 {
		t.Errorf("%d POSTs, want 4: the first and three resends", n)
	}
	if n := len(srv.Users()); n != 0 {
		t.Errorf("%d users exist, want 0", n)
	}
}

// A lost create reply of an API key or authtoken leaves exactly one live
// credential, the one whose token the caller holds: the one the lost request
// made is deleted, its ID logged and its token never.
func TestCredentials_LostCreateReplyDeletesTheOrphan(t *testing.T) {
	for _, col := range []ngrok.Collection{ngrok.APIKeys, ngrok.Authtokens} {
		for _, fault := range []string{"reply lost", "reply without token"} {
			t.Run(string(col)+"/"+fault, func(t *testing.T) {
				srv, _ := steadyEmulator(t)
				me := srv.AccountUserID()
				addCred(t, srv, col, createFor(col, "other")) // not like it
				other := createFor(col, "deploy")
				other.OwnerID = srv.AddUser("other", true).ID
				addCred(t, srv, col, other) // like it but another owner's
				// The orphan, token and all, is the newest credential when the
				// search for it arrives: the lost create made it, and nothing
				// has deleted it yet.
				var mu sync.Mutex
				var orphan emulator.Credential
				hooks := frontHooks{arrived: func(r *http.Request) {
					mu.Lock()
					defer mu.Unlock()
					if r.Method == http.MethodGet && orphan.ID == "" {
						orphan = srv.Credentials(string(col))[0]
					}
				}}
				if fault == "reply lost" {
					srv.AddFault(emulator.Fault{Method: "POST", Route: "/" + string(col), Kind: emulator.FaultDropAfterProcess, Times: 1})
				} else {
					var stripped atomic.Bool
					hooks.rewrite = func(r *http.Request, reply map[string]any) {
						if r.Method == http.MethodPost && stripped.CompareAndSwap(false, true) {
							delete(reply, "token")
						}
					}
				}
				api := newFront(t, srv, hooks)
				logs := &logSink{}
				creds := newClient(t, api.URL, srv.APIKey(), func(c *ngrok.Config) { c.Logger = logs }).Credentials(col)
				in := createFor(col, "deploy")
				in.OwnerID = me
				got, err := creds.Create(t.Context(), in)
				if err != nil {
					t.Fatal(err)
				}
				live := liveIDs(srv, col)
				if len(live) != 3 || live[0] != got.ID || got.Token == nil || *got.Token != tokenOf(srv, col, got.ID) {
					t.Fatalf("Create returned %+v; live: %q", got, live)
				}
				mu.Lock()
				defer mu.Unlock()
				if orphan.Description != "deploy" || orphan.OwnerID != me || orphan.ID == got.ID {
					t.Fatalf("the lost create made %+v; want a credential like the one returned", orphan)
				}
				requests := api.requests()
				if srv.RequestCounts()["POST /"+string(col)] != 2 || slices.Contains(live, orphan.ID) || !slices.Contains(requests, "DELETE /"+string(col)+"/"+orphan.ID) ||
					!slices.Contains(requests, "GET /"+string(col)+"?filter=obj.owner_id+%3D%3D+%22"+me+"%22&limit=100") {
					t.Errorf("requests %q: want the search by owner and a DELETE of %s", requests, orphan.ID)
				}
				warnings := strings.Join(logs.warnings(), "\n")
				if !strings.Contains(warnings, orphan.ID) || strings.Contains(warnings, orphan.Token) || strings.Contains(warnings, *got.Token) {
					t.Errorf("warnings %q: want the orphan's ID and no token", warnings)
				}
			})
		}
	}
}

// Every reply lost: each credential made is deleted, the resends are
// bounded, and none is left alive.
func TestCredentials_LostRepliesLeaveNoOrphan(t *testing.T) {
	srv, _ := steadyEmulator(t)
	srv.AddFault(emulator.Fault{Method: "POST", Route: "/api_keys", Kind: emulator.FaultDropAfterProcess, Times: 100})
	creds := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.MaxRetries = 2 }).Credentials(ngrok.APIKeys)
	_, err := creds.Create(t.Context(), createFor(ngrok.APIKeys, "deploy"))
	if err == nil || !strings.Contains(err.Error(), "was deleted") {
		t.Fatalf("err = %v; want the last lost reply, saying its key was deleted", err)
	}
	if posts := srv.RequestCounts()["POST /api_keys"]; posts != 3 {
		t.Errorf("%d creates, want 1 + 2 retries", posts)
	}
	if live := srv.Credentials("api_keys"); len(live) != 0 {
		t.Errorf("%d API keys left whose token nobody holds", len(live))
	}
}

// Out of time with the reply still to come: the API key made is found in
// the grace period and deleted, since no attempt is left to create another
// whose token could be returned.
func TestCredentials_CreatePastTheDeadlineLeavesNoOrphan(t *testing.T) {
	srv, _ := steadyEmulator(t)
	// The API commits the key after the caller's deadline; the settle time
	// leaves it ample time to, however loaded the machine.
	srv.AddFault(emulator.Fault{Method: "POST", Route: "/api_keys", Kind: emulator.FaultSlowCommit, Delay: 400 * time.Millisecond, Times: 1})
	creds := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.SettleTime = 3 * time.Second }).Credentials(ngrok.APIKeys)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := creds.Create(ctx, createFor(ngrok.APIKeys, "deploy"))
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "was deleted") {
		t.Fatalf("err = %v; want the deadline, saying the key made was deleted", err)
	}
	if n := srv.RequestCounts()["DELETE /api_keys/{id}"]; n != 1 {
		t.Errorf("%d DELETEs, want 1: of the key the slow create made", n)
	}
	if live := srv.Credentials("api_keys"); len(live) != 0 {
		t.Errorf("%d API keys left whose token nobody holds", len(live))
	}
}

// Ctrl-C while the look for what a lost create made is under way: the API
// made the key and the reply was lost, and the interrupt comes as the list
// that would find it is sent. The look takes its grace period all the same:
// the key is found and deleted, not orphaned by an error about the list.
func TestCredentials_InterruptDuringTheLookLeavesNoOrphan(t *testing.T) {
	srv, _ := steadyEmulator(t)
	srv.AddFault(emulator.Fault{Method: "POST", Route: "/api_keys", Kind: emulator.FaultDropAfterProcess, Times: 1})
	ctx, interrupt := context.WithCancel(t.Context())
	defer interrupt()
	api := newFront(t, srv, frontHooks{arrived: func(r *http.Request) {
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api_keys") {
			interrupt()
		}
	}})
	creds := newClient(t, api.URL, srv.APIKey()).Credentials(ngrok.APIKeys)
	_, err := creds.Create(ctx, createFor(ngrok.APIKeys, "deploy"))
	if err == nil || !strings.Contains(err.Error(), "was deleted") {
		t.Fatalf("err = %v; want the lost reply, saying the key it made was deleted", err)
	}
	if live := srv.Credentials("api_keys"); len(live) != 0 {
		t.Errorf("%d API keys left whose token nobody holds", len(live))
	}
	if n := srv.RequestCounts()["DELETE /api_keys/{id}"]; n != 1 {
		t.Errorf("%d DELETEs, want 1: of the key the lost create made", n)
	}
}

// Ctrl-C the moment a create's 201 arrives: the reply is the outcome, and
// its token is returned. It is not taken for a lost reply, whose key would
// be revoked.
func TestCredentials_AReplyThatBeatTheInterruptIsKept(t *testing.T) {
	srv, _ := steadyEmulator(t)
	ctx, interrupt := context.WithCancel(t.Context())
	defer interrupt()
	creds := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) {
		c.Transport = afterReply{then: func(r *http.Request) {
			if r.Method == http.MethodPost {
				interrupt()
			}
		}}
	}).Credentials(ngrok.APIKeys)
	key, err := creds.Create(ctx, createFor(ngrok.APIKeys, "deploy"))
	if err != nil {
		t.Fatalf("err = %v; want the key of the reply that came", err)
	}
	if live := liveIDs(srv, ngrok.APIKeys); len(live) != 1 || live[0] != key.ID || *key.Token != tokenOf(srv, ngrok.APIKeys, key.ID) {
		t.Errorf("live keys %q, returned %s: want the one returned, with its token", live, key.ID)
	}
}

// afterReply runs then once each reply has arrived whole: its body is read
// first, so that then's interrupt cannot cut the reply short.
type afterReply struct{ then func(*http.Request) }

func (a afterReply) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	a.then(r)
	return resp, nil
}

// Two credentials like the lost one: Create names both and deletes neither.
func TestCredentials_LostCreateReplyWithATwinIsAmbiguous(t *testing.T) {
	srv, _ := steadyEmulator(t)
	addCred(t, srv, ngrok.Authtokens, createFor(ngrok.Authtokens, "deploy")) // someone else's, at the same moment
	srv.AddFault(emulator.Fault{Method: "POST", Route: "/credentials", Kind: emulator.FaultDropAfterProcess, Times: 1})
	_, err := newClient(t, srv.URL(), srv.APIKey()).Credentials(ngrok.Authtokens).Create(t.Context(), createFor(ngrok.Authtokens, "deploy"))
	var amb *ngrok.AmbiguousCreateError
	if !errors.As(err, &amb) || amb.Collection != ngrok.Authtokens || len(amb.IDs) != 2 {
		t.Fatalf("err = %v; want an ambiguity naming both authtokens", err)
	}
	live := liveIDs(srv, ngrok.Authtokens)
	for _, id := range live {
		if !strings.Contains(err.Error(), id) {
			t.Errorf("the error does not name %s: %v", id, err)
		}
	}
	counts := srv.RequestCounts()
	if len(live) != 2 || counts["DELETE /credentials/{id}"] != 0 || counts["POST /credentials"] != 1 {
		t.Errorf("%d live, requests %v; want both left alone and no resend", len(live), counts)
	}
}

// An SSH credential holds no secret: the one a lost create made is adopted.
func TestCredentials_LostSSHCreateReplyAdopts(t *testing.T) {
	srv, _ := steadyEmulator(t)
	other := createFor(ngrok.SSHCredentials, "deploy")
	other.PublicKey = ""                         // a fresh one
	addCred(t, srv, ngrok.SSHCredentials, other) // same description, another key: not ours
	srv.AddFault(emulator.Fault{Method: "POST", Route: "/ssh_credentials", Kind: emulator.FaultDropAfterProcess, Times: 1})
	// The API may drop the key's comment.
	api := newFront(t, srv, frontHooks{rewrite: func(_ *http.Request, reply map[string]any) {
		listed, _ := reply["ssh_credentials"].([]any)
		for _, c := range listed {
			c := c.(map[string]any)
			c["public_key"] = strings.Join(strings.Fields(c["public_key"].(string))[:2], " ")
		}
	}})
	in := createFor(ngrok.SSHCredentials, "deploy")
	in.PublicKey = sshKey + " me@laptop"
	got, err := newClient(t, api.URL, srv.APIKey()).Credentials(ngrok.SSHCredentials).Create(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	live := liveIDs(srv, ngrok.SSHCredentials)
	counts := srv.RequestCounts()
	if len(live) != 2 || live[0] != got.ID || got.PublicKey != sshKey || counts["POST /ssh_credentials"] != 1 || counts["DELETE /ssh_credentials/{id}"] != 0 {
		t.Fatalf("Create returned %+v; live %q; requests %v", got, live, counts)
	}
}

// A bot user's key asked for as "service_X" is reported as "bot_X" (the
// spelling the user was created with). After a lost reply, the search finds
// it under either spelling, deletes it and creates again: no key is left
// whose token nobody holds.
func TestCredentials_LostCreateReplyFindsTheOtherSpelling(t *testing.T) {
	srv, _ := steadyEmulator(t)
	bot := srv.AddBotUser("legacy", true)
	srv.AddFault(emulator.Fault{Method: "POST", Route: "/api_keys", Kind: emulator.FaultDropAfterProcess, Times: 1})
	creds := newClient(t, srv.URL(), srv.APIKey()).Credentials(ngrok.APIKeys)
	got, err := creds.Create(t.Context(), ngrok.CredentialCreate{Description: "deploy", OwnerID: "service_" + strings.TrimPrefix(bot.ID, "bot_")})
	if err != nil {
		t.Fatal(err)
	}
	live := srv.Credentials("api_keys")
	if len(live) != 1 || live[0].ID != got.ID || live[0].OwnerID != bot.ID {
		t.Fatalf("created %s; live API keys %+v, want only it, owned by %s", got.ID, live, bot.ID)
	}
}
