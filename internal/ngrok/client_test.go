package ngrok_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

func TestUsers_CRUD(t *testing.T) {
	srv := startEmulator(t)
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	ctx := t.Context()

	created, err := users.Create(ctx, ngrok.UserCreate{Name: "ci"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.ID, "service_") || created.Name != "ci" || !created.Active || created.URI != srv.URL()+"/service_users/"+created.ID {
		t.Fatalf("created %+v", created)
	}
	if _, err := time.Parse(time.RFC3339, created.CreatedAt); err != nil {
		t.Errorf("created_at: %v", err)
	}

	got, err := users.Get(ctx, created.ID)
	if err != nil || *got != *created {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, created)
	}

	// Only the fields sent change.
	updated, err := users.Update(ctx, created.ID, ngrok.UserUpdate{Active: new(false)})
	if err != nil || updated.Active || updated.Name != "ci" {
		t.Fatalf("Update(active=false) = %+v, %v", updated, err)
	}
	updated, err = users.Update(ctx, created.ID, ngrok.UserUpdate{Name: new("ci-2")})
	if err != nil || updated.Active || updated.Name != "ci-2" {
		t.Fatalf("Update(name) = %+v, %v", updated, err)
	}

	if err := users.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	_, err = users.Get(ctx, created.ID)
	if !ngrok.IsNotFound(err) {
		t.Fatalf("Get after Delete: %v, want not found", err)
	}
	if err := users.Delete(ctx, created.ID); !ngrok.IsNotFound(err) {
		t.Fatalf("second Delete: %v, want not found", err)
	}
}

func TestUsers_BotUsersAreTheSameCollection(t *testing.T) {
	srv := startEmulator(t)
	c := newClient(t, srv.URL(), srv.APIKey())
	bot, err := c.Users(ngrok.BotUsers).Create(t.Context(), ngrok.UserCreate{Name: "legacy", Active: new(false)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(bot.ID, "bot_") || bot.Active {
		t.Fatalf("bot user %+v", bot)
	}
	// A legacy ID read through the new path.
	got, err := c.Users(ngrok.ServiceUsers).Get(t.Context(), bot.ID)
	if err != nil || got.Name != "legacy" {
		t.Fatalf("service_users GET of a bot id = %+v, %v", got, err)
	}
}

func TestUsers_ListFollowsEveryPage(t *testing.T) {
	srv := startEmulator(t)
	seeded := srv.SeedUsers(250, "u")
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)

	srv.ResetCounts()
	var ids []string
	for u, err := range users.List(t.Context(), ngrok.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	if len(ids) != 250 {
		t.Fatalf("listed %d users, want 250", len(ids))
	}
	// Newest first.
	if ids[0] != seeded[249].ID || ids[249] != seeded[0].ID {
		t.Errorf("order: first %s last %s", ids[0], ids[249])
	}
	if n := srv.RequestCounts()["GET /service_users"]; n != 3 {
		t.Errorf("list requests = %d, want 3 pages of 100", n)
	}

	// Stopping early fetches no further page.
	srv.ResetCounts()
	for _, err := range users.List(t.Context(), ngrok.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if n := srv.TotalRequests(); n != 1 {
		t.Errorf("requests after stopping at the first user = %d, want 1", n)
	}

	// A filter is evaluated by the API and survives paging.
	srv.ResetCounts()
	n := 0
	for u, err := range users.List(t.Context(), ngrok.ListOptions{Filter: `obj.name.startsWith("u-01")`, Limit: 30}) {
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(u.Name, "u-01") {
			t.Fatalf("filter let %q through", u.Name)
		}
		n++
	}
	if n != 100 || srv.TotalRequests() != 4 {
		t.Errorf("filtered list: %d users in %d requests, want 100 in 4", n, srv.TotalRequests())
	}
}

// The API key goes only to the configured host: a next_page_uri naming
// another host is followed on the configured one.
func TestUsers_ListNeverLeavesTheConfiguredHost(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.RequestURI())
		mu.Unlock()
		if r.URL.Query().Get("before_id") == "" {
			fmt.Fprint(w, `{"service_users":[{"id":"service_1","name":"a"}],"uri":"x","next_page_uri":"https://evil.example/service_users?before_id=service_1&limit=1"}`)
			return
		}
		fmt.Fprint(w, `{"service_users":[{"id":"service_0","name":"b"}],"uri":"x","next_page_uri":null}`)
	}))
	defer api.Close()
	users := newClient(t, api.URL, "key").Users(ngrok.ServiceUsers)
	n := 0
	for _, err := range users.List(t.Context(), ngrok.ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 || len(paths) != 2 || paths[1] != "/service_users?before_id=service_1&limit=1" {
		t.Fatalf("listed %d users via %v", n, paths)
	}
}

