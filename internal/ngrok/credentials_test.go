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

func TestCredentials_CRUD(t *testing.T) {
	for _, col := range credCollections {
		t.Run(string(col), func(t *testing.T) {
			api := newCredAPI(t, col)
			creds := newClient(t, api.srv.URL, "k").Credentials(col)
			ctx := t.Context()
			if creds.Collection() != col {
				t.Fatalf("Collection() = %s", creds.Collection())
			}

			created, err := creds.Create(ctx, createFor(col, "deploy"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(created.ID, api.prefix) || created.Description != "deploy" || created.Metadata != `{"team":"ci"}` || created.OwnerID != "usr_caller" {
				t.Fatalf("created %+v", created)
			}
			if hasToken := col != ngrok.SSHCredentials; hasToken != (created.Token != nil && *created.Token == "tok_secret_"+created.ID) {
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
			if _, err := creds.Get(ctx, created.ID); !ngrok.IsNotFound(err) {
				t.Fatalf("Get after Delete: %v, want not found", err)
			}
			if err := creds.Delete(ctx, created.ID); !ngrok.IsNotFound(err) {
				t.Fatalf("second Delete: %v, want not found", err)
			}

			requests, bodies := api.log()
			item := "/" + string(col) + "/" + created.ID
			wantRequests := []string{"POST /" + string(col), "GET " + item, "PATCH " + item}
			wantPatches := []string{`{"description":"deploy-2"}`}
			if col != ngrok.APIKeys {
				wantRequests = append(wantRequests, "PATCH "+item)
				wantPatches = append(wantPatches, `{"acl":[]}`)
			}
			// The 404 is vetted once with a list of one.
			wantRequests = append(wantRequests, "DELETE "+item, "GET "+item, "GET /"+string(col)+"?limit=1", "DELETE "+item)
			if !slices.Equal(requests, wantRequests) {
				t.Errorf("requests:\n%q\nwant\n%q", requests, wantRequests)
			}
			var patches []string
			for i, r := range requests {
				if strings.HasPrefix(r, "PATCH ") {
					patches = append(patches, bodies[i])
				}
			}
			if !slices.Equal(patches, wantPatches) {
				t.Errorf("PATCH bodies %q, want %q: only the fields set, an empty acl as []", patches, wantPatches)
			}
			var sent map[string]any
			if err := json.Unmarshal([]byte(bodies[0]), &sent); err != nil {
				t.Fatal(err)
			}
			wantKeys := map[ngrok.Collection]string{ngrok.APIKeys: "description metadata", ngrok.Authtokens: "acl description metadata", ngrok.SSHCredentials: "acl description metadata public_key"}[col]
			if keys := strings.Join(slices.Sorted(maps.Keys(sent)), " "); keys != wantKeys {
				t.Errorf("create sent %s, want only %s (owner_id unset is left out)", bodies[0], wantKeys)
			}
		})
	}
}

// The owner is sent when given.
func TestCredentials_CreateForAnOwner(t *testing.T) {
	api := newCredAPI(t, ngrok.APIKeys)
	got, err := newClient(t, api.srv.URL, "k").Credentials(ngrok.APIKeys).Create(t.Context(), ngrok.CredentialCreate{OwnerID: "usr_bot"})
	if err != nil || got.OwnerID != "usr_bot" {
		t.Fatalf("Create = %+v, %v", got, err)
	}
	if _, bodies := api.log(); bodies[0] != `{"owner_id":"usr_bot"}` {
		t.Errorf("create sent %s", bodies[0])
	}
}

func TestCredentials_ListPagesAndFilter(t *testing.T) {
	for _, col := range credCollections {
		t.Run(string(col), func(t *testing.T) {
			api := newCredAPI(t, col)
			for i := range 250 {
				in := createFor(col, fmt.Sprint("c", i))
				if i%5 == 0 {
					in.OwnerID = "usr_5"
				}
				api.add(in)
			}
			creds := newClient(t, api.srv.URL, "k").Credentials(col)
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
			live := api.live()
			if len(ids) != 250 || ids[0] != live[249].ID || ids[249] != live[0].ID {
				t.Fatalf("listed %d, first %s last %s: want 250, newest first", len(ids), ids[0], ids[len(ids)-1])
			}
			if requests, _ := api.log(); len(requests) != 3 {
				t.Errorf("%d list requests, want 3 pages of 100: %q", len(requests), requests)
			}

			api.reset()
			n := 0
			for page, err := range creds.Pages(t.Context(), ngrok.ListOptions{Filter: `obj.owner_id == "usr_5"`, Limit: 20}) {
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range page {
					if c.OwnerID != "usr_5" {
						t.Fatalf("the filter let %+v through", c)
					}
				}
				n += len(page)
			}
			if requests, _ := api.log(); n != 50 || len(requests) != 3 || !strings.Contains(requests[0], "filter=obj.owner_id") {
				t.Errorf("filtered: %d credentials in %q; want 50 in 3 pages", n, requests)
			}
		})
	}
}

// Behind a wrong base URL path a credential is not taken for deleted.
func TestCredentials_404BehindAWrongPathIsNotNotFound(t *testing.T) {
	api := newCredAPI(t, ngrok.Authtokens)
	cred := api.add(createFor(ngrok.Authtokens, "kept"))
	creds := newClient(t, api.srv.URL+"/v2", "k").Credentials(ngrok.Authtokens)
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
	if len(api.live()) != 1 {
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
				api := newCredAPI(t, col)
				api.add(createFor(col, "other")) // not like it
				other := createFor(col, "deploy")
				other.OwnerID = "usr_other"
				api.add(other) // like it but another owner's
				if fault == "reply lost" {
					api.loseReplies = 1
				} else {
					api.tokenless = 1
				}
				logs := &logSink{}
				creds := newClient(t, api.srv.URL, "k", func(c *ngrok.Config) { c.Logger = logs }).Credentials(col)
				in := createFor(col, "deploy")
				in.OwnerID = "usr_1"
				got, err := creds.Create(t.Context(), in)
				if err != nil {
					t.Fatal(err)
				}
				live := api.live()
				if len(live) != 3 || live[2].ID != got.ID || got.Token == nil || *got.Token != "tok_secret_"+got.ID {
					t.Fatalf("Create returned %+v; live: %+v", got, live)
				}
				orphan := fmt.Sprintf("%s2%026d", api.prefix, 3)
				requests, _ := api.log()
				if !slices.Contains(requests, "DELETE /"+string(col)+"/"+orphan) || !slices.Contains(requests, "GET /"+string(col)+"?filter=obj.owner_id+%3D%3D+%22usr_1%22&limit=100") {
					t.Errorf("requests %q: want the search by owner and a DELETE of %s", requests, orphan)
				}
				warnings := strings.Join(logs.warnings(), "\n")
				if !strings.Contains(warnings, orphan) || strings.Contains(warnings, "tok_secret") {
					t.Errorf("warnings %q: want the orphan's ID and no token", warnings)
				}
			})
		}
	}
}

