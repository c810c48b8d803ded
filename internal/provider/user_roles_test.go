package provider

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// rolesEmulator is an emulator whose replies carry roles, or do not: ngrok's
// documents disagree on which.
func rolesEmulator(t *testing.T, inReplies bool) *emulator.Server {
	t.Helper()
	return testEmulatorWith(t, func(o *emulator.Options) { o.ServiceUserRolesInReplies = &inReplies })
}

// rolesConfig is the user "ci" with roles given as HCL ("" leaves them out).
func rolesConfig(srv *emulator.Server, roles string) string {
	return rolesConfigWith(providerBlock(srv), roles)
}

// rolesConfigWith is rolesConfig under the provider block given.
func rolesConfigWith(provider, roles string) string {
	line := ""
	if roles != "" {
		line = "  roles = " + roles + "\n"
	}
	return provider + fmt.Sprintf(`
resource "ngrok_service_user" "ci" {
  name = "ci"
%[1]s}
`, line)
}

// checkRoles checks the roles the emulator holds for the user in state.
func checkRoles(srv *emulator.Server, want ...string) tfresource.TestCheckFunc {
	return func(s *terraform.State) error {
		u, err := emulatorUserInState(s, srv)
		if err != nil {
			return err
		}
		got := slices.Clone(u.Roles)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			return fmt.Errorf("the emulator holds roles %q, want %q", got, want)
		}
		return nil
	}
}

// A configuration without roles plans and applies as before, whatever ngrok
// reports: roles are never sent, never compared, and a change made in the
// dashboard shows as no change.
func TestAccServiceUser_rolesUnmanaged(t *testing.T) {
	accPreCheck(t)
	for _, inReplies := range []bool{true, false} {
		t.Run(fmt.Sprint("roles_in_replies=", inReplies), func(t *testing.T) {
			srv := rolesEmulator(t, inReplies)
			cfg := rolesConfig(srv, "")
			tfresource.ParallelTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []tfresource.TestStep{
					{
						Config: cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("roles"), knownvalue.Null()),
						},
						Check: checkRoles(srv),
					},
					{
						PreConfig: func() {
							for _, u := range srv.Users() {
								if err := srv.SetRoles(u.ID, []string{"developer-readonly"}); err != nil {
									t.Fatal(err)
								}
							}
						},
						Config:           cfg,
						ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("roles"), knownvalue.Null()),
						},
						Check: checkRoles(srv, "developer-readonly"),
					},
				},
			})
		})
	}
}

// Managed roles are sent on create and, when they change, alone in the
// update; [] means no roles; a change made in the dashboard shows as drift
// where replies carry roles, and cannot be seen where they do not; removing
// roles from the configuration stops managing them and sends nothing.
func TestAccServiceUser_roles(t *testing.T) {
	accPreCheck(t)
	for _, inReplies := range []bool{true, false} {
		t.Run(fmt.Sprint("roles_in_replies=", inReplies), func(t *testing.T) {
			srv := rolesEmulator(t, inReplies)
			rec := recordBodies(t, srv)
			dashboard := func() {
				for _, u := range srv.Users() {
					if err := srv.SetRoles(u.ID, []string{"team-manager"}); err != nil {
						t.Fatal(err)
					}
				}
			}
			driftCheck := plancheck.ExpectEmptyPlan()
			if inReplies {
				driftCheck = plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)
			}
			tfresource.ParallelTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []tfresource.TestStep{
					{
						Config: rolesConfigWith(rec.provider(srv), `["developer-readonly"]`),
						Check: tfresource.ComposeTestCheckFunc(checkRoles(srv, "developer-readonly"),
							rec.checkSent("POST /service_users", `{"name":"ci","active":true,"roles":["developer-readonly"]}`)),
					},
					{
						PreConfig: func() { srv.ResetCounts(); rec.reset() },
						Config:    rolesConfigWith(rec.provider(srv), `["developer"]`),
						Check: tfresource.ComposeTestCheckFunc(checkRoles(srv, "developer"),
							checkRequests(srv, map[string]int{"PATCH /service_users/{id}": 1}),
							rec.checkSent("PATCH /service_users/{id}", `{"roles":["developer"]}`)),
					},
					{PreConfig: dashboard, Config: rolesConfig(srv, `["developer"]`), PlanOnly: true, ExpectNonEmptyPlan: inReplies},
					{Config: rolesConfig(srv, `["developer"]`), ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{driftCheck}}},
					{Config: rolesConfig(srv, `[]`), Check: checkRoles(srv)},
					{
						PreConfig: srv.ResetCounts,
						Config:    rolesConfig(srv, ""),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("roles"), knownvalue.Null()),
						},
						Check: checkRequests(srv, map[string]int{"PATCH /service_users/{id}": 0}),
					},
				},
			})
		})
	}
}