func TestUsers_ListRefusesALoop(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"service_users":[{"id":"service_1"}],"next_page_uri":"http://`+r.Host+`/service_users?before_id=service_1"}`)
	}))
	defer api.Close()
	users := newClient(t, api.URL, "key").Users(ngrok.ServiceUsers)
	var last error
	for _, err := range users.List(t.Context(), ngrok.ListOptions{}) {
		last = err
	}
	if last == nil || !strings.Contains(last.Error(), "repeats a page") {
		t.Fatalf("err = %v, want a repeated-page error", last)
	}
}

func TestClient_RequestHeaders(t *testing.T) {
	type seen struct{ method, auth, version, ctype, ua string }
	var got []seen
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, seen{r.Method, r.Header.Get("Authorization"), r.Header.Get("Ngrok-Version"), r.Header.Get("Content-Type"), r.Header.Get("User-Agent")})
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		fmt.Fprint(w, `{"id":"service_1","name":"x","active":true,"future_field":{"nested":[1,2]}}`)
	}))
	defer api.Close()
	users := newClient(t, api.URL, "sekret").Users(ngrok.ServiceUsers)
	ctx := t.Context()
	if _, err := users.Create(ctx, ngrok.UserCreate{Name: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := users.Get(ctx, "service_1"); err != nil {
		t.Fatal(err)
	}
	if err := users.Delete(ctx, "service_1"); err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		if s.auth != "Bearer sekret" || s.version != "2" || s.ua != "terraform-provider-ngrok/test" {
			t.Errorf("%s headers: %+v", s.method, s)
		}
		wantCT := ""
		if s.method == http.MethodPost {
			wantCT = "application/json"
		}
		if s.ctype != wantCT {
			t.Errorf("%s Content-Type = %q, want %q", s.method, s.ctype, wantCT)
		}
	}
}

func TestClient_APIErrors(t *testing.T) {
	srv := startEmulator(t)
	ctx := t.Context()

	_, err := newClient(t, srv.URL(), "wrong").Users(ngrok.ServiceUsers).Get(ctx, "service_1")
	var apiErr *ngrok.Error
	if !errors.As(err, &apiErr) || !apiErr.IsUnauthorized() || apiErr.ErrorCode != "ERR_NGROK_203" || !strings.HasPrefix(apiErr.OperationID, "op_") {
		t.Fatalf("wrong key: %#v", err)
	}
	if strings.Contains(err.Error(), srv.APIKey()) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("the error quotes a key: %v", err)
	}

	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	_, err = users.Get(ctx, "service_2zzzzzzzzzzzzzzzzzzzzzzzzzz")
	if !errors.As(err, &apiErr) || !apiErr.IsNotFound() || apiErr.ErrorCode != "" || apiErr.OperationID == "" {
		t.Fatalf("missing user: %#v", err)
	}
	_, err = users.Get(ctx, "not-an-id")
	if !errors.As(err, &apiErr) || !apiErr.IsNotFound() || apiErr.ErrorCode != "ERR_NGROK_222" {
		t.Fatalf("invalid id: %#v", err)
	}
	for _, err := range users.List(ctx, ngrok.ListOptions{Filter: "obj.name =="}) {
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.ErrorCode != "ERR_NGROK_230" {
			t.Fatalf("bad filter: %#v", err)
		}
	}
}

// Error codes are strings: newer ones are not numeric.
func TestClient_NonNumericErrorCode(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Ngrok-Operation-Id", "op_header")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error_code":"ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED","status_code":400,"msg":"role not allowed","details":{"operation_id":"op_body"}}`)
	}))
	defer api.Close()
	_, err := newClient(t, api.URL, "k").Users(ngrok.ServiceUsers).Update(t.Context(), "service_1", ngrok.UserUpdate{Name: new("x")})
	var apiErr *ngrok.Error
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != "ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED" || apiErr.OperationID != "op_body" || apiErr.Message != "role not allowed" {
		t.Fatalf("%#v", err)
	}
	want := "PATCH /service_users/service_1: HTTP 400 ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED: role not allowed (operation ID op_body)"
	if err.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", err.Error(), want)
	}
}

