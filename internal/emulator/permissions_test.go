package emulator

import (
	"fmt"
	"testing"
)

// keyOf creates a service user with roles (through the API, so that they are
// checked) and an API key it owns, with the configured key, and returns the
// user and the key's token.
func keyOf(c *tclient, roles string) (User, string) {
	c.t.Helper()
	u := c.create("service_users", fmt.Sprintf(`{"name":"svc","roles":%s}`, roles))
	key := c.create("api_keys", fmt.Sprintf(`{"owner_id":%q}`, idOf(u)))
	got, _ := c.s.GetUser(idOf(u))
	return got, key["token"].(string)
}

// writes tries every kind of write with token, on users and on credentials,
// and returns those allowed; a refusal must be 403 ERR_NGROK_635.
func writes(c *tclient, token string) (users, creds []string) {
	c.t.Helper()
	victim := c.s.AddUser("victim", true)
	key, err := c.s.AddCredential("api_keys", victim.ID, Credential{})
	if err != nil {
		c.t.Fatal(err)
	}
	try := func(allowed *[]string, method, path, body string) {
		c.t.Helper()
		r := c.do(method, path, body, bearer(token)...)
		if r.status < 300 {
			*allowed = append(*allowed, method+" "+path)
			return
		}
		r.wantError(c.t, 403, "ERR_NGROK_635", "API access requires that the owner of the API key has write privileges.")
	}
	try(&users, "POST", "/service_users", `{"name":"new"}`)
	try(&users, "POST", "/bot_users", `{"name":"new"}`)
	try(&users, "PATCH", "/service_users/"+victim.ID, `{"name":"changed"}`)
	try(&creds, "POST", "/api_keys", `{}`)
	try(&creds, "POST", "/credentials", `{}`)
	try(&creds, "PATCH", "/api_keys/"+key.ID, `{"description":"changed"}`)
	try(&creds, "DELETE", "/api_keys/"+key.ID, "")
	try(&users, "DELETE", "/service_users/"+victim.ID, "")
	return users, creds
}

// writesTried is how many writes of each kind writes tries.
const writesTried = 4

// A service user's roles decide what its API keys may change; reads are
// never refused.
func TestRolesDecideWhatAKeyMayWrite(t *testing.T) {
	for _, tc := range []struct {
		roles        string
		users, creds bool
	}{
		{`[]`, true, true},
		{`["developer"]`, true, true},
		{`["developer","team-manager"]`, true, true},
		{`["developer-readonly"]`, false, false},
		{`["team-manager"]`, true, false},
		{`["developer-readonly","team-manager"]`, true, false},
	} {
		for _, inReplies := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s,in replies %t", tc.roles, inReplies), func(t *testing.T) {
				c := newTest(t, Options{ServiceUserRolesInReplies: &inReplies})
				u, token := keyOf(c, tc.roles)
				for _, path := range []string{"/service_users", "/service_users/" + u.ID, "/bot_users", "/api_keys", "/credentials", "/ssh_credentials"} {
					if r := c.do("GET", path, "", bearer(token)...); r.status != 200 {
						t.Errorf("GET %s: %d %s", path, r.status, r.body)
					}
				}
				users, creds := writes(c, token)
				if want := map[bool]int{true: writesTried}[tc.users]; len(users) != want {
					t.Errorf("user writes allowed: %v; want %d", users, want)
				}
				if want := map[bool]int{true: writesTried}[tc.creds]; len(creds) != want {
					t.Errorf("credential writes allowed: %v; want %d", creds, want)
				}
			})
		}
	}
}

// The refusal names the owner and its roles, and a refused write changes
// nothing.
func TestReadOnlyKeyChangesNothing(t *testing.T) {
	c := newTest(t, Options{})
	u, token := keyOf(c, `["developer-readonly"]`)
	before, keys := len(c.s.Users()), len(c.s.Credentials("api_keys"))
	c.do("POST", "/service_users", `{"name":"x"}`, bearer(token)...).wantError(t, 403, "ERR_NGROK_635",
		"The owner of this key, "+u.ID+", holds the roles developer-readonly, which let it read service users but not create, change or delete them.")
	c.do("POST", "/api_keys", `{}`, bearer(token)...).wantError(t, 403, "ERR_NGROK_635", "read credentials but not")
	// Refused before the ID is looked at: a malformed one changes nothing.
	c.do("DELETE", "/service_users/nonsense", "", bearer(token)...).wantError(t, 403, "ERR_NGROK_635", "")
	c.do("PATCH", "/service_users/"+u.ID, `{"roles":[]}`, bearer(token)...).wantError(t, 403, "ERR_NGROK_635", "")
	if got, _ := c.s.GetUser(u.ID); len(c.s.Users()) != before || len(c.s.Credentials("api_keys")) != keys || len(got.Roles) != 1 {
		t.Fatalf("refused writes changed something: %d users, %d keys, roles %v", len(c.s.Users()), len(c.s.Credentials("api_keys")), got.Roles)
	}
}

