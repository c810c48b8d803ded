package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// The roles ngrok's error catalogue allows a service user to hold
// (ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED). ngrok's newest API reference
// takes them in "roles" on POST /service_users and PATCH /service_users/{id};
// its IAM page still gives service users full developer rights, which is
// what a user without roles keeps here.
const (
	roleDeveloper         = "developer"
	roleDeveloperReadonly = "developer-readonly"
	roleTeamManager       = "team-manager"
)

// allowedRoles is the catalogue's list, in its order.
var allowedRoles = []string{roleDeveloper, roleDeveloperReadonly, roleTeamManager}

// userReply is a user as a route shows it: the filterable fields, plus roles
// where the route shows them. Roles is nil, and the field left out, on
// /bot_users (the legacy API has no roles) and when the server keeps roles
// out of replies; otherwise it is the user's roles, [] when none. The filter
// still sees apiUser alone: ngrok documents no filter over roles.
type userReply struct {
	apiUser
	Roles *[]string `json:"roles,omitempty"`
}

// view renders a user as read through c's route: the uri follows the prefix
// the client used, whichever prefix the ID has.
func (s *Server) view(c *call, u User) userReply {
	v := userReply{apiUser: apiUser{
		ID:        u.ID,
		URI:       c.base + "/" + c.coll.path + "/" + u.ID,
		Name:      u.Name,
		Active:    u.Active,
		CreatedAt: u.CreatedAt.UTC().Format(time.RFC3339),
	}}
	if c.coll == serviceUsers && s.rolesInReplies {
		roles := slices.Clone(u.Roles)
		if roles == nil {
			roles = []string{}
		}
		v.Roles = &roles
	}
	return v
}

// rolesFor returns the roles a create or update body sets on c's route, and
// whether it sets any: /bot_users ignores the field, like any unknown field,
// since the legacy API has none. It replies with ngrok's error for a role a
// service user cannot hold, or for both developer roles at once, and then
// reports ok false.
func (c *call) rolesFor(in userFields) (roles []string, set, ok bool) {
	if in.Roles == nil || c.coll != serviceUsers {
		return nil, false, true
	}
	for _, r := range *in.Roles {
		if !slices.Contains(allowedRoles, r) {
			c.fail(http.StatusBadRequest, "ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED",
				fmt.Sprintf("A service user can't hold the role %s. Allowed roles: developer, developer-readonly, team-manager.", r))
			return nil, false, false
		}
	}
	if slices.Contains(*in.Roles, roleDeveloper) && slices.Contains(*in.Roles, roleDeveloperReadonly) {
		c.fail(http.StatusBadRequest, "ERR_NGROK_IAM_SERVICE_USER_ROLE_CONFLICT",
			"A service user can hold only one of the roles 'developer' and 'developer-readonly'.")
		return nil, false, false
	}
	return ownRoles(*in.Roles), true, true
}

// ownRoles is a copy of roles for the store: the sender's slice stays the
// sender's, and no roles are nil.
func ownRoles(roles []string) []string {
	if len(roles) == 0 {
		return nil
	}
	return slices.Clone(roles)
}

// SetRoles changes a user's roles behind the API's back (a dashboard
// change); nil and [] both clear them. The roles are not checked, so a test
// can give a user one the API would refuse (ngrok may add roles); such a
// role grants nothing.
func (s *Server) SetRoles(id string, roles []string) error {
	roles = ownRoles(roles)
	return s.modify(id, func(u *User) { u.Roles = roles })
}