// Every kind of reply the API does not document is a clear error carrying
// the operation ID, never a panic and never a half-decoded user.
func TestClient_HostileReplies(t *testing.T) {
	cases := []struct {
		kind emulator.FaultKind
		want string
	}{
		{emulator.FaultGarbage, "the body is not JSON"},
		{emulator.FaultTruncated, "truncated"},
		{emulator.FaultHuge, "larger than"},
		{emulator.FaultWrongTypes, "is a JSON"},
		{emulator.FaultMissingID, "no id"},
		{emulator.FaultHTML, "not an ngrok error"},
	}
	for _, tc := range cases {
		t.Run(tc.kind.String(), func(t *testing.T) {
			srv := startEmulator(t)
			u := srv.AddUser("x", true)
			users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.MaxRetries = -1 }).Users(ngrok.ServiceUsers)
			for _, op := range []struct {
				method, route string
				call          func() error
			}{
				{"GET", "/service_users/{id}", func() error { _, err := users.Get(t.Context(), u.ID); return err }},
				{"PATCH", "/service_users/{id}", func() error {
					_, err := users.Update(t.Context(), u.ID, ngrok.UserUpdate{Name: new("y")})
					return err
				}},
				{"GET", "/service_users", func() error {
					for _, err := range users.List(t.Context(), ngrok.ListOptions{}) {
						if err != nil {
							return err
						}
					}
					return nil
				}},
			} {
				srv.AddFault(emulator.Fault{Method: op.method, Route: op.route, Kind: tc.kind, Times: 1})
				err := op.call()
				var apiErr *ngrok.Error
				if !errors.As(err, &apiErr) {
					t.Fatalf("%s %s: err = %#v, want *ngrok.Error", op.method, op.route, err)
				}
				if !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s %s: %q does not say %q", op.method, op.route, err, tc.want)
				}
				if tc.kind != emulator.FaultHTML && apiErr.OperationID == "" {
					t.Errorf("%s %s: no operation ID in %q", op.method, op.route, err)
				}
			}
		})
	}
}

func TestClient_RetriesIdempotentRequests(t *testing.T) {
	srv := startEmulator(t)
	u := srv.AddUser("x", true)
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	for _, f := range []emulator.Fault{
		{Kind: emulator.FaultStatus, Status: 503, Times: 3},
		{Kind: emulator.FaultStatus, Status: 500, Times: 2},
		{Kind: emulator.FaultRateLimit, Times: 4},
		{Kind: emulator.FaultDropBeforeProcess, Times: 2},
		{Kind: emulator.FaultDropAfterProcess, Times: 2},
	} {
		srv.ResetCounts()
		f.Method, f.Route = "GET", "/service_users/{id}"
		srv.AddFault(f)
		got, err := users.Get(t.Context(), u.ID)
		if err != nil || got.ID != u.ID {
			t.Fatalf("%v×%d: %v", f.Kind, f.Times, err)
		}
		if n := srv.TotalRequests(); n != f.Times+1 {
			t.Errorf("%v×%d: %d requests, want %d", f.Kind, f.Times, n, f.Times+1)
		}
	}

	// 501 means the API will never do it: not retried.
	srv.ResetCounts()
	srv.AddFault(emulator.Fault{Method: "DELETE", Kind: emulator.FaultStatus, Status: 501, Times: 1})
	if err := users.Delete(t.Context(), u.ID); err == nil {
		t.Fatal("a 501 succeeded")
	}
	if n := srv.TotalRequests(); n != 1 {
		t.Errorf("501: %d requests, want 1", n)
	}
}

func TestClient_GivesUpAfterMaxRetries(t *testing.T) {
	srv := startEmulator(t)
	u := srv.AddUser("x", true)
	users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.MaxRetries = 2 }).Users(ngrok.ServiceUsers)
	srv.AddFault(emulator.Fault{Kind: emulator.FaultStatus, Status: 503})
	_, err := users.Get(t.Context(), u.ID)
	var apiErr *ngrok.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v, want the last 503", err)
	}
	if n := srv.TotalRequests(); n != 3 {
		t.Errorf("%d requests, want 1 + 2 retries", n)
	}
}

