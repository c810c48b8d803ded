package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// 120 service users with one API key each, 240 resources, refresh from
// shared list pages: a handful of requests, not 240. (At 300 and 300, 600
// resources, a refresh takes 6 requests; that size is too slow for the suite.) A key revoked behind
// Terraform's back still shows in the plan.
func TestAccRefresh_credentialsByPages(t *testing.T) {
	accPreCheck(t)
	const n = 120
	srv := testEmulator(t)
	cfg := providerBlock(srv) + fmt.Sprintf(`
resource "ngrok_service_user" "many" {
  count = %d
  name  = "managed-${count.index}"
}

resource "ngrok_api_key" "many" {
  count    = %d
  owner_id = ngrok_service_user.many[count.index].id
}
`, n, n)
	var refreshRequests int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkCredentials(srv, "api_keys", n)},
			{
				PreConfig:        srv.ResetCounts,
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					refreshRequests = srv.TotalRequests()
					// A plan and the refresh after it: 2 pages of users and 2
					// of keys each, and one more each for page boundaries.
					if refreshRequests > 2*6 {
						return fmt.Errorf("two refreshes of %d resources sent %d requests (%v), want at most 12", 2*n, refreshRequests, srv.RequestCounts())
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					keys := srv.Credentials("api_keys")
					_ = srv.DeleteCredential("api_keys", keys[len(keys)/2].ID)
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	t.Logf("refreshing %d users and %d API keys twice took %d requests", n, n, refreshRequests)
}
