package ngrok

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestCheckRetry(t *testing.T) {
	idem := context.WithValue(context.Background(), idempotentKey{}, true)
	post := context.Background()
	status := func(code int) *http.Response { return &http.Response{StatusCode: code, Header: http.Header{}} }
	refused := &url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}
	lost := &url.Error{Op: "Post", URL: "http://x", Err: io.EOF}
	badCert := &url.Error{Op: "Get", URL: "https://x", Err: x509.UnknownAuthorityError{}}
	timedOut := &url.Error{Op: "Get", URL: "http://x", Err: errAttemptTimeout}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		resp *http.Response
		err  error
		want bool
	}{
		{"GET 503", idem, status(503), nil, true},
		{"GET 500", idem, status(500), nil, true},
		{"GET 501", idem, status(501), nil, false},
		{"GET 429", idem, status(429), nil, true},
		{"GET 404", idem, status(404), nil, false},
		{"GET connection lost", idem, nil, lost, true},
		{"GET bad certificate", idem, nil, badCert, false},
		{"GET attempt timeout", idem, nil, timedOut, true},
		{"GET refused", idem, nil, refused, true},
		{"POST 429", post, status(429), nil, true},
		{"POST 503", post, status(503), nil, false},
		{"POST refused", post, nil, refused, true},
		{"POST connection lost", post, nil, lost, false},
		// The API may have acted on it: Create reconciles instead.
		{"POST attempt timeout", post, nil, timedOut, false},
		{"POST 201", post, status(201), nil, false},
	} {
		got, _ := checkRetry(tc.ctx, tc.resp, tc.err)
		if got != tc.want {
			t.Errorf("%s: retry = %t, want %t", tc.name, got, tc.want)
		}
	}
	cancelled, cancel := context.WithCancel(idem)
	cancel()
	if got, err := checkRetry(cancelled, status(503), nil); got || !errors.Is(err, context.Canceled) {
		t.Errorf("503 after the context ended: retry = %t, err = %v; want no retry, and the interruption", got, err)
	}
	// A reply the API sent before the context ended is the outcome.
	if got, err := checkRetry(cancelled, status(201), nil); got || err != nil {
		t.Errorf("201 after the context ended: retry = %t, err = %v; want the reply", got, err)
	}
}

func TestBackoff(t *testing.T) {
	withRetryAfter := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"3"}}}
	if got := backoff(time.Second, 30*time.Second, 0, withRetryAfter); got != 3*time.Second {
		t.Errorf("Retry-After: 3 gave %s", got)
	}
	if got := backoff(time.Second, 2*time.Second, 0, withRetryAfter); got != 2*time.Second {
		t.Errorf("Retry-After beyond the maximum gave %s, want the maximum", got)
	}
	for attempt := range 12 {
		ceiling := min(time.Second<<attempt, 30*time.Second)
		for range 50 {
			got := backoff(time.Second, 30*time.Second, attempt, nil)
			if got < ceiling/2 || got > ceiling {
				t.Fatalf("attempt %d: %s outside [%s, %s]", attempt, got, ceiling/2, ceiling)
			}
		}
	}
}