func TestClient_RetriesStopAtTheDeadline(t *testing.T) {
	srv := startEmulator(t)
	u := srv.AddUser("x", true)
	users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) {
		c.MaxRetries = 100
		c.RetryWaitMin, c.RetryWaitMax = 20*time.Millisecond, 20*time.Millisecond
	}).Users(ngrok.ServiceUsers)
	srv.AddFault(emulator.Fault{Kind: emulator.FaultStatus, Status: 503})
	ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
	defer cancel()
	_, err := users.Get(ctx, u.ID)
	if err == nil {
		t.Fatal("succeeded against a permanent 503")
	}
	if n := srv.TotalRequests(); n >= 100 {
		t.Errorf("%d requests: retries ignored the deadline", n)
	}
}

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

func TestParseBaseURL(t *testing.T) {
	for raw, want := range map[string]string{
		"":                          "",
		"https://api.ngrok.com":     "",
		"https://api.ngrok.com/":    "",
		"http://127.0.0.1:8080":     "",
		"http://localhost:1":        "",
		"http://[::1]:9":            "",
		"http://api.ngrok.com":      "not loopback",
		"http://10.0.0.1":           "not loopback",
		"ftp://api.ngrok.com":       "not an http or https URL",
		"api.ngrok.com":             "not an http or https URL",
		"https://":                  "has no host",
		"https://u:p@api.ngrok.com": "carries credentials",
		"https://api.ngrok.com?x=1": "query",
		"::":                        "no scheme",
		"https://api.ngrok.com:x":   "not a valid URL",
	} {
		_, err := ngrok.ParseBaseURL(raw)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", raw, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: err = %v, want %q", raw, err, want)
		}
		if err != nil && strings.Contains(err.Error(), ":p@") {
			t.Errorf("%q: the error repeats a password: %v", raw, err)
		}
	}
}

// A base URL may come from NGROK_API_BASE_URL with a password or a token in
// it. No error of ParseBaseURL repeats them, whether the URL parses or not;
// the errors show where they were (REDACTED@, ?…) and still say what is wrong.
func TestParseBaseURL_neverRepeatsSecrets(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want []string // in the error
	}{
		// Parses, then refused: for its scheme before its credentials are looked at.
		{"ftp://bobuser:hunter2secret@host", []string{`"ftp://REDACTED@host"`, "not an http or https URL"}},
		{"https://bobuser:hunter2secret@", []string{`"https://REDACTED@"`, "no host"}},
		{"https://bobuser:hunter2secret@api.ngrok.com", []string{`"https://REDACTED@api.ngrok.com"`, "carries credentials"}},
		{"http://bobuser:hunter2secret@example.com", []string{"REDACTED@example.com", "carries credentials"}},
		{"https://bobuser:hunter2secret@api.ngrok.com/?token=tok3secret", []string{`"https://REDACTED@api.ngrok.com/?…"`, "carries credentials"}},
		{"https://api.ngrok.com/?token=tok3secret", []string{`"https://api.ngrok.com/?…"`, "query or fragment"}},
		{"https://api.ngrok.com?token=tok3secret&x=1", []string{`"https://api.ngrok.com?…"`, "query or fragment"}},
		{"https://api.ngrok.com/#tok3secret", []string{`"https://api.ngrok.com/#…"`, "query or fragment"}},
		{"http://example.com/?token=tok3secret", []string{`"http://example.com/?…"`, "query"}},
		// Does not parse at all: url.Parse's reason and the value, either of
		// which may quote the secret, are not given.
		{"https://bobuser:hunter2secret@api.ngrok.com/%zz", []string{"not a valid URL"}},
		{"https://api.ngrok.com/%zz?token=tok3secret", []string{"not a valid URL"}},
		{"https://bobuser:hunter2%zzsecret@api.ngrok.com", []string{"not a valid URL"}},
		{"https://bobuser:hunter2secret@[::1", []string{"not a valid URL"}},
		{"https://bobuser:hunter2/secret@api.ngrok.com", []string{"not a valid URL"}},
		{"https://bobuser:hunter2?secret@api.ngrok.com", []string{"not a valid URL"}},
		{"https://bobuser:hunter2#secret@api.ngrok.com", []string{"not a valid URL"}},
		{"https://bobuser:hunter2 secret@api.ngrok.com", []string{"not a valid URL"}},
		{"https://api.ngrok.com:hunter2secret", []string{"not a valid URL"}}, // a key pasted as the port
		// No scheme: the value may be anything, an API key in the wrong variable say.
		{"bobuser:hunter2secret@api.ngrok.com", []string{"no scheme"}},
		{"//bobuser:hunter2secret@api.ngrok.com", []string{"no scheme"}},
		{"hunter2secret_2abcDEFghiJKLmnoPQRstu", []string{"no scheme"}},
		{"api.ngrok.com?next=https://bobuser:hunter2secret@x", []string{`"REDACTED@x"`}},
	} {
		_, err := ngrok.ParseBaseURL(tc.raw)
		if err == nil {
			t.Errorf("%q: accepted", tc.raw)
			continue
		}
		msg := err.Error()
		for _, s := range []string{"bobuser", "hunter2", "secret", "tok3", "token"} {
			if strings.Contains(msg, s) {
				t.Errorf("%q: the error repeats %q: %s", tc.raw, s, msg)
			}
		}
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%q: the error %s does not say %s", tc.raw, msg, w)
			}
		}
	}
}

