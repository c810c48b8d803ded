package ngrok

// Benchmarks of the client's hot paths (make bench runs them with -benchmem).
// They are not run by go test without -bench.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

const benchKey = "emu_bench_key"

// benchPages serves srv's list of users page by page through its handler,
// in process, and returns each page's body keyed by the query the client
// sends for it ("limit=100", then the query of each next_page_uri).
func benchPages(b *testing.B, srv *emulator.Server, base string) map[string][]byte {
	b.Helper()
	pages := map[string][]byte{}
	query := "limit=100"
	for range 10_000 { // bounded: 1,000,000 users at most
		req := httptest.NewRequest(http.MethodGet, base+"/service_users?"+query, nil)
		req.Header.Set("Authorization", "Bearer "+benchKey)
		req.Header.Set("Ngrok-Version", "2")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("emulator answered %d: %s", rec.Code, rec.Body)
		}
		body := bytes.Clone(rec.Body.Bytes())
		pages[query] = body
		_, next, err := decodePage[User](ServiceUsers, body)
		if err != nil {
			b.Fatal(err)
		}
		if next == "" {
			return pages
		}
		u, err := url.Parse(next)
		if err != nil {
			b.Fatal(err)
		}
		query = u.RawQuery
	}
	b.Fatal("the emulator's pages do not end")
	return nil
}

// benchTransport answers list requests from canned pages, in memory, so
// that a benchmark measures the client and not a server.
type benchTransport struct {
	pages    map[string][]byte
	requests atomic.Int64
}

func (t *benchTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.requests.Add(1)
	if r.Body != nil {
		_ = r.Body.Close()
	}
	body, ok := t.pages[r.URL.RawQuery]
	if !ok {
		return nil, fmt.Errorf("no canned page for %q", r.URL.RawQuery)
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Status:        "200 OK",
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
	}, nil
}

func benchClient(b *testing.B, baseURL string, transport http.RoundTripper) *Client {
	b.Helper()
	c, err := New(Config{
		BaseURL:      baseURL,
		APIKey:       benchKey,
		UserAgent:    "terraform-provider-ngrok/bench",
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		Pacer:        NewPacer(0, 0), // unpaced: the benchmark measures the client
		Transport:    transport,
	})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// Decoding one list page of 100 users, as the emulator writes it.
func BenchmarkDecodePage100(b *testing.B) {
	srv := emulator.New(emulator.Options{APIKey: benchKey})
	srv.SeedUsers(100, "bench")
	body := benchPages(b, srv, "http://127.0.0.1:1")["limit=100"]
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		users, _, err := decodePage[User](ServiceUsers, body)
		if err != nil || len(users) != 100 {
			b.Fatalf("decoded %d users: %v", len(users), err)
		}
	}
}

// Listing every user of an account (what the ngrok_users data source does),
// from canned pages in memory: time and allocations are the client's alone,
// and B/op at 1,000 and 10,000 users shows how memory grows with the result.
func BenchmarkList(b *testing.B) {
	for _, n := range []int{1000, 10_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			const base = "http://127.0.0.1:1"
			srv := emulator.New(emulator.Options{APIKey: benchKey})
			srv.SeedUsers(n, "bench")
			tr := &benchTransport{pages: benchPages(b, srv, base)}
			users := benchClient(b, base, tr).Users(ServiceUsers)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				var got []User
				for u, err := range users.List(ctx, ListOptions{}) {
					if err != nil {
						b.Fatal(err)
					}
					got = append(got, u)
				}
				if len(got) != n {
					b.Fatalf("listed %d users, want %d", len(got), n)
				}
			}
			b.ReportMetric(float64(tr.requests.Load())/float64(b.N), "requests/op")
		})
	}
}

// A refresh: 1,000 reads of single users by 10 workers (Terraform's default
// parallelism) through a BulkReader, against the emulator over loopback with
// no latency and no rate limit. requests/op is what the API would have been
// sent; "account" is how many users the account holds, "read" how many of
// them are read (the newest ones, as a configuration's users usually are,
// or a random scattering of them, the worst case for paging).
func BenchmarkBulkReader(b *testing.B) {
	cases := []struct {
		mode      RefreshMode
		account   int
		scattered bool
	}{
		{RefreshAuto, 1000, false},
		{RefreshList, 1000, false},
		{RefreshGet, 1000, false},
		{RefreshAuto, 10_000, false},
		{RefreshAuto, 10_000, true},
		{RefreshList, 10_000, true},
	}
	for _, tc := range cases {
		layout := "newest"
		if tc.scattered {
			layout = "scattered"
		}
		b.Run(fmt.Sprintf("mode=%s/account=%d/read=1000-%s", tc.mode, tc.account, layout), func(b *testing.B) {
			srv := emulator.New(emulator.Options{APIKey: benchKey})
			seeded := srv.SeedUsers(tc.account, "bench")
			if err := srv.Start("127.0.0.1:0"); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = srv.Close() })

			rng := rand.New(rand.NewPCG(1, 2))
			pick := seeded[len(seeded)-1000:] // the newest 1,000
			if tc.scattered {
				pick = make([]emulator.User, 0, 1000)
				for _, i := range rng.Perm(len(seeded))[:1000] {
					pick = append(pick, seeded[i])
				}
			}
			ids := make([]string, len(pick))
			for i, u := range pick {
				ids[i] = u.ID
			}
			users := benchClient(b, srv.URL(), nil).Users(ServiceUsers)
			ctx := context.Background()
			srv.ResetCounts()
			b.ReportAllocs()
			for b.Loop() {
				rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
				benchReadAll(b, ctx, users.NewBulkReader(tc.mode), ids, 10)
			}
			b.ReportMetric(float64(srv.TotalRequests())/float64(b.N), "requests/op")
		})
	}
}

// benchReadAll reads every id through r with the given number of workers
// and fails the benchmark on any error.
func benchReadAll(b *testing.B, ctx context.Context, r *BulkReader[User], ids []string, workers int) {
	next := make(chan string)
	var wg sync.WaitGroup
	var failed atomic.Pointer[error]
	for range workers {
		wg.Go(func() {
			for id := range next {
				u, err := r.Get(ctx, id)
				if err == nil && u.ID != id {
					err = fmt.Errorf("read %s, got %s", id, u.ID)
				}
				if err != nil {
					failed.CompareAndSwap(nil, &err)
				}
			}
		})
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
}
