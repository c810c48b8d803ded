// Helpers shared by the provider's tests: the provider and emulator under
// test, and checks against the emulator's state. The configurations they
// apply are written by helpers_config_test.go.
package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// testRunDir is a directory that lasts as long as the test run.
var testRunDir string

// TestMain points terraform-plugin-testing at the terraform on PATH, so an
// acceptance run never tries to download one, and gives terraform an empty
// CLI configuration, so the developer's own cannot change what is tested.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") != "" && os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if p, err := exec.LookPath("terraform"); err == nil {
			_ = os.Setenv("TF_ACC_TERRAFORM_PATH", p)
		}
	}
	code := func() int {
		dir, err := os.MkdirTemp("", "ngrok-provider-test")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer func() { _ = os.RemoveAll(dir) }()
		cli := filepath.Join(dir, "terraformrc")
		if err := os.WriteFile(cli, nil, 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		_ = os.Setenv("TF_CLI_CONFIG_FILE", cli)
		testRunDir = dir
		// Each test's emulator is an account of its own: keep their shared
		// rate-limit windows out of the user's cache directory.
		if os.Getenv(envRateLimitDir) == "" {
			_ = os.Setenv(envRateLimitDir, dir)
		}
		_ = os.Setenv("CHECKPOINT_DISABLE", "1")
		return m.Run()
	}()
	os.Exit(code)
}

func (f planCheckFunc) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f(req.Plan)
}

var botIDPattern = regexp.MustCompile(`^bot_[0-9A-Za-z]{27}$`)

// checkRequests fails unless the emulator counted exactly the wanted number
// of requests for each "METHOD /template" given.
func checkRequests(srv *emulator.Server, want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		counts := srv.RequestCounts()
		for k, n := range want {
			if counts[k] != n {
				return fmt.Errorf("%s requests = %d, want %d (all counts: %v)", k, counts[k], n, counts)
			}
		}
		return nil
	}
}

// noWrites are the requests that would create or delete a user: a migration
// must send none of them.
var noWrites = map[string]int{
	"POST /service_users": 0, "POST /bot_users": 0,
	"DELETE /service_users/{id}": 0, "DELETE /bot_users/{id}": 0,
}

// checkOnlyReads fails t unless every request the emulator counted is a
// GET: what must change nothing in the account (an adoption, a move).
func checkOnlyReads(t *testing.T, srv *emulator.Server, what string) {
	t.Helper()
	counts := srv.RequestCounts()
	for route, n := range counts {
		if n > 0 && !strings.HasPrefix(route, "GET ") {
			t.Errorf("%s sent %d %s: it must change nothing (all requests: %v)", what, n, route, counts)
		}
	}
}

func hasWarning(diags diag.Diagnostics, text string) bool {
	for _, d := range diags.Warnings() {
		if strings.Contains(d.Summary()+d.Detail(), text) {
			return true
		}
	}
	return false
}

func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

// validate runs a string validator on one value and returns its error text.
func validate(v validator.String, value string) string {
	var resp validator.StringResponse
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(value)}, &resp)
	return diagText(resp.Diagnostics)
}

// testProvider is the provider as released, on a faster clock: retries wait
// milliseconds instead of seconds, and max_requests_per_minute counts per
// second, so pacing and its recovery after a 429 take a sixtieth of the time.
func testProvider() *ngrokProvider {
	return &ngrokProvider{
		version:      "test",
		retryWaitMin: time.Millisecond,
		retryWaitMax: 20 * time.Millisecond,
		rateWindow:   time.Second,
		settleTime:   500 * time.Millisecond,
	}
}

// protoV6Factories serves the provider in-process; terraform reattaches to it.
var protoV6Factories = factoriesWith(nil)

// factoriesWith serves a test provider adjusted by tweak.
func factoriesWith(tweak func(*ngrokProvider)) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"ngrok": func() (tfprotov6.ProviderServer, error) {
			p := testProvider()
			if tweak != nil {
				tweak(p)
			}
			return providerserver.NewProtocol6WithError(p)()
		},
	}
}

// testEmulator starts an emulator for one test: real HTTP on loopback, no
// rate limit unless the test sets one.
func testEmulator(t *testing.T) *emulator.Server {
	t.Helper()
	return testEmulatorWith(t, nil)
}

