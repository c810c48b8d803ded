package provider

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// apiErr is the API refusing a POST /api_keys with status and code.
func apiErr(status int, code string) *ngrok.Error {
	return &ngrok.Error{Method: "POST", Path: "/api_keys", StatusCode: status, ErrorCode: code, Message: "refused", OperationID: "op_1"}
}

// earlierRefused and earlierUnreachable are the errors of a request not
// sent because an earlier one met first, as the client makes them.
func earlierRefused(first *ngrok.KeyRefusedError) *ngrok.KeyRefusedError {
	return &ngrok.KeyRefusedError{Method: "GET", Path: "/x", Source: first.Source, Err: first.Err, Earlier: first}
}

func earlierUnreachable(first *ngrok.UnreachableError) *ngrok.UnreachableError {
	return &ngrok.UnreachableError{Method: "GET", Path: "/x", BaseURL: first.BaseURL, Source: first.Source, Err: first.Err, Earlier: first}
}

// An API error's detail is the error as the client tells it (with ngrok's
// code and operation ID), then one paragraph of advice for what the user
// can do about it, or none where the error already says it all.
func TestDescribeAPIError(t *testing.T) {
	transport := func(ended error) *ngrok.TransportError {
		return &ngrok.TransportError{Method: "GET", Path: "/api_keys/ak_1", Err: errors.New("connection reset"), Sent: true, Ended: ended}
	}
	unreachable := func(source string) *ngrok.UnreachableError {
		return &ngrok.UnreachableError{Method: "GET", Path: "/api_keys", BaseURL: "http://127.0.0.1:1", Source: source, Attempts: 3,
			Err: &ngrok.TransportError{Method: "GET", Path: "/api_keys", Err: errors.New("connection refused")}}
	}
	refused := func(source string, code string) *ngrok.KeyRefusedError {
		return &ngrok.KeyRefusedError{Method: "GET", Path: "/api_keys", Source: source, Err: apiErr(http.StatusUnauthorized, code)}
	}
	unserved := func(notFound error, source string) *ngrok.UnservedCollectionError {
		return &ngrok.UnservedCollectionError{NotFound: notFound, List: apiErr(http.StatusNotFound, ""), BaseURL: "https://api.ngrok.com/v1",
			Source: source, Collection: ngrok.APIKeys}
	}
	for _, tc := range []struct {
		name   string
		err    error
		advice string // "": none
	}{
		{"an error of its own", errors.New("boom"), ""},
		{"a sentence of its own", errors.New("boom."), ""},
		{"not found", apiErr(http.StatusNotFound, "ERR_NGROK_404"), ""},
		{"bad request", apiErr(http.StatusBadRequest, "ERR_NGROK_400"), ""},
		{"malformed", &ngrok.Error{Method: "GET", Path: "/api_keys", StatusCode: 200, Message: "bad JSON", Malformed: true},
			"The API's reply was not what ngrok documents"},
		{"authtoken as key", apiErr(http.StatusUnauthorized, "ERR_NGROK_207"),
			"The key from api_key (or NGROK_API_KEY) is an agent authtoken, the credential the ngrok agent logs in with"},
		{"authtoken as key, known source", refused("NGROK_API_KEY", "ERR_NGROK_206"), "The key from NGROK_API_KEY is an agent authtoken"},
		{"key refused", apiErr(http.StatusUnauthorized, "ERR_NGROK_203"), "The API key was refused. Check api_key (or NGROK_API_KEY): it must be an API key"},
		{"key refused, known source", refused("api_key", "ERR_NGROK_203"), "The API key was refused. Check api_key: it must be"},
		{"key refused, unknown source", refused("", "ERR_NGROK_203"), "The API key was refused. Check api_key (or NGROK_API_KEY): it"},
		{"key refused earlier", earlierRefused(refused("api_key", "ERR_NGROK_203")), ""},
		{"inactive owner", apiErr(http.StatusBadRequest, "ERR_NGROK_636"), "The credential's owner is inactive. Set active = true on the owner"},
		{"role refused", apiErr(http.StatusBadRequest, "ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED"), "Set roles to those, or remove roles"},
		{"role conflict", apiErr(http.StatusBadRequest, "ERR_NGROK_IAM_SERVICE_USER_ROLE_CONFLICT"), "Set roles to those, or remove roles"},
		{"read-only owner", apiErr(http.StatusForbidden, "ERR_NGROK_635"), "The API key's owner may read but not change anything"},
		{"owner named by a service user", apiErr(http.StatusForbidden, "ERR_NGROK_630"), "Only an admin's key may name another owner"},
		{"no such owner", apiErr(http.StatusBadRequest, "ERR_NGROK_634"), "owner_id names no user of this account"},
		{"forbidden", apiErr(http.StatusForbidden, "ERR_NGROK_999"), "The API key is not allowed to do this."},
		{"rate limited", apiErr(http.StatusTooManyRequests, "ERR_NGROK_226"), "rate limit was still exceeded after every retry. Lower max_requests_per_minute"},
		{"server error", apiErr(http.StatusBadGateway, ""), "The ngrok API failed after every retry"},
		{"no reply", transport(nil), "Check that api_base_url is right and the API is reachable from here."},
		{"interrupted", transport(context.Canceled), ""},
		{"timed out", transport(context.DeadlineExceeded), "The operation ran out of time. If the API is slow"},
		{"ambiguous create", &ngrok.AmbiguousCreateError{Collection: ngrok.APIKeys, Name: "ci", IDs: []string{"ak_1"}, Cause: transport(nil)}, ""},
		{"unserved", unserved(nil, ""), "Check api_base_url (or NGROK_API_BASE_URL): ngrok's API is https://api.ngrok.com, with no path"},
		{"unserved, known source", unserved(nil, "NGROK_API_BASE_URL"), "Check NGROK_API_BASE_URL: ngrok's API"},
		{"unserved object", unserved(apiErr(http.StatusNotFound, ""), "api_base_url"),
			"Check api_base_url: ngrok's API is https://api.ngrok.com, with no path, and the emulator's is the NGROK_API_BASE_URL it prints. " +
				"Nothing was taken to be deleted, and state is unchanged."},
		{"unreachable", unreachable("api_base_url"), "check api_base_url. ngrok's API is https://api.ngrok.com;"},
		{"unreachable, unknown source", unreachable(""), "check api_base_url. ngrok's API is"},
		{"unreachable by default", unreachable(defaultSource), "check that this machine can reach https://api.ngrok.com (a proxy"},
		{"unreachable earlier", earlierUnreachable(unreachable("api_base_url")), ""},
	} {
		got := describeAPIError(tc.err)
		message, advice, _ := strings.Cut(got, "\n\n")
		if want := strings.TrimSuffix(tc.err.Error(), ".") + "."; message != want {
			t.Errorf("%s: the detail begins %q, want the error, ending in one period: %q", tc.name, message, want)
		}
		if !strings.Contains(advice, tc.advice) || (advice == "") != (tc.advice == "") ||
			strings.Contains(advice, "\n\n") {
			t.Errorf("%s: advice %q, want one paragraph holding %q", tc.name, advice, tc.advice)
		}
	}
}

