package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// A user created as a bot user has two spellings; naming it by the other
// one than the API reports never shows as a difference.
func TestAccCredential_ownerSpellings(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	bot := srv.AddBotUser("legacy", true)
	service := "service_" + strings.TrimPrefix(bot.ID, "bot_")
	key := func(owner string) string {
		return providerBlock(srv) + fmt.Sprintf(`
resource "ngrok_api_key" "ci" {
  owner_id = %[1]q
}
`, owner)
	}
	cfg := key(service)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(apiKeyAddr, "owner_id", service),
					func(*terraform.State) error {
						for _, c := range srv.Credentials("api_keys") {
							if c.OwnerID != bot.ID {
								return fmt.Errorf("the emulator reports owner %s, want %s: this test needs the other spelling", c.OwnerID, bot.ID)
							}
						}
						return nil
					},
				),
			},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{
				// The configuration respelt as ngrok reports it: one owner, no change.
				Config:           key(bot.ID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resource.TestCheckResourceAttr(apiKeyAddr, "owner_id", service),
			},
			{
				// Another owner cannot be given to a credential: replaced.
				Config:           key(srv.AccountUserID()),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(apiKeyAddr, plancheck.ResourceActionReplace)}},
				Check:            checkCredentials(srv, "api_keys", 1),
			},
		},
	})
}

// Deleting the owner outside Terraform plans owner and credential again,
// whether ngrok deletes a user's credentials with it or keeps them.
func TestAccCredential_ownerDeletedOutOfBand(t *testing.T) {
	accPreCheck(t)
	for _, keep := range []bool{false, true} {
		t.Run(fmt.Sprintf("keep_orphans=%t", keep), func(t *testing.T) {
			srv := testEmulatorWith(t, func(o *emulator.Options) { o.KeepOrphanedCredentials = keep })
			cfg := credConfig(srv, `
resource "ngrok_authtoken" "ci" {
  owner_id = ngrok_service_user.ci.id
}
`)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{
					{Config: cfg},
					{
						PreConfig: func() {
							for _, u := range srv.Users() {
								if err := srv.DeleteUser(u.ID); err != nil {
									t.Fatal(err)
								}
							}
						},
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("ngrok_service_user.ci", plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction(authtokenAddr, expectedAfterOwnerDeleted(keep)),
						}},
						Check: resource.ComposeTestCheckFunc(
							checkOwnedByUser(srv, "credentials", authtokenAddr),
							checkCredentials(srv, "credentials", 1),
						),
					},
				},
			})
		})
	}
}

// expectedAfterOwnerDeleted is the plan for a credential whose owner was
// deleted: gone with it (create again), or orphaned (replace, since its
// owner is new).
func expectedAfterOwnerDeleted(kept bool) plancheck.ResourceActionType {
	if kept {
		return plancheck.ResourceActionReplace
	}
	return plancheck.ResourceActionCreate
}

// Whether ngrok lets a credential be created for an inactive owner is not
// documented: the provider is correct either way. Allowed, it exists (and
// works once the owner is active); refused, the error says what to do and
// nothing is left in state.
func TestAccCredential_inactiveOwner(t *testing.T) {
	accPreCheck(t)
	for _, refuse := range []bool{false, true} {
		t.Run(fmt.Sprintf("refuse=%t", refuse), func(t *testing.T) {
			srv := testEmulatorWith(t, func(o *emulator.Options) { o.RefuseInactiveOwner = refuse })
			cfg := func(active bool) string {
				return providerBlock(srv) + fmt.Sprintf(`
resource "ngrok_service_user" "ci" {
  name   = "ci"
  active = %t
}
resource "ngrok_api_key" "ci" {
  owner_id = ngrok_service_user.ci.id
}
`, active)
			}
			steps := []resource.TestStep{
				{Config: cfg(false), Check: checkCredentials(srv, "api_keys", 1)},
				{Config: cfg(true), Check: checkTokenWorks(srv, "ngrok_api_key.ci", nil)},
			}
			if refuse {
				refused := regexp.MustCompile(`(?s)ERR_NGROK_636.*Set active = true on the owner`)
				steps = []resource.TestStep{
					{Config: cfg(false), ExpectError: refused},
					{
						// Nothing was left, at ngrok or in state: the next
						// apply tries the create again, and is refused again.
						PreConfig: func() {
							if n := len(srv.Credentials("api_keys")); n != 0 {
								t.Errorf("%d API keys after a refused create", n)
							}
						},
						Config:      cfg(false),
						ExpectError: refused,
					},
				}
			}
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: protoV6Factories, Steps: steps})
		})
	}
}
