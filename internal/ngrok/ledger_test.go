package ngrok_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// steadyEmulator serves an emulator on a clock of the test's own, so that
// what was created "in the same second" is never left to chance.
func steadyEmulator(t *testing.T) (*emulator.Server, *emulator.SteadyClock) {
	t.Helper()
	clk := emulator.NewSteadyClock()
	return startEmulator(t, func(o *emulator.Options) { o.Now = clk.Now }), clk
}

// Siblings alike, made by one process a moment apart (count = 2): the one a
// create already holds is never the other's candidate. A 503 (the API did
// not act) on the second user's create, then a resend, makes a second user;
// it never takes the first's.
func TestCreate_ASiblingsUserIsNotACandidate(t *testing.T) {
	srv, _ := steadyEmulator(t)
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	first, err := users.Create(t.Context(), ngrok.UserCreate{Name: "worker"})
	if err != nil {
		t.Fatal(err)
	}
	srv.AddFault(emulator.Fault{Method: "POST", Route: "/service_users", Kind: emulator.FaultStatus, Status: 503, Times: 1})
	second, err := users.Create(t.Context(), ngrok.UserCreate{Name: "worker"})
	if err != nil {
		t.Fatal(err)
	}
	if second.ID == first.ID || len(srv.Users()) != 2 {
		t.Fatalf("the second create returned %s (the first is %s); %d users exist, want 2", second.ID, first.ID, len(srv.Users()))
	}
}

