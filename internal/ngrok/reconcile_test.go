package ngrok_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// A POST is retried blindly only when the API certainly did not act on it;
// otherwise Create reconciles. Whatever happens, exactly one user exists.
func TestUsers_CreateNeverDuplicates(t *testing.T) {
	cases := []struct {
		name  string
		fault emulator.Fault
	}{
		{"rate limited", emulator.Fault{Kind: emulator.FaultRateLimit, Times: 3}},
		{"dropped before processing", emulator.Fault{Kind: emulator.FaultDropBeforeProcess, Times: 2}},
		{"reply lost after processing", emulator.Fault{Kind: emulator.FaultDropAfterProcess, Times: 1}},
		{"503 before processing", emulator.Fault{Kind: emulator.FaultStatus, Status: 503, Times: 2}},
		{"slow reply past the attempt timeout", emulator.Fault{Kind: emulator.FaultLatency, Delay: 300 * time.Millisecond, Times: 1}},
		// The API commits after the client gave up: the create must wait
		// for it, not resend.
		{"slow commit past the attempt timeout", emulator.Fault{Kind: emulator.FaultSlowCommit, Delay: 250 * time.Millisecond, Times: 1}},
		{"proxy error page", emulator.Fault{Kind: emulator.FaultHTML, Times: 2}},
		// A 2xx whose body is not a user: the user exists, so it is adopted.
		{"garbage reply", emulator.Fault{Kind: emulator.FaultGarbage, Times: 1}},
		{"truncated reply", emulator.Fault{Kind: emulator.FaultTruncated, Times: 1}},
		{"huge reply", emulator.Fault{Kind: emulator.FaultHuge, Times: 1}},
		{"wrong types", emulator.Fault{Kind: emulator.FaultWrongTypes, Times: 1}},
		{"missing id", emulator.Fault{Kind: emulator.FaultMissingID, Times: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := startEmulator(t)
			srv.AddUser("other", true)
			// An older user of the same name is not ours. "Older" is coarse:
			// created_at and Date have one-second resolution.
			srv.AddUser("ci", true)
			time.Sleep(2100 * time.Millisecond)
			users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.AttemptTimeout = 150 * time.Millisecond }).Users(ngrok.ServiceUsers)
			tc.fault.Method, tc.fault.Route = "POST", "/service_users"
			srv.AddFault(tc.fault)
			got, err := users.Create(t.Context(), ngrok.UserCreate{Name: "ci"})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := srv.GetUser(got.ID); !ok {
				t.Fatalf("Create returned %s, which does not exist", got.ID)
			}
			if total := len(srv.Users()); total != 3 {
				t.Errorf("%d users exist, want 3 (two before, one created)", total)
			}
			if srv.Users()[0].ID != got.ID {
				t.Errorf("Create returned %s, not the user it created (%s)", got.ID, srv.Users()[0].ID)
			}
		})
	}
}

func TestUsers_CreateDoesNotGuessBetweenCandidates(t *testing.T) {
	srv := startEmulator(t)
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	// Another process created "ci" at the same moment as our lost request.
	srv.AddUser("ci", true)
	srv.AddFault(emulator.Fault{Method: "POST", Kind: emulator.FaultDropAfterProcess, Times: 1})
	_, err := users.Create(t.Context(), ngrok.UserCreate{Name: "ci"})
	var amb *ngrok.AmbiguousCreateError
	if !errors.As(err, &amb) || len(amb.IDs) != 2 {
		t.Fatalf("err = %v, want an ambiguity naming both users", err)
	}
	if len(srv.Users()) != 2 {
		t.Errorf("%d users, want 2: Create must not add a third", len(srv.Users()))
	}
}

// A create whose reply does not arrive before the operation's deadline may
// still have created the user: Create looks for it in a short grace period
// rather than leave it orphaned.
func TestUsers_CreatePastTheDeadlineAdoptsTheUser(t *testing.T) {
	srv := startEmulator(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r) // the API acts…
			time.Sleep(time.Second)
			return // …and the reply never comes in time
		}
		srv.ServeHTTP(w, r)
	}))
	defer slow.Close()
	users := newClient(t, slow.URL, srv.APIKey()).Users(ngrok.ServiceUsers)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	got, err := users.Create(ctx, ngrok.UserCreate{Name: "late"})
	if err != nil {
		t.Fatalf("Create: %v (the user exists: %d users)", err, len(srv.Users()))
	}
	if all := srv.Users(); len(all) != 1 || all[0].ID != got.ID {
		t.Fatalf("Create returned %+v; the emulator holds %+v", got, all)
	}
}

// A create whose outcome stays unknown is sent again a bounded number of
// times of its own (three), not max_retries more times: with max_retries = 8
// and every reply a 503, four POSTs, then the error.
func TestUsersCreate_ResendsAreBoundedOnTheirOwn(t *testing.T) {
	srv := startEmulator(t)
	srv.AddFault(emulator.Fault{Method: "POST", Kind: emulator.FaultStatus, Status: 503, Times: 100})
	c := newClient(t, srv.URL(), srv.APIKey(), func(cfg *ngrok.Config) {
		cfg.MaxRetries = 8
		cfg.SettleTime = 20 * time.Millisecond
	})
	if _, err := c.Users(ngrok.ServiceUsers).Create(t.Context(), ngrok.UserCreate{Name: "never"}); err == nil {
		t.Fatal("a create answered 503 every time succeeded")
	}
	if n := srv.RequestCounts()["POST /service_users"]; n != 4 {
		t.Errorf("%d POSTs, want 4: the first and three resends", n)
	}
	if n := len(srv.Users()); n != 0 {
		t.Errorf("%d users exist, want 0", n)
	}
}
