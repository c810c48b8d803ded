package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// The deprecated ngrok_bot_user is the same resource over /bot_users: it
// creates bot_ users there, updates them in place, imports and destroys them.
func TestAccBotUser_lifecycle(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []resource.TestStep{
			{
				Config: botUserConfig(srv, "bot-deploy", nil),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(botUserAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(botUserAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(botIDPattern)),
					statecheck.ExpectKnownValue(botUserAddr, tfjsonpath.New("name"), knownvalue.StringExact("bot-deploy")),
					statecheck.ExpectKnownValue(botUserAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(botUserAddr, tfjsonpath.New("uri"), knownvalue.StringRegexp(regexp.MustCompile(`/bot_users/bot_`))),
				},
				Check: resource.ComposeTestCheckFunc(
					checkRequests(srv, map[string]int{"POST /bot_users": 1, "POST /service_users": 0}),
					resource.TestCheckResourceAttrWith(botUserAddr, "id", func(id string) error {
						if u, ok := srv.GetUser(id); !ok || u.Name != "bot-deploy" {
							return fmt.Errorf("the emulator does not hold bot user %s named bot-deploy", id)
						}
						return nil
					}),
				),
			},
			{
				PreConfig: srv.ResetCounts,
				Config:    botUserConfig(srv, "bot-deploy-renamed", ptr(false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(botUserAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(botUserAddr, tfjsonpath.New("name"), knownvalue.StringExact("bot-deploy-renamed")),
					statecheck.ExpectKnownValue(botUserAddr, tfjsonpath.New("active"), knownvalue.Bool(false)),
				},
				Check: checkRequests(srv, map[string]int{"PATCH /bot_users/{id}": 1, "POST /bot_users": 0, "PATCH /service_users/{id}": 0}),
			},
			{
				ResourceName:      botUserAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
		},
	})
}

// A user created as a bot user keeps its bot_ ID when ngrok_service_user
// manages it: imported, refreshed through /service_users, renamed in place,
// and its drift seen like any other user's.
func TestAccServiceUser_legacyBotID(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	legacy := srv.AddBotUser("legacy-deployer", true)
	config := func(name string) string {
		return userConfig(srv, name, nil) + fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", userAddr, legacy.ID)
	}
	keptID := statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringExact(legacy.ID))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetCounts,
				Config:    config("legacy-deployer"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					keptID,
					// Read through /service_users, the uri says so; it is
					// computed, so the plan after the import stays empty.
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("uri"), knownvalue.StringExact(srv.URL()+"/service_users/"+legacy.ID)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkUserInEmulator(srv, "legacy-deployer", true),
					checkRequests(srv, map[string]int{"PATCH /service_users/{id}": 0, "POST /service_users": 0}),
				),
			},
			{
				// A refresh-only plan of an untouched user finds nothing.
				Config:   config("legacy-deployer"),
				PlanOnly: true,
			},
			{
				PreConfig: srv.ResetCounts,
				Config:    config("legacy-deployer-2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{keptID},
				Check: resource.ComposeTestCheckFunc(
					checkUserInEmulator(srv, "legacy-deployer-2", true),
					checkRequests(srv, map[string]int{"PATCH /service_users/{id}": 1, "POST /service_users": 0, "DELETE /service_users/{id}": 0}),
				),
			},
			{
				// Drift: deactivated by hand; the plan puts it back in place.
				PreConfig: func() {
					if err := srv.SetActive(legacy.ID, false); err != nil {
						t.Fatal(err)
					}
				},
				Config: config("legacy-deployer-2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(userAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{keptID},
				Check:             checkUserInEmulator(srv, "legacy-deployer-2", true),
			},
			{
				// A nightly drift check notices a rename made in the dashboard.
				PreConfig: func() {
					if err := srv.Rename(legacy.ID, "renamed-by-hand"); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config("legacy-deployer-2"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// A moved block from a resource we know nothing about is refused by
// Terraform as unsupported, and nothing is adopted or written.
func TestAccServiceUser_unsupportedMove(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	source := "resource \"terraform_data\" \"ci\" {\n  input = \"bot_3MTQgflqTfgWnlgCBxzEOknN5AM\"\n}\n"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: source},
			{
				Config:      userConfig(srv, "ci", nil) + "moved {\n  from = terraform_data.ci\n  to   = ngrok_service_user.ci\n}\n",
				ExpectError: regexp.MustCompile(`does\s+not\s+include\s+support\s+for\s+the\s+given\s+source\s+resource(?s:.*)Source\s+Resource\s+Type:\s+terraform_data`),
			},
			// Back to a configuration the destroy at the end can plan.
			{Config: source},
		},
	})
	if n := srv.TotalRequests(); n != 0 {
		t.Errorf("an unsupported move reached the API %d times", n)
	}
}

// Whether /service_users serves users created as bot users is undocumented.
// If it does not, ngrok_service_user still manages a bot_ user end to end —
// through /bot_users — in every refresh mode, and never takes it for deleted.
func TestAccServiceUser_legacyBotIDWhenCollectionsAreSeparate(t *testing.T) {
	accPreCheck(t)
	for _, mode := range []string{"auto", "get"} {
		t.Run(mode, func(t *testing.T) {
			srv := testEmulatorWith(t, func(o *emulator.Options) { o.SeparateCollections = true })
			srv.SeedUsers(30, "service") // a page of service users around it
			bot := srv.AddBotUser("legacy-ci", true)
			config := func(name string) string {
				return providerBlock(srv, fmt.Sprintf("refresh_mode = %q", mode)) +
					fmt.Sprintf("resource \"ngrok_service_user\" \"ci\" {\n  name = %q\n}\n", name) +
					fmt.Sprintf("import {\n  to = ngrok_service_user.ci\n  id = %q\n}\n", bot.ID)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				CheckDestroy: func(*terraform.State) error {
					if _, ok := srv.GetUser(bot.ID); ok {
						return fmt.Errorf("destroy left bot user %s alive", bot.ID)
					}
					return nil
				},
				Steps: []resource.TestStep{
					{
						Config: config("legacy-ci"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionNoop)},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringExact(bot.ID)),
						},
					},
					{
						Config: config("legacy-ci-renamed"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
						},
						Check: func(*terraform.State) error {
							if u, _ := srv.GetUser(bot.ID); u.Name != "legacy-ci-renamed" {
								return fmt.Errorf("bot user is named %q after the rename", u.Name)
							}
							if n := len(srv.Users()); n != 31 {
								return fmt.Errorf("%d users, want 31: nothing created", n)
							}
							return nil
						},
					},
				},
			})
		})
	}
}