// A role ngrok refuses fails the apply on roles, with ngrok's list of the
// roles it allows; a role that is no role at all (empty, white space) is
// refused before any request.
func TestAccServiceUser_roleRefused(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []tfresource.TestStep{
			{Config: rolesConfig(srv, `["developer readonly"]`), ExpectError: regexp.MustCompile(`(?s)Invalid role.*contains white space`)},
			{Config: rolesConfig(srv, `[""]`), ExpectError: regexp.MustCompile(`(?s)Invalid role.*A role is empty`)},
			{
				PreConfig: func() {
					if n := srv.TotalRequests(); n != 0 {
						t.Errorf("%d requests for roles refused at validation", n)
					}
				},
				Config: rolesConfig(srv, `["admin"]`),
				ExpectError: regexp.MustCompile(`(?s)with ngrok_service_user.ci,.*roles.*ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED.*` +
					`Allowed\s+roles:\s+developer,\s+developer-readonly,\s+team-manager.*remove\s+roles`),
			},
			{Config: rolesConfig(srv, `["developer-readonly"]`), Check: checkRoles(srv, "developer-readonly")},
		},
	})
}

// A bot user that ngrok serves only at /bot_users, moved into
// ngrok_service_user: /bot_users has no roles, and a PATCH there would
// succeed and drop them, leaving a "read-only" identity with every right
// and a state that says otherwise. Roles for it fail on roles, nothing is
// sent to /bot_users, and the state keeps no roles, so the next plan still
// shows them to add.
func TestAccServiceUser_rolesForALegacyBotUser(t *testing.T) {
	accPreCheck(t)
	srv := testEmulatorWith(t, func(o *emulator.Options) { o.SeparateCollections = true })
	bot := srv.AddBotUser("legacy", true)
	config := func(roles string) string {
		return providerBlock(srv) + fmt.Sprintf(`
import {
  to = ngrok_service_user.ci
  id = %q
}

resource "ngrok_service_user" "ci" {
  name = "legacy"
  %s
}
`, bot.ID, roles)
	}
	withRoles := config(`roles = ["developer-readonly"]`)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []tfresource.TestStep{
			{Config: config("")},
			{
				Config:      withRoles,
				ExpectError: regexp.MustCompile(`(?s)with ngrok_service_user.ci,.*roles.*served at /bot_users but not at\s+/service_users.*nothing\s+was\s+changed`),
			},
			{
				PreConfig: func() {
					if n := srv.RequestCounts()["PATCH /bot_users/{id}"]; n != 0 {
						t.Errorf("%d PATCHes sent to /bot_users, want none", n)
					}
					if u, ok := srv.GetUser(bot.ID); !ok || u.Name != "legacy" || len(u.Roles) != 0 {
						t.Errorf("the bot user is %+v (found: %t); want it unchanged, with no roles", u, ok)
					}
				},
				Config:             withRoles,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks:   driftPlan(userAddr, plancheck.ResourceActionUpdate),
			},
		},
	})
}
