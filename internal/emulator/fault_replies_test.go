package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestFaultStatus(t *testing.T) {
	c := newTest(t, Options{})
	u := c.s.AddUser("a", true)
	c.s.AddFault(Fault{Method: "GET", Route: "/service_users/{id}", Kind: FaultStatus, Status: 503, Times: 2})
	if r := c.do("GET", "/service_users", ""); r.status != 200 {
		t.Fatalf("other route faulted: %d", r.status)
	}
	if r := c.do("GET", "/bot_users/"+u.ID, ""); r.status != 200 {
		t.Fatalf("other prefix faulted: %d", r.status)
	}
	for range 2 {
		c.do("GET", "/service_users/"+u.ID, "").wantError(t, 503, "", "Service Unavailable")
	}
	if r := c.do("GET", "/service_users/"+u.ID, ""); r.status != 200 {
		t.Fatalf("fault outlived its Times: %d", r.status)
	}

	c.s.AddFault(Fault{Kind: FaultStatus}) // default 500, any request, forever
	for range 3 {
		c.do("POST", "/service_users", `{"name":"x"}`).wantError(t, 500, "", "Internal Server Error")
	}
	if len(c.s.Users()) != 1 {
		t.Fatal("a faulted create was processed")
	}
	c.s.ClearFaults()
	if r := c.do("POST", "/service_users", `{"name":"x"}`); r.status != 201 {
		t.Fatalf("after ClearFaults: %d", r.status)
	}
}

func TestFaultRateLimit(t *testing.T) {
	c := newTest(t, Options{RateLimit: 5})
	c.s.AddFault(Fault{Method: "POST", Kind: FaultRateLimit, Times: 1})
	r := c.do("POST", "/service_users", `{"name":"x"}`)
	r.wantError(t, 429, "ERR_NGROK_226", "5 API requests per 1m0s")
	if r.header.Get("Retry-After") != "" {
		t.Error("Retry-After sent")
	}
	if len(c.s.Users()) != 0 || c.s.RateLimited() != 1 {
		t.Fatalf("users %d, RateLimited %d", len(c.s.Users()), c.s.RateLimited())
	}
	// The faulted request used no quota: five real requests still fit.
	for i := range 5 {
		if r := c.do("GET", "/service_users", ""); r.status != 200 {
			t.Fatalf("request %d: %d", i, r.status)
		}
	}
}

// A latency fault delays the request: a client that gives up first leaves it
// unprocessed, one that waits gets it processed.
func TestFaultLatency(t *testing.T) {
	c := newTest(t, Options{})
	c.s.AddFault(Fault{Kind: FaultLatency, Delay: 500 * time.Millisecond, Times: 2})
	c.abandon("POST", "/service_users", `{"name":"gone"}`)
	if len(c.s.Users()) != 0 {
		t.Fatal("a cancelled request was processed")
	}
	if r := c.do("POST", "/service_users", `{"name":"slow"}`); r.status != 201 {
		t.Fatalf("status %d", r.status)
	}
	if len(c.s.Users()) != 1 {
		t.Fatal("not processed")
	}
}

func TestFaultDropBeforeProcess(t *testing.T) {
	c := newTest(t, Options{})
	c.s.AddFault(Fault{Method: "POST", Kind: FaultDropBeforeProcess, Times: 1})
	if _, err := c.try("POST", "/service_users", `{"name":"lost"}`); err == nil {
		t.Fatal("want a connection error")
	}
	if len(c.s.Users()) != 0 {
		t.Fatal("a dropped-before request was processed")
	}
	if c.s.RequestCounts()["POST /service_users"] != 1 {
		t.Fatalf("counts %v", c.s.RequestCounts())
	}
	// A GET on a fresh connection sees the drop too (on a reused one, Go's
	// transport would quietly retry an idempotent request).
	c.s.AddFault(Fault{Method: "GET", Kind: FaultDropBeforeProcess, Times: 1})
	c.hc = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if _, err := c.try("GET", "/service_users", ""); err == nil {
		t.Fatal("want a connection error")
	}
	if r := c.do("GET", "/service_users", ""); r.status != 200 {
		t.Fatalf("after the drop: %d", r.status)
	}
}

