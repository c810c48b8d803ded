package ngrok

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

func testPacer(limit int, window time.Duration) (*Pacer, *fakeClock) {
	clk := newFakeClock()
	return newPacer(limit, window, &memStore{}, clk), clk
}

func acquire(t *testing.T, p *Pacer) *Slot {
	t.Helper()
	s, err := p.Acquire(context.Background())
	if err != nil {
		t.Error(err)
	}
	return s
}

// Up to the limit, requests go at once: not one waits.
func TestPacer_UpToTheLimitGoesAtOnce(t *testing.T) {
	p, clk := testPacer(120, time.Minute)
	start := clk.Now()
	// A context that has ended: Acquire may only succeed without waiting.
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range 120 {
		s, err := p.Acquire(ended)
		if err != nil {
			t.Fatalf("request %d of 120 had to wait: %v", i+1, err)
		}
		if i%2 == 0 {
			s.Release()
		}
	}
	if _, err := p.Acquire(ended); err == nil {
		t.Fatal("request 121 went within the same minute")
	}
	if !clk.Now().Equal(start) {
		t.Error("the clock moved")
	}
}

// N requests beyond the limit are admitted on the minimum schedule: request
// k (from 0) at floor(k/L) windows, so the last at T_min(N) =
// floor((N-1)/L) × W, however many wait at once.
func TestPacer_AdmitsOnTheMinimumSchedule(t *testing.T) {
	const limit, win = 120, time.Minute
	for _, n := range []int{1, 119, 120, 121, 240, 241, 500} {
		p, clk := testPacer(limit, win)
		start := clk.Now()
		var mu sync.Mutex
		var admitted []time.Duration
		run(t, clk, n, func(int) {
			s := acquire(t, p)
			mu.Lock()
			admitted = append(admitted, clk.Now().Sub(start))
			mu.Unlock()
			s.Release() // an instant API
		})
		slices.Sort(admitted)
		for k, at := range admitted {
			if want := time.Duration(k/limit) * win; at != want {
				t.Fatalf("N = %d: request %d admitted at %s, want %s", n, k, at, want)
			}
		}
		if last, tmin := admitted[n-1], time.Duration((n-1)/limit)*win; last != tmin {
			t.Errorf("N = %d: took %s, want T_min = %s", n, last, tmin)
		}
	}
}

// The API may count a request as late as its reply, so its slot frees one
// window after the reply, and never while it is in flight.
func TestPacer_HoldsASlotUntilAWindowAfterTheReply(t *testing.T) {
	const win = time.Minute
	p, clk := testPacer(2, win)
	start := clk.Now()
	var mu sync.Mutex
	admitted := map[int]time.Duration{}
	run(t, clk, 4, func(i int) {
		if i >= 2 {
			clk.sleep(time.Second) // after the first two have gone
		}
		s := acquire(t, p)
		mu.Lock()
		admitted[i] = clk.Now().Sub(start)
		mu.Unlock()
		switch i {
		case 0:
			clk.sleep(5 * time.Second)
		case 1:
			// In flight for three windows: its slot must stay taken.
			clk.sleep(3 * win)
		default:
			clk.sleep(10 * win) // holding theirs, so that each waits for one of the first two
		}
		s.Release()
	})
	// Request 0 replied at 5s, request 1 at 3 minutes.
	got := []time.Duration{admitted[2], admitted[3]}
	slices.Sort(got)
	if want := []time.Duration{5*time.Second + win, 3*win + win}; !slices.Equal(got, want) {
		t.Errorf("requests 3 and 4 admitted at %v, want %v", got, want)
	}
}

// A 429 shows the window full: what we do not hold, others do, for at most a
// window. The pacer waits for its own slots to free first, then for theirs.
func TestPacer_LearnsFromA429(t *testing.T) {
	const limit, win = 10, time.Minute
	p, clk := testPacer(limit, win)
	start := clk.Now()
	for range 3 {
		acquire(t, p).Release() // ours, until 60s
	}
	clk.mu.Lock()
	clk.now = clk.now.Add(time.Second)
	clk.mu.Unlock()
	acquire(t, p).RateLimited() // the other 7 are someone else's, until 61s
	var mu sync.Mutex
	var admitted []time.Duration
	run(t, clk, 4, func(int) {
		s := acquire(t, p)
		mu.Lock()
		admitted = append(admitted, clk.Now().Sub(start))
		mu.Unlock()
		s.Release()
	})
	slices.Sort(admitted)
	want := []time.Duration{win, win, win, win + time.Second}
	if !slices.Equal(admitted, want) {
		t.Errorf("admitted at %v, want %v", admitted, want)
	}
}

