package ngrok_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// readAll reads ids through r with parallelism workers (Terraform's default
// is 10), in the order given, and returns what each read answered.
func readAll[T ngrok.Object](t *testing.T, r *ngrok.BulkReader[T], ids []string, parallelism int) map[string]error {
	t.Helper()
	var mu sync.Mutex
	results := map[string]error{}
	next := make(chan string)
	var wg sync.WaitGroup
	for range parallelism {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				u, err := r.Get(t.Context(), id)
				if got := idOf(u); err == nil && got != id {
					err = fmt.Errorf("read %s, got %s", id, got)
				}
				mu.Lock()
				results[id] = err
				mu.Unlock()
			}
		}()
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	return results
}

func shuffled(users []emulator.User, rng *rand.Rand) []string {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids
}

func TestBulkReader_ThousandUsersInAFewPages(t *testing.T) {
	srv := startEmulator(t)
	users := srv.SeedUsers(1000, "u")
	c := newClient(t, srv.URL(), srv.APIKey())
	for _, mode := range []ngrok.RefreshMode{ngrok.RefreshAuto, ngrok.RefreshList, ngrok.RefreshGet} {
		t.Run(string(mode), func(t *testing.T) {
			srv.ResetCounts()
			r := c.Users(ngrok.ServiceUsers).NewBulkReader(mode)
			for id, err := range readAll(t, r, shuffled(users, rand.New(rand.NewPCG(1, 2))), 10) {
				if err != nil {
					t.Fatalf("%s: %v", id, err)
				}
			}
			n := srv.TotalRequests()
			t.Logf("%s: 1000 reads in %d requests (%+v)", mode, n, r.Stats())
			switch mode {
			case ngrok.RefreshGet:
				if n != 1000 {
					t.Errorf("get mode sent %d requests, want 1000", n)
				}
			default:
				if n > 15 {
					t.Errorf("%s mode sent %d requests for 1000 reads, want at most 15", mode, n)
				}
			}
		})
	}
}

// Reading a few users of a large account costs at most one request each:
// never more than the naive way.
func TestBulkReader_FewUsersOfALargeAccount(t *testing.T) {
	srv := startEmulator(t)
	users := srv.SeedUsers(3000, "u")
	c := newClient(t, srv.URL(), srv.APIKey())
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 5, 30} {
		srv.ResetCounts()
		picked := make([]emulator.User, n)
		for i := range picked {
			picked[i] = users[rng.IntN(len(users))]
		}
		ids := shuffled(picked, rng)
		r := c.Users(ngrok.ServiceUsers).NewBulkReader(ngrok.RefreshAuto)
		for id, err := range readAll(t, r, ids, 10) {
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
		}
		if got := srv.TotalRequests(); got > len(ids) {
			t.Errorf("%d reads sent %d requests: more than one GET each", len(ids), got)
		}
	}
}

// A property test: random accounts, random subsets read in random order, some
// users deleted out of band. Every read answers what a GET would, and the
// requests never exceed the reads plus one confirmation per deleted user.
func TestBulkReader_AgreesWithGet(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for round := range 12 {
		srv := startEmulator(t)
		size := 1 + rng.IntN(700)
		users := srv.SeedUsers(size, "u")
		if rng.IntN(2) == 0 {
			users = append(users, srv.AddBotUser("legacy", true))
		}
		var read []emulator.User
		for _, u := range users {
			if rng.Float64() < []float64{0.02, 0.3, 0.9, 1}[round%4] {
				read = append(read, u)
			}
		}
		gone := map[string]bool{}
		for _, u := range read {
			if rng.IntN(20) == 0 {
				if err := srv.DeleteUser(u.ID); err != nil {
					t.Fatal(err)
				}
				gone[u.ID] = true
			}
		}
		srv.ResetCounts()
		c := newClient(t, srv.URL(), srv.APIKey())
		r := c.Users(ngrok.ServiceUsers).NewBulkReader(ngrok.RefreshAuto)
		results := readAll(t, r, shuffled(read, rng), 1+rng.IntN(12))
		for id, err := range results {
			switch {
			case gone[id] && !ngrok.IsNotFound(err):
				t.Fatalf("round %d: deleted %s read as %v", round, id, err)
			case !gone[id] && err != nil:
				t.Fatalf("round %d: %s: %v", round, id, err)
			}
		}
		if got, limit := srv.TotalRequests(), len(read)+len(gone); got > limit {
			t.Errorf("round %d: %d reads (%d deleted) of %d users took %d requests, more than %d", round, len(read), len(gone), size, got, limit)
		}
	}
}