// Roles changed out of band (SetRoles) or through the API apply to the
// user's next request, and a role the emulator does not know grants nothing.
func TestRoleChangesApplyAtOnce(t *testing.T) {
	c := newTest(t, Options{})
	u, token := keyOf(c, `[]`)
	create := func() int { return c.do("POST", "/service_users", `{"name":"x"}`, bearer(token)...).status }
	if s := create(); s != 201 {
		t.Fatalf("no roles: %d", s)
	}
	if err := c.s.SetRoles(u.ID, []string{"developer-readonly"}); err != nil {
		t.Fatal(err)
	}
	if s := create(); s != 403 {
		t.Fatalf("after SetRoles developer-readonly: %d", s)
	}
	c.do("PATCH", "/service_users/"+u.ID, `{"roles":["developer"]}`)
	if s := create(); s != 201 {
		t.Fatalf("after a PATCH to developer: %d", s)
	}
	if err := c.s.SetRoles(u.ID, []string{"billing"}); err != nil {
		t.Fatal(err)
	}
	if s := create(); s != 403 {
		t.Fatalf("an unknown role: %d", s)
	}
	if r := c.do("GET", "/service_users", "", bearer(token)...); r.status != 200 {
		t.Fatalf("an unknown role reads: %d", r.status)
	}
}

// The account user is an admin: its keys (the configured one and any it
// owns) are never restricted.
func TestAccountUserIsNeverRestricted(t *testing.T) {
	c := newTest(t, Options{})
	own := c.create("api_keys", `{}`)["token"].(string)
	for _, token := range []string{c.s.APIKey(), own} {
		users, creds := writes(c, token)
		if len(users) != writesTried || len(creds) != writesTried {
			t.Errorf("the account user's key: users %v, credentials %v", users, creds)
		}
	}
}

// Only admins may name another owner (ERR_NGROK_630): a service user's key
// may name itself, by either spelling, or no one; the account user's key
// may name anyone (TestCredentialOwner).
func TestOnlyAdminsNameAnotherOwner(t *testing.T) {
	c := newTest(t, Options{})
	self, token := keyOf(c, `[]`)
	other := c.s.AddUser("other", true)
	for _, k := range credKinds {
		before := len(c.s.Credentials(k.col))
		for _, owner := range []string{other.ID, "bot_" + idSuffix(other.ID), c.s.AccountUserID(), "service_" + maxKSUID, "nobody"} {
			c.do("POST", "/"+k.col, credBody(t, k.col, fmt.Sprintf("%q:%q", "owner_id", owner)), bearer(token)...).
				wantError(t, 403, "ERR_NGROK_630", "You must be an admin to set credential ownership. The owner of this key, "+self.ID+",")
		}
		if n := len(c.s.Credentials(k.col)); n != before {
			t.Fatalf("%s: refused creates stored %d credentials", k.col, n-before)
		}
		for _, owner := range []string{self.ID, "bot_" + idSuffix(self.ID), ""} {
			r := c.do("POST", "/"+k.col, credBody(t, k.col, fmt.Sprintf("%q:%q", "owner_id", owner)), bearer(token)...)
			if r.status != 201 || r.obj(t)["owner_id"] != self.ID {
				t.Errorf("%s: owner_id %q with the owner's own key: %d %s", k.col, owner, r.status, r.body)
			}
		}
		if got := c.create(k.col, credBody(t, k.col, fmt.Sprintf("%q:%q", "owner_id", other.ID)))["owner_id"]; got != other.ID {
			t.Errorf("%s: the account user's key naming another owner: owner_id %v", k.col, got)
		}
	}
}