// Every reply lost: each credential made is deleted, the resends are
// bounded, and none is left alive.
func TestCredentials_LostRepliesLeaveNoOrphan(t *testing.T) {
	api := newCredAPI(t, ngrok.APIKeys)
	api.loseReplies = 100
	creds := newClient(t, api.srv.URL, "k", func(c *ngrok.Config) { c.MaxRetries = 2 }).Credentials(ngrok.APIKeys)
	_, err := creds.Create(t.Context(), createFor(ngrok.APIKeys, "deploy"))
	if err == nil || !strings.Contains(err.Error(), "was deleted") {
		t.Fatalf("err = %v; want the last lost reply, saying its key was deleted", err)
	}
	requests, _ := api.log()
	if posts := countPrefix(requests, "POST "); posts != 3 {
		t.Errorf("%d creates, want 1 + 2 retries", posts)
	}
	if live := api.live(); len(live) != 0 {
		t.Errorf("%d API keys left whose token nobody holds", len(live))
	}
}

// Out of time with the reply still to come: the API key made is found in
// the grace period and deleted, since no attempt is left to create another
// whose token could be returned.
func TestCredentials_CreatePastTheDeadlineLeavesNoOrphan(t *testing.T) {
	api := newCredAPI(t, ngrok.APIKeys)
	api.hangReplies = 1
	creds := newClient(t, api.srv.URL, "k").Credentials(ngrok.APIKeys)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := creds.Create(ctx, createFor(ngrok.APIKeys, "deploy"))
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "was deleted") {
		t.Fatalf("err = %v; want the deadline, saying the key made was deleted", err)
	}
	if live := api.live(); len(live) != 0 {
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
	api := newCredAPI(t, ngrok.Authtokens)
	api.loseReplies = 1
	api.onCreate = func(a *credAPI) {
		a.onCreate = nil
		a.add(createFor(ngrok.Authtokens, "deploy")) // someone else's, at the same moment
	}
	_, err := newClient(t, api.srv.URL, "k").Credentials(ngrok.Authtokens).Create(t.Context(), createFor(ngrok.Authtokens, "deploy"))
	var amb *ngrok.AmbiguousCreateError
	if !errors.As(err, &amb) || amb.Collection != ngrok.Authtokens || len(amb.IDs) != 2 {
		t.Fatalf("err = %v; want an ambiguity naming both authtokens", err)
	}
	live := api.live()
	for _, c := range live {
		if !strings.Contains(err.Error(), c.ID) {
			t.Errorf("the error does not name %s: %v", c.ID, err)
		}
	}
	if requests, _ := api.log(); len(live) != 2 || countPrefix(requests, "DELETE ") != 0 || countPrefix(requests, "POST ") != 1 {
		t.Errorf("%d live, requests %q; want both left alone and no resend", len(live), requests)
	}
}

