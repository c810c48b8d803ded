package ngrok

import (
	"net/http"
	"testing"
	"time"
)

// Each reply bounds the API's clock; replies stamped either side of one of
// its ticks pin down the second a local time falls in.
func TestServerClock_RepliesNarrowTheBounds(t *testing.T) {
	var c serverClock
	local := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	// Before any reply: two minutes either way.
	if first, last := c.seconds(local); !first.Equal(local.Add(-2*time.Minute)) || !last.Equal(local.Add(2*time.Minute-time.Second)) {
		t.Errorf("no reply yet: %v .. %v", first, last)
	}
	date := func(t time.Time) string { return t.Format(http.TimeFormat) }
	// The API runs 0.3 s ahead. A reply sent at local 10:00:00.5 and back
	// at .6 is stamped 10:00:00: the offset lies in [-0.6 s, 0.5 s).
	c.observe(date(local), local.Add(500*time.Millisecond), local.Add(600*time.Millisecond))
	at := local.Add(800 * time.Millisecond) // API time 10:00:01.1
	if first, last := c.seconds(at); !first.Equal(local) || !last.Equal(local.Add(time.Second)) {
		t.Errorf("one reply: %v .. %v; want the second it is in, and the one before", first, last)
	}
	// A reply at local .75–.76 stamped 10:00:01 (API .05–.06): the offset
	// is at least 0.24 s, and local .8 is API 10:00:01 for certain.
	c.observe(date(local.Add(time.Second)), local.Add(750*time.Millisecond), local.Add(760*time.Millisecond))
	if first, last := c.seconds(at); !first.Equal(local.Add(time.Second)) || !last.Equal(first) {
		t.Errorf("two replies: %v .. %v; want 10:00:01 alone", first, last)
	}
	// A reply that contradicts the bounds (the API's clock was set back an
	// hour) starts them anew.
	c.observe(date(local.Add(-time.Hour)), local.Add(time.Second), local.Add(time.Second+10*time.Millisecond))
	if first, _ := c.seconds(at); first.After(local.Add(-time.Hour)) {
		t.Errorf("after a contradicting reply: first %v, want about an hour back", first)
	}
	// A Date that does not parse teaches nothing.
	lo, hi := c.lo, c.hi
	c.observe("yesterday", local, local)
	if c.lo != lo || c.hi != hi {
		t.Error("an unparsable Date moved the bounds")
	}
}
