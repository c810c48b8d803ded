package provider

import (
	"fmt"
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
