package ngrok_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

func TestClient_RetriesIdempotentRequests(t *testing.T) {
	srv := startEmulator(t)
	u := srv.AddUser("x", true)
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	for _, f := range []emulator.Fault{
		{Kind: emulator.FaultStatus, Status: 503, Times: 3},
		{Kind: emulator.FaultStatus, Status: 500, Times: 2},
		{Kind: emulator.FaultRateLimit, Times: 4},
		{Kind: emulator.FaultDropBeforeProcess, Times: 2},
		{Kind: emulator.FaultDropAfterProcess, Times: 2},
	} {
		srv.ResetCounts()
		f.Method, f.Route = "GET", "/service_users/{id}"
		srv.AddFault(f)
		got, err := users.Get(t.Context(), u.ID)
		if err != nil || got.ID != u.ID {
			t.Fatalf("%v×%d: %v", f.Kind, f.Times, err)
		}
		if n := srv.TotalRequests(); n != f.Times+1 {
			t.Errorf("%v×%d: %d requests, want %d", f.Kind, f.Times, n, f.Times+1)
		}
	}

	// 501 means the API will never do it: not retried.
	srv.ResetCounts()
	srv.AddFault(emulator.Fault{Method: "DELETE", Kind: emulator.FaultStatus, Status: 501, Times: 1})
	if err := users.Delete(t.Context(), u.ID); err == nil {
		t.Fatal("a 501 succeeded")
	}
	if n := srv.TotalRequests(); n != 1 {
		t.Errorf("501: %d requests, want 1", n)
	}
}

func TestClient_GivesUpAfterMaxRetries(t *testing.T) {
	srv := startEmulator(t)
	u := srv.AddUser("x", true)
	users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.MaxRetries = 2 }).Users(ngrok.ServiceUsers)
	srv.AddFault(emulator.Fault{Kind: emulator.FaultStatus, Status: 503})
	_, err := users.Get(t.Context(), u.ID)
	var apiErr *ngrok.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v, want the last 503", err)
	}
	if n := srv.TotalRequests(); n != 3 {
		t.Errorf("%d requests, want 1 + 2 retries", n)
	}
}

func TestClient_RetriesStopAtTheDeadline(t *testing.T) {
	srv := startEmulator(t)
	u := srv.AddUser("x", true)
	users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) {
		c.MaxRetries = 100
		c.RetryWaitMin, c.RetryWaitMax = 20*time.Millisecond, 20*time.Millisecond
	}).Users(ngrok.ServiceUsers)
	srv.AddFault(emulator.Fault{Kind: emulator.FaultStatus, Status: 503})
	ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
	defer cancel()
	_, err := users.Get(ctx, u.ID)
	if err == nil {
		t.Fatal("succeeded against a permanent 503")
	}
	if n := srv.TotalRequests(); n >= 100 {
		t.Errorf("%d requests: retries ignored the deadline", n)
	}
}

// Without the pacer the same load hits the limit, and retries still get every
// request through: a 429 never surfaces as an error.
func TestClient_RateLimitedRequestsAreRetried(t *testing.T) {
	// The emulator's clock moves 5ms each time it is read (by the rate check
	// and by a create), so the first 11 requests fall within 21 reads, well
	// inside the window however slowly they come, and the eleventh is
	// refused; later, each retry moves the window on. The outcome depends on
	// counts alone.
	var ticks atomic.Int64
	start := time.Now()
	srv := startEmulator(t, func(o *emulator.Options) {
		o.Now = func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * 5 * time.Millisecond) }
		o.RateLimit, o.RateWindow = 10, 200*time.Millisecond
	})
	users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) {
		c.MaxRetries = 50
		c.RetryWaitMin, c.RetryWaitMax = 10*time.Millisecond, 100*time.Millisecond
	}).Users(ngrok.ServiceUsers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []error
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := users.Create(t.Context(), ngrok.UserCreate{Name: fmt.Sprint("u", i)}); err != nil {
				mu.Lock()
				failures = append(failures, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d creates failed, e.g. %v", len(failures), failures[0])
	}
	if srv.RateLimited() == 0 {
		t.Error("the test never hit the rate limit, so it proves nothing")
	}
	if n := len(srv.Users()); n != 40 {
		t.Errorf("%d users, want exactly 40", n)
	}
}

// TLS verification is never relaxed, and a certificate it refuses is not
// retried: the same certificate would be refused again.
func TestClient_RefusesAnUntrustedCertificate(t *testing.T) {
	var requests int
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests++ }))
	defer api.Close()
	_, err := newClient(t, api.URL, "k").Users(ngrok.ServiceUsers).Get(t.Context(), "service_1")
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v, want a certificate error", err)
	}
	if requests != 0 {
		t.Errorf("the server saw %d requests", requests)
	}
}
