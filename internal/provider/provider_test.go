package provider

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// A key shaped like an ngrok API key, for tests that never send it.
const lookalikeKey = "2abcDEFghiJKLmnoPQRstu_5vwxYZ0123456789aBcDeF"

// configureProvider runs the provider's Configure on a provider block with
// the given attributes set and the others null, as Terraform would.
func configureProvider(t *testing.T, attrs map[string]tftypes.Value) diag.Diagnostics {
	t.Helper()
	ctx := t.Context()
	p := testProvider()
	var schemaResp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &schemaResp)
	typ, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("the provider schema is a %T, not an object", schemaResp.Schema.Type().TerraformType(ctx))
	}
	values := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(at, nil)
	}
	maps.Copy(values, attrs)
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{
		Config: tfsdk.Config{Raw: tftypes.NewValue(typ, values), Schema: schemaResp.Schema},
	}, &resp)
	return resp.Diagnostics
}

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// theError returns the one error in diags, on attr.
func theError(t *testing.T, diags diag.Diagnostics, attr string) diag.Diagnostic {
	t.Helper()
	errs := diags.Errors()
	if len(errs) != 1 {
		t.Fatalf("%d errors, want 1: %v", len(errs), diags)
	}
	withPath, ok := errs[0].(diag.DiagnosticWithPath)
	if !ok || !withPath.Path().Equal(path.Root(attr)) {
		t.Fatalf("the error %q is not on %s", errs[0].Summary(), attr)
	}
	return errs[0]
}

// A key with whitespace or a control character in it would make every
// request fail inside net/http, retried for minutes as if the API were
// unreachable. Configure refuses it at once, says where it came from and
// what is wrong with it, and never repeats it.
func TestProvider_configureRefusesAnUnusableKey(t *testing.T) {
	for _, tc := range []struct {
		name          string
		config, env   string
		want, wantNot []string
	}{
		{
			name:    "api_key from file() with its line break",
			config:  lookalikeKey + "\n",
			want:    []string{"from api_key", "a line break at the end", "trimspace(file("},
			wantNot: []string{envAPIKey},
		},
		{
			name:    "NGROK_API_KEY with a line break",
			env:     lookalikeKey + "\r\n",
			want:    []string{"from the " + envAPIKey + " environment variable", "a line break at the end", "Set " + envAPIKey + " to the key alone"},
			wantNot: []string{"trimspace", "from api_key"},
		},
		{
			name:    "api_key with a space inside",
			config:  lookalikeKey[:20] + " " + lookalikeKey[20:],
			want:    []string{"from api_key", "a space in the middle (character 21)"},
			wantNot: []string{"trimspace"}, // trimming would not help
		},
		{
			name:    "NGROK_API_KEY with a tab inside",
			env:     lookalikeKey[:5] + "\t" + lookalikeKey[5:],
			want:    []string{envAPIKey, "a tab in the middle (character 6)"},
			wantNot: []string{"trimspace", "to the key alone"},
		},
		{
			name:   "api_key with a character outside ASCII",
			config: lookalikeKey + "é",
			want:   []string{"a character outside ASCII at the end"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(envAPIKey, tc.env)
			t.Setenv(envAPIBaseURL, "")
			attrs := map[string]tftypes.Value{}
			if tc.config != "" {
				attrs["api_key"] = tfString(tc.config)
			}
			d := theError(t, configureProvider(t, attrs), "api_key")
			if d.Summary() != "Invalid ngrok API key" {
				t.Errorf("summary %q, want %q", d.Summary(), "Invalid ngrok API key")
			}
			text := d.Summary() + "\n" + d.Detail()
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("the error does not say %q:\n%s", w, text)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(text, w) {
					t.Errorf("the error says %q:\n%s", w, text)
				}
			}
			for _, part := range []string{lookalikeKey[:8], lookalikeKey[len(lookalikeKey)-8:], "é"} {
				if strings.Contains(text, part) {
					t.Errorf("the error repeats part of the key (%q):\n%s", part, text)
				}
			}
		})
	}
}

