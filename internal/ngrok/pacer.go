package ngrok

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacer spaces requests so that an account stays under its rate limit
// (ngrok: 120 requests in any rolling minute, then 429 with no Retry-After).
//
// A token bucket admits burst + rate×window requests in a window, so the
// steady rate is set to leave room for the burst: the rolling window is never
// exceeded by this process alone. When the API answers 429 anyway (another
// client on the account, or a limit set too high) the pacer halves its rate,
// down to an eighth of the configured one, and drops the burst; each tenth
// of a window without a 429 doubles it back. So a storm of 429s costs
// seconds, not minutes, and a limit set too high settles near what the
// account really allows.
type Pacer struct {
	mu      sync.Mutex
	limiter *rate.Limiter
	ceiling rate.Limit // the configured steady rate
	floor   rate.Limit
	burst   int
	// recovery is how long the rate must go without a 429 to double.
	recovery time.Duration
	calm     time.Time // when the rate last changed
	now      func() time.Time
}

// NewPacer returns a pacer for at most limit requests in any rolling window
// (ngrok: 120 a minute); a limit of zero or less means unpaced.
func NewPacer(limit int, window time.Duration) *Pacer {
	if limit <= 0 || window <= 0 {
		return &Pacer{limiter: rate.NewLimiter(rate.Inf, 1), ceiling: rate.Inf, floor: rate.Inf, burst: 1, now: time.Now}
	}
	// A small burst lets a plan of a few resources go at once; the steady
	// rate takes the burst back out of the window.
	burst := max(1, limit/20)
	steady := rate.Limit(float64(limit-burst) / window.Seconds())
	if limit <= burst {
		steady = rate.Limit(float64(limit) / (2 * window.Seconds()))
	}
	return &Pacer{
		limiter:  rate.NewLimiter(steady, burst),
		ceiling:  steady,
		floor:    steady / 8,
		burst:    burst,
		recovery: window / 10,
		now:      time.Now,
	}
}

// Wait blocks until a request may be sent, or ctx ends.
func (p *Pacer) Wait(r *http.Request) error { return p.limiter.Wait(r.Context()) }

// Limit is the current steady rate in requests per second.
func (p *Pacer) Limit() float64 { return float64(p.limiter.Limit()) }

// throttled slows the pacer after a 429.
func (p *Pacer) throttled() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ceiling == rate.Inf {
		return
	}
	p.limiter.SetLimit(max(p.limiter.Limit()/2, p.floor))
	p.limiter.SetBurst(1)
	p.calm = p.now()
}

// succeeded lets the pacer creep back toward its configured rate.
func (p *Pacer) succeeded() {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.limiter.Limit()
	if l >= p.ceiling || p.now().Sub(p.calm) < p.recovery {
		return
	}
	l = min(l*2, p.ceiling)
	p.limiter.SetLimit(l)
	p.calm = p.now()
	if l == p.ceiling {
		p.limiter.SetBurst(p.burst)
	}
}

var (
	sharedMu     sync.Mutex
	sharedPacers = map[[sha256.Size]byte]*Pacer{}
)

// SharedPacer returns the one pacer of this process for an account (an API
// key at a base URL), so that every resource and data source of a provider
// process — including aliased provider configurations — draws from one budget.
// Configurations asking for different rates get different pacers. The key is
// hashed, not kept.
func SharedPacer(baseURL, apiKey string, limit int, window time.Duration) *Pacer {
	id := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d\x00%s", baseURL, apiKey, limit, window))
	sharedMu.Lock()
	defer sharedMu.Unlock()
	p, ok := sharedPacers[id]
	if !ok {
		p = NewPacer(limit, window)
		sharedPacers[id] = p
	}
	return p
}

// pacedTransport waits for the pacer before every attempt, retries included,
// then bounds the attempt itself, and tells the pacer how the API answered.
type pacedTransport struct {
	next           http.RoundTripper
	pacer          *Pacer
	attemptTimeout time.Duration
}

func (t *pacedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := t.pacer.Wait(r); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeoutCause(r.Context(), t.attemptTimeout, errAttemptTimeout)
	resp, err := t.next.RoundTrip(r.WithContext(ctx))
	if err != nil {
		// Only this attempt's own timer makes errAttemptTimeout the cause: a
		// refused connection, or the caller's context ending, is reported as
		// what it is.
		timedOut := errors.Is(context.Cause(ctx), errAttemptTimeout) && r.Context().Err() == nil
		cancel()
		if timedOut && !errors.Is(err, errAttemptTimeout) {
			err = fmt.Errorf("%w: %w", errAttemptTimeout, err)
		}
		return nil, err
	}
	// The attempt lasts until its body has been read.
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	if resp.StatusCode == http.StatusTooManyRequests {
		t.pacer.throttled()
	} else {
		t.pacer.succeeded()
	}
	return resp, nil
}

var errAttemptTimeout = errors.New("no reply within the attempt timeout")

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
