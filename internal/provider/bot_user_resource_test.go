package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
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

// ngrok_bot_user has no roles: the legacy API has none.
func TestBotUserResource_hasNoRoles(t *testing.T) {
	for _, tc := range []struct {
		r     fwresource.Resource
		roles bool
	}{{NewServiceUserResource(), true}, {NewBotUserResource(), false}} {
		var resp fwresource.SchemaResponse
		tc.r.Schema(context.Background(), fwresource.SchemaRequest{}, &resp)
		if _, ok := resp.Schema.Attributes["roles"]; ok != tc.roles {
			t.Errorf("%T: roles in the schema = %t, want %t", tc.r, ok, tc.roles)
		}
	}
}
