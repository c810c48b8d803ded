package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// expectRequests checks the requests a plan sent, by route.
func expectRequests(srv *emulator.Server, check func(list, get int) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := srv.RequestCounts()
		return check(c["GET /service_users"], c["GET /service_users/{id}"])
	}
}

// A drift plan of 120 managed users in an account of 200 reads pages, not
// users; the naive mode reads each user; and both see the same drift.
func TestAccRefresh_byPages(t *testing.T) {
	accPreCheck(t)
	for _, tc := range []struct {
		mode               string
		minLists, maxLists int // the requests of the plan's refresh
		gets               int
	}{
		// The 120 managed users are the newest: the 2 pages of 100 that hold
		// them, and, as Terraform's reads may arrive, the empty page that
		// ends the list.
		{"", 2, 3, 0},
		{"get", 0, 0, 120},
	} {
		t.Run("mode="+tc.mode, func(t *testing.T) {
			srv := testEmulator(t)
			srv.SeedUsers(80, "unmanaged") // older than the managed ones
			var extra []string
			if tc.mode != "" {
				extra = append(extra, fmt.Sprintf("refresh_mode = %q", tc.mode))
			}
			config := manyUsersConfig(srv, 120, extra...)
			var victim, renamed string
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				CheckDestroy:             checkUserCount(srv, 80), // the unmanaged ones
				Steps: []resource.TestStep{
					{Config: config},
					{
						// An unchanged world: an empty plan, in few requests.
						PreConfig:        srv.ResetCounts,
						Config:           config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check: expectRequests(srv, func(list, get int) error {
							if get != tc.gets || list < tc.minLists || list > tc.maxLists {
								return fmt.Errorf("a refresh of 120 users sent %d list and %d get requests, want %d to %d and %d",
									list, get, tc.minLists, tc.maxLists, tc.gets)
							}
							return nil
						}),
					},
					{
						// Out of band: one managed user deleted, another renamed.
						PreConfig: func() {
							// Terraform creates in parallel, so IDs do not follow count.index.
							for _, u := range srv.Users() {
								switch u.Name {
								case "managed-119":
									victim = u.ID
								case "managed-49":
									renamed = u.ID
								}
							}
							if err := srv.DeleteUser(victim); err != nil {
								t.Fatal(err)
							}
							if err := srv.Rename(renamed, "renamed-by-hand"); err != nil {
								t.Fatal(err)
							}
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction("ngrok_service_user.many[119]", plancheck.ResourceActionCreate),
								plancheck.ExpectResourceAction("ngrok_service_user.many[49]", plancheck.ResourceActionUpdate),
								plancheck.ExpectResourceAction("ngrok_service_user.many[0]", plancheck.ResourceActionNoop),
							},
						},
						Check: func(*terraform.State) error {
							if _, ok := srv.GetUser(victim); ok {
								return fmt.Errorf("deleted user %s is back", victim)
							}
							if u, _ := srv.GetUser(renamed); u.Name != "managed-49" {
								return fmt.Errorf("renamed user is %q, want managed-49 restored", u.Name)
							}
							return checkUserCount(srv, 200)(nil)
						},
					},
				},
			})
		})
	}
}

// 120 service users with one API key each, 240 resources, refresh from
// shared list pages: a handful of requests, not 240. A key revoked behind
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
	var revoked string // the address of the key revoked behind Terraform's back
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkCredentials(srv, "api_keys", n)},
			{
				PreConfig:        srv.ResetCounts,
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					// The plan's refresh (an empty plan is applied without
					// another): the 2 pages of each collection, and perhaps
					// the empty page that ends it, as Terraform's reads
					// arrive; never one object at a time.
					c := srv.RequestCounts()
					refreshRequests = srv.TotalRequests()
					users, keys := c["GET /service_users"], c["GET /api_keys"]
					if users < 2 || users > 3 || keys < 2 || keys > 3 || users+keys != refreshRequests {
						return fmt.Errorf("a refresh of %d resources sent %v; want 2 or 3 pages of each collection, and nothing else", 2*n, c)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					keys := srv.Credentials("api_keys")
					key := keys[len(keys)/2]
					owner, ok := srv.GetUser(key.OwnerID)
					if !ok {
						t.Fatalf("the owner of %s is not in the emulator", key.ID)
					}
					revoked = "ngrok_api_key.many[" + strings.TrimPrefix(owner.Name, "managed-") + "]"
					if err := srv.DeleteCredential("api_keys", key.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					lazyPlanCheck(func() plancheck.PlanCheck {
						return plancheck.ExpectResourceAction(revoked, plancheck.ResourceActionCreate)
					}),
				}},
			},
		},
	})
	t.Logf("refreshing %d users and %d API keys took %d requests", n, n, refreshRequests)
}
