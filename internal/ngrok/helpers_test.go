package ngrok_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// startEmulator serves an emulator for one test: with no rate limit, unless
// a tweak sets one.
func startEmulator(t *testing.T, tweak ...func(*emulator.Options)) *emulator.Server {
	t.Helper()
	opts := emulator.DefaultOptions()
	opts.RateLimit = 0
	for _, f := range tweak {
		f(&opts)
	}
	srv := emulator.New(opts)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// withoutPath serves srv except for paths under prefix, which get ngrok's own
// 404 (an operation ID, no error code), as the API answers a path it does
// not serve or an ID it does not know.
func withoutPath(t *testing.T, srv *emulator.Server, prefix string) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, prefix) {
			w.Header().Set("Ngrok-Operation-Id", "op_withoutpath")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"status_code":404,"msg":"Resource not found","details":{"operation_id":"op_withoutpath"}}`)
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// newClient returns a client for srv that retries fast and is not paced.
func newClient(t *testing.T, baseURL, key string, tweak ...func(*ngrok.Config)) *ngrok.Client {
	t.Helper()
	cfg := ngrok.Config{
		BaseURL:      baseURL,
		APIKey:       key,
		UserAgent:    "terraform-provider-ngrok/test",
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		SettleTime:   300 * time.Millisecond,
		Pacer:        ngrok.NewPacer(0, 0),
	}
	for _, f := range tweak {
		f(&cfg)
	}
	c, err := ngrok.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// listError drains a list that must fail at its first page and returns the
// one error it yielded. A list that yields nothing, an object, or more than
// one error fails the test: a check of the error alone would pass on those.
func listError[T any](t *testing.T, list iter.Seq2[T, error]) error {
	t.Helper()
	yielded := 0
	var last error
	for _, err := range list {
		yielded++
		last = err
	}
	if yielded != 1 || last == nil {
		t.Fatalf("the list yielded %d items, the last with error %v; want exactly one, an error", yielded, last)
	}
	return last
}

// idOf is the ID of what a read returned, "" for nothing.
func idOf[T ngrok.Object](obj *T) string {
	switch obj := any(obj).(type) {
	case *ngrok.User:
		if obj != nil {
			return obj.ID
		}
	case *ngrok.Credential:
		if obj != nil {
			return obj.ID
		}
	}
	return ""
}

// front serves an emulator through a test server of its own, recording
// every request in order: for checks of exactly what the client sent, and
// of replies the emulator would not send.
type front struct {
	URL   string
	hooks frontHooks

	mu    sync.Mutex
	calls []frontCall
}

type frontHooks struct {
	// rewrite, when set, may change the JSON object of each reply before it
	// is sent.
	rewrite func(r *http.Request, reply map[string]any)
	// arrived, when set, runs as each request arrives, before the emulator
	// sees it.
	arrived func(r *http.Request)
	// delay, when set, runs after the emulator has acted on a request and
	// before its reply is sent: a reply on its way.
	delay func(r *http.Request)
}

// frontCall is one request: "METHOD path?query" and its body.
type frontCall struct{ call, body string }

func newFront(t *testing.T, srv *emulator.Server, hooks frontHooks) *front {
	t.Helper()
	f := &front{hooks: hooks}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.mu.Lock()
		f.calls = append(f.calls, frontCall{call: r.Method + " " + r.URL.RequestURI(), body: string(body)})
		f.mu.Unlock()
		if f.hooks.arrived != nil {
			f.hooks.arrived(r)
		}
		if f.hooks.rewrite == nil && f.hooks.delay == nil {
			srv.ServeHTTP(w, r)
			return
		}
		// A dropped reply panics with http.ErrAbortHandler here, which
		// closes the connection: the same to the client.
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		if f.hooks.delay != nil {
			f.hooks.delay(r)
		}
		out := rec.Body.Bytes()
		var reply map[string]any
		dec := json.NewDecoder(bytes.NewReader(out))
		dec.UseNumber()
		if f.hooks.rewrite != nil && dec.Decode(&reply) == nil {
			f.hooks.rewrite(r, reply)
			out, _ = json.Marshal(reply)
		}
		maps.Copy(w.Header(), rec.Header())
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
	}))
	t.Cleanup(ts.Close)
	f.URL = ts.URL
	return f
}

// log returns the requests so far, in order.
func (f *front) log() []frontCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// requests returns the requests so far as "METHOD path?query", in order.
func (f *front) requests() []string {
	var out []string
	for _, c := range f.log() {
		out = append(out, c.call)
	}
	return out
}

// headerTransport adds a header to every request, so that a front can tell
// one client's requests from another's.
type headerTransport struct{ name, value string }

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.name, h.value)
	return http.DefaultTransport.RoundTrip(r)
}

// debugSink calls hit when the client logs a DEBUG line containing on.
type debugSink struct {
	on  string
	hit func()
}

func (d *debugSink) Debug(_ context.Context, msg string, _ map[string]any) {
	if strings.Contains(msg, d.on) {
		d.hit()
	}
}
func (d *debugSink) Warn(context.Context, string, map[string]any) {}

// logSink records the client's log lines.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) Debug(context.Context, string, map[string]any) {}
func (l *logSink) Warn(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprint(msg, " ", fields))
}

func (l *logSink) warnings() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.lines)
}
