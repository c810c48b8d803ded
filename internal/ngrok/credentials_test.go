package ngrok_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
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

var credCollections = []ngrok.Collection{ngrok.APIKeys, ngrok.Authtokens, ngrok.SSHCredentials}

const sshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"

// createFor is a create of each collection's own fields.
func createFor(col ngrok.Collection, desc string) ngrok.CredentialCreate {
	in := ngrok.CredentialCreate{Description: desc, Metadata: `{"team":"ci"}`}
	if col != ngrok.APIKeys {
		in.ACL = []string{"bind:*.example.com"}
	}
	if col == ngrok.SSHCredentials {
		in.PublicKey = sshKey
	}
	return in
}

// addCred makes a credential in srv as a create of in would, without a
// request.
func addCred(t *testing.T, srv *emulator.Server, col ngrok.Collection, in ngrok.CredentialCreate) emulator.Credential {
	t.Helper()
	cr, err := srv.AddCredential(string(col), in.OwnerID, emulator.Credential{Description: in.Description, Metadata: in.Metadata, ACL: in.ACL, PublicKey: in.PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	return cr
}

// liveIDs are the IDs of the credentials of col in srv, newest first.
func liveIDs(srv *emulator.Server, col ngrok.Collection) []string {
	var ids []string
	for _, c := range srv.Credentials(string(col)) {
		ids = append(ids, c.ID)
	}
	return ids
}

// tokenOf is the token srv issued for a credential, "" for none.
func tokenOf(srv *emulator.Server, col ngrok.Collection, id string) string {
	c, _ := srv.GetCredential(string(col), id)
	return c.Token
}

var idPrefixes = map[ngrok.Collection]string{ngrok.APIKeys: "ak_", ngrok.Authtokens: "cr_", ngrok.SSHCredentials: "sshcr_"}

func TestCredentials_CRUD(t *testing.T) {
	for _, col := range credCollections {
		t.Run(string(col), func(t *testing.T) {
			srv := startEmulator(t)
			// Every credential reply carries a field the client does not know.
			api := newFront(t, srv, frontHooks{rewrite: func(_ *http.Request, reply map[string]any) {
				if _, ok := reply["id"]; ok {
					reply["future_field"] = map[string]any{"nested": []int{1, 2}}
				}
			}})
			creds := newClient(t, api.URL, srv.APIKey()).Credentials(col)
			ctx := t.Context()

			created, err := creds.Create(ctx, createFor(col, "deploy"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(created.ID, idPrefixes[col]) || created.Description != "deploy" || created.Metadata != `{"team":"ci"}` || created.OwnerID != srv.AccountUserID() {
				t.Fatalf("created %+v", created)
			}
			issued := tokenOf(srv, col, created.ID)
			if hasToken := col != ngrok.SSHCredentials; hasToken != (created.Token != nil && issued != "" && *created.Token == issued) {
				t.Fatalf("create reply's token = %v", created.Token)
			}

			got, err := creds.Get(ctx, created.ID)
			if err != nil || got.ID != created.ID || got.Token != nil || got.Description != "deploy" {
				t.Fatalf("Get = %+v, %v; want it without its token", got, err)
			}
			if col != ngrok.APIKeys && !slices.Equal(got.ACL, []string{"bind:*.example.com"}) {
				t.Errorf("acl = %q", got.ACL)
			}
			if col == ngrok.SSHCredentials && got.PublicKey != sshKey {
				t.Errorf("public_key = %q", got.PublicKey)
			}

			updated, err := creds.Update(ctx, created.ID, ngrok.CredentialUpdate{Description: new("deploy-2")})
			if err != nil || updated.Description != "deploy-2" || updated.Metadata != `{"team":"ci"}` {
				t.Fatalf("Update(description) = %+v, %v", updated, err)
			}
			if col != ngrok.APIKeys {
				updated, err = creds.Update(ctx, created.ID, ngrok.CredentialUpdate{ACL: new([]string{})})
				if err != nil || updated.ACL == nil || len(updated.ACL) != 0 {
					t.Fatalf("Update(acl=[]) = %+v, %v", updated, err)
				}
			}

			if err := creds.Delete(ctx, created.ID); err != nil {
				t.Fatal(err)
			}
			if _, ok := srv.GetCredential(string(col), created.ID); ok {
				t.Fatal("Delete left the credential in place")
			}
			if _, err := creds.Get(ctx, created.ID); !ngrok.IsNotFound(err) {
				t.Fatalf("Get after Delete: %v, want not found", err)
			}
			if err := creds.Delete(ctx, created.ID); !ngrok.IsNotFound(err) {
				t.Fatalf("second Delete: %v, want not found", err)
			}

			calls := api.log()
			item := "/" + string(col) + "/" + created.ID
			wantRequests := []string{"POST /" + string(col), "GET " + item, "PATCH " + item}
			wantPatches := []string{`{"description":"deploy-2"}`}
			if col != ngrok.APIKeys {
				wantRequests = append(wantRequests, "PATCH "+item)
				wantPatches = append(wantPatches, `{"acl":[]}`)
			}
			// The 404 is vetted once with a list of one.
			wantRequests = append(wantRequests, "DELETE "+item, "GET "+item, "GET /"+string(col)+"?limit=1", "DELETE "+item)
			if requests := api.requests(); !slices.Equal(requests, wantRequests) {
				t.Errorf("requests:\n%q\nwant\n%q", requests, wantRequests)
			}
			var patches []string
			for _, c := range calls {
				if strings.HasPrefix(c.call, "PATCH ") {
					patches = append(patches, c.body)
				}
			}
			if !slices.Equal(patches, wantPatches) {
				t.Errorf("PATCH bodies %q, want %q: only the fields set, an empty acl as []", patches, wantPatches)
			}
			var sent map[string]any
			if err := json.Unmarshal([]byte(calls[0].body), &sent); err != nil {
				t.Fatal(err)
			}
			wantKeys := map[ngrok.Collection]string{ngrok.APIKeys: "description metadata", ngrok.Authtokens: "acl description metadata", ngrok.SSHCredentials: "acl description metadata public_key"}[col]
			if keys := strings.Join(slices.Sorted(maps.Keys(sent)), " "); keys != wantKeys {
				t.Errorf("create sent %s, want only %s (owner_id unset is left out)", calls[0].body, wantKeys)
			}
		})
	}
}

// The owner is sent when given.
func TestCredentials_CreateForAnOwner(t *testing.T) {
	srv := startEmulator(t)
	bot := srv.AddUser("bot", true)
	api := newFront(t, srv, frontHooks{})
	got, err := newClient(t, api.URL, srv.APIKey()).Credentials(ngrok.APIKeys).Create(t.Context(), ngrok.CredentialCreate{OwnerID: bot.ID})
	if err != nil || got.OwnerID != bot.ID {
		t.Fatalf("Create = %+v, %v", got, err)
	}
	if body := api.log()[0].body; body != `{"owner_id":"`+bot.ID+`"}` {
		t.Errorf("create sent %s", body)
	}
}

func TestCredentials_ListPagesAndFilter(t *testing.T) {
	for _, col := range credCollections {
		t.Run(string(col), func(t *testing.T) {
			srv := startEmulator(t)
			five := srv.AddUser("five", true)
			for i := range 250 {
				in := createFor(col, fmt.Sprint("c", i))
				in.PublicKey = "" // each its own
				if i%5 == 0 {
					in.OwnerID = five.ID
				}
				addCred(t, srv, col, in)
			}
			route := "GET /" + string(col)
			creds := newClient(t, srv.URL(), srv.APIKey()).Credentials(col)
			var ids []string
			for c, err := range creds.List(t.Context(), ngrok.ListOptions{}) {
				if err != nil {
					t.Fatal(err)
				}
				if c.Token != nil {
					t.Fatalf("%s listed with a token", c.ID)
				}
				ids = append(ids, c.ID)
			}
			if live := liveIDs(srv, col); len(ids) != 250 || !slices.Equal(ids, live) {
				t.Fatalf("listed %d: want all 250, newest first", len(ids))
			}
			if n, all := srv.RequestCounts()[route], srv.TotalRequests(); n != 3 || all != 3 {
				t.Errorf("%d list requests of %d, want 3 pages of 100", n, all)
			}

			srv.ResetCounts()
			n := 0
			for c, err := range creds.List(t.Context(), ngrok.ListOptions{Filter: fmt.Sprintf("obj.owner_id == %q", five.ID), Limit: 20}) {
				if err != nil {
					t.Fatal(err)
				}
				if c.OwnerID != five.ID {
					t.Fatalf("the filter let %+v through", c)
				}
				n++
			}
			if requests := srv.RequestCounts()[route]; n != 50 || requests != 3 || srv.TotalRequests() != 3 {
				t.Errorf("filtered: %d credentials in %d requests; want 50 in 3 pages", n, requests)
			}
		})
	}
}

// Behind a wrong base URL path a credential is not taken for deleted.
func TestCredentials_404BehindAWrongPathIsNotNotFound(t *testing.T) {
	srv := startEmulator(t)
	cred := addCred(t, srv, ngrok.Authtokens, createFor(ngrok.Authtokens, "kept"))
	creds := newClient(t, srv.URL()+"/v2", srv.APIKey()).Credentials(ngrok.Authtokens)
	_, err := creds.Get(t.Context(), cred.ID)
	var unserved *ngrok.UnservedCollectionError
	if !errors.As(err, &unserved) || ngrok.IsNotFound(err) || unserved.Collection != ngrok.Authtokens ||
		!strings.Contains(err.Error(), "does not serve /credentials") || !strings.Contains(err.Error(), "nothing about the authtoken") {
		t.Fatalf("Get: err = %v; want an UnservedCollectionError about authtokens", err)
	}
	if err := creds.Delete(t.Context(), cred.ID); !errors.As(err, &unserved) {
		t.Fatalf("Delete: err = %v", err)
	}
	for _, mode := range ngrok.RefreshModes {
		if _, err := creds.NewBulkReader(mode).Get(t.Context(), cred.ID); err == nil || ngrok.IsNotFound(err) {
			t.Fatalf("bulk read in %s mode: err = %v; want an error that is not not-found", mode, err)
		}
	}
	if live := liveIDs(srv, ngrok.Authtokens); !slices.Equal(live, []string{cred.ID}) {
		t.Fatal("the credential was deleted through a wrong URL")
	}
}

// A lost create reply of an API key or authtoken leaves exactly one live
// credential, the one whose token the caller holds: the one the lost request
// made is deleted, its ID logged and its token never.
func TestCredentials_LostCreateReplyDeletesTheOrphan(t *testing.T) {
	for _, col := range []ngrok.Collection{ngrok.APIKeys, ngrok.Authtokens} {
		for _, fault := range []string{"reply lost", "reply without token"} {
			t.Run(string(col)+"/"+fault, func(t *testing.T) {
				srv := startEmulator(t)
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
				if countPrefix(requests, "POST ") != 2 || slices.Contains(live, orphan.ID) || !slices.Contains(requests, "DELETE /"+string(col)+"/"+orphan.ID) ||
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
	srv := startEmulator(t)
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
	srv := startEmulator(t)
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

func countPrefix(ss []string, prefix string) int {
	n := 0
	for _, s := range ss {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	return n
}

// Two credentials like the lost one: Create names both and deletes neither.
func TestCredentials_LostCreateReplyWithATwinIsAmbiguous(t *testing.T) {
	srv := startEmulator(t)
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
	srv := startEmulator(t)
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

// 600 credentials read in a refresh come from shared pages, as users do.
func TestCredentials_BulkReader(t *testing.T) {
	for _, col := range credCollections {
		t.Run(string(col), func(t *testing.T) {
			srv := startEmulator(t)
			seeded, err := srv.SeedCredentials(string(col), 600, "c")
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]string, len(seeded))
			for i, c := range seeded {
				ids[i] = c.ID
			}
			rand.New(rand.NewPCG(11, 12)).Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
			gone := ids[0]
			if err := srv.DeleteCredential(string(col), gone); err != nil {
				t.Fatal(err)
			}
			for _, mode := range ngrok.RefreshModes {
				srv.ResetCounts()
				r := newClient(t, srv.URL(), srv.APIKey()).Credentials(col).NewBulkReader(mode)
				for id, err := range readAll(t, r, ids, 10) {
					if (id == gone) != ngrok.IsNotFound(err) || (id != gone && err != nil) {
						t.Fatalf("%s mode: %s: %v", mode, id, err)
					}
				}
				requests := srv.TotalRequests()
				t.Logf("%s mode: 600 reads in %d requests (%+v)", mode, requests, r.Stats())
				want := map[ngrok.RefreshMode]int{ngrok.RefreshGet: 601, ngrok.RefreshAuto: 15, ngrok.RefreshList: 12}[mode]
				if mode == ngrok.RefreshGet && requests != want || requests > want {
					t.Errorf("%s mode: 600 reads took %d requests (%+v), want %s %d", mode, requests, r.Stats(), map[bool]string{true: "exactly", false: "at most"}[mode == ngrok.RefreshGet], want)
				}
			}
		})
	}
}

// A reply without an id is not a credential, whatever else it holds.
func TestCredentials_ReplyWithoutAnIDIsMalformed(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"description":"x","token":null,"future":1}`)
	}))
	defer api.Close()
	_, err := newClient(t, api.URL, "k").Credentials(ngrok.APIKeys).Get(t.Context(), "ak_1")
	var apiErr *ngrok.Error
	if !errors.As(err, &apiErr) || !apiErr.Malformed || !strings.Contains(err.Error(), "the API key in the reply has no id") {
		t.Fatalf("err = %v; want a malformed reply", err)
	}
}

// A bot user's key asked for as "service_X" is reported as "bot_X" (the
// spelling the user was created with). After a lost reply, the search finds
// it under either spelling, deletes it and creates again: no key is left
// whose token nobody holds.
func TestCredentials_LostCreateReplyFindsTheOtherSpelling(t *testing.T) {
	srv := startEmulator(t)
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
