package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestAuthentication(t *testing.T) {
	c := newTest(t, Options{AgentAuthtoken: "2abcAgentToken_secret"})
	for _, tc := range []struct {
		name, auth string
		status     int
		code       string
	}{
		{"missing", "", 401, "ERR_NGROK_200"},
		{"blank", "   ", 401, "ERR_NGROK_200"},
		{"basic scheme", "Basic dXNlcjpwYXNz", 401, "ERR_NGROK_201"},
		{"bearer without token", "Bearer", 401, "ERR_NGROK_201"},
		{"no scheme", "test_key", 401, "ERR_NGROK_201"},
		{"token with spaces", "Bearer test key", 401, "ERR_NGROK_202"},
		{"token with a tab", "Bearer test\tkey", 401, "ERR_NGROK_202"},
		{"token with non-ASCII", "Bearer test\u00e9key", 401, "ERR_NGROK_202"},
		{"wrong key", "Bearer other_key", 401, "ERR_NGROK_203"},
		{"prefix of key", "Bearer test_ke", 401, "ERR_NGROK_203"},
		{"agent authtoken", "Bearer 2abcAgentToken_secret", 401, "ERR_NGROK_207"},
		{"prefix of authtoken", "Bearer 2abcAgentToken_secre", 401, "ERR_NGROK_203"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.do("GET", "/service_users", "", "Authorization", tc.auth)
			r.wantError(t, tc.status, tc.code, "")
			if strings.Contains(string(r.body), "other_key") || strings.Contains(string(r.body), "AgentToken") {
				t.Error("the rejected key is echoed back")
			}
		})
	}
	t.Run("case-insensitive scheme", func(t *testing.T) {
		if r := c.do("GET", "/service_users", "", "Authorization", "bearer test_key"); r.status != 200 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
	})
	t.Run("auth before version", func(t *testing.T) {
		r := c.do("GET", "/service_users", "", "Authorization", "", "Ngrok-Version", "")
		r.wantError(t, 401, "ERR_NGROK_200", "Authorization")
	})
}

func TestGeneratedAPIKey(t *testing.T) {
	a, b := New(Options{}), New(Options{})
	if !strings.HasPrefix(a.APIKey(), "emu_") || a.APIKey() == b.APIKey() || len(a.APIKey()) < 20 {
		t.Fatalf("generated keys %q, %q", a.APIKey(), b.APIKey())
	}
}

func TestNgrokVersion(t *testing.T) {
	c := newTest(t, Options{})
	c.do("GET", "/service_users", "", "Ngrok-Version", "").wantError(t, 400, "ERR_NGROK_218", "Ngrok-Version")
	c.do("GET", "/service_users", "", "Ngrok-Version", "3").wantError(t, 400, "ERR_NGROK_217", `"3"`)
	c.do("GET", "/service_users", "", "Ngrok-Version", "two").wantError(t, 400, "ERR_NGROK_217", "")
	if r := c.do("GET", "/service_users", "", "Ngrok-Version", " 2 "); r.status != 200 {
		t.Fatalf("padded version: %d", r.status)
	}
}

func TestContentType(t *testing.T) {
	c := newTest(t, Options{})
	c.do("POST", "/service_users", `{"name":"a"}`, "Content-Type", "text/plain").wantError(t, 415, "ERR_NGROK_210", "text/plain")
	c.do("POST", "/service_users", `name=a`, "Content-Type", "application/x-www-form-urlencoded").wantError(t, 415, "ERR_NGROK_210", "")
	c.do("POST", "/service_users", `{}`, "Content-Type", "application/json;;").wantError(t, 415, "ERR_NGROK_210", "")
	if n := len(c.s.Users()); n != 0 {
		t.Fatalf("rejected creates stored %d users", n)
	}
	u := c.create("service_users", `{"name":"a"}`)
	c.do("PATCH", "/service_users/"+idOf(u), `{"name":"b"}`, "Content-Type", "text/plain").wantError(t, 415, "ERR_NGROK_210", "")

	if r := c.do("POST", "/service_users", `{"name":"a"}`, "Content-Type", "application/json; charset=utf-8"); r.status != 201 {
		t.Fatalf("charset parameter: %d %s", r.status, r.body)
	}
	if r := c.do("POST", "/service_users", `{"name":"a"}`, "Content-Type", "Application/JSON"); r.status != 201 {
		t.Fatalf("mixed case: %d %s", r.status, r.body)
	}
	// No Content-Type at all is read as JSON; an empty body is an empty object.
	if r := c.do("POST", "/service_users", `{"name":"c"}`, "Content-Type", ""); r.status != 201 {
		t.Fatalf("no content type: %d %s", r.status, r.body)
	}
	if r := c.do("POST", "/service_users", ""); r.status != 201 || r.obj(t)["active"] != true {
		t.Fatalf("empty body: %d %s", r.status, r.body)
	}
}

