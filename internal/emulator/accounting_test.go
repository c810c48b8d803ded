package emulator

import "testing"

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
	got["GET /service_users"] = 99
	if n := c.s.RequestCounts()["GET /service_users"]; n != 2 {
		t.Errorf("after writing to the returned map, GET /service_users = %d, want 2: not a copy", n)
	}
	c.s.ResetCounts()
	if len(c.s.RequestCounts()) != 0 || c.s.TotalRequests() != 0 || c.s.RateLimited() != 0 {
		t.Fatal("ResetCounts left counts")
	}
}
