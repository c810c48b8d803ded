package contract

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

const (
	// envAPIKey turns the real-account mode on: the suite then runs against
	// the account of this API key instead of an emulator.
	envAPIKey = "NGROK_CONTRACT_API_KEY"
	// envBaseURL is the API of that account; ngrok.DefaultBaseURL when empty.
	envBaseURL = "NGROK_CONTRACT_API_BASE_URL"
	// envRate paces the real-account mode, as "requests/window"; defaultRate
	// when empty. The dry run raises it to stay fast.
	envRate     = "NGROK_CONTRACT_RATE"
	defaultRate = "60/1m"

	// namespace starts the name (users) or description (credentials) of
	// everything the suite creates; a run adds a random part of its own.
	namespace = "contract-"
	// staleAfter is when another run's objects count as leftovers: no run
	// lasts that long, so a run going on at the same time is left alone.
	staleAfter = time.Hour
)

// live is the real account, or nil when the cases run against emulators.
var live *account

// account is an API a case runs against, with what it takes to call it
// politely: one pacer for the client and raw requests alike, and the prefix
// that marks the objects this run creates.
type account struct {
	baseURL, apiKey string
	prefix          string
	pacer           *ngrok.Pacer
	client          *ngrok.Client
	http            *http.Client
	requests        *atomic.Int64 // every attempt sent, retries included
	seq             *atomic.Int64 // numbers the names, unique within the run
}

func TestMain(m *testing.M) { os.Exit(runMain(m)) }

func runMain(m *testing.M) int {
	acct, err := liveAccountFromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "contract:", err)
		return 2
	}
	if acct == nil {
		return m.Run()
	}
	live = acct
	fmt.Printf("contract: real-account mode against %s; this run names its objects %s…\n", acct.baseURL, acct.prefix)
	code := 0
	if err := acct.sweepAndReport("stale leftovers of earlier runs", acct.stale); err != nil {
		fmt.Fprintln(os.Stderr, "contract:", err)
		return 1 // a sweep that cannot list cannot clean up after the cases either
	}
	code = m.Run()
	if err := acct.sweepAndReport("leftovers of this run", acct.ours); err != nil {
		fmt.Fprintln(os.Stderr, "contract:", err)
		code = max(code, 1)
	}
	fmt.Printf("contract: %d requests sent\n", acct.requests.Load())
	return code
}

// liveAccountFromEnv returns the real account that getenv names, or nil when
// envAPIKey is not set.
func liveAccountFromEnv(getenv func(string) string) (*account, error) {
	key := getenv(envAPIKey)
	if key == "" {
		return nil, nil
	}
	limit, window, err := parseRate(cmp.Or(getenv(envRate), defaultRate))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", envRate, err)
	}
	return newAccount(cmp.Or(getenv(envBaseURL), ngrok.DefaultBaseURL), key, ngrok.NewPacer(limit, window))
}

// newAccount returns an account with a fresh prefix.
func newAccount(baseURL, apiKey string, pacer *ngrok.Pacer) (*account, error) {
	a := &account{prefix: namespace + randomWord() + "-", pacer: pacer, requests: new(atomic.Int64), seq: new(atomic.Int64)}
	return a.with(baseURL, apiKey)
}

