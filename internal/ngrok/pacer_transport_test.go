package ngrok

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
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

	err = roundTrip(t.Context(), hang.URL)
	if !errors.Is(err, errAttemptTimeout) {
		t.Errorf("a server that hangs past the attempt timeout: err = %v, want %q", err, errAttemptTimeout)
	}
	if n := strings.Count(err.Error(), errAttemptTimeout.Error()); n != 1 {
		t.Errorf("the label appears %d times in %q", n, err)
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

// recordingLogger keeps the client's log lines.
type recordingLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *recordingLogger) add(level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprint(level, " ", msg, " ", fields))
}

func (l *recordingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.add("DEBUG", msg, fields)
}

func (l *recordingLogger) Warn(_ context.Context, msg string, fields map[string]any) {
	l.add("WARN", msg, fields)
}

func (l *recordingLogger) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, substr) {
			n++
		}
	}
	return n
}

func rateLimitedEmulator(t *testing.T, times int) (*emulator.Server, emulator.User) {
	t.Helper()
	srv := emulator.New(emulator.Options{})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	u := srv.AddUser("x", true)
	srv.AddFault(emulator.Fault{Method: "GET", Kind: emulator.FaultRateLimit, Times: times})
	return srv, u
}

// A 429 for the rate limit is waited out, however many come, without
// spending the retries, which are for failures: it never becomes an error
// while the operation has time.
func TestPacedTransport_WaitsOutTheRateLimitBeyondMaxRetries(t *testing.T) {
	srv, u := rateLimitedEmulator(t, 5)
	log := &recordingLogger{}
	c, err := New(Config{BaseURL: srv.URL(), APIKey: srv.APIKey(), MaxRetries: -1, Logger: log,
		Pacer: NewPacer(10, 20*time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Users(ServiceUsers).Get(t.Context(), u.ID)
	if err != nil || got.ID != u.ID {
		t.Fatalf("Get after 5 × 429 with no retries allowed: %v", err)
	}
	if n := srv.TotalRequests(); n != 6 {
		t.Errorf("%d requests, want 6", n)
	}
	if n := log.count("WARN ngrok API rate limit reached"); n != 5 {
		t.Errorf("%d warnings for 5 × 429:\n%s", n, strings.Join(log.lines, "\n"))
	}
}

// When the operation's time runs out waiting for the window, the error says
// that it was the rate limit.
func TestPacedTransport_RateLimitPastTheDeadline(t *testing.T) {
	srv, u := rateLimitedEmulator(t, 0)
	c, err := New(Config{BaseURL: srv.URL(), APIKey: srv.APIKey(), Pacer: NewPacer(10, time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err = c.Users(ServiceUsers).Get(ctx, u.ID)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "ERR_NGROK_226") {
		t.Errorf("err = %v, want the deadline, naming the rate limit", err)
	}
	if n := srv.TotalRequests(); n != 1 {
		t.Errorf("%d requests: the 429 did not make the pacer wait", n)
	}
}

// The limit on simultaneous requests (429 ERR_NGROK_225) says nothing of
// the window: it is retried by the retry policy, and the pacer learns
// nothing from it.
func TestPacedTransport_TooManySimultaneousIsNotTheWindow(t *testing.T) {
	var calls atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error_code":"ERR_NGROK_225","status_code":429,"msg":"Your account is limited to 10 simultaneous API requests."}`)
	}))
	defer ts.Close()
	p, _ := testPacer(10, time.Hour)
	c, err := New(Config{BaseURL: ts.URL, APIKey: "key", MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond, Pacer: p})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users(ServiceUsers).Get(t.Context(), "service_1")
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests {
		t.Errorf("err = %v, want the 429", err)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("%d requests, want 1 + 2 retries", n)
	}
	_ = p.store.update(t.Context(), func(w *window) {
		if w.others != 0 || len(w.slots) != 3 {
			t.Errorf("the window is %+v: learned from a 225, or lost a slot", *w)
		}
	})
}

// A pacer that could not keep its window in a file says so once, at DEBUG.
func TestPacedTransport_ReportsTheFallback(t *testing.T) {
	srv := emulator.New(emulator.Options{})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	log := &recordingLogger{}
	c, err := New(Config{BaseURL: srv.URL(), APIKey: srv.APIKey(), Logger: log,
		Pacer: SharedPacer(t.Context(), srv.URL(), srv.APIKey(), 100, time.Minute, notADir)})
	if err != nil {
		t.Fatal(err)
	}
	u := srv.AddUser("x", true)
	for range 3 {
		if _, err := c.Users(ServiceUsers).Get(t.Context(), u.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n := log.count("DEBUG pacing requests in this process alone"); n != 1 {
		t.Errorf("%d notices of the fallback, want 1:\n%s", n, strings.Join(log.lines, "\n"))
	}
	if log.count(notADir) != 1 || log.count(srv.APIKey()) != 0 {
		t.Errorf("the notice should name the directory and not the key:\n%s", strings.Join(log.lines, "\n"))
	}
}
