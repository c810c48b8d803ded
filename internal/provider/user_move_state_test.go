package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// movedState returns the target state of an answered, successful move.
func movedState(t *testing.T, res moveResult) userResourceModel {
	t.Helper()
	var m userResourceModel
	state := movedTarget(t, res).TargetState
	kind := botUserKind
	if _, roles := state.Schema.GetAttributes()["roles"]; roles {
		kind = serviceUserKind
	}
	if diags := kind.load(context.Background(), state, &m); diags.HasError() {
		t.Fatalf("reading the moved state: %v", diags)
	}
	return m
}

func TestMoveState_fromNgrokProvider(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		target userKind
		req    fwresource.MoveStateRequest
		want   userModel
	}{
		{
			name:   "v0.8 ngrok_service_user (Plugin Framework)",
			target: serviceUserKind,
			req:    moveRequest(ngrokAddr, "ngrok_service_user", 0, fixture(t, "ngrok-v0.8-service_user.json")),
			want: userModel{
				ID: str("bot_2zR1Vw8dLhJ1b3vWw5fQ7nG0kXa"), Name: str("ci-deploy"), Active: types.BoolValue(true),
				URI:       str("https://api.ngrok.com/bot_users/bot_2zR1Vw8dLhJ1b3vWw5fQ7nG0kXa"),
				CreatedAt: str("2025-11-03T09:41:27Z"),
			},
		},
		{
			// SDKv2 states have no uri or created_at: the refresh after the
			// move fills them. v0.6.0 is the only release with an SDKv2
			// ngrok_service_user (v0.7.0 has none).
			name:   "v0.6 ngrok_service_user (SDKv2)",
			target: serviceUserKind,
			req:    moveRequest(ngrokAddr, "ngrok_service_user", 0, fixture(t, "ngrok-v0.6-service_user.json")),
			want: userModel{
				ID: str("service_2aVnqBvZ3ZXHz1mBFOFGbgqLnPq"), Name: str("ci-deploy"), Active: types.BoolValue(true),
				URI: nullString, CreatedAt: nullString,
			},
		},
		{
			name:   "v0.7 ngrok_bot_user (SDKv2) to ngrok_service_user",
			target: serviceUserKind,
			req:    moveRequest(ngrokAddr, "ngrok_bot_user", 0, fixture(t, "ngrok-v0.7-bot_user.json")),
			want: userModel{
				ID: str("bot_1yG0wmTIsXRUrq9qR2sPzqFw4hG"), Name: str("legacy-deployer"), Active: types.BoolValue(false),
				URI: nullString, CreatedAt: nullString,
			},
		},
		{
			name:   "v0.7 ngrok_bot_user (SDKv2) to ngrok_bot_user",
			target: botUserKind,
			req:    moveRequest(ngrokAddr, "ngrok_bot_user", 0, fixture(t, "ngrok-v0.7-bot_user.json")),
			want: userModel{
				ID: str("bot_1yG0wmTIsXRUrq9qR2sPzqFw4hG"), Name: str("legacy-deployer"), Active: types.BoolValue(false),
				URI: nullString, CreatedAt: nullString,
			},
		},
		{
			// The hostname is not the provider's identity: a private
			// registry may serve the same provider.
			name:   "another registry host",
			target: serviceUserKind,
			req:    moveRequest("terraform.example.com/ngrok/ngrok", "ngrok_bot_user", 0, fixture(t, "ngrok-v0.7-bot_user.json")),
			want: userModel{
				ID: str("bot_1yG0wmTIsXRUrq9qR2sPzqFw4hG"), Name: str("legacy-deployer"), Active: types.BoolValue(false),
				URI: nullString, CreatedAt: nullString,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := movedState(t, move(t, tc.target, tc.req))
			checkMovedUser(t, got.userModel, tc.want)
			if !got.Timeouts.IsNull() {
				t.Errorf("timeouts = %v, want null (ngrok/ngrok has none)", got.Timeouts)
			}
		})
	}
}

func checkMovedUser(t *testing.T, got, want userModel) {
	t.Helper()
	for _, f := range []struct {
		name      string
		got, want interface{ String() string }
	}{
		{"id", got.ID, want.ID},
		{"name", got.Name, want.Name},
		{"active", got.Active, want.Active},
		{"uri", got.URI, want.URI},
		{"created_at", got.CreatedAt, want.CreatedAt},
	} {
		if f.got.String() != f.want.String() {
			t.Errorf("%s = %s, want %s", f.name, f.got, f.want)
		}
	}
}