// addAPIErrorAt puts the error on the attribute it is about, and on none for
// the empty path, with the same summary and detail as addAPIError.
func TestAddAPIErrorAt(t *testing.T) {
	err := apiErr(http.StatusBadRequest, "ERR_NGROK_634")
	var plain diag.Diagnostics
	addAPIError(&plain, "Unable to create API key", err)
	for _, p := range []path.Path{path.Empty(), path.Root("owner_id"), path.Root("roles")} {
		var diags diag.Diagnostics
		addAPIErrorAt(&diags, p, "Unable to create API key", err)
		if len(diags) != 1 || diags.ErrorsCount() != 1 || diags[0].Summary() != plain[0].Summary() || diags[0].Detail() != plain[0].Detail() {
			t.Errorf("at %s: %s; want %s", p, diagText(diags), diagText(plain))
			continue
		}
		withPath, ok := diags[0].(diag.DiagnosticWithPath)
		if p.Equal(path.Empty()) == ok || ok && !withPath.Path().Equal(p) {
			t.Errorf("at %q: the diagnostic is on an attribute: %t", p, ok)
		}
	}
	if plain[0].Summary() != "Unable to create API key" || plain[0].Detail() != describeAPIError(err) {
		t.Errorf("addAPIError: %s", diagText(plain))
	}
}

// Before its configuration is known the provider refuses to call the API,
// saying what it could not do and how to apply in two steps.
func TestAddNotConfigured(t *testing.T) {
	var diags diag.Diagnostics
	addNotConfigured(&diags, "create the API key")
	if diags.ErrorsCount() != 1 || diags[0].Summary() != "Unable to create the API key: the provider is not configured yet" ||
		!strings.Contains(diags[0].Detail(), "Apply the resources it depends on first, for example with -target.") {
		t.Errorf("%s", diagText(diags))
	}
}

// A key the API refuses is explained by where it came from and what it is
// (an agent authtoken), never by repeating it.
func TestDescribeAPIError_refusedKeyNotRepeated(t *testing.T) {
	const authtoken = "2Ym0JqvZKCkqbEDNIuCFxJkBZPu_4g1kZh8qWk3QvUuYbxNbR"
	srv := testEmulatorWith(t, func(o *emulator.Options) { o.AgentAuthtoken = authtoken })
	client, err := ngrok.New(ngrok.Config{BaseURL: srv.URL(), APIKey: authtoken, APIKeySource: "NGROK_API_KEY", Pacer: ngrok.NewPacer(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.Credentials(ngrok.APIKeys).Create(t.Context(), ngrok.CredentialCreate{Description: "ci"})
	if err == nil {
		t.Fatal("the emulator took an agent authtoken as an API key")
	}
	got := describeAPIError(err)
	if !strings.Contains(got, "ERR_NGROK_207") || !strings.Contains(got, "The key from NGROK_API_KEY is an agent authtoken") {
		t.Errorf("%s\nwant ERR_NGROK_207 and where the key came from", got)
	}
	if strings.Contains(got, authtoken) || strings.Contains(got, authtoken[:12]) {
		t.Errorf("%s\nrepeats the key", got)
	}
}