// Two API keys of one owner with one description: the second create's reply
// is lost. The key it made is revoked and made again; the first key, whose
// token its resource holds, is untouched.
func TestCreate_ASiblingsKeyIsNeverRevoked(t *testing.T) {
	srv, _ := steadyEmulator(t)
	keys := newClient(t, srv.URL(), srv.APIKey()).Credentials(ngrok.APIKeys)
	in := createFor(ngrok.APIKeys, "ci")
	first, err := keys.Create(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	srv.AddFault(emulator.Fault{Method: "POST", Route: "/api_keys", Kind: emulator.FaultDropAfterProcess, Times: 1})
	second, err := keys.Create(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	live := liveIDs(srv, ngrok.APIKeys)
	if len(live) != 2 || !slices.Contains(live, first.ID) || !slices.Contains(live, second.ID) {
		t.Fatalf("live keys %q; want the first (%s) and the second (%s)", live, first.ID, second.ID)
	}
	if *first.Token != tokenOf(srv, ngrok.APIKeys, first.ID) || *second.Token != tokenOf(srv, ngrok.APIKeys, second.ID) {
		t.Error("a token returned is not its key's")
	}
	if n := srv.RequestCounts()["DELETE /api_keys/{id}"]; n != 1 {
		t.Errorf("%d DELETEs, want 1: of the key the lost create made", n)
	}
}

// A sibling's create is on its way (the API has made its key, the reply has
// not come) when another create, refused with a 503, looks for what it may
// have made. It waits for the sibling to land, and then knows the key is
// the sibling's: it neither revokes it nor takes it, and creates its own.
func TestCreate_WaitsForASiblingOnItsWay(t *testing.T) {
	in := createFor(ngrok.APIKeys, "ci")
	create := func(ctx context.Context, c *ngrok.Client) (*ngrok.Credential, error) {
		return c.Credentials(ngrok.APIKeys).Create(ctx, in)
	}
	srv, sibling, mine := raceASibling(t, "/api_keys", create, create)
	live := liveIDs(srv, ngrok.APIKeys)
	if len(live) != 2 || mine.ID == sibling.ID || *sibling.Token != tokenOf(srv, ngrok.APIKeys, sibling.ID) {
		t.Fatalf("mine %s, the sibling's %s; live %q: want both, distinct, each token its own", mine.ID, sibling.ID, live)
	}
	if n := srv.RequestCounts()["DELETE /api_keys/{id}"]; n != 0 {
		t.Errorf("%d DELETEs, want none", n)
	}
}

// The same across the two paths of users: /service_users lists the users
// created at /bot_users, so a service user's create, refused with a 503,
// waits for a bot user of the same name on its way, and never adopts it.
func TestCreate_WaitsForABotUserOnItsWay(t *testing.T) {
	createAt := func(col ngrok.Collection) func(context.Context, *ngrok.Client) (*ngrok.User, error) {
		return func(ctx context.Context, c *ngrok.Client) (*ngrok.User, error) {
			return c.Users(col).Create(ctx, ngrok.UserCreate{Name: "worker"})
		}
	}
	srv, bot, mine := raceASibling(t, "/service_users", createAt(ngrok.BotUsers), createAt(ngrok.ServiceUsers))
	if ngrok.UserKey(mine.ID) == ngrok.UserKey(bot.ID) || len(srv.Users()) != 2 {
		t.Fatalf("the service user's create returned %s, the bot user's %s; %d users exist: want two users, one each", mine.ID, bot.ID, len(srv.Users()))
	}
}

// raceASibling sends the sibling's create, holds its reply once the API has
// acted on it, and then sends mine with a 503 fault on route: the reply to
// the sibling is let go once mine waits for it, which it must (if it never
// does, the reply is let go when mine is done, and the test fails).
func raceASibling[T ngrok.Object](t *testing.T, route string, sibling, mine func(context.Context, *ngrok.Client) (*T, error)) (*emulator.Server, *T, *T) {
	t.Helper()
	srv, _ := steadyEmulator(t)
	release, acted := make(chan struct{}), make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free)
	hooks := frontHooks{delay: func(r *http.Request) {
		if r.Method == http.MethodPost && r.Header.Get("X-Test") == "sibling" {
			close(acted)
			<-release
		}
	}}
	var waited atomic.Bool
	waits := &debugSink{on: "waiting for creates on their way", hit: func() { waited.Store(true); free() }}
	api := newFront(t, srv, hooks)
	siblingDone := make(chan error, 1)
	var theirs *T
	go func() {
		var err error
		c := newClient(t, api.URL, srv.APIKey(), func(cfg *ngrok.Config) { cfg.Transport = headerTransport{"X-Test", "sibling"} })
		theirs, err = sibling(t.Context(), c)
		siblingDone <- err
	}()
	select {
	case <-acted:
	case err := <-siblingDone:
		t.Fatalf("the sibling's create ended before the API acted on it: %v", err)
	}
	srv.AddFault(emulator.Fault{Method: "POST", Route: route, Kind: emulator.FaultStatus, Status: 503, Times: 1})
	ours, err := mine(t.Context(), newClient(t, api.URL, srv.APIKey(), func(cfg *ngrok.Config) { cfg.Logger = waits }))
	free()
	if err != nil {
		t.Fatal(err)
	}
	if !waited.Load() {
		t.Error("the create whose reply was lost never waited for the sibling's on its way")
	}
	if err := <-siblingDone; err != nil {
		t.Fatal(err)
	}
	return srv, theirs, ours
}

// Someone else made a user of the same name a second before the request:
// it may predate the request, so it is neither adopted nor taken for gone,
// and the create fails naming it. Two seconds before, it is certainly older:
// the create is sent again and makes a user of its own.
func TestCreate_AnObjectFromBeforeTheRequestIsNeverAdopted(t *testing.T) {
	for _, tc := range []struct {
		before  time.Duration
		earlier bool
	}{{time.Second, true}, {2 * time.Second, false}} {
		t.Run(tc.before.String(), func(t *testing.T) {
			srv, clk := steadyEmulator(t)
			theirs := srv.AddUser("pre", true)
			clk.Advance(tc.before)
			srv.AddFault(emulator.Fault{Method: "POST", Route: "/service_users", Kind: emulator.FaultStatus, Status: 503, Times: 1})
			got, err := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers).Create(t.Context(), ngrok.UserCreate{Name: "pre"})
			if !tc.earlier {
				if err != nil || got.ID == theirs.ID || len(srv.Users()) != 2 {
					t.Fatalf("Create = %v, %v; %d users: want a user of its own", got, err, len(srv.Users()))
				}
				return
			}
			var amb *ngrok.AmbiguousCreateError
			if !errors.As(err, &amb) || !slices.Equal(amb.Earlier, []string{theirs.ID}) || len(amb.IDs) != 0 {
				t.Fatalf("Create = %v, %v; want an ambiguity naming %s as maybe earlier", got, err, theirs.ID)
			}
			if n := len(srv.Users()); n != 1 {
				t.Errorf("%d users, want 1: no resend while it cannot tell", n)
			}
		})
	}
}
