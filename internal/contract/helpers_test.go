package contract

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// target is the API one case runs against: the real account, shared by
// every case, or an emulator of the case's own.
type target struct {
	*account
	t   *testing.T
	emu *emulator.Server // nil against the real account
}

// open returns the API for a case. Against the real account opts are
// ignored: cases that depend on an emulator option observe rather than
// assert (see observe and eachOption).
func open(t *testing.T, opts emulator.Options) *target {
	t.Helper()
	if live != nil {
		return &target{account: live, t: t}
	}
	emu := emulator.New(opts)
	if err := emu.Start(""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	acct, err := newAccount(emu.URL(), emu.APIKey(), ngrok.NewPacer(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return &target{account: acct, t: t, emu: emu}
}

// onRealAccount reports whether the case runs against the real account.
func (tg *target) onRealAccount() bool { return tg.emu == nil }

// eachOption runs body against the emulator once with the option off and
// once on, and against the real account once (on is then meaningless: the
// body must only observe what depends on it).
func eachOption(t *testing.T, option string, body func(t *testing.T, on bool)) {
	if live != nil {
		body(t, false)
		return
	}
	for _, on := range []bool{false, true} {
		t.Run(fmt.Sprintf("%s=%t", option, on), func(t *testing.T) { body(t, on) })
	}
}

// observe records what the API does where ngrok documents nothing and our
// code works either way. Against the real account the value is logged for
// the maintainer; against the emulator it must be what the emulator's
// options promise.
func (tg *target) observe(what string, got, emulated any) {
	tg.t.Helper()
	if tg.onRealAccount() {
		tg.t.Logf("OBSERVED %s: %s (the emulator by default: %s)", what, shown(got), shown(emulated))
		return
	}
	if !reflect.DeepEqual(got, emulated) {
		tg.t.Errorf("%s: got %v, the emulator promises %v", what, got, emulated)
	}
}

// shown formats an observed value, quoting strings so that "" shows.
func shown(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case []any:
		parts := make([]string, len(v))
		for i, p := range v {
			parts[i] = shown(p)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprint(v)
}

func (tg *target) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	tg.t.Cleanup(cancel)
	return ctx
}

// name returns a name (or description) marked as this run's.
func (tg *target) name(label string) string {
	return fmt.Sprintf("%s%s-%d", tg.prefix, label, tg.seq.Add(1))
}

// user creates a user through col and deletes it when the case ends.
func (tg *target) user(col ngrok.Collection, label string, active bool) ngrok.User {
	tg.t.Helper()
	u, err := tg.client.Users(col).Create(tg.ctx(), ngrok.UserCreate{Name: tg.name(label), Active: &active})
	if err != nil {
		tg.t.Fatalf("creating a user through /%s: %v", col, err)
	}
	tg.deleteLater(col, u.ID)
	return *u
}

// credential creates a credential described as this run's and deletes it
// when the case ends. The token is in the result.
func (tg *target) credential(col ngrok.Collection, label string, in ngrok.CredentialCreate) ngrok.Credential {
	tg.t.Helper()
	in.Description = tg.name(label)
	cr, err := tg.client.Credentials(col).Create(tg.ctx(), in)
	if err != nil {
		tg.t.Fatalf("creating a credential through /%s: %v", col, err)
	}
	tg.deleteLater(col, cr.ID)
	return *cr
}

// deleteLater deletes an object when the case ends, failed or not; one
// already gone is fine.
func (tg *target) deleteLater(col ngrok.Collection, id string) {
	tg.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var err error
		switch col {
		case ngrok.ServiceUsers, ngrok.BotUsers:
			err = tg.client.Users(col).Delete(ctx, id)
		default:
			err = tg.client.Credentials(col).Delete(ctx, id)
		}
		if err != nil && !ngrok.IsNotFound(err) {
			tg.t.Errorf("cleanup: deleting %s: %v", id, err)
		}
	})
}

// rawReply is a reply read without the client, to see the wire shape.
type rawReply struct {
	status int
	header http.Header
	body   []byte
}

// object decodes the reply as a JSON object.
func (r rawReply) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		t.Fatalf("HTTP %d: the body is not a JSON object (%v): %.200s", r.status, err, r.body)
	}
	return m
}

// request is a raw request: path relative to the base URL (with a query), or
// an absolute URL on it; key "" is the account's; noVersion leaves out
// Ngrok-Version.
type request struct {
	method, path string
	body         any
	key          string
	noVersion    bool
}

// get is a raw GET with the account's key.
func (tg *target) get(path string) rawReply {
	tg.t.Helper()
	return tg.do(request{method: http.MethodGet, path: path})
}

// read is a raw GET that must succeed, decoded.
func (tg *target) read(path string) map[string]any {
	tg.t.Helper()
	r := tg.get(path)
	if r.status != http.StatusOK {
		tg.t.Fatalf("GET %s: HTTP %d: %.300s", path, r.status, r.body)
	}
	return r.object(tg.t)
}

// patch is a raw PATCH that must succeed, decoded.
func (tg *target) patch(path string, body any) map[string]any {
	tg.t.Helper()
	r := tg.do(request{method: http.MethodPatch, path: path, body: body})
	if r.status != http.StatusOK {
		tg.t.Fatalf("PATCH %s: HTTP %d: %.300s", path, r.status, r.body)
	}
	return r.object(tg.t)
}