// An api_key that is explicitly empty is an error; so is an api_base_url
// that is explicitly empty, rather than quietly meaning production while
// NGROK_API_BASE_URL names another API.
func TestProvider_configureRefusesAnEmptyBaseURL(t *testing.T) {
	for _, empty := range []string{"", "  ", "\n"} {
		t.Setenv(envAPIKey, lookalikeKey)
		t.Setenv(envAPIBaseURL, "http://127.0.0.1:1")
		d := theError(t, configureProvider(t, map[string]tftypes.Value{"api_base_url": tfString(empty)}), "api_base_url")
		if d.Summary() != "Empty ngrok API base URL" {
			t.Errorf("%q: summary %q", empty, d.Summary())
		}
		for _, w := range []string{"api_base_url is set to an empty string", envAPIBaseURL, "https://api.ngrok.com", "remove api_base_url"} {
			if !strings.Contains(d.Detail(), w) {
				t.Errorf("%q: the error does not say %q:\n%s", empty, w, d.Detail())
			}
		}
	}
	// Unset, it falls back to the environment, then to the default.
	for _, env := range []string{"http://127.0.0.1:1", ""} {
		t.Setenv(envAPIBaseURL, env)
		if diags := configureProvider(t, nil); diags.HasError() {
			t.Errorf("api_base_url unset, %s=%q: %v", envAPIBaseURL, env, diags)
		}
	}
}

// An api_key set to "" (a variable left at an empty default) with
// NGROK_API_KEY exported says that it hides the environment's key, instead
// of asking for a key that is there.
func TestProvider_configureEmptyKeyHidesTheEnvironments(t *testing.T) {
	t.Setenv(envAPIBaseURL, "http://127.0.0.1:1")
	t.Setenv(envAPIKey, lookalikeKey)
	d := theError(t, configureProvider(t, map[string]tftypes.Value{"api_key": tfString("")}), "api_key")
	if d.Summary() != "Empty ngrok API key" || !strings.Contains(d.Detail(), "overrides the "+envAPIKey+" environment variable") ||
		!strings.Contains(d.Detail(), "remove api_key or set it to null") {
		t.Errorf("%s: %s", d.Summary(), d.Detail())
	}
	t.Setenv(envAPIKey, "")
	if d := theError(t, configureProvider(t, map[string]tftypes.Value{"api_key": tfString("")}), "api_key"); d.Summary() != "Missing ngrok API key" {
		t.Errorf("no key anywhere: %s", d.Summary())
	}
}

// A relative NGROK_RATE_LIMIT_DIR is refused: Terraform starts providers in
// each configuration's directory, so it would split the account's budget.
func TestProvider_configureRefusesARelativeRateLimitDir(t *testing.T) {
	t.Setenv(envAPIBaseURL, "http://127.0.0.1:1")
	t.Setenv(envAPIKey, lookalikeKey)
	t.Setenv(envRateLimitDir, ".ngrok")
	diags := configureProvider(t, nil)
	if len(diags.Errors()) != 1 || !strings.Contains(diags.Errors()[0].Detail(), `is ".ngrok", a relative path`) {
		t.Errorf("diagnostics: %v", diags)
	}
	for _, ok := range []string{t.TempDir(), "off"} {
		t.Setenv(envRateLimitDir, ok)
		if diags := configureProvider(t, nil); diags.HasError() {
			t.Errorf("%s=%q: %v", envRateLimitDir, ok, diags)
		}
	}
}

