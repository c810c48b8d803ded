package emulator

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// roles returns the "roles" of a user object, and whether the field is there.
func roles(t *testing.T, m map[string]any) ([]string, bool) {
	t.Helper()
	v, present := m["roles"]
	if !present {
		return nil, false
	}
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("roles is not a list: %#v", v)
	}
	out := []string{}
	for _, r := range list {
		out = append(out, r.(string))
	}
	return out, true
}

// wantRoles checks the roles a user object shows.
func wantRoles(t *testing.T, what string, m map[string]any, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if got, present := roles(t, m); !present || !reflect.DeepEqual(got, want) {
		t.Errorf("%s: roles %v (present %t), want %v", what, got, present, want)
	}
}

func TestServiceUserRoles(t *testing.T) {
	c := newTest(t, Options{})
	plain := c.create("service_users", `{"name":"plain"}`)
	wantRoles(t, "created without roles", plain)

	u := c.create("service_users", `{"name":"ro","roles":["developer-readonly","team-manager"]}`)
	id := idOf(u)
	wantRoles(t, "create reply", u, "developer-readonly", "team-manager")
	wantRoles(t, "GET", c.do("GET", "/service_users/"+id, "").obj(t), "developer-readonly", "team-manager")
	listed := items(t, c.do("GET", "/service_users?limit=1", "").obj(t), "service_users")
	wantRoles(t, "list", listed[0], "developer-readonly", "team-manager")

	// A PATCH without roles (or with null) keeps them; [] clears them.
	wantRoles(t, "PATCH without roles", c.do("PATCH", "/service_users/"+id, `{"name":"ro2"}`).obj(t), "developer-readonly", "team-manager")
	wantRoles(t, "PATCH roles null", c.do("PATCH", "/service_users/"+id, `{"roles":null}`).obj(t), "developer-readonly", "team-manager")
	wantRoles(t, "PATCH roles", c.do("PATCH", "/service_users/"+id, `{"roles":["developer"]}`).obj(t), "developer")
	if got, _ := c.s.GetUser(id); !reflect.DeepEqual(got.Roles, []string{"developer"}) {
		t.Errorf("GetUser roles %v", got.Roles)
	}
	wantRoles(t, "PATCH roles []", c.do("PATCH", "/service_users/"+id, `{"roles":[]}`).obj(t))
	if got, _ := c.s.GetUser(id); got.Roles != nil {
		t.Errorf("GetUser roles after clearing: %v", got.Roles)
	}
}

// The legacy API has no roles: /bot_users never shows them, and ignores
// the field in a body (even a role /service_users refuses) like any unknown
// field. The user is the same one either way.
func TestBotUsersIgnoreRoles(t *testing.T) {
	c := newTest(t, Options{})
	b := c.create("bot_users", `{"name":"bot","roles":["admin"]}`)
	if _, present := b["roles"]; present {
		t.Errorf("a /bot_users reply shows roles: %v", b)
	}
	id := idOf(b)
	if u, _ := c.s.GetUser(id); u.Roles != nil {
		t.Errorf("roles sent to /bot_users were stored: %v", u.Roles)
	}
	wantRoles(t, "the bot user read as a service user", c.do("GET", "/service_users/"+id, "").obj(t))

	c.do("PATCH", "/service_users/"+id, `{"roles":["team-manager"]}`)
	r := c.do("PATCH", "/bot_users/"+id, `{"name":"bot2","roles":["nonsense"]}`)
	if _, present := r.obj(t)["roles"]; r.status != 200 || present {
		t.Errorf("PATCH /bot_users with roles: %d %s", r.status, r.body)
	}
	for _, path := range []string{"/bot_users/" + id, "/bot_users"} {
		if _, present := c.do("GET", path, "").obj(t)["roles"]; present {
			t.Errorf("GET %s shows roles", path)
		}
	}
	listed := items(t, c.do("GET", "/bot_users", "").obj(t), "bot_users")
	if _, present := listed[0]["roles"]; present {
		t.Errorf("the /bot_users list shows roles: %v", listed[0])
	}
	wantRoles(t, "after a /bot_users PATCH", c.do("GET", "/service_users/"+id, "").obj(t), "team-manager")
}

