package emulator

import (
	"testing"
	"time"
)

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

func TestLatencyOnCredentialRoutes(t *testing.T) {
	c := newTest(t, Options{})
	c.s.SetLatency(10*time.Second, 0)
	c.hc.Timeout = 100 * time.Millisecond
	if _, err := c.try("POST", "/api_keys", `{}`); err == nil {
		t.Fatal("want a client timeout")
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(c.s.Credentials("api_keys")); n != 0 {
		t.Fatal("a cancelled request was processed")
	}
}
