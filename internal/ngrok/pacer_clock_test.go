package ngrok

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when a test moves it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers map[*fakeTimer]struct{}
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Unix(1_700_000_000, 0), timers: map[*fakeTimer]struct{}{}}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- c.now
		return t.ch, func() {}
	}
	c.timers[t] = struct{}{}
	return t.ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.timers, t)
	}
}

// sleep blocks until the clock has moved d on.
func (c *fakeClock) sleep(d time.Duration) {
	ch, _ := c.After(d)
	<-ch
}

func (c *fakeClock) waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// advance moves the clock to the earliest timer and fires every timer due.
func (c *fakeClock) advance() {
	c.mu.Lock()
	defer c.mu.Unlock()
	var next time.Time
	for t := range c.timers {
		if next.IsZero() || t.at.Before(next) {
			next = t.at
		}
	}
	if next.IsZero() {
		return
	}
	c.now = next
	for t := range c.timers {
		if !t.at.After(c.now) {
			t.ch <- c.now
			delete(c.timers, t)
		}
	}
}

// run starts n goroutines running f(i) on clk, and moves clk to its next
// timer whenever every one still running waits on it, until all are done.
// Time moves only when nothing can happen without it, so what the goroutines
// see depends on the order of events alone, never on the machine's speed.
func run(t *testing.T, clk *fakeClock, n int, f func(i int)) {
	t.Helper()
	var running atomic.Int64
	running.Store(int64(n))
	for i := range n {
		go func() {
			defer running.Add(-1)
			f(i)
		}()
	}
	guard := time.Now()
	quiet := 0
	for running.Load() > 0 {
		if int64(clk.waiters()) == running.Load() {
			// Twice in a row, with the others given the CPU in between: a
			// goroutine woken by a release has had time to stop its timer.
			if quiet++; quiet >= 2 {
				clk.advance()
				quiet = 0
			}
		} else {
			quiet = 0
		}
		runtime.Gosched()
		time.Sleep(20 * time.Microsecond)
		if time.Since(guard) > 2*time.Minute {
			t.Fatalf("stuck: %d goroutines running, %d waiting on the clock", running.Load(), clk.waiters())
		}
	}
}