func TestFaultDropAfterProcess(t *testing.T) {
	c := newTest(t, Options{})
	c.s.AddFault(Fault{Method: "POST", Route: "/service_users", Kind: FaultDropAfterProcess, Times: 1})
	if _, err := c.try("POST", "/service_users", `{"name":"ghost"}`); err == nil {
		t.Fatal("want a connection error")
	}
	users := c.s.Users()
	if len(users) != 1 || users[0].Name != "ghost" {
		t.Fatalf("the request was not processed: %+v", users)
	}
	// The same through the bot route, with an update.
	c.s.AddFault(Fault{Method: "PATCH", Kind: FaultDropAfterProcess, Times: 1})
	if _, err := c.try("PATCH", "/bot_users/"+users[0].ID, `{"active":false}`); err == nil {
		t.Fatal("want a connection error")
	}
	if u, _ := c.s.GetUser(users[0].ID); u.Active {
		t.Fatal("the update was not applied")
	}
}

func TestDropWithoutHijacker(t *testing.T) {
	s := New(Options{APIKey: "k"})
	s.AddFault(Fault{Kind: FaultDropBeforeProcess})
	req := httptest.NewRequest("GET", "/service_users", nil)
	defer func() {
		if p := recover(); p != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", p)
		}
	}()
	s.ServeHTTP(httptest.NewRecorder(), req)
	t.Fatal("did not abort")
}

func TestFaultHTML(t *testing.T) {
	c := newTest(t, Options{})
	c.s.AddFault(Fault{Kind: FaultHTML, Times: 1})
	c.s.AddFault(Fault{Kind: FaultHTML, Status: 504, Times: 1})
	for _, status := range []int{502, 504} {
		r := c.do("POST", "/service_users", `{"name":"x"}`)
		if r.status != status || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Fatalf("status %d, Content-Type %q", r.status, r.header.Get("Content-Type"))
		}
		if !strings.Contains(string(r.body), "<html>") || !strings.Contains(string(r.body), http.StatusText(status)) || json.Valid(r.body) {
			t.Fatalf("body %s", r.body)
		}
		if r.header.Get("Ngrok-Operation-Id") != "" {
			t.Error("a proxy page carries an operation id")
		}
	}
	if len(c.s.Users()) != 0 {
		t.Fatal("processed")
	}
}

func TestFaultGarbage(t *testing.T) {
	c := newTest(t, Options{})
	c.s.AddFault(Fault{Method: "POST", Kind: FaultGarbage, Times: 1})
	r := c.do("POST", "/service_users", `{"name":"x"}`)
	if r.status != 201 || json.Valid(r.body) || len(r.body) == 0 {
		t.Fatalf("status %d body %q", r.status, r.body)
	}
	if r.header.Get("Content-Type") != "application/json" || r.header.Get("Ngrok-Operation-Id") == "" {
		t.Errorf("headers %v", r.header)
	}
	if len(c.s.Users()) != 1 {
		t.Fatal("not processed")
	}
}

func TestFaultTruncated(t *testing.T) {
	c := newTest(t, Options{})
	u := c.s.AddUser("a", true)
	whole := c.do("GET", "/service_users/"+u.ID, "").body
	c.s.AddFault(Fault{Kind: FaultTruncated, Times: 1})
	r := c.do("GET", "/service_users/"+u.ID, "")
	if r.status != 200 || json.Valid(r.body) || string(r.body) != string(whole[:len(whole)/2]) {
		t.Fatalf("status %d body %q (whole %q)", r.status, r.body, whole)
	}
}

