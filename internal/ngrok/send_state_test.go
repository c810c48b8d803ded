package ngrok_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// A create still queued for the rate limit when its operation ends was never
// sent: it fails at once, saying what it waited for, and looks for nothing —
// in particular not for the user a sibling of the same name just made.
func TestCreate_NeverSentIsNotReconciled(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(context.Context) (context.Context, context.CancelFunc)
		want string
	}{
		{"out of time", func(ctx context.Context) (context.Context, context.CancelFunc) {
			return context.WithTimeout(ctx, 100*time.Millisecond)
		}, "POST /service_users: not sent: the operation ran out of time waiting for room in the account's rate limit"},
		{"interrupted", func(ctx context.Context) (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(ctx)
			time.AfterFunc(100*time.Millisecond, cancel)
			return ctx, cancel
		}, "POST /service_users: interrupted before it was sent, while waiting for room in the account's rate limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := steadyEmulator(t)
			// One request per 300 ms: the first create holds the window for
			// 300 ms after its reply, longer than the second may wait.
			users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.Pacer = ngrok.NewPacer(1, 300*time.Millisecond) }).Users(ngrok.ServiceUsers)
			if _, err := users.Create(t.Context(), ngrok.UserCreate{Name: "ci"}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := tc.end(t.Context())
			defer cancel()
			got, err := users.Create(ctx, ngrok.UserCreate{Name: "ci"})
			var te *ngrok.TransportError
			if !errors.As(err, &te) || te.Sent || err.Error() != tc.want {
				t.Fatalf("Create = %v, %v; want %q", got, err, tc.want)
			}
			counts := srv.RequestCounts()
			if counts["GET /service_users"] != 0 || counts["POST /service_users"] != 1 || len(srv.Users()) != 1 {
				t.Errorf("requests %v, %d users: want the first POST alone", counts, len(srv.Users()))
			}
		})
	}
}

// A create the API refuses with a 429, every time until its operation
// ends, was turned away unprocessed: it fails without looking for what it
// might have made (no list of users) and makes nothing. Unpaced, the last
// 429 is the error; paced, the window is learned full and waited for.
func TestCreate_RefusedWith429IsNotReconciled(t *testing.T) {
	for _, tc := range []struct {
		name   string
		pacer  *ngrok.Pacer
		status int // of the *ngrok.Error; 0 for a request not sent
	}{
		{"unpaced", ngrok.NewPacer(0, 0), 429},
		{"paced", ngrok.NewPacer(120, time.Minute), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := steadyEmulator(t)
			srv.AddFault(emulator.Fault{Method: "POST", Route: "/service_users", Kind: emulator.FaultRateLimit, Times: 1000})
			users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.Pacer = tc.pacer }).Users(ngrok.ServiceUsers)
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			got, err := users.Create(ctx, ngrok.UserCreate{Name: "ci"})
			var te *ngrok.TransportError
			var apiErr *ngrok.Error
			switch {
			case tc.status != 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != tc.status):
				t.Fatalf("Create = %v, %v; want the API's %d", got, err, tc.status)
			case tc.status == 0 && (!errors.As(err, &te) || te.Sent):
				t.Fatalf("Create = %v, %v; want a request not sent", got, err)
			}
			counts := srv.RequestCounts()
			if counts["POST /service_users"] == 0 || counts["GET /service_users"] != 0 || len(srv.Users()) != 0 {
				t.Errorf("requests %v, %d users: want POSTs refused, no look, no user", counts, len(srv.Users()))
			}
		})
	}
}

// A request queued behind the first contact with the API (which goes alone)
// says so when its operation ends.
func TestRequest_NeverSentWhileTheFirstContactIsOnItsWay(t *testing.T) {
	srv := startEmulator(t)
	srv.AddFault(emulator.Fault{Method: "GET", Route: "/service_users/{id}", Kind: emulator.FaultLatency, Delay: time.Second, Times: 1})
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	probing := make(chan struct{})
	go func() {
		close(probing)
		_, _ = users.Get(t.Context(), "service_1")
	}()
	<-probing
	for srv.RequestCounts()["GET /service_users/{id}"] == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := users.Create(ctx, ngrok.UserCreate{Name: "queued"})
	want := "POST /service_users: not sent: the operation ran out of time waiting for the API's first reply to another request"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v; want %q", err, want)
	}
	if n := srv.RequestCounts()["POST /service_users"]; n != 0 {
		t.Errorf("%d POSTs sent", n)
	}
}

// A request the operation cuts short after it left says so, and a write
// warns that the API may have acted on it (a read changes nothing). It is no
// network failure, and its message says nothing of one.
func TestRequest_InterruptedAfterItWasSent(t *testing.T) {
	for _, tc := range []struct {
		method string
		send   func(ctx context.Context, users *ngrok.Users, id string) error
		tail   string
	}{
		{"PATCH", func(ctx context.Context, users *ngrok.Users, id string) error {
			_, err := users.Update(ctx, id, ngrok.UserUpdate{Name: new("renamed")})
			return err
		}, ": the API may have acted on it"},
		{"GET", func(ctx context.Context, users *ngrok.Users, id string) error {
			_, err := users.Get(ctx, id)
			return err
		}, ""},
	} {
		t.Run(tc.method, func(t *testing.T) {
			srv := startEmulator(t)
			user := srv.AddUser("slow", true)
			srv.AddFault(emulator.Fault{Method: tc.method, Kind: emulator.FaultLatency, Delay: 5 * time.Second, Times: 1})
			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(100*time.Millisecond, cancel)
			err := tc.send(ctx, newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers), user.ID)
			var te *ngrok.TransportError
			if !errors.As(err, &te) || !te.Sent || !te.Interrupted() || !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v; want an interrupted request that was sent", err)
			}
			if want := tc.method + " /service_users/" + user.ID + ": interrupted after it was sent, before its reply" + tc.tail; err.Error() != want {
				t.Errorf("err = %q; want %q", err, want)
			}
			if strings.Contains(err.Error(), "no reply from the API") {
				t.Errorf("err = %q reads as a network failure", err)
			}
		})
	}
}