func TestServiceUserRolesRefused(t *testing.T) {
	c := newTest(t, Options{})
	for body, role := range map[string]string{
		`{"name":"x","roles":["admin"]}`:                         "admin",
		`{"name":"x","roles":["developer","Developer","admin"]}`: "Developer",
		`{"name":"x","roles":[""]}`:                              "",
	} {
		c.do("POST", "/service_users", body).wantError(t, 400, "ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED",
			fmt.Sprintf("A service user can't hold the role %s. Allowed roles: developer, developer-readonly, team-manager.", role))
	}
	conflict := "A service user can hold only one of the roles 'developer' and 'developer-readonly'."
	c.do("POST", "/service_users", `{"name":"x","roles":["developer-readonly","team-manager","developer"]}`).
		wantError(t, 400, "ERR_NGROK_IAM_SERVICE_USER_ROLE_CONFLICT", conflict)
	c.do("POST", "/service_users", `{"name":"x","roles":"developer"}`).wantError(t, 400, "ERR_NGROK_215", "`roles`")
	if n := len(c.s.Users()); n != 0 {
		t.Fatalf("refused creates stored %d users", n)
	}

	id := idOf(c.create("service_users", `{"name":"kept","roles":["team-manager"]}`))
	c.do("PATCH", "/service_users/"+id, `{"name":"changed","roles":["owner"]}`).wantError(t, 400, "ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED", "role owner.")
	c.do("PATCH", "/service_users/"+id, `{"roles":["developer","developer-readonly"]}`).wantError(t, 400, "ERR_NGROK_IAM_SERVICE_USER_ROLE_CONFLICT", conflict)
	if u, _ := c.s.GetUser(id); u.Name != "kept" || !reflect.DeepEqual(u.Roles, []string{"team-manager"}) {
		t.Fatalf("a refused PATCH changed the user: %+v", u)
	}
}

// With roles kept out of replies no reply has the field, and the roles are
// still stored (enforcement is in TestReadOnlyServiceUserKey).
func TestServiceUserRolesOutOfReplies(t *testing.T) {
	c := newTest(t, Options{ServiceUserRolesInReplies: new(false)})
	u := c.create("service_users", `{"name":"ro","roles":["developer-readonly"]}`)
	id := idOf(u)
	for what, m := range map[string]map[string]any{
		"create": u,
		"GET":    c.do("GET", "/service_users/"+id, "").obj(t),
		"PATCH":  c.do("PATCH", "/service_users/"+id, `{"name":"ro2"}`).obj(t),
		"list":   items(t, c.do("GET", "/service_users", "").obj(t), "service_users")[0],
	} {
		if _, present := m["roles"]; present {
			t.Errorf("%s reply shows roles: %v", what, m)
		}
	}
	if got, _ := c.s.GetUser(id); !reflect.DeepEqual(got.Roles, []string{"developer-readonly"}) {
		t.Errorf("roles not stored: %v", got.Roles)
	}
	c.do("POST", "/service_users", `{"roles":["admin"]}`).wantError(t, 400, "ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED", "")
}

func TestSetRoles(t *testing.T) {
	c := newTest(t, Options{})
	u := c.s.AddUser("svc", true)
	set := []string{"team-manager", "billing"} // unchecked: a role the API would refuse
	if err := c.s.SetRoles(u.ID, set); err != nil {
		t.Fatal(err)
	}
	set[0] = "changed by the caller afterwards"
	wantRoles(t, "after SetRoles", c.do("GET", "/service_users/"+u.ID, "").obj(t), "team-manager", "billing")
	if err := c.s.SetRoles(u.ID, nil); err != nil {
		t.Fatal(err)
	}
	wantRoles(t, "after SetRoles(nil)", c.do("GET", "/service_users/"+u.ID, "").obj(t))
	if err := c.s.SetRoles("service_"+maxKSUID, []string{"developer"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	if n := c.s.TotalRequests(); n != 2 {
		t.Errorf("%d requests counted; the hook must not count", n)
	}
}
