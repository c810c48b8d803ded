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

// TestContract_ReadOnlyServiceUserCannotWrite: the API key of a service
// user whose only role is developer-readonly reads, and cannot write: ngrok's
// RBAC page says a read-only developer "can view but NOT create, modify or
// delete". Both are asserted. How the write is refused is not documented for
// service users; the emulator's 403 ERR_NGROK_635 (the catalogue's code for
// a key whose owner lacks write privileges) is recorded.
func TestContract_ReadOnlyServiceUserCannotWrite(t *testing.T) {
	tg := open(t, emulator.Options{})
	owner := tg.userWithRoles("readonly", "developer-readonly")
	k := tg.credential(ngrok.APIKeys, "readonly", ngrok.CredentialCreate{OwnerID: owner})

	if r := tg.do(request{method: http.MethodGet, path: "/service_users?limit=1", key: *k.Token}); r.status != http.StatusOK {
		t.Errorf("a read with the read-only user's key: HTTP %d: %.300s", r.status, r.body)
	}
	w := tg.do(request{method: http.MethodPost, path: "/service_users", body: map[string]any{"name": tg.name("readonly-write")}, key: *k.Token})
	m := w.object(t)
	if w.status < 300 {
		if id, _ := m["id"].(string); id != "" {
			tg.deleteLater(ngrok.ServiceUsers, id)
		}
		t.Errorf("POST /service_users with the read-only user's key: HTTP %d; want it refused", w.status)
		return
	}
	code, _ := m["error_code"].(string)
	tg.observe("POST /service_users with a read-only service user's key (status, error_code)", []any{w.status, code}, []any{http.StatusForbidden, "ERR_NGROK_635"})
}

// TestContract_TeamManagerServiceUser records what the API key of a service
// user whose only role is team-manager may change. ngrok's RBAC page gives a
// team manager the account's members and says nothing of developer
// features; the emulator lets it create users and refuses credentials with
// 403 ERR_NGROK_635.
func TestContract_TeamManagerServiceUser(t *testing.T) {
	tg := open(t, emulator.Options{})
	owner := tg.userWithRoles("teammanager", "team-manager")
	k := tg.credential(ngrok.APIKeys, "teammanager", ngrok.CredentialCreate{OwnerID: owner})
	for _, c := range []struct {
		col        ngrok.Collection
		body       map[string]any
		wantStatus int
		wantCode   string
	}{
		{ngrok.ServiceUsers, map[string]any{"name": tg.name("teammanager-write")}, http.StatusCreated, ""},
		{ngrok.APIKeys, map[string]any{"description": tg.name("teammanager-write")}, http.StatusForbidden, "ERR_NGROK_635"},
	} {
		r := tg.do(request{method: http.MethodPost, path: "/" + string(c.col), body: c.body, key: *k.Token})
		m := r.object(t)
		if id, _ := m["id"].(string); r.status == http.StatusCreated && id != "" {
			tg.deleteLater(c.col, id)
		}
		code, _ := m["error_code"].(string)
		tg.observe("POST /"+string(c.col)+" with a team-manager service user's key (status, error_code)", []any{r.status, code}, []any{c.wantStatus, c.wantCode})
	}
}

// userWithRoles creates a service user holding roles, deleted when the case
// ends, and returns its ID. Sending roles is documented by ngrok's newest
// reference, so a refusal fails the case.
func (tg *target) userWithRoles(label string, roles ...string) string {
	tg.t.Helper()
	r := tg.do(request{method: http.MethodPost, path: "/service_users", body: map[string]any{"name": tg.name(label), "roles": roles}})
	if r.status != http.StatusCreated {
		tg.t.Fatalf("creating a service user with roles %v: HTTP %d: %.300s", roles, r.status, r.body)
	}
	id, _ := r.object(tg.t)["id"].(string)
	tg.deleteLater(ngrok.ServiceUsers, id)
	return id
}
