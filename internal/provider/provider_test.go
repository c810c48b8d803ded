package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

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
		_ = os.Setenv("CHECKPOINT_DISABLE", "1")
		return m.Run()
	}()
	os.Exit(code)
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

// providerBlock configures the provider for an emulator.
func providerBlock(srv *emulator.Server, extra ...string) string {
	body := fmt.Sprintf("  api_key      = %q\n  api_base_url = %q\n", srv.APIKey(), srv.URL())
	for _, e := range extra {
		body += "  " + e + "\n"
	}
	return "provider \"ngrok\" {\n" + body + "}\n"
}

// accPreCheck skips acceptance tests unless TF_ACC is set, as
// terraform-plugin-testing does, but with a message that says how to run them.
func accPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc) to run it against terraform and the emulator")
	}
	if _, err := exec.LookPath(os.Getenv("TF_ACC_TERRAFORM_PATH")); err != nil {
		t.Fatalf("acceptance tests need terraform (>= 1.8) on PATH or in TF_ACC_TERRAFORM_PATH: %v", err)
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

// planCheckFunc adapts a function of the JSON plan to a plan check.
type planCheckFunc func(plan any) error

func (f planCheckFunc) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f(req.Plan)
}
