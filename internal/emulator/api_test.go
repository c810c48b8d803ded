package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

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
		"roles":      []any{},
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
		if !reflect.DeepEqual(got[k], v) {
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

func TestOversizedBody(t *testing.T) {
	c := newTest(t, Options{})
	big := `{"name":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	c.do("POST", "/service_users", big).wantError(t, 400, "ERR_NGROK_212", "request body")
	if len(c.s.Users()) != 0 {
		t.Fatal("stored")
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
