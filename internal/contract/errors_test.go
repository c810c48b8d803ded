package contract

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// TestContract_UnknownIDIs404: a well-formed ID that names nothing gets 404
// in ngrok's error shape on every path the client calls, for GET and DELETE,
// and the client calls that not found (Read then drops the resource, Delete
// counts it done). Whether the body has an error_code is recorded: the
// emulator sends none, and the client does not need one.
func TestContract_UnknownIDIs404(t *testing.T) {
	tg := open(t, emulator.Options{})
	u := tg.user(ngrok.ServiceUsers, "ghost", true)
	for _, c := range []struct {
		col    ngrok.Collection
		prefix string
	}{
		{ngrok.ServiceUsers, "service_"}, {ngrok.BotUsers, "bot_"},
		{ngrok.APIKeys, "ak_"}, {ngrok.Authtokens, "cr_"}, {ngrok.SSHCredentials, "sshcr_"},
	} {
		id := ghost(c.prefix, u.ID)
		code := checkError(t, tg.get("/"+string(c.col)+"/"+id), http.StatusNotFound, "")
		tg.observe("error_code of GET /"+string(c.col)+"/{unknown id}", code, "")
		checkError(t, tg.do(request{method: http.MethodDelete, path: "/" + string(c.col) + "/" + id}), http.StatusNotFound, "")

		var err error
		if c.prefix == "service_" || c.prefix == "bot_" {
			_, err = tg.client.Users(c.col).Get(tg.ctx(), id)
		} else {
			_, err = tg.client.Credentials(c.col).Get(tg.ctx(), id)
		}
		if !ngrok.IsNotFound(err) {
			t.Errorf("the client's Get of %s: %v; want a not-found error", id, err)
		}
	}
}

// TestContract_UnknownPathLooksLikeUnknownID: a path the API does not serve
// gets a 404 that looks like an unknown ID's, which is why the client vets a
// 404 with one list before it believes the object is gone (served.go): with
// a wrong base URL path every user would otherwise look deleted. The case
// checks that the hedge is needed and that it works. It also checks the
// emulator's order of checks: an unknown path gets 404 even with a wrong key.
func TestContract_UnknownPathLooksLikeUnknownID(t *testing.T) {
	tg := open(t, emulator.Options{})
	u := tg.user(ngrok.ServiceUsers, "path", true)
	checkError(t, tg.get("/v2/service_users/"+u.ID), http.StatusNotFound, "")

	wrong, err := tg.with(tg.baseURL+"/v2", tg.apiKey)
	if err != nil {
		t.Fatal(err)
	}
	_, err = wrong.client.Users(ngrok.ServiceUsers).Get(tg.ctx(), u.ID)
	if !isUnserved(err) {
		t.Errorf("Get of an existing user under a wrong base URL: %v; want an UnservedCollectionError, not a not-found error", err)
	}
	// A list answered 404 can only mean the collection is not served (a
	// list has no ID to be unknown), and the client says so at once.
	if _, _, err := wrong.client.Users(ngrok.ServiceUsers).PageBefore(tg.ctx(), "", 1); !isUnserved(err) {
		t.Errorf("a list under a wrong base URL path: %v; want an UnservedCollectionError", err)
	}

	withWrongKey := tg.do(request{method: http.MethodGet, path: "/v2/service_users", key: wrongKey})
	tg.observe("status of an unknown path with a wrong key", withWrongKey.status, http.StatusNotFound)
}

func isUnserved(err error) bool {
	_, ok := errors.AsType[*ngrok.UnservedCollectionError](err)
	return ok && !ngrok.IsNotFound(err)
}

// wrongKey is shaped like an ngrok API key (a KSUID, "_", a random part) but
// is nobody's.
const wrongKey = "2contractWrongKey0000000000_contract0000000000000"

// TestContract_WrongKeyIs401: a well-formed key that is not the account's
// gets 401 ERR_NGROK_203, which the client calls unauthorized (never
// retried, never taken for "not found").
func TestContract_WrongKeyIs401(t *testing.T) {
	tg := open(t, emulator.Options{})
	checkError(t, tg.do(request{method: http.MethodGet, path: "/service_users?limit=1", key: wrongKey}), http.StatusUnauthorized, "ERR_NGROK_203")
	wrong, err := tg.with(tg.baseURL, wrongKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := wrong.client.Users(ngrok.ServiceUsers).PageBefore(tg.ctx(), "", 1); !ngrok.IsUnauthorized(err) {
		t.Errorf("the client with a wrong key: %v; want an unauthorized error", err)
	}
}

// TestContract_MalformedIDIs404: an ID that cannot be one gets 404
// ERR_NGROK_222, which the client calls not found too.
func TestContract_MalformedIDIs404(t *testing.T) {
	tg := open(t, emulator.Options{})
	checkError(t, tg.get("/service_users/not-an-id"), http.StatusNotFound, "ERR_NGROK_222")
}

// TestContract_BadFilterIs400: a filter that does not compile gets 400
// ERR_NGROK_230, a request error the client does not retry.
func TestContract_BadFilterIs400(t *testing.T) {
	tg := open(t, emulator.Options{})
	checkError(t, tg.get("/service_users?filter="+url.QueryEscape("obj.name ==")), http.StatusBadRequest, "ERR_NGROK_230")
}

// TestContract_MissingVersionIs400: a request without Ngrok-Version gets 400
// ERR_NGROK_218 (the client always sends "2").
func TestContract_MissingVersionIs400(t *testing.T) {
	tg := open(t, emulator.Options{})
	checkError(t, tg.do(request{method: http.MethodGet, path: "/service_users?limit=1", noVersion: true}), http.StatusBadRequest, "ERR_NGROK_218")
}

// TestContract_RateLimitedReplyHasNoRetryAfter: over the limit, 429
// ERR_NGROK_226 with no Retry-After and no rate-limit headers, so the
// client's pacer and backoff must work blind. Never provoked on a real
// account.
func TestContract_RateLimitedReplyHasNoRetryAfter(t *testing.T) {
	if live != nil {
		t.Skip("not provoked against a real account: a 429 would hold up every tool of the account for up to a minute")
	}
	tg := open(t, emulator.Options{RateLimit: 2})
	var r rawReply
	for range 3 {
		r = tg.get("/service_users?limit=1")
	}
	checkError(t, r, http.StatusTooManyRequests, "ERR_NGROK_226")
	for name := range r.header {
		if strings.EqualFold(name, "Retry-After") || strings.HasPrefix(strings.ToLower(name), "x-ratelimit") {
			t.Errorf("429 with header %s", name)
		}
	}
}