func TestInvalidBody(t *testing.T) {
	c := newTest(t, Options{})
	for body, msgPart := range map[string]string{
		`{"name":`:                       "not valid JSON",
		`{"name":"a"} trailing`:          "not valid JSON",
		`{"name":5}`:                     "`name`",
		`{"active":"yes"}`:               "`active`",
		`{"name":"a","active":1}`:        "`active`",
		`["name"]`:                       "JSON object",
		`"just a string"`:                "JSON object",
		`{"name":{"nested":"object"}}`:   "`name`",
		`{"name":"ok","active":[true]}`:  "`active`",
		`{"name":"\u0000ok","active":0}`: "`active`",
	} {
		c.do("POST", "/service_users", body).wantError(t, 400, "ERR_NGROK_215", msgPart)
	}
	if n := len(c.s.Users()); n != 0 {
		t.Fatalf("invalid bodies stored %d users", n)
	}
	// Unknown fields are ignored (the real API grows fields, such as roles).
	u := c.create("service_users", `{"name":"x","roles":["developer"],"future":{"a":1}}`)
	if u["name"] != "x" {
		t.Fatalf("unknown fields: %v", u)
	}
	c.do("PATCH", "/service_users/"+idOf(u), `{"active":"no"}`).wantError(t, 400, "ERR_NGROK_215", "`active`")
}

func TestIdentifiers(t *testing.T) {
	c := newTest(t, Options{})
	u := c.s.AddUser("a", true)
	suffix := idSuffix(u.ID)
	for _, id := range []string{
		"nope",
		"service_",
		"service_" + suffix[:26],
		"service_" + suffix + "0",
		"user_" + suffix,
		"service_" + suffix[:26] + "-",
		"Service_" + suffix,
		"service_zzzzzzzzzzzzzzzzzzzzzzzzzzz", // base62, but above the 20-byte maximum
	} {
		for _, method := range []string{"GET", "PATCH", "DELETE"} {
			body := ""
			if method == "PATCH" {
				body = `{"name":"b"}`
			}
			c.do(method, "/service_users/"+url.PathEscape(id), body).wantError(t, 404, "ERR_NGROK_222", "not a valid identifier")
		}
	}
	// Well formed but absent: a 404 without error_code.
	for _, id := range []string{"service_" + maxKSUID, "bot_" + suffix, "service_000000000000000000000000000"} {
		r := c.do("GET", "/service_users/"+id, "")
		r.wantError(t, 404, "", "Resource not found")
		if m := r.obj(t); len(m) != 3 {
			t.Errorf("plain 404 body has extra keys: %s", r.body)
		}
	}
	if _, ok := c.s.GetUser(u.ID); !ok {
		t.Fatal("user lost")
	}
}

