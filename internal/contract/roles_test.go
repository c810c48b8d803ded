package contract

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// TestContract_ServiceUserRepliesCarryRoles records whether replies carry a
// service user's roles: ngrok's newest reference takes roles in the create
// and the PATCH of /service_users but shows no reply with them, and its IAM
// page still gives service users no roles. The PATCHes are asserted (the
// reference documents roles there); what the replies show is recorded, and
// checked against the emulator with roles in replies and without. /bot_users,
// the legacy API, is recorded to show no roles.
func TestContract_ServiceUserRepliesCarryRoles(t *testing.T) {
	eachOption(t, "ServiceUserRolesInReplies", func(t *testing.T, on bool) {
		tg := open(t, emulator.Options{ServiceUserRolesInReplies: &on})
		// emulated is what the emulator shows: the roles, [] for none, or
		// no field at all (nil) when roles are kept out of replies.
		emulated := func(roles ...any) any {
			if !on {
				return nil
			}
			if roles == nil {
				return []any{}
			}
			return roles
		}
		u := tg.user(ngrok.ServiceUsers, "roles", true)
		path := "/service_users/" + u.ID
		tg.observe("roles of a user created without roles, in GET", tg.read(path)["roles"], emulated())

		tg.observe("roles in the reply to PATCH {roles: [developer]}", tg.patch(path, map[string]any{"roles": []string{"developer"}})["roles"], emulated("developer"))
		tg.observe("roles in GET after that PATCH", tg.read(path)["roles"], emulated("developer"))
		tg.observe("roles in the reply to a PATCH without roles", tg.patch(path, map[string]any{"active": true})["roles"], emulated("developer"))
		listed := items(t, tg.read("/service_users?filter="+url.QueryEscape("obj.name == "+ngrok.CELString(u.Name))), "service_users")
		if len(listed) != 1 {
			t.Fatalf("listing /service_users by name found %d users", len(listed))
		}
		tg.observe("roles in a list of /service_users", listed[0]["roles"], emulated("developer"))
		tg.observe("roles in the reply to PATCH {roles: []}", tg.patch(path, map[string]any{"roles": []string{}})["roles"], emulated())

		b := tg.user(ngrok.BotUsers, "roles", true)
		r := tg.get("/bot_users/" + b.ID)
		var botRoles any
		if r.status == http.StatusOK {
			botRoles = r.object(t)["roles"]
		}
		tg.observe("GET /bot_users/{id} (status, roles)", []any{r.status, botRoles}, []any{http.StatusOK, nil})
	})
}

// TestContract_ServiceUserRoleRefused: a role a service user cannot hold is
// refused with ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED, naming the role,
// and both developer roles at once with ..._ROLE_CONFLICT, as ngrok's error
// catalogue has it, on a create and on a PATCH (which leaves the roles
// alone). The catalogue gives no status and no exact wording beyond its
// template: the emulator's 400 and message are recorded.
func TestContract_ServiceUserRoleRefused(t *testing.T) {
	tg := open(t, emulator.Options{})
	const notAllowed, conflict = "ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED", "ERR_NGROK_IAM_SERVICE_USER_ROLE_CONFLICT"
	refused := func(what string, r rawReply, code, msg string) {
		t.Helper()
		m := r.object(t)
		if r.status < 400 {
			if id, _ := m["id"].(string); r.status == http.StatusCreated && id != "" {
				tg.deleteLater(ngrok.ServiceUsers, id)
			}
			t.Errorf("%s: HTTP %d; want it refused with %s", what, r.status, code)
			return
		}
		got, _ := m["error_code"].(string)
		if got != code {
			t.Errorf("%s: error_code %q; want %q: %.300s", what, got, code, r.body)
		}
		tg.observe(what+" (status, msg)", []any{r.status, m["msg"]}, []any{http.StatusBadRequest, msg})
	}
	const admin = "A service user can't hold the role admin. Allowed roles: developer, developer-readonly, team-manager."
	const both = "A service user can hold only one of the roles 'developer' and 'developer-readonly'."
	create := func(roles ...string) rawReply {
		return tg.do(request{method: http.MethodPost, path: "/service_users", body: map[string]any{"name": tg.name("badrole"), "roles": roles}})
	}
	refused("a create with roles [developer admin]", create("developer", "admin"), notAllowed, admin)
	refused("a create with roles [developer developer-readonly]", create("developer", "developer-readonly"), conflict, both)

	u := tg.user(ngrok.ServiceUsers, "badrole", true)
	path := "/service_users/" + u.ID
	tg.patch(path, map[string]any{"roles": []string{"team-manager"}})
	patch := func(roles ...string) rawReply {
		return tg.do(request{method: http.MethodPatch, path: path, body: map[string]any{"roles": roles}})
	}
	refused("a PATCH with roles [admin]", patch("admin"), notAllowed, admin)
	refused("a PATCH with roles [developer-readonly developer]", patch("developer-readonly", "developer"), conflict, both)
	var kept any = []any{"team-manager"}
	tg.observe("roles after the refused PATCHes", tg.read(path)["roles"], kept)
}
