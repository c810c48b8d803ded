package ngrok_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
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

// credAPI is a small in-memory stand-in for one of ngrok's credential
// collections, enough to check what the client sends and how it reconciles a
// lost create: the emulator does not serve credentials yet.
type credAPI struct {
	col    ngrok.Collection
	prefix string
	srv    *httptest.Server

	mu       sync.Mutex
	creds    []ngrok.Credential // oldest first; Token is the one create reply's
	seq      int
	requests []string // "METHOD path?query", in order
	bodies   []string // request bodies, in order
	// loseReplies is how many create replies are lost after the credential
	// was made, hangReplies how many never come, tokenless how many are sent
	// without the token.
	loseReplies, hangReplies, tokenless int
	// onCreate runs after each create, under mu: to add a twin, say.
	onCreate func(*credAPI)
}

var credPrefixes = map[ngrok.Collection]string{ngrok.APIKeys: "ak_", ngrok.Authtokens: "cr_", ngrok.SSHCredentials: "sshcr_"}

// listKeys are the fields list replies hold the credentials under.
var listKeys = map[ngrok.Collection]string{ngrok.APIKeys: "keys", ngrok.Authtokens: "credentials", ngrok.SSHCredentials: "ssh_credentials"}

func newCredAPI(t *testing.T, col ngrok.Collection) *credAPI {
	t.Helper()
	a := &credAPI{col: col, prefix: credPrefixes[col]}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

// add makes a credential as the API would, returning it with its token.
func (a *credAPI) add(in ngrok.CredentialCreate) ngrok.Credential {
	a.seq++
	id := fmt.Sprintf("%s2%026d", a.prefix, a.seq)
	c := ngrok.Credential{
		ID: id, URI: a.srv.URL + "/" + string(a.col) + "/" + id, CreatedAt: time.Now().UTC().Format(time.RFC3339),
		Description: in.Description, Metadata: in.Metadata, OwnerID: cmp.Or(in.OwnerID, "usr_caller"),
		ACL: in.ACL,
	}
	if f := strings.Fields(in.PublicKey); len(f) >= 2 {
		c.PublicKey = f[0] + " " + f[1] // the key without its comment
	}
	if c.ACL == nil {
		c.ACL = []string{} // as ngrok's examples show an unset acl
	}
	if a.col != ngrok.SSHCredentials {
		c.Token = new("tok_secret_" + id)
	}
	a.creds = append(a.creds, c)
	return c
}

// live returns the credentials that exist, oldest first, without tokens.
func (a *credAPI) live() []ngrok.Credential {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := slices.Clone(a.creds)
	for i := range out {
		out[i].Token = nil
	}
	return out
}

func (a *credAPI) log() (requests, bodies []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.requests), slices.Clone(a.bodies)
}

func (a *credAPI) reset() {
	a.mu.Lock()
	a.requests, a.bodies = nil, nil
	a.mu.Unlock()
}

func (a *credAPI) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requests = append(a.requests, r.Method+" "+r.URL.RequestURI())
	a.bodies = append(a.bodies, string(body))
	w.Header().Set("Ngrok-Operation-Id", "op_cred")
	w.Header().Set("Content-Type", "application/json")
	base := "/" + string(a.col)
	id, item := strings.CutPrefix(r.URL.Path, base+"/")
	i := slices.IndexFunc(a.creds, func(c ngrok.Credential) bool { return c.ID == id })
	switch {
	case r.URL.Path == base && r.Method == http.MethodPost:
		var in ngrok.CredentialCreate
		if err := json.Unmarshal(body, &in); err != nil {
			credError(w, http.StatusBadRequest, "ERR_NGROK_100", "bad body")
			return
		}
		c := a.add(in)
		if a.onCreate != nil {
			a.onCreate(a)
		}
		if a.loseReplies > 0 || a.hangReplies > 0 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			if a.loseReplies > 0 {
				a.loseReplies--
				_ = conn.Close()
				return
			}
			a.hangReplies--
			time.AfterFunc(5*time.Second, func() { _ = conn.Close() })
			return
		}
		if a.tokenless > 0 {
			a.tokenless--
			c.Token = nil
		}
		w.WriteHeader(http.StatusCreated)
		writeCred(w, c)
	case r.URL.Path == base && r.Method == http.MethodGet:
		a.list(w, r)
	case item && i >= 0 && r.Method == http.MethodGet:
		c := a.creds[i]
		c.Token = nil
		writeCred(w, c)
	case item && i >= 0 && r.Method == http.MethodPatch:
		var upd ngrok.CredentialUpdate
		if err := json.Unmarshal(body, &upd); err != nil {
			credError(w, http.StatusBadRequest, "ERR_NGROK_100", "bad body")
			return
		}
		c := &a.creds[i]
		if upd.Description != nil {
			c.Description = *upd.Description
		}
		if upd.Metadata != nil {
			c.Metadata = *upd.Metadata
		}
		if upd.ACL != nil {
			c.ACL = *upd.ACL
		}
		out := *c
		out.Token = nil
		writeCred(w, out)
	case item && i >= 0 && r.Method == http.MethodDelete:
		a.creds = slices.Delete(a.creds, i, i+1)
		w.WriteHeader(http.StatusNoContent)
	default:
		// ngrok's 404 for a path it does not serve and an ID it does not know alike.
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"status_code":404,"msg":"Resource not found","details":{"operation_id":"op_cred"}}`)
	}
}

// list serves a page: newest first, below before_id, narrowed by the one
// filter the client sends (owner_id equality).
func (a *credAPI) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 100
	if l := q.Get("limit"); l != "" {
		limit, _ = strconv.Atoi(l)
	}
	owner := ""
	if f := q.Get("filter"); f != "" {
		quoted, ok := strings.CutPrefix(f, "obj.owner_id == ")
		var err error
		if owner, err = strconv.Unquote(quoted); !ok || err != nil {
			credError(w, http.StatusBadRequest, "ERR_NGROK_230", "invalid filter")
			return
		}
	}
	page := []ngrok.Credential{} // [] when empty, as ngrok sends it
	more := false
	for _, c := range slices.Backward(a.creds) {
		if b := q.Get("before_id"); (b != "" && c.ID >= b) || (owner != "" && c.OwnerID != owner) {
			continue
		}
		if len(page) == limit {
			more = true
			break
		}
		c.Token = nil
		page = append(page, c)
	}
	var next any
	if more {
		q.Set("before_id", page[len(page)-1].ID)
		next = a.srv.URL + r.URL.Path + "?" + q.Encode()
	}
	_ = json.NewEncoder(w).Encode(map[string]any{listKeys[a.col]: page, "uri": a.srv.URL + r.URL.Path, "next_page_uri": next})
}

// writeCred writes a credential with a field the client does not know.
func writeCred(w http.ResponseWriter, c ngrok.Credential) {
	b, _ := json.Marshal(c)
	fmt.Fprintf(w, `{"future_field":{"nested":[1,2]},%s`, b[1:])
}

func credError(w http.ResponseWriter, status int, code, msg string) {
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error_code":%q,"status_code":%d,"msg":%q,"details":{"operation_id":"op_cred"}}`, code, status, msg)
}

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