// Our own ngrok_bot_user, at either schema version, moves to
// ngrok_service_user whole, timeouts included, so that a configuration that
// sets timeouts plans no change after the move.
func TestMoveState_fromOwnBotUser(t *testing.T) {
	t.Parallel()
	for _, version := range []int64{0, userSchemaVersion} {
		got := movedState(t, move(t, serviceUserKind, moveRequest(ownAddr, "ngrok_bot_user", version, fixture(t, "seed-v1-bot_user.json"))))
		checkMovedUser(t, got.userModel, userModel{
			ID: str("bot_3MTQgflqTfgWnlgCBxzEOknN5AM"), Name: str("ci-deploy"), Active: types.BoolValue(true),
			URI: str("https://api.ngrok.com/bot_users/bot_3MTQgflqTfgWnlgCBxzEOknN5AM"), CreatedAt: str("2026-01-15T12:00:00Z"),
		})
		var create, read types.String
		res := move(t, serviceUserKind, moveRequest(ownAddr, "ngrok_bot_user", version, fixture(t, "seed-v1-bot_user.json")))
		res.resp.TargetState.GetAttribute(context.Background(), path.Root("timeouts").AtName("create"), &create)
		res.resp.TargetState.GetAttribute(context.Background(), path.Root("timeouts").AtName("read"), &read)
		if create.ValueString() != "30m" || !read.IsNull() {
			t.Errorf("version %d: timeouts create=%s read=%s, want \"30m\" and null", version, create, read)
		}
	}
}

// The decoder is lenient: only the ID must be there. Attributes it does not
// know are ignored, and missing or mistyped ones are filled, because the
// refresh after the move reads them from the API anyway.
func TestMoveState_lenientDecoding(t *testing.T) {
	t.Parallel()
	const id = "bot_1yG0wmTIsXRUrq9qR2sPzqFw4hG"
	cases := []struct {
		name, state string
		want        userModel
	}{
		{"active absent defaults to true", `{"id":"` + id + `","name":"n"}`,
			userModel{ID: str(id), Name: str("n"), Active: types.BoolValue(true), URI: nullString, CreatedAt: nullString}},
		{"active null defaults to true", `{"id":"` + id + `","name":"n","active":null}`,
			userModel{ID: str(id), Name: str("n"), Active: types.BoolValue(true), URI: nullString, CreatedAt: nullString}},
		{"active false is kept", `{"id":"` + id + `","active":false}`,
			userModel{ID: str(id), Name: nullString, Active: types.BoolValue(false), URI: nullString, CreatedAt: nullString}},
		{"unknown attributes are ignored", `{"id":"` + id + `","name":"n","roles":["developer"],"description":"x","timeouts":null,"owner":{"id":"usr_1"}}`,
			userModel{ID: str(id), Name: str("n"), Active: types.BoolValue(true), URI: nullString, CreatedAt: nullString}},
		{"mistyped attributes are left to the refresh", `{"id":"` + id + `","name":42,"active":"yes","uri":false,"timeouts":"soon"}`,
			userModel{ID: str(id), Name: nullString, Active: types.BoolValue(true), URI: nullString, CreatedAt: nullString}},
		{"the ID is trimmed", `{"id":"  ` + id + `\n"}`,
			userModel{ID: str(id), Name: nullString, Active: types.BoolValue(true), URI: nullString, CreatedAt: nullString}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkMovedUser(t, movedState(t, move(t, serviceUserKind, moveRequest(ngrokAddr, "ngrok_bot_user", 0, tc.state))).userModel, tc.want)
		})
	}
}