// testEmulatorWith starts an emulator with options adjusted by tweak.
func testEmulatorWith(t *testing.T, tweak func(*emulator.Options)) *emulator.Server {
	t.Helper()
	opts := emulator.DefaultOptions()
	opts.RateLimit = 0
	if tweak != nil {
		tweak(&opts)
	}
	srv := emulator.New(opts)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// testClient is an API client of baseURL (an emulator's, usually) for tests
// that call the API without terraform: unpaced, retrying at once.
func testClient(t *testing.T, baseURL, apiKey string) *ngrok.Client {
	t.Helper()
	client, err := ngrok.New(ngrok.Config{BaseURL: baseURL, APIKey: apiKey, Pacer: ngrok.NewPacer(0, 0),
		RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// steadyEmulator starts an emulator whose clock moves only when the test
// moves it (emulator.SteadyClock): for tests whose outcome hangs on the
// second objects are created in, which a real clock would tick through now
// and then.
func steadyEmulator(t *testing.T) (*emulator.Server, *emulator.SteadyClock) {
	t.Helper()
	clk := emulator.NewSteadyClock()
	return testEmulatorWith(t, func(o *emulator.Options) { o.Now = clk.Now }), clk
}

// accPreCheck skips acceptance tests unless TF_ACC is set, as
// terraform-plugin-testing does, but with a message that says how to run them.
func accPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc) to run it against terraform and the emulator")
	}
	if _, err := exec.LookPath(os.Getenv("TF_ACC_TERRAFORM_PATH")); err != nil {
		t.Fatalf("acceptance tests need terraform (>= 1.11) on PATH or in TF_ACC_TERRAFORM_PATH: %v", err)
	}
}

// envRequireIdentity, when set, turns the identity tests' skip on a CLI
// without resource identity into a failure. make test sets it for the
// OpenTofu run, so that those tests cannot be skipped on both CLIs unnoticed.
const envRequireIdentity = "NGROK_ACC_REQUIRE_IDENTITY"

// identityVersionChecks gate a test on resource identity, which Terraform
// and OpenTofu support from 1.12 on (OpenTofu 1.12.6 reports 1.12.6-dev,
// which counts as 1.12.6).
func identityVersionChecks() []tfversion.TerraformVersionCheck {
	if os.Getenv(envRequireIdentity) != "" {
		return []tfversion.TerraformVersionCheck{tfversion.RequireAbove(tfversion.Version1_12_0)}
	}
	return []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}
}

// envRequireQuery, when set, turns the terraform query tests' skip on a
// CLI without query into a failure. make test sets it for the newest
// Terraform, so that those tests cannot be skipped everywhere unnoticed.
const envRequireQuery = "NGROK_ACC_REQUIRE_QUERY"

// queryVersionChecks gate a test on terraform query: Terraform 1.14 and
// later. OpenTofu has no query whatever its version (opentofu/opentofu#3787),
// so the CLI itself is checked, not only its version.
func queryVersionChecks(t *testing.T) []tfversion.TerraformVersionCheck {
	t.Helper()
	if cliIsOpenTofu() {
		if os.Getenv(envRequireQuery) != "" {
			t.Fatalf("%s is set, but the CLI under test is OpenTofu, which has no terraform query", envRequireQuery)
		}
		t.Skip("OpenTofu has no `query` command (opentofu/opentofu#3787): list resources are tested on Terraform 1.14 and later")
	}
	if os.Getenv(envRequireQuery) != "" {
		return []tfversion.TerraformVersionCheck{tfversion.RequireAbove(tfversion.Version1_14_0)}
	}
	return []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}
}

var openTofu struct {
	once sync.Once
	is   bool
}

// cliIsOpenTofu reports whether the CLI under test is OpenTofu, which says
// so in its version.
func cliIsOpenTofu() bool {
	openTofu.once.Do(func() {
		out, err := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "version").Output()
		openTofu.is = err == nil && strings.HasPrefix(string(out), "OpenTofu")
	})
	return openTofu.is
}

// driftPlan is what a PlanOnly step expects after a change made outside
// Terraform: a plan that is not empty, and that does action to addr.
func driftPlan(addr string, action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, action)}}
}

