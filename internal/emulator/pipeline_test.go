package emulator

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestNgrokVersion(t *testing.T) {
	c := newTest(t, Options{})
	c.do("GET", "/service_users", "", "Ngrok-Version", "").wantError(t, 400, "ERR_NGROK_218", "Ngrok-Version")
	c.do("GET", "/service_users", "", "Ngrok-Version", "3").wantError(t, 400, "ERR_NGROK_217", `"3"`)
	c.do("GET", "/service_users", "", "Ngrok-Version", "two").wantError(t, 400, "ERR_NGROK_217", "")
	if r := c.do("GET", "/service_users", "", "Ngrok-Version", " 2 "); r.status != 200 {
		t.Fatalf("padded version: %d", r.status)
	}
}

func TestURIFollowsHost(t *testing.T) {
	c := newTest(t, Options{})
	u := c.s.AddUser("a", true)
	r := c.do("GET", "/service_users/"+u.ID, "", "Host", "api.example.test:8443")
	if got := r.obj(t)["uri"]; got != "http://api.example.test:8443/service_users/"+u.ID {
		t.Fatalf("uri = %v", got)
	}
}

func TestRouting(t *testing.T) {
	c := newTest(t, Options{})
	for _, path := range []string{"/", "/service_users/", "/service_users/a/b", "/service_usersx", "/endpoints", "/api_keysx", "/bot_users//x"} {
		r := c.do("GET", path, "")
		r.wantError(t, 404, "", "")
	}
	// Unknown routes are 404 whatever the credentials.
	c.do("GET", "/endpoints", "", "Authorization", "").wantError(t, 404, "", "")

	r := c.do("PUT", "/service_users/service_"+maxKSUID, `{}`)
	r.wantError(t, 405, "", "")
	if got := r.header.Get("Allow"); got != "GET, PATCH, DELETE" {
		t.Errorf("Allow = %q", got)
	}
	r = c.do("DELETE", "/bot_users", "")
	r.wantError(t, 405, "", "")
	if got := r.header.Get("Allow"); got != "GET, POST" {
		t.Errorf("Allow = %q", got)
	}
}

func TestMaxConcurrent(t *testing.T) {
	c := newTest(t, Options{MaxConcurrent: 2, Latency: 500 * time.Millisecond})
	const n = 5
	results := make(chan resp, n)
	for range n {
		go func() {
			r, err := c.try("GET", "/service_users", "")
			if err != nil {
				t.Error(err)
			}
			results <- r
		}()
	}
	statuses := map[int]int{}
	for range n {
		r := <-results
		statuses[r.status]++
		if r.status == 429 {
			r.wantError(t, 429, "ERR_NGROK_225", "2 simultaneous")
		}
	}
	if statuses[200] != 2 || statuses[429] != 3 {
		t.Fatalf("statuses %v, want 2×200 and 3×429", statuses)
	}
	if c.s.RateLimited() != 0 {
		t.Error("225 replies counted as rate limited")
	}
	// Slots are released.
	if r := c.do("GET", "/service_users", ""); r.status != 200 {
		t.Fatalf("after: %d", r.status)
	}
}

func TestTLSBaseURL(t *testing.T) {
	s := New(Options{APIKey: "k"})
	ts := httptest.NewTLSServer(s)
	defer ts.Close()
	c := &tclient{t: t, s: s, url: ts.URL, hc: ts.Client()}
	u := c.create("service_users", `{"name":"tls"}`)
	if u["uri"] != ts.URL+"/service_users/"+idOf(u) || !strings.HasPrefix(ts.URL, "https://") {
		t.Fatalf("uri %v", u["uri"])
	}
}
