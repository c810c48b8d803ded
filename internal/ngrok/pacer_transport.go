package ngrok

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// pacedTransport takes a slot in the account's window before every attempt,
// retries included, then bounds the attempt itself, and gives the slot back
// when the reply comes. A 429 for the rate limit is waited out here, for as
// long as the caller's context lasts: the pacer learns from it when the
// window frees, so retrying is never wasted and never counts against the
// retry budget, which is for failures.
type pacedTransport struct {
	next           http.RoundTripper
	pacer          *Pacer
	attemptTimeout time.Duration
	log            Logger
	// observe learns the API's clock from a reply's Date header, with the
	// local times its attempt was sent and answered (see serverClock).
	observe func(date string, sent, received time.Time)
	// fallbackOnce reports, once, that the shared window could not be used.
	fallbackOnce sync.Once
}

// maxRateLimitedBody caps what is kept of a 429's body, to tell the rate
// limit from the limit on simultaneous requests.
const maxRateLimitedBody = 64 << 10

func (t *pacedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	state := sendStateOf(r.Context())
	for attempt := 0; ; attempt++ {
		req := r
		if attempt > 0 {
			req = r.Clone(r.Context())
			if r.GetBody != nil {
				body, err := r.GetBody()
				if err != nil {
					return nil, err
				}
				req.Body = body
			}
		}
		state.wait(waitingForBudget)
		slot, err := t.pacer.Acquire(r.Context())
		if err != nil {
			if attempt > 0 {
				err = fmt.Errorf("%w: %w", err, errRateLimitWait)
			}
			return nil, err
		}
		t.reportFallback(r.Context())
		sent := state.sending()
		resp, err := t.attempt(req)
		if err == nil && t.observe != nil {
			t.observe(resp.Header.Get("Date"), sent, time.Now())
		}
		// A refused connection never reached the API, and a 429 is turned
		// away before it acts; anything else may have been acted on.
		turnedAway := (err != nil && isDialError(err)) || (err == nil && resp.StatusCode == http.StatusTooManyRequests)
		if !turnedAway {
			state.reached(sent)
		}
		if err != nil || resp.StatusCode != http.StatusTooManyRequests || slot == nil {
			slot.Release()
			return resp, err
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxRateLimitedBody))
		_ = resp.Body.Close()
		if err != nil {
			slot.Release()
			return nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		// Too many simultaneous requests says nothing of the window: the
		// retry policy backs off from it.
		if bytes.Contains(body, []byte("ERR_NGROK_225")) {
			slot.Release()
			return resp, nil
		}
		slot.RateLimited()
		t.log.Warn(r.Context(), "ngrok API rate limit reached (other clients share the account); waiting for the window to free", map[string]any{
			"method":  r.Method,
			"path":    r.URL.Path,
			"attempt": attempt + 1,
		})
	}
}

func (t *pacedTransport) reportFallback(ctx context.Context) {
	reason := t.pacer.Fallback()
	if reason == "" {
		return
	}
	t.fallbackOnce.Do(func() {
		t.log.Debug(ctx, "pacing requests in this process alone", map[string]any{"reason": reason})
	})
}

// attempt sends one request, bounded by the attempt timeout.
func (t *pacedTransport) attempt(r *http.Request) (*http.Response, error) {
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
	return resp, nil
}

var (
	errAttemptTimeout = errors.New("no reply within the attempt timeout")
	// errRateLimitWait says an operation ended waiting out a 429.
	errRateLimitWait = errors.New("the API kept answering 429 ERR_NGROK_226 (the account's rate limit, used by other clients too) until the operation's time was up")
)

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