// with returns the account as seen through another base URL or key, sharing
// the prefix, the pacer and the request count. Its client retries as the
// provider's does, and shares the pacer with raw requests.
func (a *account) with(baseURL, apiKey string) (*account, error) {
	b := &account{baseURL: strings.TrimRight(baseURL, "/"), apiKey: apiKey, prefix: a.prefix, pacer: a.pacer, requests: a.requests, seq: a.seq}
	transport := &countingTransport{next: http.DefaultTransport, n: b.requests}
	client, err := ngrok.New(ngrok.Config{
		BaseURL: b.baseURL, APIKey: apiKey, UserAgent: "terraform-provider-ngrok-contract",
		Pacer: b.pacer, Transport: transport, SettleTime: 2 * time.Second,
	})
	if err != nil {
		return nil, err
	}
	b.client = client
	b.http = &http.Client{
		Transport: transport,
		Timeout:   time.Minute,
		// As the client: a redirect could carry the key elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return b, nil
}

// parseRate reads "N/window", such as "60/1m".
func parseRate(s string) (int, time.Duration, error) {
	n, w, ok := strings.Cut(s, "/")
	limit, err := strconv.Atoi(n)
	if !ok || err != nil || limit < 1 {
		return 0, 0, fmt.Errorf("%q is not requests/window, such as %s", s, defaultRate)
	}
	window, err := time.ParseDuration(w)
	if err != nil || window <= 0 {
		return 0, 0, fmt.Errorf("%q is not requests/window, such as %s", s, defaultRate)
	}
	return limit, window, nil
}

// randomWord is eight random lower-case letters and digits.
func randomWord() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// countingTransport counts the requests sent, for the report of a real run.
type countingTransport struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.next.RoundTrip(r)
}

// ours reports an object of this run.
func (a *account) ours(label string, _ time.Time) bool { return strings.HasPrefix(label, a.prefix) }

// stale reports an object an earlier run of the suite left behind.
func (a *account) stale(label string, created time.Time) bool {
	return strings.HasPrefix(label, namespace) && !a.ours(label, created) && time.Since(created) > staleAfter
}

// sweepAndReport deletes what match selects and prints what it deleted.
func (a *account) sweepAndReport(what string, match func(string, time.Time) bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	swept, err := a.sweep(ctx, match)
	fmt.Printf("contract: swept %d %s: %s\n", len(swept), what, strings.Join(swept, " "))
	return err
}

// sweep deletes every credential, then every user, whose description or
// name match selects, and returns their IDs. Credentials go first, so that
// none outlives its owner whichever way the API cascades; users are looked
// for under both paths, which may not list the same users.
func (a *account) sweep(ctx context.Context, match func(string, time.Time) bool) ([]string, error) {
	var swept []string
	var errs []error
	for _, col := range []ngrok.Collection{ngrok.APIKeys, ngrok.Authtokens, ngrok.SSHCredentials} {
		creds := a.client.Credentials(col)
		var doomed []string
		for cr, err := range creds.List(ctx, ngrok.ListOptions{}) {
			if err != nil {
				errs = append(errs, unlessUnserved(err))
				break
			}
			if match(cr.Description, parseTime(cr.CreatedAt)) {
				doomed = append(doomed, cr.ID)
			}
		}
		for _, id := range doomed {
			if err := creds.Delete(ctx, id); err != nil && !ngrok.IsNotFound(err) {
				errs = append(errs, err)
				continue
			}
			swept = append(swept, id)
		}
	}
	gone := map[string]bool{}
	for _, col := range []ngrok.Collection{ngrok.ServiceUsers, ngrok.BotUsers} {
		users := a.client.Users(col)
		var doomed []string
		for u, err := range users.List(ctx, ngrok.ListOptions{}) {
			if err != nil {
				errs = append(errs, unlessUnserved(err))
				break
			}
			if match(u.Name, parseTime(u.CreatedAt)) && !gone[u.ID] {
				doomed = append(doomed, u.ID)
			}
		}
		for _, id := range doomed {
			if err := users.Delete(ctx, id); err != nil && !ngrok.IsNotFound(err) {
				errs = append(errs, err)
				continue
			}
			gone[id] = true
			swept = append(swept, id)
		}
	}
	return swept, errors.Join(errs...)
}

// unlessUnserved drops the 404 of a list: a collection the API does not
// serve (/bot_users, one day) holds nothing to sweep.
func unlessUnserved(err error) error {
	if ngrok.IsNotFound(err) {
		return nil
	}
	return err
}

// parseTime reads created_at; an unreadable one is the zero time, which
// counts as old.
func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}
