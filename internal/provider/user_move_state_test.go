package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
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
			t.Errorf(`version %d: timeouts create=%s read=%s, want "30m" and null`, version, create, read)
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

// A moved block brings the identity along: the framework stores what the
// mover sets, and a move without it would leave the moved user nameless to
// identity-aware tools until its next refresh.
func TestMoveState_setsIdentity(t *testing.T) {
	t.Parallel()
	const id = "bot_3MTQgflqTfgWnlgCBxzEOknN5AM"
	req := moveRequest(ownAddr, "ngrok_bot_user", userSchemaVersion, `{"id":"`+id+`","name":"ci","active":true}`)
	if got := identityID(t, movedTarget(t, move(t, serviceUserKind, req)).TargetIdentity); got.ValueString() != id {
		t.Fatalf("moved identity id = %s, want %s", got, id)
	}
}

// A moved block from a resource we know nothing about is refused by
// Terraform as unsupported, and nothing is adopted or written.
func TestAccServiceUser_unsupportedMove(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	source := `
resource "terraform_data" "ci" {
  input = "bot_3MTQgflqTfgWnlgCBxzEOknN5AM"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: source},
			{
				Config:      userConfig(srv, "ci", nil) + movedBlock("terraform_data.ci", userAddr),
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
