package emulator

import (
	"sync"
	"time"
)

// SteadyClock is a clock for Options.Now that stays where it is until it is
// moved on. ngrok stamps created_at and Date to the second; on a real clock a
// second may tick between any two requests, now and then, and a test of what
// a client makes of those stamps would pass or fail by chance. On this clock
// every tick is one the test made.
type SteadyClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewSteadyClock returns a clock half-way through the current second.
func NewSteadyClock() *SteadyClock {
	return &SteadyClock{t: time.Now().Truncate(time.Second).Add(500 * time.Millisecond)}
}

// Now is the clock's time.
func (c *SteadyClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *SteadyClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