// lazyPlanCheck is a plan check built when the plan is checked: for an
// address a step's PreConfig learns (the resource whose object it deleted).
type lazyPlanCheck func() plancheck.PlanCheck

func (f lazyPlanCheck) CheckPlan(ctx context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	f().CheckPlan(ctx, req, resp)
}

// planCheckFunc adapts a function of the JSON plan to a plan check.
type planCheckFunc func(plan any) error

// checkUserCount checks that the emulator holds exactly n users.
func checkUserCount(srv *emulator.Server, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(srv.Users()); got != n {
			return fmt.Errorf("%d users, want exactly %d", got, n)
		}
		return nil
	}
}

// hasIdentity checks that addr's identity is { id } and equals its id.
func hasIdentity(addr string, id knownvalue.Check) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"id": id}),
		statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id")),
	}
}

func str(s string) types.String { return types.StringValue(s) }

var nullString = types.StringNull()

func ptr[T any](v T) *T { return &v }

var serviceIDPattern = regexp.MustCompile(`^service_[0-9A-Za-z]{27}$`)

// checkUserInEmulator checks the user in state against the emulator, the
// source of truth: what Terraform believes must be what the API holds, and
// it is the only user there (no duplicate, no orphan).
func checkUserInEmulator(srv *emulator.Server, name string, active bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		u, err := emulatorUserInState(s, srv)
		if err != nil {
			return err
		}
		if u.Name != name || u.Active != active {
			return fmt.Errorf("emulator holds name=%q active=%t, want name=%q active=%t", u.Name, u.Active, name, active)
		}
		if n := len(srv.Users()); n != 1 {
			return fmt.Errorf("emulator holds %d users, want exactly 1", n)
		}
		return nil
	}
}

// emulatorUserInState is the emulator's record of the user at userAddr in
// state, or an error when the state has none or the emulator does not hold it.
func emulatorUserInState(s *terraform.State, srv *emulator.Server) (emulator.User, error) {
	id, err := attrOf(s, userAddr, "id")
	if err != nil {
		return emulator.User{}, err
	}
	u, ok := srv.GetUser(id)
	if !ok {
		return emulator.User{}, fmt.Errorf("user %s is in state but not in the emulator", id)
	}
	return u, nil
}

func inject(srv *emulator.Server, f emulator.Fault, method, route string) func() {
	return func() {
		f.Method, f.Route = method, route
		srv.AddFault(f)
	}
}

// checkOutput checks the value of a root module output, as JSON decodes it:
// []any for a list or set, map[string]any for a map or object.
func checkOutput(name string, want any) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		o, ok := s.RootModule().Outputs[name]
		if !ok {
			return fmt.Errorf("there is no output %s", name)
		}
		if !reflect.DeepEqual(o.Value, want) {
			return fmt.Errorf("output %s is %#v, want %#v", name, o.Value, want)
		}
		return nil
	}
}

// queryCase runs query (list blocks; the provider block for srv is the prior
// step's configuration) as a terraform query step after a step that only
// configures the provider, and then after, which sees the emulator's counts
// of the query's requests.
func queryCase(t *testing.T, srv *emulator.Server, query string, checks []querycheck.QueryResultCheck, after func() error) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   queryVersionChecks(t),
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: providerBlock(srv), Check: func(*terraform.State) error { srv.ResetCounts(); return nil }},
			{Query: true, Config: query, QueryResultChecks: checks},
			{Config: providerBlock(srv), Check: func(*terraform.State) error { return after() }},
		},
	})
}

// badQueryCase runs a query of one list block of listType with config in
// its config block, expects it to fail with an error matching want, and
// then that nothing reached the API.
func badQueryCase(t *testing.T, listType, config, want string) {
	t.Helper()
	srv := testEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   queryVersionChecks(t),
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: providerBlock(srv)},
			{
				Query: true,
				Config: fmt.Sprintf(`
list %[1]q "bad" {
  provider = ngrok
  config {
    %[2]s
  }
}
`, listType, config),
				ExpectError: regexp.MustCompile(want),
			},
			{Config: providerBlock(srv), Check: func(*terraform.State) error {
				if n := srv.TotalRequests(); n != 0 {
					return fmt.Errorf("%d requests: the bad configuration reached the API", n)
				}
				return nil
			}},
		},
	})
}
