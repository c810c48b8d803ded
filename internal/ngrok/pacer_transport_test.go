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

	transport := &pacedTransport{next: cleanhttp.DefaultTransport(), pacer: NewPacer(0, 0), attemptTimeout: 200 * time.Millisecond, log: nopLogger{}}
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