// Through terraform: a key with a final line break, from the provider block
// or the environment, fails the plan at once, and the API sees no request. The key is in no diagnostic and no log line, except
// where the configuration holds it literally: terraform then quotes that line
// under the error itself (TestProvider_configureRefusesAnUnusableKey checks the
// provider's own text in that case).
func TestAccProvider_unusableKey(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	key := srv.APIKey()
	keyFile := filepath.Join(t.TempDir(), "key.txt")
	if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A variable set the way CI sets one, out of the configuration's sight.
	t.Setenv("TF_VAR_key", key+"\n")
	const keyVariable = `
variable "key" {
  type = string
}
`
	const (
		fromConfig = `(?s)Invalid ngrok API key.*from\s+api_key\s+cannot\s+be\s+used.*a\s+line\s+break\s+at\s+the\s+end`
		fromEnv    = `(?s)Invalid ngrok API key.*from\s+the\s+NGROK_API_KEY\s+environment\s+variable.*a\s+line\s+break\s+at\s+the\s+end`
	)
	cases := []struct {
		name, config, env, want string
		literal                 bool // the key is written in the configuration
	}{
		{"api_key with a line break", providerWith(fmt.Sprintf(`api_key = %q`, key+"\n")), "",
			fromConfig + `.*trimspace\(file\(`, true},
		{"api_key from file() with its line break", providerWith(fmt.Sprintf(`api_key = file(%q)`, keyFile)), "",
			fromConfig + `.*trimspace\(file\(`, false},
		{"api_key from a variable with a line break", keyVariable + providerWith(`api_key = var.key`), "",
			fromConfig, false},
		{"NGROK_API_KEY with a line break", providerWith(), key + "\n",
			fromEnv + `.*Set\s+NGROK_API_KEY\s+to\s+the\s+key\s+alone`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			logFile := filepath.Join(t.TempDir(), "trace.log")
			t.Setenv("TF_LOG", "TRACE")
			t.Setenv("TF_ACC_LOG_PATH", logFile)
			t.Setenv(envAPIKey, tc.env)
			// The emulator: where the API calls would go if the provider made any.
			t.Setenv(envAPIBaseURL, srv.URL())
			srv.ResetCounts()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config:      tc.config + ciUser,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
			if n := srv.TotalRequests(); n != 0 {
				t.Errorf("the API saw %d requests, want none", n)
			}
			logs, err := os.ReadFile(logFile)
			if err != nil {
				t.Fatal(err)
			}
			// The log holds terraform's rendering of the diagnostic, so it
			// would hold the key if the diagnostic did.
			if !strings.Contains(string(logs), "Invalid ngrok API key") {
				t.Fatalf("the TRACE log (%d bytes) has no diagnostic: it was not captured", len(logs))
			}
			if !tc.literal && strings.Contains(string(logs), key) {
				t.Error("the API key appears in the TRACE log")
			}
		})
	}
}

// An API key pasted into NGROK_API_BASE_URL (by a mix-up of variables) is not
// shown in the error that refuses it as a URL, whether or not it is also the
// configured key.
func TestProvider_configureHidesAKeyGivenAsTheBaseURL(t *testing.T) {
	for _, tc := range []struct{ key, baseURL string }{
		{lookalikeKey, lookalikeKey},
		{"", lookalikeKey},
		{lookalikeKey, lookalikeKey + "\n"},
		{"", "https://api.ngrok.com:" + lookalikeKey},
	} {
		t.Setenv(envAPIKey, tc.key)
		t.Setenv(envAPIBaseURL, tc.baseURL)
		var base diag.Diagnostic
		for _, d := range configureProvider(t, nil) {
			if strings.Contains(d.Detail(), lookalikeKey[:12]) || strings.Contains(d.Summary(), lookalikeKey[:12]) {
				t.Errorf("key %q, base URL %q: a diagnostic shows the key: %s: %s", tc.key, tc.baseURL, d.Summary(), d.Detail())
			}
			if d.Summary() == "Invalid ngrok API base URL" {
				base = d
			}
		}
		if base == nil {
			t.Errorf("key %q, base URL %q: no base URL error", tc.key, tc.baseURL)
		}
	}
}