func TestFaultHuge(t *testing.T) {
	c := newTest(t, Options{})
	u := c.s.AddUser("a", true)
	c.s.AddFault(Fault{Route: "/service_users/{id}", Kind: FaultHuge, HugeBytes: 1 << 20, Times: 1})
	c.s.AddFault(Fault{Route: "/service_users", Kind: FaultHuge, Times: 1})
	c.s.AddFault(Fault{Route: "/bot_users", Kind: FaultHuge, HugeBytes: 10, Times: 1})

	r := c.do("GET", "/service_users/"+u.ID, "")
	if r.status != 200 || len(r.body) < 1<<20-16 || len(r.body) > 1<<20+16 {
		t.Fatalf("status %d, %d bytes", r.status, len(r.body))
	}
	if m := r.obj(t); m["id"] != u.ID || m["name"] != "a" {
		t.Fatalf("user fields lost: id %v", m["id"])
	}

	r = c.do("GET", "/service_users", "")
	if len(r.body) < defaultHugeBytes-16 {
		t.Fatalf("default size: %d bytes", len(r.body))
	}
	if m := r.obj(t); len(items(t, m, "service_users")) != 1 {
		t.Fatal("list lost")
	}
	// Smaller than the reply: only an empty padding field is added.
	if m := c.do("GET", "/bot_users", "").obj(t); m["emulator_padding"] != "" || len(items(t, m, "bot_users")) != 1 {
		t.Fatalf("small size: %v", m)
	}
	if got := pad([]byte(`{"a":1}`), 100); len(got) != 100 || !json.Valid(got) {
		t.Fatalf("pad = %s", got)
	}
	if got := string(pad([]byte(`{}`), 25)); got != `{"emulator_padding":"xx"}` || !json.Valid([]byte(got)) {
		t.Fatalf("pad empty object = %s", got)
	}
}

func TestFaultWrongTypesAndMissingID(t *testing.T) {
	c := newTest(t, Options{})
	u := c.s.AddUser("a", true)
	c.s.AddBotUser("b", false)

	c.s.AddFault(Fault{Kind: FaultWrongTypes, Times: 3})
	m := c.do("GET", "/service_users/"+u.ID, "").obj(t)
	if m["id"] != float64(123) || m["name"] != true || m["active"] != "yes" || m["uri"] != false {
		t.Fatalf("wrong types: %v", m)
	}
	m = c.do("GET", "/bot_users", "").obj(t)
	for _, item := range items(t, m, "bot_users") {
		if item["id"] != float64(123) {
			t.Fatalf("list item not spoiled: %v", item)
		}
	}
	if _, ok := m["uri"].(string); !ok {
		t.Fatalf("list uri spoiled: %v", m["uri"])
	}
	// Error bodies are not user objects and pass unchanged.
	c.do("GET", "/service_users/service_"+maxKSUID, "").wantError(t, 404, "", "Resource not found")

	c.s.AddFault(Fault{Kind: FaultMissingID, Times: 2})
	r := c.do("PATCH", "/service_users/"+u.ID, `{"name":"renamed"}`)
	m = r.obj(t)
	if _, has := m["id"]; has || m["name"] != "renamed" || r.status != 200 {
		t.Fatalf("missing id: %d %v", r.status, m)
	}
	m = c.do("GET", "/service_users?limit=1", "").obj(t)
	if _, has := items(t, m, "service_users")[0]["id"]; has || m["next_page_uri"] == nil {
		t.Fatalf("list missing id: %v", m)
	}
	if u, _ := c.s.GetUser(u.ID); u.Name != "renamed" {
		t.Fatal("not processed")
	}
}

// A slow commit acts on the request even after the client gave up waiting.
func TestFaultSlowCommitProcessesAfterTheClientLeaves(t *testing.T) {
	s := New(Options{APIKey: "k"})
	if err := s.Start(""); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	f, err := ParseFault("slow-commit=200ms:POST /service_users:1")
	if err != nil || f.Kind != FaultSlowCommit || f.Delay != 200*time.Millisecond {
		t.Fatalf("ParseFault = %+v, %v", f, err)
	}
	s.AddFault(f)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/service_users", strings.NewReader(`{"name":"late"}`))
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set("Ngrok-Version", "2")
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatal("the reply came before the client's deadline")
	}
	deadline := time.Now().Add(2 * time.Second)
	for len(s.Users()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(s.Users()); n != 1 {
		t.Fatalf("%d users after the slow commit, want 1", n)
	}
}
