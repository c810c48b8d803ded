package ngrok

import (
	"testing"
	"time"
)

func TestPacer_WindowIsNeverExceeded(t *testing.T) {
	for _, tc := range []struct {
		limit  int
		window time.Duration
	}{{120, time.Minute}, {20, time.Second}, {2, time.Minute}, {7, time.Minute}, {100000, time.Minute}} {
		// A limit of 1 cannot be kept by a token bucket (it needs a burst of 1 plus
		// a rate above zero); the 429 back-off covers that corner.
		p := NewPacer(tc.limit, tc.window)
		// Burst plus a full window at the steady rate must fit the limit.
		admitted := float64(p.burst) + p.Limit()*tc.window.Seconds()
		if admitted > float64(tc.limit)+1e-9 {
			t.Errorf("%d per %s: admits %.2f in a window", tc.limit, tc.window, admitted)
		}
		if admitted < 0.9*float64(tc.limit) && tc.limit > 10 {
			t.Errorf("%d per %s: admits only %.2f in a window, wasting the limit", tc.limit, tc.window, admitted)
		}
	}
}

func TestPacer_BacksOffAndRecovers(t *testing.T) {
	p := NewPacer(120, time.Minute)
	clock := time.Unix(0, 0)
	p.now = func() time.Time { return clock }
	full := p.Limit()
	p.throttled()
	if got := p.Limit(); got != full/2 {
		t.Fatalf("after a 429 the rate is %.3f/s, want half of %.3f", got, full)
	}
	for range 100 {
		p.throttled()
	}
	if got := p.Limit(); got != full/8 {
		t.Fatalf("after many 429s the rate is %.4f/s, want an eighth of %.4f", got, full)
	}
	// Successes right after a 429 do not speed it up.
	for range 50 {
		p.succeeded()
	}
	if got := p.Limit(); got != full/8 {
		t.Fatalf("successes within the recovery time raised the rate to %.4f/s", got)
	}
	// Each tenth of a window of calm doubles it: three to get back.
	for i := range 3 {
		clock = clock.Add(6 * time.Second)
		p.succeeded()
		if want := full / 8 * float64(int(2)<<i); p.Limit() != min(want, full) {
			t.Fatalf("after %d calm periods the rate is %.4f/s, want %.4f", i+1, p.Limit(), want)
		}
	}
	if p.Limit() != full || p.limiter.Burst() != p.burst {
		t.Errorf("recovered to %.3f/s burst %d, want %.3f/s burst %d", p.Limit(), p.limiter.Burst(), full, p.burst)
	}
}

func TestSharedPacer_OnePerAccount(t *testing.T) {
	a := SharedPacer("https://api.ngrok.com", "k1", 120, time.Minute)
	if SharedPacer("https://api.ngrok.com", "k1", 120, time.Minute) != a {
		t.Error("the same account got two pacers")
	}
	if SharedPacer("https://api.ngrok.com", "k2", 120, time.Minute) == a {
		t.Error("two accounts share a pacer")
	}
}