// do sends a raw request, paced like the client's. Against the real
// account a 429 (another tool of the account) is waited out a few times.
func (tg *target) do(rq request) rawReply {
	tg.t.Helper()
	url := rq.path
	if !strings.Contains(url, "://") {
		url = tg.baseURL + rq.path
	} else if !strings.HasPrefix(url, tg.baseURL+"/") {
		// The key goes only where the maintainer sent it.
		tg.t.Fatalf("refusing to send the key to %s, which is not under %s", url, tg.baseURL)
	}
	key := cmp.Or(rq.key, tg.apiKey)
	for attempt := 1; ; attempt++ {
		var body io.Reader
		if rq.body != nil {
			b, err := json.Marshal(rq.body)
			if err != nil {
				tg.t.Fatal(err)
			}
			body = bytes.NewReader(b)
		}
		req, err := http.NewRequestWithContext(tg.ctx(), rq.method, url, body)
		if err != nil {
			tg.t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+key)
		if !rq.noVersion {
			req.Header.Set("Ngrok-Version", ngrok.APIVersion)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		slot, err := tg.pacer.Acquire(req.Context())
		if err != nil {
			tg.t.Fatal(err)
		}
		resp, err := tg.http.Do(req)
		if err != nil {
			slot.Release()
			// The error names the URL, never the key (it is in a header).
			tg.t.Fatalf("%s %s: %v", rq.method, rq.path, err)
		}
		data, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			slot.RateLimited() // the window is fuller than this run's own requests
		} else {
			slot.Release()
		}
		if err != nil {
			tg.t.Fatalf("%s %s: reading the reply: %v", rq.method, rq.path, err)
		}
		if resp.StatusCode == http.StatusTooManyRequests && tg.onRealAccount() && attempt < 4 {
			time.Sleep(time.Duration(attempt) * 15 * time.Second)
			continue
		}
		// ngrok's messages may quote the credential sent; a failing case
		// prints bodies, and the key must not end up in a CI log.
		data = []byte(ngrok.Scrub(string(data), key))
		return rawReply{status: resp.StatusCode, header: resp.Header, body: data}
	}
}

// checkError checks that r is ngrok's error reply with status and, unless
// code is "", that error_code; it returns the error_code ("" when absent).
func checkError(t *testing.T, r rawReply, status int, code string) string {
	t.Helper()
	if r.status != status {
		t.Fatalf("got HTTP %d, want %d: %.300s", r.status, status, r.body)
	}
	m := r.object(t)
	if got := fmt.Sprint(m["status_code"]); got != fmt.Sprint(status) {
		t.Errorf("status_code %s, want %d", got, status)
	}
	if msg, _ := m["msg"].(string); msg == "" {
		t.Errorf("no msg in %s", r.body)
	}
	details, _ := m["details"].(map[string]any)
	if op, _ := details["operation_id"].(string); op == "" && r.header.Get("Ngrok-Operation-Id") == "" {
		t.Errorf("no operation ID, neither in details.operation_id nor in the Ngrok-Operation-Id header: %s", r.body)
	}
	got, _ := m["error_code"].(string)
	if code != "" && got != code {
		t.Errorf("error_code %q, want %q", got, code)
	}
	return got
}

// items returns the objects of a list reply under key, failing when the
// key is missing.
func items(t *testing.T, m map[string]any, key string) []map[string]any {
	t.Helper()
	raw, ok := m[key].([]any)
	if !ok {
		t.Fatalf("the list has no %q array: %v", key, m)
	}
	out := make([]map[string]any, 0, len(raw))
	for _, v := range raw {
		obj, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("an item of %q is not an object: %v", key, v)
		}
		out = append(out, obj)
	}
	return out
}

// key is the ordered part of an ID, after its type prefix.
func key(id string) string {
	_, k, _ := strings.Cut(id, "_")
	return k
}

// ghost returns an ID of prefix that names no object: like an ID of this
// run (id) but for its last digit, so it is as well formed as real ones.
func ghost(prefix, id string) string {
	k := key(id)
	last := byte('0')
	if k[len(k)-1] == '0' {
		last = '1'
	}
	return prefix + k[:len(k)-1] + string(last)
}

// collect reads every object a List yields, failing the case on an error.
func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatalf("listing: %v", err)
		}
		out = append(out, v)
	}
	return out
}

// ids lists the IDs of users or credentials.
func ids[T ngrok.User | ngrok.Credential](objs []T) []string {
	out, _ := idsAndTimes(objs)
	return out
}

// idsAndTimes lists the IDs and created_at of users or credentials.
func idsAndTimes[T ngrok.User | ngrok.Credential](objs []T) (ids, createdAts []string) {
	for _, o := range objs {
		switch v := any(o).(type) {
		case ngrok.User:
			ids, createdAts = append(ids, v.ID), append(createdAts, v.CreatedAt)
		case ngrok.Credential:
			ids, createdAts = append(ids, v.ID), append(createdAts, v.CreatedAt)
		}
	}
	return ids, createdAts
}
