package ngrok_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// The API key goes only to the configured host: a next_page_uri naming
// another host is followed on the configured one.
func TestUsers_ListNeverLeavesTheConfiguredHost(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.RequestURI())
		mu.Unlock()
		if r.URL.Query().Get("before_id") == "" {
			fmt.Fprint(w, `{"service_users":[{"id":"service_1","name":"a"}],"uri":"x","next_page_uri":"https://evil.example/service_users?before_id=service_1&limit=1"}`)
			return
		}
		fmt.Fprint(w, `{"service_users":[{"id":"service_0","name":"b"}],"uri":"x","next_page_uri":null}`)
	}))
	defer api.Close()
	users := newClient(t, api.URL, "key").Users(ngrok.ServiceUsers)
	n := 0
	for _, err := range users.List(t.Context(), ngrok.ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 || len(paths) != 2 || paths[1] != "/service_users?before_id=service_1&limit=1" {
		t.Fatalf("listed %d users via %v", n, paths)
	}
}

func TestClient_RequestHeaders(t *testing.T) {
	type seen struct{ method, auth, version, ctype, ua string }
	var got []seen
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, seen{r.Method, r.Header.Get("Authorization"), r.Header.Get("Ngrok-Version"), r.Header.Get("Content-Type"), r.Header.Get("User-Agent")})
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		fmt.Fprint(w, `{"id":"service_1","name":"x","active":true,"future_field":{"nested":[1,2]}}`)
	}))
	defer api.Close()
	users := newClient(t, api.URL, "sekret").Users(ngrok.ServiceUsers)
	ctx := t.Context()
	if _, err := users.Create(ctx, ngrok.UserCreate{Name: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := users.Get(ctx, "service_1"); err != nil {
		t.Fatal(err)
	}
	if err := users.Delete(ctx, "service_1"); err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		if s.auth != "Bearer sekret" || s.version != "2" || s.ua != "terraform-provider-ngrok/test" {
			t.Errorf("%s headers: %+v", s.method, s)
		}
		wantCT := ""
		if s.method == http.MethodPost {
			wantCT = "application/json"
		}
		if s.ctype != wantCT {
			t.Errorf("%s Content-Type = %q, want %q", s.method, s.ctype, wantCT)
		}
	}
}

// The key never reaches a diagnostic, even from a gateway that echoes the
// request's headers into its error page.
func TestClient_ErrorPagesAreScrubbedOfTheKey(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "bad gateway; you sent Authorization: %s", r.Header.Get("Authorization"))
	}))
	defer api.Close()
	users := newClient(t, api.URL, "s3cr3t-key", func(c *ngrok.Config) { c.MaxRetries = -1 }).Users(ngrok.ServiceUsers)
	_, err := users.Get(t.Context(), "service_1")
	if err == nil || strings.Contains(err.Error(), "s3cr3t-key") || !strings.Contains(err.Error(), "Bearer ***") {
		t.Fatalf("err = %v", err)
	}
}