// The pacer keeps a client under the emulator's rolling-window limit: no 429
// ever reaches the emulator's counter. It holds however loaded the machine:
// the pacer frees a slot a window after the client saw the reply, and the
// emulator counted the request before sending that reply.
func TestPacer_StaysUnderTheRollingLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("paces for a few seconds")
	}
	opts := emulator.DefaultOptions()
	opts.RateLimit, opts.RateWindow = 20, time.Second
	srv := emulator.New(opts)
	if err := srv.Start(""); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) {
		c.Pacer = ngrok.NewPacer(20, time.Second)
	}).Users(ngrok.ServiceUsers)
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := users.Create(t.Context(), ngrok.UserCreate{Name: fmt.Sprint("u", i)})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.RateLimited(); n != 0 {
		t.Errorf("the emulator refused %d requests as over the limit", n)
	}
	if n := len(srv.Users()); n != 60 {
		t.Errorf("%d users, want 60", n)
	}
}

// Without the pacer the same load hits the limit, and retries still get every
// request through: a 429 never surfaces as an error.
func TestClient_RateLimitedRequestsAreRetried(t *testing.T) {
	opts := emulator.DefaultOptions()
	// The emulator's clock moves 5ms each time it is read (by the rate check
	// and by a create), so the first 11 requests fall within 21 reads, well
	// inside the window however slowly they come, and the eleventh is
	// refused; later, each retry moves the window on. The outcome depends on
	// counts alone.
	var ticks atomic.Int64
	start := time.Now()
	opts.Now = func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * 5 * time.Millisecond) }
	opts.RateLimit, opts.RateWindow = 10, 200*time.Millisecond
	srv := emulator.New(opts)
	if err := srv.Start(""); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) {
		c.MaxRetries = 50
		c.RetryWaitMin, c.RetryWaitMax = 10*time.Millisecond, 100*time.Millisecond
	}).Users(ngrok.ServiceUsers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []error
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := users.Create(t.Context(), ngrok.UserCreate{Name: fmt.Sprint("u", i)}); err != nil {
				mu.Lock()
				failures = append(failures, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d creates failed, e.g. %v", len(failures), failures[0])
	}
	if srv.RateLimited() == 0 {
		t.Error("the test never hit the rate limit, so it proves nothing")
	}
	if n := len(srv.Users()); n != 40 {
		t.Errorf("%d users, want exactly 40", n)
	}
}

// A key with a character no API key has would make net/http refuse every
// request (after every retry); it is refused at once, and the error says
// what and where without repeating the key.
func TestCheckAPIKey(t *testing.T) {
	const key = "2abcDEFghiJKLmnoPQRstu_5vwxYZ0123456789aBcDeF"
	for _, tc := range []struct {
		name, key, want string
	}{
		{"a fine key", key, ""},
		{"a one-letter test key", "k", ""},
		{"empty", "", "an API key is required"},
		{"blank", " \n", "an API key is required"},
		{"a line break at the end", key + "\n", "a line break at the end"},
		{"CRLF at the end", key + "\r\n", "a line break at the end"},
		{"spaces at the end", key + "  ", "a space at the end"},
		{"a space at the start", " " + key, "a space at the start"},
		{"a tab inside", key[:10] + "\t" + key[10:], "a tab in the middle (character 11)"},
		{"a space inside", key[:4] + " " + key[4:], "a space in the middle (character 5)"},
		{"a NUL inside", key[:4] + "\x00" + key[4:], "a NUL character in the middle (character 5)"},
		{"an escape", key + "\x1b[0m", "a control character (U+001B) in the middle"},
		{"DEL", key + "\x7f", "a control character (U+007F) at the end"},
		{"a byte order mark", "\ufeff" + key, "a byte order mark (U+FEFF) at the start"},
		{"a no-break space", key + "\u00a0", "a non-ASCII space (U+00A0) at the end"},
		{"a zero-width space", key[:3] + "\u200b" + key[3:], "an invisible control character (U+200B) in the middle (character 4)"},
		{"a non-ASCII letter", key[:3] + "é" + key[3:], "a character outside ASCII in the middle (character 4)"},
		{"invalid UTF-8", key + "\xff", "a character outside ASCII at the end"},
	} {
		err := ngrok.CheckAPIKey(tc.key)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
		if err != nil {
			for _, part := range []string{key[:8], key[len(key)-8:], "é"} {
				if strings.Contains(err.Error(), part) {
					t.Errorf("%s: the error repeats part of the key (%q): %v", tc.name, part, err)
				}
			}
		}
	}
}

func TestClient_NewRefusesBadConfig(t *testing.T) {
	if _, err := ngrok.New(ngrok.Config{APIKey: " "}); err == nil {
		t.Error("accepted a blank key")
	}
	const key = "2abcDEFghiJKLmnoPQRstu_5vwxYZ0123456789aBcDeF"
	if _, err := ngrok.New(ngrok.Config{APIKey: key + "\n"}); err == nil || !strings.Contains(err.Error(), "line break at the end") {
		t.Errorf("a key with a final line break: err = %v, want it refused", err)
	} else if strings.Contains(err.Error(), key) {
		t.Errorf("the error repeats the key: %v", err)
	}
	if _, err := ngrok.New(ngrok.Config{APIKey: "k", BaseURL: "http://example.com"}); err == nil {
		t.Error("accepted plain http to a remote host")
	}
}

// TLS verification is never relaxed, and a certificate it refuses is not
// retried: the same certificate would be refused again.
func TestClient_RefusesAnUntrustedCertificate(t *testing.T) {
	var requests int
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests++ }))
	defer api.Close()
	_, err := newClient(t, api.URL, "k").Users(ngrok.ServiceUsers).Get(t.Context(), "service_1")
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v, want a certificate error", err)
	}
	if requests != 0 {
		t.Errorf("the server saw %d requests", requests)
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

// If /service_users turns out not to serve users created as bot users, a
// bot_ ID is read, updated and deleted through /bot_users instead of being
// taken for deleted.
func TestUsers_BotIDsFallBackToTheLegacyPath(t *testing.T) {
	srv := startEmulator(t)
	bot := srv.AddBotUser("legacy", true)
	split := withoutPath(t, srv, "/service_users/bot_")
	users := newClient(t, split.URL, srv.APIKey()).Users(ngrok.ServiceUsers)
	ctx := t.Context()
	if got, err := users.Get(ctx, bot.ID); err != nil || got.Name != "legacy" {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if got, err := users.Update(ctx, bot.ID, ngrok.UserUpdate{Name: new("renamed")}); err != nil || got.Name != "renamed" {
		t.Fatalf("Update = %+v, %v", got, err)
	}
	if err := users.Delete(ctx, bot.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, ok := srv.GetUser(bot.ID); ok {
		t.Fatal("the bot user survived its delete")
	}
	if _, err := users.Get(ctx, bot.ID); !ngrok.IsNotFound(err) {
		t.Fatalf("Get after delete: %v, want not found", err)
	}
}

// A proxy's 404 page says nothing about the user: it is an error, never
// "deleted", or Terraform would recreate every user behind a wrong URL.
func TestClient_AProxy404IsNotNotFound(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<html><body><h1>404 Not Found</h1>nginx</body></html>")
	}))
	defer api.Close()
	users := newClient(t, api.URL, "k").Users(ngrok.ServiceUsers)
	_, err := users.Get(t.Context(), "service_1")
	if err == nil || ngrok.IsNotFound(err) || !strings.Contains(err.Error(), "not an ngrok error") {
		t.Fatalf("err = %v; want an error that is not not-found", err)
	}
	_, err = users.NewBulkReader(ngrok.RefreshAuto).Get(t.Context(), "service_1")
	if err == nil || ngrok.IsNotFound(err) {
		t.Fatalf("bulk read: err = %v; want an error that is not not-found", err)
	}
}

