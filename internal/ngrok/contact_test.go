package ngrok_test

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// refusingTransport refuses the connection of the attempts refuse says to
// (as a port nothing listens on does), sends the others on, and counts both.
type refusingTransport struct {
	next     http.RoundTripper
	refuse   func(attempt int) bool
	attempts atomic.Int32
}

func (t *refusingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if n := int(t.attempts.Add(1)); t.refuse(n) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	return t.next.RoundTrip(r)
}

// closedPort is a loopback URL on which nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_ = l.Close()
	return "http://" + l.Addr().String()
}

// An API that has never answered is given a few quick attempts, not the
// minutes of retries a restarting proxy gets: the URL is most likely wrong.
// The error names the URL and where it came from; each retry is logged at
// WARN; and every later request fails at once, without connecting.
func TestClient_NeverAnsweredStopsAfterAFewAttempts(t *testing.T) {
	base := closedPort(t)
	count := &refusingTransport{next: cleanhttp.DefaultTransport(), refuse: func(int) bool { return false }}
	logs := &logSink{}
	users := newClient(t, base, "k", func(c *ngrok.Config) {
		c.Transport, c.Logger = count, logs
		c.BaseURLSource = "the NGROK_API_BASE_URL environment variable"
	}).Users(ngrok.ServiceUsers)

	_, err := users.Get(t.Context(), "service_1")
	var lost *ngrok.UnreachableError
	if !errors.As(err, &lost) || lost.Earlier != nil {
		t.Fatalf("err = %v, want an UnreachableError of its own", err)
	}
	if n := count.attempts.Load(); n != 3 {
		t.Errorf("%d attempts, want 3 (the default of %d retries applies only once the API has answered)", n, ngrok.DefaultMaxRetries)
	}
	for _, want := range []string{base, "(from the NGROK_API_BASE_URL environment variable)", "3 attempts to connect failed", "connection refused"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if w := logs.warnings(); len(w) != 2 || !strings.Contains(w[0], "retrying") {
		t.Errorf("WARN lines %q, want one per retry (2)", w)
	}
	var transportErr *ngrok.TransportError
	if !errors.As(err, &transportErr) || transportErr.Sent {
		t.Errorf("err = %v, want it to unwrap to an unsent TransportError", err)
	}

	count.attempts.Store(0)
	_, err = users.Create(t.Context(), ngrok.UserCreate{Name: "ci"})
	if !errors.As(err, &lost) || lost.Earlier == nil || !strings.Contains(err.Error(), "GET /service_users/service_1") {
		t.Errorf("a later request: err = %v, want one pointing at the first", err)
	}
	if n := count.attempts.Load(); n != 0 {
		t.Errorf("a later request made %d attempts, want none", n)
	}
}

// Once the API has answered, a refused connection is a restart in progress
// and is retried as much as any other transient failure.
func TestClient_RefusedAfterAnAnswerIsRetried(t *testing.T) {
	srv := startEmulator(t)
	u := srv.AddUser("x", true)
	refusing := &refusingTransport{next: cleanhttp.DefaultTransport(), refuse: func(n int) bool { return n >= 2 && n <= 6 }}
	logs := &logSink{}
	users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.Transport, c.Logger = refusing, logs }).Users(ngrok.ServiceUsers)

	if _, err := users.Get(t.Context(), u.ID); err != nil {
		t.Fatal(err)
	}
	got, err := users.Get(t.Context(), u.ID)
	if err != nil || got.ID != u.ID {
		t.Fatalf("after 5 refused connections: %v, want the user", err)
	}
	if n := refusing.attempts.Load(); n != 7 {
		t.Errorf("%d attempts, want 1 + 1 + 5 retries", n)
	}
	if w := logs.warnings(); len(w) != 5 {
		t.Errorf("%d WARN lines, want one per retry (5): %q", len(w), w)
	}
}

// A wrong key is refused once: concurrent and later requests of the client
// are not sent, and their errors point at the one that was.
func TestClient_RefusedKeyIsAskedOnce(t *testing.T) {
	srv := startEmulator(t)
	users := newClient(t, srv.URL(), "not-the-key", func(c *ngrok.Config) { c.APIKeySource = "api_key" }).Users(ngrok.ServiceUsers)

	const n = 7
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = users.Get(t.Context(), "service_"+strings.Repeat("a", i+1)) })
	}
	wg.Wait()
	if got := srv.TotalRequests(); got != 1 {
		t.Errorf("%d requests reached the API, want 1", got)
	}
	first := 0
	for _, err := range errs {
		var refused *ngrok.KeyRefusedError
		if !errors.As(err, &refused) || !ngrok.IsUnauthorized(err) {
			t.Fatalf("err = %v, want a KeyRefusedError that is unauthorized", err)
		}
		if refused.Earlier == nil {
			first++
			if want := "the API key (from api_key) was refused: GET /service_users/"; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "ERR_NGROK_2") {
				t.Errorf("the first refusal %q does not say %q and the API's code", err, want)
			}
		} else if !strings.Contains(err.Error(), "not sent") {
			t.Errorf("a later refusal %q does not say it was not sent", err)
		}
	}
	if first != 1 {
		t.Errorf("%d requests met the refusal themselves, want 1", first)
	}
	if err := listError(t, users.List(t.Context(), ngrok.ListOptions{})); !ngrok.IsUnauthorized(err) {
		t.Errorf("a later list: err = %v, want the refusal", err)
	}
	if got := srv.TotalRequests(); got != 1 {
		t.Errorf("a later list sent a request: %d in all, want 1", got)
	}
}
