package ngrok_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// Behind a wrong path every operation says the collection is not served, with
// the full URL it called: creates and lists (whose own 404 says so) as well
// as reads, updates and deletes (whose 404 a list confirms).
func TestClient_WrongPathIsNamedOnEveryOperation(t *testing.T) {
	srv := startEmulator(t)
	user := srv.SeedUsers(1, "kept")[0]
	base := srv.URL() + "/v1"
	client := newClient(t, base, srv.APIKey(), func(c *ngrok.Config) { c.BaseURLSource = "api_base_url" })
	ctx := t.Context()

	check := func(what string, err error, url string) {
		t.Helper()
		var unserved *ngrok.UnservedCollectionError
		if !errors.As(err, &unserved) || ngrok.IsNotFound(err) {
			t.Fatalf("%s: err = %v; want an UnservedCollectionError that is not not-found", what, err)
		}
		for _, want := range []string{"the URL called was " + url + ",", "the API at " + base + " (from api_base_url) does not serve /"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not say %q", what, err, want)
			}
		}
	}
	users := client.Users(ngrok.ServiceUsers)
	_, err := users.Create(ctx, ngrok.UserCreate{Name: "ci"})
	check("Create", err, base+"/service_users")
	check("List", listError(t, users.List(ctx, ngrok.ListOptions{Filter: "obj.active"})), base+"/service_users")
	_, err = users.Get(ctx, user.ID)
	check("Get", err, base+"/service_users/"+user.ID)
	_, err = users.Update(ctx, user.ID, ngrok.UserUpdate{Active: new(false)})
	check("Update", err, base+"/service_users/"+user.ID)
	check("Delete", users.Delete(ctx, user.ID), base+"/service_users/"+user.ID)

	keys := client.Credentials(ngrok.APIKeys)
	_, err = keys.Create(ctx, ngrok.CredentialCreate{Description: "ci"})
	check("Create API key", err, base+"/api_keys")
	check("List API keys", listError(t, keys.List(ctx, ngrok.ListOptions{})), base+"/api_keys")
	_, err = keys.Get(ctx, "ak_2missing")
	check("Get API key", err, base+"/api_keys/ak_2missing")

	if n := len(srv.Users()); n != 1 {
		t.Errorf("%d users after calls through a wrong path, want 1", n)
	}
}

// ngrok answers a path it does not serve with the same 404 as an unknown ID.
// Behind a wrong base URL path every user would then look deleted, and
// Terraform would recreate them all or forget them on destroy; the client
// checks the collection once and calls it a wrong URL instead.
func TestUsers_404BehindAWrongPathIsNotNotFound(t *testing.T) {
	srv := startEmulator(t)
	user := srv.SeedUsers(1, "kept")[0]
	client := newClient(t, srv.URL()+"/v2", srv.APIKey())
	users := client.Users(ngrok.ServiceUsers)
	ctx := t.Context()

	check := func(what string, err error) {
		t.Helper()
		var unserved *ngrok.UnservedCollectionError
		if !errors.As(err, &unserved) || ngrok.IsNotFound(err) {
			t.Fatalf("%s: err = %v; want an UnservedCollectionError that is not not-found", what, err)
		}
		if !strings.Contains(err.Error(), "does not serve /service_users") {
			t.Errorf("%s: the error does not say what is wrong: %v", what, err)
		}
	}
	_, err := users.Get(ctx, user.ID)
	check("Get", err)
	_, err = users.Update(ctx, user.ID, ngrok.UserUpdate{Active: new(false)})
	check("Update", err)
	check("Delete", users.Delete(ctx, user.ID))
	_, err = client.Users(ngrok.ServiceUsers).Get(ctx, "bot_2legacy")
	if !errors.As(err, new(*ngrok.UnservedCollectionError)) || ngrok.IsNotFound(err) {
		t.Fatalf("Get of a bot_ ID: err = %v; want an UnservedCollectionError", err)
	}
	for _, mode := range ngrok.RefreshModes {
		_, err := users.NewBulkReader(mode).Get(ctx, user.ID)
		if ngrok.IsNotFound(err) || err == nil {
			t.Fatalf("bulk read in %s mode: err = %v; want an error that is not not-found", mode, err)
		}
	}
	if got, ok := srv.GetUser(user.ID); !ok || !got.Active {
		t.Fatalf("the user was changed through a wrong URL: %+v, %v", got, ok)
	}
}