// An SSH credential holds no secret: the one a lost create made is adopted.
func TestCredentials_LostSSHCreateReplyAdopts(t *testing.T) {
	api := newCredAPI(t, ngrok.SSHCredentials)
	other := createFor(ngrok.SSHCredentials, "deploy")
	other.PublicKey = "ssh-ed25519 AAAAother"
	api.add(other) // same description, another key: not ours
	api.loseReplies = 1
	in := createFor(ngrok.SSHCredentials, "deploy")
	in.PublicKey = sshKey + " me@laptop" // the API may drop the comment
	got, err := newClient(t, api.srv.URL, "k").Credentials(ngrok.SSHCredentials).Create(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	live := api.live()
	requests, _ := api.log()
	if len(live) != 2 || live[1].ID != got.ID || countPrefix(requests, "POST ") != 1 || countPrefix(requests, "DELETE ") != 0 {
		t.Fatalf("Create returned %+v; live %+v; requests %q", got, live, requests)
	}
}

// 600 credentials read in a refresh come from shared pages, as users do.
func TestCredentials_BulkReader(t *testing.T) {
	for _, col := range credCollections {
		t.Run(string(col), func(t *testing.T) {
			api := newCredAPI(t, col)
			ids := make([]string, 600)
			for i := range ids {
				ids[i] = api.add(createFor(col, fmt.Sprint("c", i))).ID
			}
			rand.New(rand.NewPCG(11, 12)).Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
			gone := ids[0]
			api.mu.Lock()
			api.creds = slices.DeleteFunc(api.creds, func(c ngrok.Credential) bool { return c.ID == gone })
			api.mu.Unlock()
			for _, mode := range ngrok.RefreshModes {
				api.reset()
				r := newClient(t, api.srv.URL, "k").Credentials(col).NewBulkReader(mode)
				for id, err := range readAll(t, r, ids, 10) {
					if (id == gone) != ngrok.IsNotFound(err) || (id != gone && err != nil) {
						t.Fatalf("%s mode: %s: %v", mode, id, err)
					}
				}
				requests, _ := api.log()
				t.Logf("%s mode: 600 reads in %d requests (%+v)", mode, len(requests), r.Stats())
				want := map[ngrok.RefreshMode]int{ngrok.RefreshGet: 601, ngrok.RefreshAuto: 15, ngrok.RefreshList: 12}[mode]
				if mode == ngrok.RefreshGet && len(requests) != want || len(requests) > want {
					t.Errorf("%s mode: 600 reads took %d requests (%+v), want %s %d", mode, len(requests), r.Stats(), map[bool]string{true: "exactly", false: "at most"}[mode == ngrok.RefreshGet], want)
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