// The key never reaches a diagnostic, even from a gateway that echoes the
// request's headers into its error page.
func TestClient_ErrorPagesAreScrubbedOfTheKey(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "bad gateway; you sent Authorization: %s", r.Header.Get("Authorization"))
	}))
	defer api.Close()
	users := newClient(t, api.URL, "s3cr3t-key", func(c *ngrok.Config) { c.MaxRetries = -1 }).Users(ngrok.ServiceUsers)
	_, err := users.Get(t.Context(), "service_1")
	if err == nil || strings.Contains(err.Error(), "s3cr3t-key") || !strings.Contains(err.Error(), "Bearer ***") {
		t.Fatalf("err = %v", err)
	}
}

// ngrok answers a path it does not serve with the same 404 as an unknown ID.
// Behind a wrong base URL path every user would then look deleted, and
// Terraform would recreate them all or forget them on destroy; the client
// checks the collection once and calls it a wrong URL instead.
func TestUsers_404BehindAWrongPathIsNotNotFound(t *testing.T) {
	srv := startEmulator(t)
	user := srv.SeedUsers(1, "kept")[0]
	client := newClient(t, srv.URL()+"/v2", srv.APIKey())
	users := client.Users(ngrok.ServiceUsers)
	ctx := t.Context()

	check := func(what string, err error) {
		t.Helper()
		var unserved *ngrok.UnservedCollectionError
		if !errors.As(err, &unserved) || ngrok.IsNotFound(err) {
			t.Fatalf("%s: err = %v; want an UnservedCollectionError that is not not-found", what, err)
		}
		if !strings.Contains(err.Error(), "does not serve /service_users") {
			t.Errorf("%s: the error does not say what is wrong: %v", what, err)
		}
	}
	_, err := users.Get(ctx, user.ID)
	check("Get", err)
	_, err = users.Update(ctx, user.ID, ngrok.UserUpdate{Active: new(false)})
	check("Update", err)
	check("Delete", users.Delete(ctx, user.ID))
	_, err = client.Users(ngrok.ServiceUsers).Get(ctx, "bot_2legacy")
	if !errors.As(err, new(*ngrok.UnservedCollectionError)) || ngrok.IsNotFound(err) {
		t.Fatalf("Get of a bot_ ID: err = %v; want an UnservedCollectionError", err)
	}
	for _, mode := range ngrok.RefreshModes {
		_, err := users.NewBulkReader(mode).Get(ctx, user.ID)
		if ngrok.IsNotFound(err) || err == nil {
			t.Fatalf("bulk read in %s mode: err = %v; want an error that is not not-found", mode, err)
		}
	}
	if got, ok := srv.GetUser(user.ID); !ok || !got.Active {
		t.Fatalf("the user was changed through a wrong URL: %+v, %v", got, ok)
	}
}