func TestAccProvider_badConfiguration(t *testing.T) {
	accPreCheck(t)
	const authtoken = "2agentAuthtokenForTests_0123456789abcdef"
	srv := testEmulatorWith(t, func(o *emulator.Options) { o.AgentAuthtoken = authtoken })
	url := fmt.Sprintf(`api_base_url = %q`, srv.URL())
	cases := []struct {
		name, config, want string
	}{
		{"wrong key", providerWith(`api_key = "not-the-key"`, url) + ciUser,
			`(?s)API\s+key\s+\(from\s+api_key\)\s+was\s+refused.*HTTP\s+401\s+ERR_NGROK_203.*API\s+key\s+was\s+refused.\s+Check\s+api_key:`},
		{"agent authtoken as key", providerWith(fmt.Sprintf(`api_key = %q`, authtoken), url) + ciUser,
			`(?s)HTTP\s+401\s+ERR_NGROK_207.*is\s+an\s+agent\s+authtoken.*not\s+an\s+API\s+key`},
		{"missing key", providerWith(url) + ciUser,
			`(?s)Missing ngrok API key.*NGROK_API_KEY`},
		{"malformed url", providerWith(`api_key = "k"`, `api_base_url = "::not a url"`) + ciUser,
			`(?s)Invalid ngrok API base URL.*not\s+an\s+http\s+or\s+https\s+URL.*no\s+scheme`},
		{"unparsable url", providerWith(`api_key = "k"`, `api_base_url = "https://api.ngrok.com:44x3"`) + ciUser,
			`(?s)Invalid ngrok API base URL.*not\s+a\s+valid\s+URL.*should\s+look\s+like\s+https://api.ngrok.com`},
		{"empty api_base_url", providerWith(`api_key = "k"`, `api_base_url = ""`) + ciUser,
			`(?s)Empty ngrok API base URL.*remove\s+api_base_url`},
		{"plain http to a remote host", providerWith(`api_key = "k"`, `api_base_url = "http://api.ngrok.com"`) + ciUser,
			`(?s)Invalid ngrok API base URL.*not\s+loopback`},
		{"unreachable", providerWith(`api_key = "k"`, `api_base_url = "http://127.0.0.1:1"`, `max_retries = 1`) + ciUser,
			`(?s)Unable to create service user.*http://127.0.0.1:1\s+\(from\s+api_base_url\)\s+has\s+not\s+answered\s+once:\s+2\s+attempts.*connection\s+refused.*check\s+api_base_url`},
		// Retries are for an API that answered once: a wrong URL fails after a few quick attempts.
		{"unreachable, default retries", providerWith(`api_key = "k"`, `api_base_url = "http://127.0.0.1:1"`) + ciUser,
			`(?s)Unable to create service user.*has\s+not\s+answered\s+once:\s+3\s+attempts\s+to\s+connect\s+failed`},
		{"bad max_requests_per_minute", providerBlock(srv, "max_requests_per_minute = 0") + ciUser,
			`(?s)Invalid Attribute Value.*max_requests_per_minute.*must be between 1 and`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("NGROK_API_KEY", "")
			t.Setenv("NGROK_API_BASE_URL", "")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config:      tc.config,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
	if n := len(srv.Users()); n != 0 {
		t.Errorf("failed configurations left %d users behind", n)
	}
}

// The provider block may depend on a value known only at apply time; the
// plan must still work, and the apply configure the provider for real.
func TestAccProvider_unknownConfiguration(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	config := fmt.Sprintf(`
resource "terraform_data" "key" {
  input = %q
}

provider "ngrok" {
  api_key      = terraform_data.key.output
  api_base_url = %q
}

resource "ngrok_service_user" "ci" {
  name = "late-key"
}
`, srv.APIKey(), srv.URL())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []resource.TestStep{{
			Config: config,
			Check:  checkUserInEmulator(srv, "late-key", true),
		}},
	})
}
