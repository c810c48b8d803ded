package ngrok

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// neverAnsweredAttempts bounds the attempts of a request whose connection is
// refused while the API has never answered this client. A wrong api_base_url
// (a port nothing listens on) stays wrong; retrying it for minutes only hides
// the mistake. Once the API has answered, a refused connection is a
// restarting proxy, and the usual retries apply.
const neverAnsweredAttempts = 3

// contact is what a client has learned from its first exchanges with the
// API, which every later request relies on: whether the API answers at all,
// and whether it takes the key. Until the first reply, requests go one at a
// time, so that a wrong key or URL costs one request (and one full
// explanation), not one per resource.
type contact struct {
	mu       sync.Mutex
	answered bool             // some reply came back that did not refuse the key
	refused  *KeyRefusedError // the first refusal of the key: it is final
	lost     *UnreachableError
	probe    chan struct{} // closed when the request in flight settles; nil if none
}

// enter waits until a request may be sent: at once once the API has
// answered, otherwise when no other request is probing it. It fails fast,
// without a request, once the key was refused or the API proved unreachable.
// When probing is true, the caller must report its outcome to settle.
func (k *contact) enter(ctx context.Context, method, path string) (probing bool, err error) {
	for {
		k.mu.Lock()
		switch {
		case k.refused != nil:
			first := k.refused
			k.mu.Unlock()
			return false, &KeyRefusedError{Method: method, Path: path, Source: first.Source, Err: first.Err, Earlier: first}
		case k.lost != nil:
			first := k.lost
			k.mu.Unlock()
			return false, &UnreachableError{Method: method, Path: path, BaseURL: first.BaseURL, Source: first.Source, Err: first.Err, Earlier: first}
		case k.answered:
			k.mu.Unlock()
			return false, nil
		case k.probe == nil:
			k.probe = make(chan struct{})
			k.mu.Unlock()
			return true, nil
		}
		probe := k.probe
		k.mu.Unlock()
		select {
		case <-probe:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
}

// settle records what the probing request learned, and lets the others go.
// A request that ended without a verdict (its context ended, its connection
// dropped) teaches nothing: the next waiter probes in its turn.
func (k *contact) settle(err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var refused *KeyRefusedError
	var lost *UnreachableError
	var apiErr *Error
	switch {
	case errors.As(err, &refused):
		k.refused = refused
	case errors.As(err, &lost):
		k.lost = lost
	case err == nil || errors.As(err, &apiErr):
		k.answered = true
	}
	close(k.probe)
	k.probe = nil
}

// doURL sends one request through the client's contact with the API: see
// contact. send does the work.
func (c *Client) doURL(ctx context.Context, method string, target *url.URL, body any) (reply, error) {
	path := c.displayPath(target)
	probing, err := c.contact.enter(ctx, method, path)
	if err != nil {
		if ctx.Err() != nil {
			return reply{}, &TransportError{Method: method, Path: path, Err: err, Ended: ctx.Err(), Waiting: waitingForContact}
		}
		return reply{}, err
	}
	if !probing {
		return c.send(ctx, method, target, path, body)
	}
	attempts := new(int)
	r, err := c.send(context.WithValue(ctx, dialAttemptsKey{}, attempts), method, target, path, body)
	var apiErr *Error
	var transportErr *TransportError
	switch {
	case errors.As(err, &apiErr) && !apiErr.Malformed && apiErr.StatusCode == http.StatusUnauthorized:
		err = &KeyRefusedError{Method: method, Path: path, Source: c.keySource, Err: apiErr}
	case errors.As(err, &transportErr) && !transportErr.Sent && ctx.Err() == nil:
		err = &UnreachableError{Method: method, Path: path, BaseURL: c.base.String(), Source: c.baseURLSource, Attempts: *attempts, Err: transportErr}
	}
	c.contact.settle(err)
	return r, err
}

// displayPath is the API path of target, as errors show it.
func (c *Client) displayPath(target *url.URL) string {
	return strings.TrimPrefix(target.Path, c.base.Path)
}

// dialAttemptsKey carries a counter of a probing request's failed
// connections, so that checkRetry can stop after neverAnsweredAttempts.
type dialAttemptsKey struct{}

// checkRetry is checkRetry, but a refused connection is retried only a few
// times while the API has never answered this client: only the request
// probing the API then carries a counter.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, checkErr := checkRetry(ctx, resp, err)
	attempts, probing := ctx.Value(dialAttemptsKey{}).(*int)
	if !probing || err == nil || !isDialError(err) {
		return retry, checkErr
	}
	*attempts++
	return retry && *attempts < neverAnsweredAttempts, checkErr
}

// KeyRefusedError is the API refusing the API key (HTTP 401). A key refused
// once is refused for the rest of the client's life, so only the first
// request to meet the refusal is sent: every later one fails at once, with
// Earlier pointing at the first, so that a run with many resources explains
// the refusal once.
type KeyRefusedError struct {
	Method, Path string
	// Source says where the key came from (e.g. "api_key"); "" if unknown.
	Source string
	// Err is the API's refusal.
	Err *Error
	// Earlier is the error of the request that met the refusal, when this
	// request was not sent because of it.
	Earlier *KeyRefusedError
}

func (e *KeyRefusedError) Error() string {
	if e.Earlier != nil {
		return fmt.Sprintf("%s %s: not sent: the API key%s was refused by the API earlier in this run (%s %s)",
			e.Method, e.Path, fromSource(e.Source), e.Earlier.Method, e.Earlier.Path)
	}
	return fmt.Sprintf("the API key%s was refused: %s", fromSource(e.Source), e.Err)
}

func (e *KeyRefusedError) Unwrap() error { return e.Err }

// UnreachableError is a request that could not connect to an API that has
// never answered this client: the base URL is likely wrong. As with
// KeyRefusedError, later requests fail at once with Earlier set.
type UnreachableError struct {
	Method, Path string
	BaseURL      string
	// Source says where the base URL came from (e.g. "api_base_url"); "" if unknown.
	Source string
	// Attempts is how many connections were tried.
	Attempts int
	// Err is the last attempt's failure.
	Err *TransportError
	// Earlier is the error of the request that found the API unreachable,
	// when this request was not sent because of it.
	Earlier *UnreachableError
}

func (e *UnreachableError) Error() string {
	if e.Earlier != nil {
		return fmt.Sprintf("%s %s: not sent: the API at %s%s could not be reached earlier in this run (%s %s)",
			e.Method, e.Path, e.BaseURL, fromSource(e.Source), e.Earlier.Method, e.Earlier.Path)
	}
	return fmt.Sprintf("%s %s: the API at %s%s has not answered once: %d attempts to connect failed, the last with: %v",
		e.Method, e.Path, e.BaseURL, fromSource(e.Source), e.Attempts, e.Err.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

func fromSource(source string) string {
	if source == "" {
		return ""
	}
	return " (from " + source + ")"
}