func TestCreateGetUpdateDelete(t *testing.T) {
	clock := newFakeClock()
	c := newTest(t, Options{Now: clock.Now})
	created := c.create("service_users", `{"name":"ci"}`)
	id := idOf(created)
	if !regexp.MustCompile(`^service_[0-9A-Za-z]{27}$`).MatchString(id) {
		t.Fatalf("id = %q", id)
	}
	want := map[string]any{
		"id":         id,
		"uri":        c.url + "/service_users/" + id,
		"name":       "ci",
		"active":     true,
		"created_at": "2025-09-04T10:11:43Z",
	}
	checkObj(t, created, want)

	r := c.do("GET", "/service_users/"+id, "")
	if r.status != 200 || !opIDPattern.MatchString(r.header.Get("Ngrok-Operation-Id")) || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("get: %d %v", r.status, r.header)
	}
	checkObj(t, r.obj(t), want)

	clock.Advance(time.Hour) // an update must not move created_at
	r = c.do("PATCH", "/service_users/"+id, `{"active":false}`)
	want["active"] = false
	checkObj(t, r.obj(t), want)
	r = c.do("PATCH", "/service_users/"+id, `{"name":"renamed"}`)
	want["name"] = "renamed"
	checkObj(t, r.obj(t), want)
	r = c.do("PATCH", "/service_users/"+id, `{"name":"both","active":true,"extra":1}`)
	want["name"], want["active"] = "both", true
	checkObj(t, r.obj(t), want)
	r = c.do("PATCH", "/service_users/"+id, `{}`)
	if r.status != 200 {
		t.Fatalf("empty patch: %d", r.status)
	}
	checkObj(t, r.obj(t), want)
	r = c.do("PATCH", "/service_users/"+id, `{"name":null}`) // null is absent
	checkObj(t, r.obj(t), want)

	inactive := c.create("service_users", `{"name":"off","active":false}`)
	if inactive["active"] != false || inactive["created_at"] != "2025-09-04T11:11:43Z" {
		t.Fatalf("inactive create: %v", inactive)
	}

	r = c.do("DELETE", "/service_users/"+id, "")
	if r.status != http.StatusNoContent || len(r.body) != 0 || r.header.Get("Ngrok-Operation-Id") == "" {
		t.Fatalf("delete: %d %q", r.status, r.body)
	}
	c.do("GET", "/service_users/"+id, "").wantError(t, 404, "", "Resource not found")
	c.do("PATCH", "/service_users/"+id, `{"name":"x"}`).wantError(t, 404, "", "Resource not found")
	c.do("DELETE", "/service_users/"+id, "").wantError(t, 404, "", "Resource not found")
}