// The check costs one list request per collection and client, and only once
// something was not found; after that a 404 is taken at its word.
func TestUsers_NotFoundIsVettedOnce(t *testing.T) {
	srv := startEmulator(t)
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	ctx := t.Context()
	for i, want := range []int{2, 1, 1} {
		srv.ResetCounts()
		if _, err := users.Get(ctx, fmt.Sprintf("service_2missing%d", i)); !ngrok.IsNotFound(err) {
			t.Fatalf("Get %d: err = %v; want not found", i, err)
		}
		if got := srv.TotalRequests(); got != want {
			t.Errorf("Get %d of a missing user sent %d requests, want %d (%v)", i, got, want, srv.RequestCounts())
		}
	}
	srv.ResetCounts()
	if err := users.Delete(ctx, "service_2missing9"); !ngrok.IsNotFound(err) {
		t.Fatalf("Delete: err = %v; want not found", err)
	}
	if got := srv.TotalRequests(); got != 1 {
		t.Errorf("Delete of a missing user sent %d requests, want 1", got)
	}
}

// When the collection cannot be checked, a 404 is not trusted: unsure is
// not gone.
func TestUsers_UncheckedNotFoundIsAnError(t *testing.T) {
	srv := startEmulator(t)
	srv.AddFault(emulator.Fault{Method: "GET", Route: "/service_users", Kind: emulator.FaultStatus, Status: 503})
	users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.MaxRetries = 1 }).Users(ngrok.ServiceUsers)
	_, err := users.Get(t.Context(), "service_2missing")
	if err == nil || ngrok.IsNotFound(err) || !strings.Contains(err.Error(), "HTTP 503") {
		t.Fatalf("err = %v; want the list's 503, not not-found", err)
	}
}

