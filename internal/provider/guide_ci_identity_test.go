package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// The guide "A CI identity end to end", applied as written: one service user
// owning an authtoken limited by bind rules and an API key that works as one,
// both due for rotation in 90 days, and a drift-free plan after.
func TestAccGuideCIIdentity(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	asPublished(t, srv)
	cfg := guideHCL(t, "ci-identity", "main.tf")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy: func(*terraform.State) error {
			if n := len(srv.Credentials("api_keys")) + len(srv.Credentials("credentials")) + len(srv.Users()); n != 0 {
				return fmt.Errorf("%d objects left after destroy", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(
					checkTokenWorks(srv, "ngrok_api_key.deploy", nil),
					resource.TestCheckResourceAttrSet("ngrok_authtoken.deploy", "token"),
					resource.TestCheckResourceAttr("ngrok_authtoken.deploy", "acl.#", "2"),
					resource.TestCheckResourceAttrPair("ngrok_authtoken.deploy", "owner_id", "ngrok_service_user.deploy", "id"),
					resource.TestCheckResourceAttrPair("ngrok_api_key.deploy", "owner_id", "ngrok_service_user.deploy", "id"),
					resource.TestCheckResourceAttrSet("ngrok_api_key.deploy", "rotation_due_at"),
				),
			},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// The guide's read-only identity, under the real CLI (in one provider
// process per configuration, as Terraform runs aliased providers): its run's
// key reads every user, a change made with it fails, clearly, at ngrok, and
// the key does not outlive the run.
func TestAccGuideCIIdentity_readOnly(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	srv.AddUser("someone-else", true)
	run := newGuideRun(t, srv, "ci-identity", "main.tf", "read-only.tf")
	if out, ok := run.run("apply", "-auto-approve", "-input=false"); !ok {
		t.Fatalf("applying the guide:\n%s", out)
	}
	// someone-else, ci-deploy and ci-auditor.
	if out, ok := run.run("output", "-raw", "users_seen_by_auditor"); !ok || out != "3" {
		t.Errorf("users_seen_by_auditor = %q, want 3", out)
	}
	write, err := os.ReadFile(filepath.Join("..", "..", "examples", "guides", "ci-identity", "read-only-write.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(run.dir, "read-only-write.tf"), write, 0o600); err != nil {
		t.Fatal(err)
	}
	out, ok := run.run("apply", "-auto-approve", "-input=false")
	want := regexp.MustCompile(`(?s)Unable\s+to\s+create\s+service\s+user\s+"not-allowed".*HTTP\s+403\s+ERR_NGROK_635.*may\s+read\s+but\s+not\s+change\s+anything`)
	if ok || !want.MatchString(out) {
		t.Errorf("the auditor's write: want it refused, saying why:\n%s", out)
	}
	for _, u := range srv.Users() {
		if u.Name == "not-allowed" {
			t.Errorf("the auditor's key created %s", u.ID)
		}
	}
	for _, k := range srv.Credentials("api_keys") {
		if k.Description == "audit run" {
			t.Errorf("the run's key %s is live after the runs", k.ID)
		}
	}
}
