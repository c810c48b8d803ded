package ngrok_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// A list and a single page ask for the same page size by one rule: 100, the
// fewest requests, unless a size from 1 up is given. The base URL's path
// prefixes every page, the next ones included.
func TestUsers_ListURLs(t *testing.T) {
	var mu sync.Mutex
	var got []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.RequestURI())
		mu.Unlock()
		next := "null"
		if r.URL.Query().Get("before_id") == "" && r.URL.Query().Get("filter") != "" {
			next = `"` + "http://" + r.Host + "/api/service_users?before_id=service_1&limit=2" + `"`
		}
		fmt.Fprintf(w, `{"service_users":[{"id":"service_1","name":"a"}],"uri":"x","next_page_uri":%s}`, next)
	}))
	defer api.Close()
	users := newClient(t, api.URL+"/api/", "key").Users(ngrok.ServiceUsers)
	ctx := t.Context()

	for _, opts := range []ngrok.ListOptions{{}, {Limit: -5}, {Limit: 2, Filter: `obj.name == "a"`}} {
		for _, err := range users.List(ctx, opts) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, page := range []struct {
		before string
		limit  int
	}{{"", 0}, {"", -1}, {"service_9", 7}} {
		if _, _, err := users.PageBefore(ctx, page.before, page.limit); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"/api/service_users?limit=100",
		"/api/service_users?limit=100",
		"/api/service_users?filter=obj.name+%3D%3D+%22a%22&limit=2",
		"/api/service_users?before_id=service_1&limit=2",
		"/api/service_users?limit=100",
		"/api/service_users?limit=100",
		"/api/service_users?before_id=service_9&limit=7",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
