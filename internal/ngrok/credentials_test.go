package ngrok_test

import (
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
				in.PublicKey = "" // SSH keys: a fresh one each
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