// The check costs one list request per collection and client, and only once
// something was not found; after that a 404 is taken at its word.
func TestUsers_NotFoundIsVettedOnce(t *testing.T) {
	srv := startEmulator(t)
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	ctx := t.Context()
	for i, want := range []int{2, 1, 1} {
		srv.ResetCounts()
		if _, err := users.Get(ctx, fmt.Sprintf("service_2missing%d", i)); !ngrok.IsNotFound(err) {
			t.Fatalf("Get %d: err = %v; want not found", i, err)
		}
		if got := srv.TotalRequests(); got != want {
			t.Errorf("Get %d of a missing user sent %d requests, want %d (%v)", i, got, want, srv.RequestCounts())
		}
	}
	srv.ResetCounts()
	if err := users.Delete(ctx, "service_2missing9"); !ngrok.IsNotFound(err) {
		t.Fatalf("Delete: err = %v; want not found", err)
	}
	if got := srv.TotalRequests(); got != 1 {
		t.Errorf("Delete of a missing user sent %d requests, want 1", got)
	}
}

// When the collection cannot be checked, a 404 is not trusted: unsure is
// not gone.
func TestUsers_UncheckedNotFoundIsAnError(t *testing.T) {
	srv := startEmulator(t)
	srv.AddFault(emulator.Fault{Method: "GET", Route: "/service_users", Kind: emulator.FaultStatus, Status: 503})
	users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.MaxRetries = 1 }).Users(ngrok.ServiceUsers)
	_, err := users.Get(t.Context(), "service_2missing")
	if err == nil || ngrok.IsNotFound(err) || !strings.Contains(err.Error(), "HTTP 503") {
		t.Fatalf("err = %v; want the list's 503, not not-found", err)
	}
}

// Concurrent 404s share one check, and so do reads whose collection a list
// page has already proved: behind a wrong path, 20 reads cost 20 GETs and one
// list, not 40 requests one after another.
func TestUsers_ConcurrentNotFoundsShareOneCheck(t *testing.T) {
	srv := startEmulator(t)
	for _, base := range []string{srv.URL(), srv.URL() + "/v2"} {
		client := newClient(t, base, srv.APIKey())
		srv.ResetCounts()
		var wg sync.WaitGroup
		errs := make([]error, 20)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = client.Users(ngrok.ServiceUsers).Get(t.Context(), fmt.Sprintf("service_2missing%02d", i))
			})
		}
		wg.Wait()
		for i, err := range errs {
			unserved := errors.As(err, new(*ngrok.UnservedCollectionError))
			if wrong := base != srv.URL(); wrong != unserved || wrong == ngrok.IsNotFound(err) {
				t.Fatalf("%s: read %d: err = %v", base, i, err)
			}
		}
		if got := srv.TotalRequests(); got != 21 {
			t.Errorf("%s: 20 reads of missing users sent %d requests, want 21", base, got)
		}
	}

	// A list page that succeeded answers the question for free.
	client := newClient(t, srv.URL(), srv.APIKey())
	if _, _, err := client.Users(ngrok.ServiceUsers).PageBefore(t.Context(), "", 1); err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	if _, err := client.Users(ngrok.ServiceUsers).Get(t.Context(), "service_2missing"); !ngrok.IsNotFound(err) {
		t.Fatalf("err = %v; want not found", err)
	}
	if got := srv.TotalRequests(); got != 1 {
		t.Errorf("a 404 after a list page sent %d requests, want 1", got)
	}
}

// A read waiting for someone else's slow check keeps its own deadline, and
// its 404 is then not trusted.
func TestUsers_NotFoundCheckHonoursTheDeadline(t *testing.T) {
	srv := startEmulator(t)
	srv.AddFault(emulator.Fault{Method: "GET", Route: "/service_users", Kind: emulator.FaultLatency, Delay: 3 * time.Second, Times: 1})
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	slow := make(chan error, 1)
	go func() {
		_, err := users.Get(t.Context(), "service_2missingA")
		slow <- err
	}()
	for srv.RequestCounts()["GET /service_users"] == 0 { // the slow check has begun
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := users.Get(ctx, "service_2missingB")
	if ngrok.IsNotFound(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; want the deadline, not not-found", err)
	}
	if err := <-slow; !ngrok.IsNotFound(err) {
		t.Fatalf("the slow check's own read: err = %v; want not found", err)
	}
}
