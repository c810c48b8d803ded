package emulator

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// fakeClock is an injectable Options.Now that only moves when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 9, 4, 10, 11, 43, 500, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// tclient sends API requests to an emulator over real HTTP.
type tclient struct {
	t       *testing.T
	s       *Server
	url     string
	hc      *http.Client
	started atomic.Int64 // requests the server has begun to handle
	handled atomic.Int64 // requests the server has returned from
}

// newTest starts an emulator with opts behind an httptest.Server.
func newTest(t *testing.T, opts Options) *tclient {
	t.Helper()
	if opts.APIKey == "" {
		opts.APIKey = "test_key"
	}
	c := &tclient{t: t, s: New(opts)}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.started.Add(1)
		defer c.handled.Add(1) // also when a fault aborts the handler
		c.s.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	c.url, c.hc = ts.URL, ts.Client()
	return c
}

// abandon sends a request with a 100ms client timeout, which must expire,
// then waits (up to 5s) until the server has taken the request and has none
// in flight: the client giving up does not mean the server is done with it.
func (c *tclient) abandon(method, path, body string) {
	c.t.Helper()
	timeout := c.hc.Timeout
	c.hc.Timeout = 100 * time.Millisecond
	defer func() { c.hc.Timeout = timeout }()
	before := c.started.Load()
	if _, err := c.try(method, path, body); err == nil {
		c.t.Fatalf("%s %s: want a client timeout", method, path)
	}
	deadline := time.Now().Add(5 * time.Second)
	for c.started.Load() == before || c.handled.Load() < c.started.Load() {
		if time.Now().After(deadline) {
			c.t.Fatalf("%s %s: still in flight on the server after 5s", method, path)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request with valid credentials and version (and a JSON
// content type when there is a body). hdr holds name/value pairs that
// override those; an empty value removes the header.
func (c *tclient) do(method, path, body string, hdr ...string) resp {
	c.t.Helper()
	r, err := c.try(method, path, body, hdr...)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

func (c *tclient) try(method, path, body string, hdr ...string) (resp, error) {
	c.t.Helper()
	target := path
	if strings.HasPrefix(path, "/") {
		target = c.url + path
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.s.APIKey())
	req.Header.Set("Ngrok-Version", "2")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		switch {
		case hdr[i] == "Host":
			req.Host = hdr[i+1]
		case hdr[i+1] == "":
			req.Header.Del(hdr[i])
		default:
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return resp{}, err
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return resp{}, err
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}, nil
}

// obj decodes the body as a JSON object.
func (r resp) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %.300q", err, r.body)
	}
	return m
}

var opIDPattern = regexp.MustCompile(`^op_[0-9A-Za-z]{27}$`)

// wantError checks an ngrok error reply: status, error_code ("" for none),
// the operation id in header and body, and that msg contains msgPart.
func (r resp) wantError(t *testing.T, status int, code, msgPart string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	m := r.obj(t)
	if code == "" {
		if _, has := m["error_code"]; has {
			t.Errorf("error_code present, want none: %s", r.body)
		}
	} else if m["error_code"] != code {
		t.Errorf("error_code = %v, want %s; body %s", m["error_code"], code, r.body)
	}
	if m["status_code"] != float64(status) {
		t.Errorf("status_code = %v, want %d", m["status_code"], status)
	}
	msg, _ := m["msg"].(string)
	if !strings.Contains(msg, msgPart) {
		t.Errorf("msg = %q, want it to contain %q", msg, msgPart)
	}
	op := r.header.Get("Ngrok-Operation-Id")
	if !opIDPattern.MatchString(op) {
		t.Errorf("Ngrok-Operation-Id = %q", op)
	}
	details, _ := m["details"].(map[string]any)
	if details["operation_id"] != op {
		t.Errorf("details.operation_id = %v, header %q", details["operation_id"], op)
	}
}

// idOf returns the "id" of a user object, "" when it has no string id.
func idOf(m map[string]any) string {
	s, _ := m["id"].(string)
	return s
}

// items returns the objects of the list m[key], failing when it is not one.
func items(t *testing.T, m map[string]any, key string) []map[string]any {
	t.Helper()
	list, ok := m[key].([]any)
	if !ok {
		t.Fatalf("%s is not a list: %v", key, m)
	}
	out := make([]map[string]any, 0, len(list))
	for _, v := range list {
		o, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s item is not an object: %v", key, v)
		}
		out = append(out, o)
	}
	return out
}

// create makes a user through the API and returns its JSON object.
func (c *tclient) create(prefix, body string) map[string]any {
	c.t.Helper()
	r := c.do("POST", "/"+prefix, body)
	if r.status != http.StatusCreated {
		c.t.Fatalf("create: status %d: %s", r.status, r.body)
	}
	return r.obj(c.t)
}

// page is a decoded list reply.
type page struct {
	Users []apiUser
	URI   string
	Next  *string
}

func (c *tclient) list(path string) page {
	c.t.Helper()
	r := c.do("GET", path, "")
	if r.status != http.StatusOK {
		c.t.Fatalf("GET %s: status %d: %s", path, r.status, r.body)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &raw); err != nil {
		c.t.Fatal(err)
	}
	key := "service_users"
	if strings.Contains(path, "/bot_users") {
		key = "bot_users"
	}
	var p page
	if err := json.Unmarshal(raw[key], &p.Users); err != nil || p.Users == nil {
		c.t.Fatalf("list key %q: %v in %s", key, err, r.body)
	}
	if err := json.Unmarshal(raw["uri"], &p.URI); err != nil {
		c.t.Fatal(err)
	}
	if _, ok := raw["next_page_uri"]; !ok {
		c.t.Fatalf("next_page_uri missing: %s", r.body)
	}
	if err := json.Unmarshal(raw["next_page_uri"], &p.Next); err != nil {
		c.t.Fatal(err)
	}
	return p
}

// testPublicKey returns a fresh authorized_keys line and the private key's PEM.
func testPublicKey(t *testing.T) (string, string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " ci@example", string(pem.EncodeToMemory(block))
}

// credBody is a valid create body for col with the extra JSON fields given.
func credBody(t *testing.T, col, extra string) string {
	t.Helper()
	fields := []string{}
	if col == "ssh_credentials" {
		pub, _ := testPublicKey(t)
		fields = append(fields, fmt.Sprintf("%q:%q", "public_key", pub))
	}
	if extra != "" {
		fields = append(fields, extra)
	}
	return "{" + strings.Join(fields, ",") + "}"
}

// credKinds are the three credential collections with their list keys and ID
// prefixes.
var credKinds = []struct{ col, listKey, prefix string }{
	{"api_keys", "keys", "ak_"},
	{"credentials", "credentials", "cr_"},
	{"ssh_credentials", "ssh_credentials", "sshcr_"},
}

// acl returns the acl list of an object as strings, failing when it is not one.
func acl(t *testing.T, m map[string]any) []string {
	t.Helper()
	list, ok := m["acl"].([]any)
	if !ok {
		t.Fatalf("acl is not a list: %v", m["acl"])
	}
	out := []string{}
	for _, v := range list {
		out = append(out, v.(string))
	}
	return out
}

var tokenPattern = regexp.MustCompile(`^[0-9A-Za-z]{27}_[0-9A-Za-z]{21}$`)
