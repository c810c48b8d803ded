package ngrok

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-cleanhttp"
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

// An attempt is labelled as timed out only when its own timer fired: not
// when the connection was refused, and not when the caller's context ended.
func TestPacedTransport_AttemptTimeoutLabel(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer hang.Close()
	defer close(release)

	// An address that refuses connections: a listener closed at once.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + l.Addr().String()
	_ = l.Close()

	transport := &pacedTransport{next: cleanhttp.DefaultTransport(), pacer: NewPacer(0, 0), attemptTimeout: 200 * time.Millisecond}
	roundTrip := func(ctx context.Context, target string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := transport.RoundTrip(req)
		if err == nil {
			_ = resp.Body.Close()
			t.Fatalf("GET %s succeeded", target)
		}
		return err
	}

	if err := roundTrip(t.Context(), refused); errors.Is(err, errAttemptTimeout) || strings.Contains(err.Error(), errAttemptTimeout.Error()) {
		t.Errorf("a refused connection is labelled as an attempt timeout: %v", err)
	} else if !isDialError(err) {
		t.Errorf("a refused connection is not a dial error (%v), so a POST would not be retried", err)
	}

	start := time.Now()
	err = roundTrip(t.Context(), hang.URL)
	if !errors.Is(err, errAttemptTimeout) {
		t.Errorf("a server that hangs past the attempt timeout: err = %v, want %q", err, errAttemptTimeout)
	}
	if n := strings.Count(err.Error(), errAttemptTimeout.Error()); n != 1 {
		t.Errorf("the label appears %d times in %q", n, err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("the attempt took %s, far past its 200ms timeout", elapsed)
	}

	// The caller's own deadline, far shorter than the attempt timeout, so
	// that a loaded machine cannot make the attempt's timer fire first.
	transport.attemptTimeout = 10 * time.Second
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := roundTrip(ctx, hang.URL); errors.Is(err, errAttemptTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the caller's deadline: err = %v, want context.DeadlineExceeded without the attempt-timeout label", err)
	}

	// The caller cancelling.
	ctx, cancel = context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	if err := roundTrip(ctx, hang.URL); errors.Is(err, errAttemptTimeout) || !errors.Is(err, context.Canceled) {
		t.Errorf("the caller cancelling: err = %v, want context.Canceled without the attempt-timeout label", err)
	}
}