// Requests in flight together that all get a 429 cost one window in all,
// counted from the last of them, not a window each.
func TestPacer_AStormOf429sCostsOneWindow(t *testing.T) {
	const limit, win = 10, time.Minute
	p, clk := testPacer(limit, win)
	start := clk.Now()
	var mu sync.Mutex
	retried := map[int]time.Duration{}
	run(t, clk, limit, func(i int) {
		s := acquire(t, p)
		clk.sleep(time.Duration(i+1) * 100 * time.Millisecond)
		s.RateLimited()
		s = acquire(t, p)
		mu.Lock()
		retried[i] = clk.Now().Sub(start)
		mu.Unlock()
		s.Release()
	})
	lastRefusal := time.Duration(limit) * 100 * time.Millisecond
	for i, at := range retried {
		if at != lastRefusal+win {
			t.Errorf("request %d retried at %s, want %s: one window after the last 429", i, at, lastRefusal+win)
		}
	}
}

// Many goroutines, each sending requests with replies of random latency:
// whenever a request is admitted, fewer than L others hold a slot the API
// may still count (admitted before it, replied less than a window earlier),
// so no window W, wherever the API counts each request, ever holds more than
// L; and no window of admissions holds more than L.
func TestPacer_NeverOverrunsUnderConcurrency(t *testing.T) {
	const limit, win, goroutines, each = 7, 10 * time.Second, 25, 12
	p, clk := testPacer(limit, win)
	type request struct {
		order           int
		admitted, reply time.Time
	}
	var mu sync.Mutex
	var requests []*request
	run(t, clk, goroutines, func(i int) {
		rng := rand.New(rand.NewPCG(uint64(i), 1))
		for range each {
			s := acquire(t, p)
			mu.Lock()
			r := &request{order: len(requests), admitted: clk.Now()}
			requests = append(requests, r)
			mu.Unlock()
			clk.sleep(time.Duration(rng.IntN(40)) * 100 * time.Millisecond)
			mu.Lock()
			r.reply = clk.Now()
			mu.Unlock()
			s.Release()
		}
	})
	if len(requests) != goroutines*each {
		t.Fatalf("%d requests admitted, want %d", len(requests), goroutines*each)
	}
	for _, r := range requests {
		held := 0
		for _, o := range requests[:r.order] {
			if o.reply.Add(win).After(r.admitted) {
				held++
			}
		}
		if held >= limit {
			t.Fatalf("request %d admitted at %s while %d others could still be counted", r.order, r.admitted, held)
		}
	}
	times := make([]time.Time, len(requests))
	for i, r := range requests {
		times[i] = r.admitted
	}
	assertRollingBound(t, times, limit, win)
}

// assertRollingBound fails if any window [t, t+win) holds more than limit of
// times.
func assertRollingBound(t *testing.T, times []time.Time, limit int, win time.Duration) {
	t.Helper()
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	for i := 0; i+limit < len(times); i++ {
		if d := times[i+limit].Sub(times[i]); d < win {
			t.Fatalf("%d requests within %s (from %s), over the limit of %d per %s", limit+1, d, times[i].Format(time.StampMicro), limit, win)
		}
	}
}

func TestPacer_UnpacedNeverWaits(t *testing.T) {
	for _, p := range []*Pacer{NewPacer(0, time.Minute), NewPacer(10, 0)} {
		ended, cancel := context.WithCancel(context.Background())
		cancel()
		for range 1000 {
			s, err := p.Acquire(ended)
			if err != nil {
				t.Fatal(err)
			}
			s.Release()
			s.RateLimited()
		}
	}
}

func TestPacer_AcquireEndsWithTheContext(t *testing.T) {
	p, clk := testPacer(1, time.Minute)
	acquire(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := p.Acquire(ctx)
		done <- err
	}()
	for clk.waiters() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