// Concurrent 404s share one check, and so do reads whose collection a list
// page has already proved: behind a wrong path, 20 reads cost 20 GETs and one
// list, not 40 requests one after another.
func TestUsers_ConcurrentNotFoundsShareOneCheck(t *testing.T) {
	srv := startEmulator(t)
	for _, base := range []string{srv.URL(), srv.URL() + "/v2"} {
		client := newClient(t, base, srv.APIKey())
		srv.ResetCounts()
		var wg sync.WaitGroup
		errs := make([]error, 20)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = client.Users(ngrok.ServiceUsers).Get(t.Context(), fmt.Sprintf("service_2missing%02d", i))
			})
		}
		wg.Wait()
		for i, err := range errs {
			unserved := errors.As(err, new(*ngrok.UnservedCollectionError))
			if wrong := base != srv.URL(); wrong != unserved || wrong == ngrok.IsNotFound(err) {
				t.Fatalf("%s: read %d: err = %v", base, i, err)
			}
		}
		if got := srv.TotalRequests(); got != 21 {
			t.Errorf("%s: 20 reads of missing users sent %d requests, want 21", base, got)
		}
	}

	// A list page that succeeded answers the question for free.
	client := newClient(t, srv.URL(), srv.APIKey())
	if _, _, err := client.Users(ngrok.ServiceUsers).PageBefore(t.Context(), "", 1); err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	if _, err := client.Users(ngrok.ServiceUsers).Get(t.Context(), "service_2missing"); !ngrok.IsNotFound(err) {
		t.Fatalf("err = %v; want not found", err)
	}
	if got := srv.TotalRequests(); got != 1 {
		t.Errorf("a 404 after a list page sent %d requests, want 1", got)
	}
}

// A read waiting for someone else's slow check keeps its own deadline, and
// its 404 is then not trusted.
func TestUsers_NotFoundCheckHonoursTheDeadline(t *testing.T) {
	srv := startEmulator(t)
	srv.AddFault(emulator.Fault{Method: "GET", Route: "/service_users", Kind: emulator.FaultLatency, Delay: 3 * time.Second, Times: 1})
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	slow := make(chan error, 1)
	go func() {
		_, err := users.Get(t.Context(), "service_2missingA")
		slow <- err
	}()
	for srv.RequestCounts()["GET /service_users"] == 0 { // the slow check has begun
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := users.Get(ctx, "service_2missingB")
	if ngrok.IsNotFound(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; want the deadline, not not-found", err)
	}
	if waited := time.Since(began); waited > 2*time.Second {
		t.Errorf("the read waited %s for someone else's check, past its own deadline", waited)
	}
	if err := <-slow; !ngrok.IsNotFound(err) {
		t.Fatalf("the slow check's own read: err = %v; want not found", err)
	}
}

// If ngrok stops serving /bot_users while /service_users works, a deleted
// bot_ user is still deleted, not a wrong base URL.
func TestUsers_DeletedBotUserWithoutTheLegacyPath(t *testing.T) {
	srv := startEmulator(t)
	noLegacy := withoutPath(t, srv, "/bot_users")
	users := newClient(t, noLegacy.URL, srv.APIKey()).Users(ngrok.ServiceUsers)
	if _, err := users.Get(t.Context(), "bot_2deleted"); !ngrok.IsNotFound(err) {
		t.Fatalf("Get: err = %v; want not found", err)
	}
	if err := users.Delete(t.Context(), "bot_2deleted"); !ngrok.IsNotFound(err) {
		t.Fatalf("Delete: err = %v; want not found", err)
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