// An API that ignores before_id would make pages lie about what they cover;
// the reader notices and falls back to GETs rather than call users deleted.
func TestBulkReader_DistrustsPagesOutOfOrder(t *testing.T) {
	srv := startEmulator(t)
	users := srv.SeedUsers(250, "u")
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		q.Del("before_id") // the "API" ignores it
		r.URL.RawQuery = q.Encode()
		srv.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	c := newClient(t, proxy.URL, srv.APIKey())
	r := c.Users(ngrok.ServiceUsers).NewBulkReader(ngrok.RefreshAuto)
	ids := shuffled(users[:50], rand.New(rand.NewPCG(7, 8)))
	for id, err := range readAll(t, r, ids, 10) {
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	if r.Stats().Gets == 0 {
		t.Error("the reader trusted pages that ignored before_id")
	}
}

// If the API only accepts a before_id that names a user, auto mode stops
// anchoring pages between IDs but keeps paging from listed IDs: still far
// fewer requests than reads, and every read right.
func TestBulkReader_APIRefusesSyntheticBeforeIDs(t *testing.T) {
	srv := startEmulator(t)
	users := srv.SeedUsers(1000, "u")
	strict := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b := r.URL.Query().Get("before_id"); b != "" {
			if _, ok := srv.GetUser(b); !ok {
				w.Header().Set("Ngrok-Operation-Id", "op_strict")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"error_code":"ERR_NGROK_215","status_code":400,"msg":"invalid before_id","details":{"operation_id":"op_strict"}}`)
				return
			}
		}
		srv.ServeHTTP(w, r)
	}))
	defer strict.Close()
	c := newClient(t, strict.URL, srv.APIKey())
	r := c.Users(ngrok.ServiceUsers).NewBulkReader(ngrok.RefreshAuto)
	ids := shuffled(users, rand.New(rand.NewPCG(9, 10)))[:300]
	srv.ResetCounts()
	for id, err := range readAll(t, r, ids, 10) {
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	if got := srv.TotalRequests(); got > len(ids)+1 {
		t.Errorf("%d reads took %d requests", len(ids), got)
	}
	t.Logf("300 reads of 1000 users with anchors refused: %d requests (%+v)", srv.TotalRequests(), r.Stats())
}

// What this operation wrote is read back without a request: a created user
// (newer than every page) and a deleted one (gone from the cache).
func TestBulkReader_RememberAndForget(t *testing.T) {
	srv := startEmulator(t)
	srv.SeedUsers(5, "u")
	c := newClient(t, srv.URL(), srv.APIKey())
	users := c.Users(ngrok.ServiceUsers)
	r := users.NewBulkReader(ngrok.RefreshList)
	newest := srv.Users()[0]
	if _, err := r.Get(t.Context(), newest.ID); err != nil { // pages from the top: covers everything
		t.Fatal(err)
	}
	created, err := users.Create(t.Context(), ngrok.UserCreate{Name: "new"})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	r.Remember(*created)
	if got, err := r.Get(t.Context(), created.ID); err != nil || got.Name != "new" {
		t.Fatalf("read of a remembered user = %+v, %v", got, err)
	}
	r.Forget(newest.ID)
	if _, err := r.Get(t.Context(), newest.ID); !ngrok.IsNotFound(err) {
		t.Fatalf("read of a forgotten user: %v, want not found", err)
	}
	if n := srv.TotalRequests(); n != 0 {
		t.Errorf("%d requests; what the operation wrote needs none", n)
	}
}

// Where /service_users does not list bot_ users, a bot_ ID that falls among
// the listed service users is not taken for deleted in any mode: the legacy
// path has the last word.
func TestBulkReader_BotUsersOutsideTheList(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.SeparateCollections = true })
	srv.SeedUsers(5, "before")
	bot := srv.AddBotUser("legacy", true)
	srv.SeedUsers(5, "after") // the bot_ ID sorts among listed IDs
	for _, mode := range ngrok.RefreshModes {
		r := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers).NewBulkReader(mode)
		got, err := r.Get(t.Context(), bot.ID)
		if err != nil || got.Name != "legacy" {
			t.Errorf("%s mode: Get(%s) = %+v, %v", mode, bot.ID, got, err)
		}
	}
}

// List mode, like auto, confirms with a GET a user the pages omit before it
// calls the user gone: a wrong "gone" would make Terraform create a duplicate.
func TestBulkReader_ListModeConfirmsAnOmission(t *testing.T) {
	srv := startEmulator(t)
	seeded := srv.SeedUsers(5, "u")
	c := newClient(t, srv.URL(), srv.APIKey())
	r := c.Users(ngrok.ServiceUsers).NewBulkReader(ngrok.RefreshList)
	if err := srv.DeleteUser(seeded[2].ID); err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	if _, err := r.Get(t.Context(), seeded[2].ID); !ngrok.IsNotFound(err) {
		t.Fatalf("read of a user deleted out of band: %v, want not found", err)
	}
	if n := srv.RequestCounts()["GET /service_users/{id}"]; n != 1 {
		t.Errorf("%d GETs of the omitted user, want 1: list mode must confirm before calling it gone", n)
	}
}
