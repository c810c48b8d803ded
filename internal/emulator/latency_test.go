package emulator

import (
	"testing"
	"time"
)

// A client that gives up before the latency has passed is not waited for and
// not answered, and its request is not processed; one that waits long enough
// is answered.
func TestLatency(t *testing.T) {
	c := newTest(t, Options{})
	c.s.SetLatency(500*time.Millisecond, 50*time.Millisecond)
	c.abandon("POST", "/service_users", `{"name":"late"}`)
	if len(c.s.Users()) != 0 {
		t.Fatal("a cancelled request was processed")
	}
	if r := c.do("POST", "/service_users", `{"name":"patient"}`); r.status != 201 {
		t.Fatalf("a client that waits: %d %s", r.status, r.body)
	}
}

func TestLatencyOnCredentialRoutes(t *testing.T) {
	c := newTest(t, Options{})
	c.s.SetLatency(500*time.Millisecond, 0)
	c.abandon("POST", "/api_keys", `{}`)
	if n := len(c.s.Credentials("api_keys")); n != 0 {
		t.Fatal("a cancelled request was processed")
	}
}