func checkObj(t *testing.T, got, want map[string]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("object has keys %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

func TestBothPrefixesShareOneCollection(t *testing.T) {
	c := newTest(t, Options{})
	bot := c.create("bot_users", `{"name":"legacy"}`)
	svc := c.create("service_users", `{"name":"modern"}`)
	botID, svcID := idOf(bot), idOf(svc)
	if !strings.HasPrefix(botID, "bot_") || !strings.HasPrefix(svcID, "service_") {
		t.Fatalf("ids %q %q", botID, svcID)
	}
	if bot["uri"] != c.url+"/bot_users/"+botID {
		t.Fatalf("bot uri %v", bot["uri"])
	}
	// Each user is reachable through both routes, with the uri of the route.
	for _, id := range []string{botID, svcID} {
		for _, prefix := range []string{"service_users", "bot_users"} {
			r := c.do("GET", "/"+prefix+"/"+id, "")
			if r.status != 200 || r.obj(t)["uri"] != c.url+"/"+prefix+"/"+id {
				t.Fatalf("GET /%s/%s: %d %s", prefix, id, r.status, r.body)
			}
		}
	}
	if r := c.do("PATCH", "/service_users/"+botID, `{"name":"moved"}`); r.obj(t)["name"] != "moved" {
		t.Fatalf("patch bot user via service route: %s", r.body)
	}
	for _, prefix := range []string{"service_users", "bot_users"} {
		p := c.list("/" + prefix)
		if len(p.Users) != 2 || p.Users[0].ID != svcID || p.Users[1].ID != botID || p.Next != nil {
			t.Fatalf("%s list: %+v", prefix, p)
		}
		if p.URI != c.url+"/"+prefix || p.Users[1].URI != c.url+"/"+prefix+"/"+botID {
			t.Fatalf("%s list uris: %+v", prefix, p)
		}
	}
	if r := c.do("DELETE", "/bot_users/"+svcID, ""); r.status != 204 {
		t.Fatalf("delete service user via bot route: %d", r.status)
	}
	if _, ok := c.s.GetUser(svcID); ok {
		t.Fatal("still there")
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

func TestPaging(t *testing.T) {
	c := newTest(t, Options{})
	seeded := c.s.SeedUsers(250, "ci")
	if seeded[0].Name != "ci-0001" || seeded[249].Name != "ci-0250" {
		t.Fatalf("seed names %q..%q", seeded[0].Name, seeded[249].Name)
	}

	var got []apiUser
	next := c.url + "/service_users?limit=100"
	pages := 0
	for next != "" {
		p := c.list(next)
		pages++
		got = append(got, p.Users...)
		if p.URI != c.url+"/service_users" {
			t.Fatalf("uri %q", p.URI)
		}
		next = ""
		if p.Next != nil {
			next = *p.Next
			want := c.url + "/service_users?before_id=" + p.Users[len(p.Users)-1].ID + "&limit=100"
			if next != want {
				t.Fatalf("next_page_uri = %q, want %q", next, want)
			}
		}
		if pages == 3 && len(p.Users) != 50 {
			t.Fatalf("last page has %d users", len(p.Users))
		}
	}
	if pages != 3 || len(got) != 250 {
		t.Fatalf("%d pages, %d users", pages, len(got))
	}
	for i, u := range got {
		if want := seeded[249-i]; u.ID != want.ID || u.Name != want.Name {
			t.Fatalf("item %d = %s %s, want %s %s (newest first)", i, u.ID, u.Name, want.ID, want.Name)
		}
	}

	// Default limit is 100; a page that ends exactly at the oldest user has
	// no next page.
	if p := c.list("/service_users"); len(p.Users) != 100 || p.Next == nil {
		t.Fatalf("default limit: %d users, next %v", len(p.Users), p.Next)
	}
	p := c.list("/service_users?limit=50&before_id=" + seeded[50].ID)
	if len(p.Users) != 50 || p.Users[49].ID != seeded[0].ID || p.Next != nil {
		t.Fatalf("exact last page: %d users, next %v", len(p.Users), p.Next)
	}
	if p := c.list("/service_users?before_id=" + seeded[0].ID); len(p.Users) != 0 || p.Next != nil {
		t.Fatalf("before the oldest: %+v", p)
	}

	// before_id may name a deleted user: its position still orders.
	if err := c.s.DeleteUser(seeded[100].ID); err != nil {
		t.Fatal(err)
	}
	p = c.list("/bot_users?limit=3&before_id=" + seeded[100].ID)
	if len(p.Users) != 3 || p.Users[0].ID != seeded[99].ID || p.Users[2].ID != seeded[97].ID {
		t.Fatalf("before deleted id: %+v", p.Users)
	}
	if p.Next == nil || *p.Next != c.url+"/bot_users?before_id="+seeded[97].ID+"&limit=3" {
		t.Fatalf("bot next_page_uri %v", p.Next)
	}
	// A before_id with the other prefix orders the same.
	p = c.list("/service_users?limit=1&before_id=bot_" + idSuffix(seeded[100].ID))
	if len(p.Users) != 1 || p.Users[0].ID != seeded[99].ID {
		t.Fatalf("bot_ before_id: %+v", p.Users)
	}
	c.do("GET", "/service_users?before_id=garbage", "").wantError(t, 400, "ERR_NGROK_215", "before_id")
}

func TestLimitOutOfRange(t *testing.T) {
	c := newTest(t, Options{})
	for _, limit := range []string{"0", "101", "abc", "-1", "1.5", "1e2"} {
		c.do("GET", "/service_users?limit="+limit, "").wantError(t, 400, "ERR_NGROK_233", "between 1 and 100")
		c.do("GET", "/bot_users?limit="+limit, "").wantError(t, 400, "ERR_NGROK_233", "")
	}
	for _, limit := range []string{"1", "100"} {
		if r := c.do("GET", "/service_users?limit="+limit, ""); r.status != 200 {
			t.Fatalf("limit %s: %d", limit, r.status)
		}
	}
}

func TestFilter(t *testing.T) {
	c := newTest(t, Options{})
	var ci []User
	for i := range 7 {
		ci = append(ci, c.s.AddUser("ci-"+string(rune('a'+i)), i%2 == 0))
		c.s.AddUser("other", true)
	}
	c.s.AddBotUser("ci", true)
	q := func(path, filter string) string { return path + "filter=" + url.QueryEscape(filter) }

	p := c.list(q("/service_users?", `obj.name == "ci" && obj.active`))
	if len(p.Users) != 1 || p.Users[0].Name != "ci" || !strings.HasPrefix(p.Users[0].ID, "bot_") {
		t.Fatalf("exact match: %+v", p.Users)
	}
	// Matches: ci-a, ci-c, ci-e, ci-g (active ones), newest first; paged by 2.
	filter := `obj.name.startsWith("ci-") && obj.active`
	p = c.list(q("/service_users?limit=2&", filter))
	if len(p.Users) != 2 || p.Users[0].ID != ci[6].ID || p.Users[1].ID != ci[4].ID {
		t.Fatalf("page 1: %+v", p.Users)
	}
	wantNext := c.url + "/service_users?before_id=" + ci[4].ID + "&limit=2&filter=" + url.QueryEscape(filter)
	if p.Next == nil || *p.Next != wantNext {
		t.Fatalf("next_page_uri = %v, want %s", p.Next, wantNext)
	}
	p = c.list(*p.Next)
	if len(p.Users) != 2 || p.Users[0].ID != ci[2].ID || p.Users[1].ID != ci[0].ID || p.Next != nil {
		t.Fatalf("page 2 (exactly the rest, so no next): %+v next %v", p.Users, p.Next)
	}
	// Fields a filter can read: uri (of the route), id, created_at as a string.
	p = c.list(q("/bot_users?", `obj.uri.contains("/bot_users/") && obj.id.startsWith("bot_") && obj.created_at.endsWith("Z")`))
	if len(p.Users) != 1 {
		t.Fatalf("uri/id/created_at filter: %+v", p.Users)
	}
	if p := c.list(q("/service_users?", `obj.name == "nobody"`)); len(p.Users) != 0 || p.Next != nil {
		t.Fatalf("no match: %+v", p)
	}

	for _, bad := range []struct{ filter, msgPart string }{
		{`obj.name ==`, "filter"},
		{`obj.nmae == "ci"`, "undefined field 'nmae'"},
		{`obj.name`, "bool"},
		{`obj.active + 1`, "filter"},
		{`size(obj.name) / 0 == 1`, "division by zero"},
		{`dyn(obj.name)`, "bool"},
	} {
		for _, prefix := range []string{"/service_users?", "/bot_users?"} {
			c.do("GET", q(prefix, bad.filter), "").wantError(t, 400, "ERR_NGROK_230", bad.msgPart)
		}
	}
	// Compile errors do not depend on data.
	empty := newTest(t, Options{})
	empty.do("GET", q("/service_users?", `obj.name`), "").wantError(t, 400, "ERR_NGROK_230", "bool")
}

func TestRateLimit(t *testing.T) {
	clock := newFakeClock()
	c := newTest(t, Options{RateLimit: 3, RateWindow: 10 * time.Second, Now: clock.Now})
	ok := func(step string) {
		t.Helper()
		if r := c.do("GET", "/service_users", ""); r.status != 200 {
			t.Fatalf("%s: status %d %s", step, r.status, r.body)
		}
	}
	limited := func(step string) {
		t.Helper()
		r := c.do("GET", "/service_users", "")
		r.wantError(t, 429, "ERR_NGROK_226", "API requests per")
		for _, h := range []string{"Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "RateLimit"} {
			if v := r.header.Get(h); v != "" {
				t.Errorf("%s: header %s = %q", step, h, v)
			}
		}
	}
	ok("t0")
	clock.Advance(time.Second)
	ok("t1")
	// Requests rejected for auth or version use no quota.
	c.do("GET", "/service_users", "", "Authorization", "Bearer nope").wantError(t, 401, "ERR_NGROK_203", "")
	c.do("GET", "/service_users", "", "Ngrok-Version", "").wantError(t, 400, "ERR_NGROK_218", "")
	clock.Advance(time.Second)
	ok("t2")
	limited("t2 over")
	c.do("GET", "/service_users", "").wantError(t, 429, "ERR_NGROK_226", "Your account is rate limited to 3 API requests per 10s.")
	clock.Advance(7 * time.Second)
	limited("t9") // 429s use no quota, but the window still holds t0, t1, t2
	clock.Advance(time.Second)
	ok("t10: t0 slid out")
	limited("t10 over")
	clock.Advance(time.Second)
	ok("t11: t1 slid out")
	if got := c.s.RateLimited(); got != 4 {
		t.Fatalf("RateLimited = %d, want 4", got)
	}
	// Hooks are not rate limited.
	c.s.AddUser("a", true)
	if len(c.s.Users()) != 1 {
		t.Fatal("hook failed")
	}

	c.s.SetRateLimit(0, 0)
	for range 10 {
		ok("unlimited")
	}
	c.s.SetRateLimit(1, time.Minute)
	ok("new limit starts fresh")
	limited("new limit")
}

func TestDefaultRateLimit(t *testing.T) {
	clock := newFakeClock()
	opts := DefaultOptions()
	opts.Now = clock.Now
	c := newTest(t, opts)
	for i := range 120 {
		if r := c.do("GET", "/service_users", ""); r.status != 200 {
			t.Fatalf("request %d: %d", i, r.status)
		}
	}
	c.do("GET", "/service_users", "").wantError(t, 429, "ERR_NGROK_226", "120 API requests per 1m0s")
	clock.Advance(time.Minute)
	if r := c.do("GET", "/service_users", ""); r.status != 200 {
		t.Fatalf("after the window: %d", r.status)
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

func TestLatency(t *testing.T) {
	c := newTest(t, Options{})
	c.s.SetLatency(150*time.Millisecond, 50*time.Millisecond)
	start := time.Now()
	if r := c.do("GET", "/service_users", ""); r.status != 200 {
		t.Fatal(r.status)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("took %s, want >= 150ms", d)
	}

	// A client that gives up is not waited for, and is not answered.
	c.s.SetLatency(10*time.Second, 0)
	c.hc.Timeout = 100 * time.Millisecond
	start = time.Now()
	if _, err := c.try("POST", "/service_users", `{"name":"late"}`); err == nil {
		t.Fatal("want a client timeout")
	}
	time.Sleep(100 * time.Millisecond)
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %s", d)
	}
	if len(c.s.Users()) != 0 {
		t.Fatal("a cancelled request was processed")
	}
}

func TestCounts(t *testing.T) {
	c := newTest(t, Options{})
	u := c.s.AddUser("hook", true) // hooks are not counted
	c.do("GET", "/service_users", "")
	c.do("GET", "/service_users", "", "Authorization", "")
	c.do("GET", "/service_users/"+u.ID, "")
	c.do("PATCH", "/bot_users/"+u.ID, `{"name":"x"}`)
	c.do("POST", "/bot_users", `{}`)
	c.do("DELETE", "/bot_users/nope", "")
	c.do("PUT", "/bot_users", "")
	c.do("GET", "/elsewhere", "")
	c.s.AddFault(Fault{Kind: FaultStatus, Status: 503})
	c.do("GET", "/bot_users", "")
	want := map[string]int{
		"GET /service_users":      2,
		"GET /service_users/{id}": 1,
		"PATCH /bot_users/{id}":   1,
		"POST /bot_users":         1,
		"DELETE /bot_users/{id}":  1,
		"PUT /bot_users":          1,
		"GET (unknown)":           1,
		"GET /bot_users":          1,
	}
	got := c.s.RequestCounts()
	if len(got) != len(want) {
		t.Errorf("counts %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
	if c.s.TotalRequests() != 9 {
		t.Errorf("TotalRequests = %d", c.s.TotalRequests())
	}
	got["GET /service_users"] = 99 // a copy
	c.s.ResetCounts()
	if len(c.s.RequestCounts()) != 0 || c.s.TotalRequests() != 0 || c.s.RateLimited() != 0 {
		t.Fatal("ResetCounts left counts")
	}
}

func TestHooks(t *testing.T) {
	clock := newFakeClock()
	c := newTest(t, Options{Now: clock.Now})
	seeded := c.s.SeedUsers(3, "seed")
	svc := c.s.AddUser("svc", false)
	clock.Advance(-time.Hour) // IDs stay ordered even if the clock goes back
	bot := c.s.AddBotUser("bot", true)
	if !strings.HasPrefix(svc.ID, "service_") || !strings.HasPrefix(bot.ID, "bot_") || svc.Active || !bot.Active {
		t.Fatalf("added %+v %+v", svc, bot)
	}
	for i, u := range seeded {
		if want := "seed-000" + string(rune('1'+i)); u.Name != want || !u.Active || !strings.HasPrefix(u.ID, "service_") {
			t.Fatalf("seeded[%d] = %+v", i, u)
		}
	}
	users := c.s.Users()
	wantOrder := []string{bot.ID, svc.ID, seeded[2].ID, seeded[1].ID, seeded[0].ID}
	if len(users) != len(wantOrder) {
		t.Fatalf("Users = %+v", users)
	}
	for i, id := range wantOrder {
		if users[i].ID != id {
			t.Fatalf("Users[%d] = %s, want %s", i, users[i].ID, id)
		}
	}

	if err := c.s.Rename(svc.ID, "drifted"); err != nil {
		t.Fatal(err)
	}
	if err := c.s.SetActive(svc.ID, true); err != nil {
		t.Fatal(err)
	}
	got := c.do("GET", "/service_users/"+svc.ID, "").obj(t)
	if got["name"] != "drifted" || got["active"] != true {
		t.Fatalf("drift not visible: %v", got)
	}
	if u, ok := c.s.GetUser(svc.ID); !ok || u.Name != "drifted" || !u.CreatedAt.Equal(time.Date(2025, 9, 4, 10, 11, 43, 0, time.UTC)) {
		t.Fatalf("GetUser = %+v %v", u, ok)
	}
	if err := c.s.DeleteUser(svc.ID); err != nil {
		t.Fatal(err)
	}
	c.do("GET", "/service_users/"+svc.ID, "").wantError(t, 404, "", "")
	for _, err := range []error{c.s.DeleteUser(svc.ID), c.s.Rename(svc.ID, "x"), c.s.SetActive("nope", true)} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	}
	if _, ok := c.s.GetUser(svc.ID); ok {
		t.Fatal("GetUser after delete")
	}
	if c.s.TotalRequests() != 2 {
		t.Fatalf("hooks were counted: %d", c.s.TotalRequests())
	}
}

func TestHooksConcurrentWithRequests(t *testing.T) {
	c := newTest(t, Options{Latency: time.Millisecond})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 50 {
			u := c.s.AddUser("h", true)
			_ = c.s.Rename(u.ID, "r")
			if i%2 == 0 {
				_ = c.s.DeleteUser(u.ID)
			}
			c.s.Users()
			c.s.SetLatency(time.Millisecond, time.Millisecond)
			c.s.AddFault(Fault{Kind: FaultLatency, Times: 1})
		}
	}()
	for range 30 {
		c.do("POST", "/service_users", `{"name":"api"}`)
		c.do("GET", "/service_users?filter="+url.QueryEscape(`obj.active`), "")
	}
	<-done
	if n := len(c.s.Users()); n != 25+30 {
		t.Fatalf("%d users", n)
	}
}

func TestOversizedBody(t *testing.T) {
	c := newTest(t, Options{})
	big := `{"name":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	c.do("POST", "/service_users", big).wantError(t, 400, "ERR_NGROK_212", "request body")
	if len(c.s.Users()) != 0 {
		t.Fatal("stored")
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

// With separate collections, each prefix serves and lists only its own users.
func TestSeparateCollections(t *testing.T) {
	s := New(Options{APIKey: "k", SeparateCollections: true})
	svc := s.AddUser("svc", true)
	bot := s.AddBotUser("bot", true)
	h := httptest.NewServer(s)
	defer h.Close()
	do := func(method, path string) int {
		req, _ := http.NewRequest(method, h.URL+path, nil)
		req.Header.Set("Authorization", "Bearer k")
		req.Header.Set("Ngrok-Version", "2")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	for path, want := range map[string]int{
		"/service_users/" + svc.ID: 200, "/service_users/" + bot.ID: 404,
		"/bot_users/" + bot.ID: 200, "/bot_users/" + svc.ID: 404,
	} {
		if got := do("GET", path); got != want {
			t.Errorf("GET %s = %d, want %d", path, got, want)
		}
	}
	if got := do("DELETE", "/service_users/"+bot.ID); got != 404 {
		t.Errorf("DELETE of a bot user via /service_users = %d, want 404", got)
	}
	req, _ := http.NewRequest("GET", h.URL+"/service_users", nil)
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set("Ngrok-Version", "2")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var page struct {
		ServiceUsers []apiUser `json:"service_users"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	if len(page.ServiceUsers) != 1 || page.ServiceUsers[0].ID != svc.ID {
		t.Errorf("/service_users lists %+v, want only %s", page.ServiceUsers, svc.ID)
	}
}
