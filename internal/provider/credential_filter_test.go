package provider

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// The API filter is the user's CEL filter, parenthesized on lines of its own
// so that neither its || nor a trailing comment reaches the owner term, and
// the owner, both spellings of a service user, joined with &&; the owner ID
// is quoted as a CEL string whatever it holds.
func TestCredentialFilter_celFilter(t *testing.T) {
	for _, tc := range []struct {
		name          string
		owner, filter types.String
		want          string
	}{
		{"neither", nullString, nullString, ""},
		{"filter", nullString, str(`obj.description == "ci" // the CI's`), "(\nobj.description == \"ci\" // the CI's\n)"},
		{"account user", str("usr_1"), nullString, `obj.owner_id == "usr_1"`},
		{"service user", str("service_2Ym0"), nullString, `(obj.owner_id == "service_2Ym0" || obj.owner_id == "bot_2Ym0")`},
		{"bot spelling", str("bot_2Ym0"), nullString, `(obj.owner_id == "service_2Ym0" || obj.owner_id == "bot_2Ym0")`},
		{"quoted", str(`usr_a" || true || "\`), nullString, `obj.owner_id == "usr_a\" || true || \"\\"`},
		{"both", str("usr_1"), str("obj.description == 'a' || obj.metadata == 'b'"),
			"(\nobj.description == 'a' || obj.metadata == 'b'\n) && obj.owner_id == \"usr_1\""},
	} {
		f := credentialFilter{OwnerID: tc.owner, Filter: tc.filter}
		if got := f.celFilter(); got != tc.want {
			t.Errorf("%s: celFilter() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// An empty or blank filter is refused on the filter attribute, with the
// kind's noun in the advice; an absent, unknown or written one is not.
func TestCredentialFilter_validate(t *testing.T) {
	for _, tc := range []struct {
		filter types.String
		bad    bool
	}{
		{nullString, false},
		{types.StringUnknown(), false},
		{str("obj.description == 'ci'"), false},
		{str(""), true},
		{str(" \n\t"), true},
	} {
		var diags diag.Diagnostics
		f := credentialFilter{OwnerID: nullString, Filter: tc.filter}
		f.validate(authtokenKind.noun, &diags)
		if diags.HasError() != tc.bad || len(diags) > 1 {
			t.Errorf("filter %s: %s; want an error: %t", tc.filter, diagText(diags), tc.bad)
			continue
		}
		if !tc.bad {
			continue
		}
		d, ok := diags[0].(diag.DiagnosticWithPath)
		if !ok || !d.Path().Equal(path.Root("filter")) || d.Summary() != "Empty filter" ||
			!strings.Contains(d.Detail(), "to list every authtoken,") {
			t.Errorf("filter %s: %s, want \"Empty filter\" on filter, naming authtokens", tc.filter, diagText(diags))
		}
	}
}

// listDescriptions lists the API keys f selects and returns their
// descriptions in the order they came, and the error, if any, that ended
// the list.
func listDescriptions(t *testing.T, client *ngrok.Client, f credentialFilter, pageSize int) ([]string, error) {
	t.Helper()
	var got []string
	var failed error
	for cred, err := range f.credentials(t.Context(), client, ngrok.APIKeys, pageSize) {
		switch {
		case failed != nil:
			t.Errorf("%+v, %v yielded after the error %v: an error must be the last thing yielded", cred, err, failed)
		case err != nil:
			failed = err
		default:
			got = append(got, cred.Description)
		}
	}
	return got, failed
}

// ownersEmulator holds API keys of a user created as a bot user (two), of a
// service user (one) and of the account user (one), oldest first.
func ownersEmulator(t *testing.T) (srv *emulator.Server, bot emulator.User) {
	t.Helper()
	srv = testEmulator(t)
	bot, svc := srv.AddBotUser("bot", true), srv.AddUser("svc", true)
	for _, k := range []struct{ owner, desc string }{
		{"service_" + strings.TrimPrefix(bot.ID, "bot_"), "x-old"}, {svc.ID, "x-svc"}, {"", "x-account"}, {bot.ID, "y-new"},
	} {
		if _, err := srv.AddCredential("api_keys", k.owner, emulator.Credential{Description: k.desc}); err != nil {
			t.Fatal(err)
		}
	}
	return srv, bot
}

// credentials yields the keys of the owner, by either spelling, that the
// filter selects, newest first; a server that ignores the filter does not
// change which owner's keys come back.
func TestCredentialFilter_credentials(t *testing.T) {
	srv, bot := ownersEmulator(t)
	service := "service_" + strings.TrimPrefix(bot.ID, "bot_")
	// ignoring is the emulator behind a proxy that drops the filter.
	ignoring := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		q.Del("filter")
		r.URL.RawQuery = q.Encode()
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ignoring.Close)
	for _, tc := range []struct {
		name          string
		base          string
		owner, filter types.String
		want          []string
	}{
		{"every key", srv.URL(), nullString, nullString, []string{"y-new", "x-account", "x-svc", "x-old"}},
		{"service spelling", srv.URL(), str(service), nullString, []string{"y-new", "x-old"}},
		{"bot spelling", srv.URL(), str(bot.ID), nullString, []string{"y-new", "x-old"}},
		{"owner and filter", srv.URL(), str(service), str(`obj.description.startsWith("x-")`), []string{"x-old"}},
		{"filter alone", srv.URL(), nullString, str(`obj.description.startsWith("x-")`), []string{"x-account", "x-svc", "x-old"}},
		{"filter ignored", ignoring.URL, str(bot.ID), nullString, []string{"y-new", "x-old"}},
	} {
		client := testClient(t, tc.base, srv.APIKey())
		got, err := listDescriptions(t, client, credentialFilter{OwnerID: tc.owner, Filter: tc.filter}, 1)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

// The keys come in pages of pageSize, and a caller that stops reading
// fetches no further page.
func TestCredentialFilter_credentialsByPages(t *testing.T) {
	for _, tc := range []struct {
		pageSize, read, requests int
	}{
		{1, 1, 1},
		{1, 4, 4},
		{2, 3, 2},
		{0, 4, 1},
	} {
		srv, _ := ownersEmulator(t)
		client := testClient(t, srv.URL(), srv.APIKey())
		f := credentialFilter{OwnerID: nullString, Filter: nullString}
		read := 0
		for _, err := range f.credentials(t.Context(), client, ngrok.APIKeys, tc.pageSize) {
			if err != nil {
				t.Fatal(err)
			}
			if read++; read == tc.read {
				break
			}
		}
		if n := srv.RequestCounts()["GET /api_keys"]; read != tc.read || n != tc.requests {
			t.Errorf("%d of 4 keys by pages of %d: read %d in %d list requests, want %d", tc.read, tc.pageSize, read, n, tc.requests)
		}
	}
}

// The API's refusal of the filter is the last thing yielded, at the line and
// column of the filter the user wrote.
func TestCredentialFilter_credentialsErrorInUserTerms(t *testing.T) {
	srv, bot := ownersEmulator(t)
	client := testClient(t, srv.URL(), srv.APIKey())
	f := credentialFilter{OwnerID: str(bot.ID), Filter: str("obj.description ==")}
	got, err := listDescriptions(t, client, f, 0)
	if len(got) != 0 || err == nil {
		t.Fatalf("%q, %v; want only an error", got, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "ERR_NGROK_230") || !strings.Contains(msg, "filter line 1, column 19") ||
		strings.Contains(msg, "owner_id") {
		t.Errorf("%s\nwant ERR_NGROK_230 at filter line 1, column 19, and nothing of the owner term", msg)
	}
}
