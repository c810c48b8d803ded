package emulator

import (
	"testing"
	"time"
)

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
