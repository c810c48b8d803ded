package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// permitted refuses a write (POST, PATCH, DELETE) by a caller whose roles do
// not allow it, with 403 ERR_NGROK_635, before the request is looked at any
// further; reads are always allowed. ngrok's RBAC page says a read-only
// developer "can view but NOT create, modify or delete" developer features;
// 635 is the catalogue's code for an API key whose owner lacks write
// privileges, though it gives no status. What each role allows is in
// rolesAllowWrite.
func (s *Server) permitted(c *call) bool {
	if c.r.Method == http.MethodGet {
		return true
	}
	s.mu.Lock()
	roles := s.callerRolesLocked(c.caller)
	s.mu.Unlock()
	if rolesAllowWrite(roles, c.coll) {
		return true
	}
	what := "credentials"
	if c.coll.cred == nil {
		what = "service users"
	}
	c.fail(http.StatusForbidden, "ERR_NGROK_635", fmt.Sprintf(
		"API access requires that the owner of the API key has write privileges. The owner of this key, %s, holds the roles %s, which let it read %s but not create, change or delete them.",
		c.caller, strings.Join(roles, ", "), what))
	return false
}

// rolesAllowWrite is what a caller's roles let it change:
//   - no roles: everything, as today. ngrok's IAM page gives service users
//     full developer permissions, and the account user (an admin) has none;
//   - developer: everything, as the RBAC page's read/write developer;
//   - team-manager: users, not credentials. The RBAC page's team manager
//     invites, removes and manages members; API keys and authtokens are
//     developer features, which it does not mention;
//   - anything else (developer-readonly, or a role the emulator does not
//     know): nothing.
func rolesAllowWrite(roles []string, coll *collection) bool {
	switch {
	case len(roles) == 0, slices.Contains(roles, roleDeveloper):
		return true
	case coll.cred == nil:
		return slices.Contains(roles, roleTeamManager)
	}
	return false
}

// callerRolesLocked returns the roles of the user a request authenticated
// as: none for the account user, who is an admin and never restricted, and
// none for the owner of a kept orphan, who is gone. s.mu must be held.
func (s *Server) callerRolesLocked(caller string) []string {
	if caller == s.accountUserID {
		return nil
	}
	if u, ok := s.users.byID[caller]; ok {
		return u.Roles
	}
	return nil
}

// mayNameOwner refuses, with 403 ERR_NGROK_630, a credential create whose
// owner_id names anyone but the caller, unless the caller is the account user
// (an admin): ngrok documents that only admins may specify an owner other
// than themselves. Either spelling of the caller's own ID (service_X, bot_X)
// is the caller. The catalogue gives no status for 630; 403 is the
// emulator's choice. An owner_id that names no user is refused here too,
// before it is looked up, since it is not the caller.
func (s *Server) mayNameOwner(c *call, ownerID string) bool {
	if ownerID == "" || c.caller == s.accountUserID || ownerID == c.caller ||
		validUserID(ownerID) && validUserID(c.caller) && idSuffix(ownerID) == idSuffix(c.caller) {
		return true
	}
	c.fail(http.StatusForbidden, "ERR_NGROK_630", fmt.Sprintf(
		"You must be an admin to set credential ownership. The owner of this key, %s, may create credentials for itself only: leave owner_id out, or name %s.",
		c.caller, c.caller))
	return false
}
