package ngrok_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

func TestUsers_ListFollowsEveryPage(t *testing.T) {
	srv := startEmulator(t)
	seeded := srv.SeedUsers(250, "u")
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)

	srv.ResetCounts()
	var ids []string
	for u, err := range users.List(t.Context(), ngrok.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	if len(ids) != 250 {
		t.Fatalf("listed %d users, want 250", len(ids))
	}
	// Newest first.
	if ids[0] != seeded[249].ID || ids[249] != seeded[0].ID {
		t.Errorf("order: first %s last %s", ids[0], ids[249])
	}
	if n := srv.RequestCounts()["GET /service_users"]; n != 3 {
		t.Errorf("list requests = %d, want 3 pages of 100", n)
	}

	// Stopping early fetches no further page.
	srv.ResetCounts()
	for _, err := range users.List(t.Context(), ngrok.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if n := srv.TotalRequests(); n != 1 {
		t.Errorf("requests after stopping at the first user = %d, want 1", n)
	}

	// A filter is evaluated by the API and survives paging.
	srv.ResetCounts()
	n := 0
	for u, err := range users.List(t.Context(), ngrok.ListOptions{Filter: `obj.name.startsWith("u-01")`, Limit: 30}) {
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(u.Name, "u-01") {
			t.Fatalf("filter let %q through", u.Name)
		}
		n++
	}
	if n != 100 || srv.TotalRequests() != 4 {
		t.Errorf("filtered list: %d users in %d requests, want 100 in 4", n, srv.TotalRequests())
	}
}

func TestUsers_ListRefusesALoop(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"service_users":[{"id":"service_1"}],"next_page_uri":"http://`+r.Host+`/service_users?before_id=service_1"}`)
	}))
	defer api.Close()
	users := newClient(t, api.URL, "key").Users(ngrok.ServiceUsers)
	var last error
	for _, err := range users.List(t.Context(), ngrok.ListOptions{}) {
		last = err
	}
	if last == nil || !strings.Contains(last.Error(), "repeats a page") {
		t.Fatalf("err = %v, want a repeated-page error", last)
	}
}