// A state that matches a source but cannot be adopted is refused with an
// error that says why and what to do, never moved half-way.
func TestMoveState_refusesBadStates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		req  fwresource.MoveStateRequest
		want string
	}{
		{"no id", moveRequest(ngrokAddr, "ngrok_service_user", 0, `{"name":"ci","active":true}`), "has no id"},
		{"null id", moveRequest(ngrokAddr, "ngrok_service_user", 0, `{"id":null,"name":"ci"}`), "has no id"},
		{"id of another type", moveRequest(ngrokAddr, "ngrok_service_user", 0, `{"id":42}`), "id is not a string"},
		{"empty id", moveRequest(ngrokAddr, "ngrok_bot_user", 0, `{"id":""}`), "the ID is empty"},
		{"not a user ID", moveRequest(ngrokAddr, "ngrok_bot_user", 0, `{"id":"usr_123"}`), `"usr_123" is not a service user ID`},
		{"not an ngrok ID", moveRequest(ownAddr, "ngrok_bot_user", 1, `{"id":"bot_abc-def"}`), `never appears in an ngrok ID`},
		{"empty state", moveRequest(ngrokAddr, "ngrok_service_user", 0, ``), "the state is empty"},
		{"not an object", moveRequest(ngrokAddr, "ngrok_service_user", 0, `["bot_1"]`), "not a JSON object"},
		{"newer ngrok/ngrok schema", moveRequest(ngrokAddr, "ngrok_service_user", 1, fixture(t, "ngrok-v0.8-service_user.json")), "schema version 1"},
		{"newer own schema", moveRequest(ownAddr, "ngrok_bot_user", userSchemaVersion+1, fixture(t, "seed-v1-bot_user.json")), "Upgrade this provider"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := move(t, serviceUserKind, tc.req)
			if !res.answered || !res.resp.Diagnostics.HasError() {
				t.Fatalf("the move was not refused (answered=%t)", res.answered)
			}
			d := res.resp.Diagnostics.Errors()[0]
			if want := "Unable to move " + tc.req.SourceTypeName + " to ngrok_service_user"; d.Summary() != want {
				t.Errorf("summary = %q, want %q", d.Summary(), want)
			}
			if !strings.Contains(d.Detail(), tc.want) {
				t.Errorf("detail does not say %q:\n%s", tc.want, d.Detail())
			}
			if !res.resp.TargetState.Raw.IsNull() {
				t.Errorf("a refused move set state: %v", res.resp.TargetState.Raw)
			}
		})
	}
}

// Sources we do not handle get no answer at all, so that Terraform reports
// an unsupported move instead of adopting state whose meaning we do not know.
func TestMoveState_ignoresOtherSources(t *testing.T) {
	t.Parallel()
	state := fixture(t, "ngrok-v0.7-bot_user.json")
	cases := []struct {
		name   string
		target userKind
		req    fwresource.MoveStateRequest
	}{
		{"another provider's type", serviceUserKind, moveRequest("registry.terraform.io/hashicorp/random", "random_string", 0, `{"id":"x"}`)},
		{"another ngrok/ngrok type", serviceUserKind, moveRequest(ngrokAddr, "ngrok_api_key", 0, `{"id":"ak_1"}`)},
		{"a same-named type of another provider", serviceUserKind, moveRequest("registry.terraform.io/someone/ngrok", "ngrok_bot_user", 0, state)},
		{"our provider under the default test namespace", serviceUserKind, moveRequest("registry.terraform.io/hashicorp/ngrok", "ngrok_bot_user", 1, state)},
		{"a malformed provider address", serviceUserKind, moveRequest("ngrok", "ngrok_bot_user", 0, state)},
		{"ngrok/ngrok's service user to ngrok_bot_user", botUserKind, moveRequest(ngrokAddr, "ngrok_service_user", 0, state)},
		{"our service user back to ngrok_bot_user", botUserKind, moveRequest(ownAddr, "ngrok_service_user", 1, state)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if res := move(t, tc.target, tc.req); res.answered {
				t.Fatalf("a mover answered: diagnostics %v, state %v", res.resp.Diagnostics, res.resp.TargetState.Raw)
			}
		})
	}
}

const guideBotUsers = "bot-users-to-service-users"

// The guide "From bot users to service users": a bot user managed as
// ngrok_bot_user becomes ngrok_service_user with a moved block, and ngrok
// sees nothing but reads: the user, its ID and its credentials stay.
func TestAccGuideBotUsers_moved(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	asPublished(t, srv)
	var botID string
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
				PreConfig: srv.ResetCounts,
				Config:    guideHCL(t, guideBotUsers, "versions.tf", "after.tf"),
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
