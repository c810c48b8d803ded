package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

const guideBotUsers = "bot-users-to-service-users"

// The guide "From bot users to service users": a bot user managed as
// ngrok_bot_user becomes ngrok_service_user with a moved block, and ngrok
// sees nothing but reads: the user, its ID and its credentials stay.
func TestAccGuideBotUsers_moved(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	asPublished(t, srv)
	var botID, keyID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []resource.TestStep{
			{
				Config: guideHCL(t, guideBotUsers, "versions.tf", "before.tf"),
				Check: resource.TestCheckResourceAttrWith("ngrok_bot_user.ci", "id", func(id string) error {
					botID = id
					if !botIDPattern.MatchString(id) {
						return fmt.Errorf("the bot user's ID is %q, want bot_…", id)
					}
					return nil
				}),
			},
			{
				// The bot user logs in with an API key made outside
				// Terraform, which the move must leave working.
				PreConfig: func() {
					key, err := srv.AddCredential("api_keys", botID, emulator.Credential{Description: "the bot's key"})
					if err != nil {
						t.Fatal(err)
					}
					keyID = key.ID
					srv.ResetCounts()
				},
				Config: guideHCL(t, guideBotUsers, "versions.tf", "after.tf"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("ngrok_service_user.ci", plancheck.ResourceActionNoop),
						plancheck.ExpectKnownValue("ngrok_service_user.ci", tfjsonpath.New("name"), knownvalue.StringExact("ci-deploy")),
					},
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrWith("ngrok_service_user.ci", "id", func(id string) error {
						if id != botID {
							return fmt.Errorf("the moved user's ID is %s, want the bot user's %s", id, botID)
						}
						return nil
					}),
					resource.TestCheckResourceAttrWith("ngrok_service_user.ci", "uri", func(uri string) error {
						if want := srv.URL() + "/service_users/" + botID; uri != want {
							return fmt.Errorf("uri = %s, want %s (refreshed through /service_users)", uri, want)
						}
						return nil
					}),
					func(*terraform.State) error {
						if users := srv.Users(); len(users) != 1 || users[0].ID != botID {
							return fmt.Errorf("the emulator holds %v, want only %s", users, botID)
						}
						if _, ok := srv.GetCredential("api_keys", keyID); !ok {
							return fmt.Errorf("the bot user's API key %s is gone", keyID)
						}
						return nil
					},
					checkRequests(srv, noWrites),
				),
			},
		},
	})
}

// The same guide's import block adopts a bot user made outside Terraform.
func TestAccGuideBotUsers_import(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	asPublished(t, srv)
	legacy := srv.AddBotUser("legacy-deployer", true)
	const exampleID = "bot_2bF5Hk0hNmRmG3cIsoCr4jT6Wg9"
	config := guideHCL(t, guideBotUsers, "versions.tf", "import.tf")
	if !strings.Contains(config, exampleID) {
		t.Fatalf("the guide's import example no longer holds the ID %s this test replaces", exampleID)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetCounts,
			Config:    strings.ReplaceAll(config, exampleID, legacy.ID),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("ngrok_service_user.legacy", plancheck.ResourceActionNoop)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("ngrok_service_user.legacy", tfjsonpath.New("id"), knownvalue.StringExact(legacy.ID)),
			},
			Check: checkRequests(srv, map[string]int{"POST /service_users": 0, "PATCH /service_users/{id}": 0}),
		}},
	})
}
