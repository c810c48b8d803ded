package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// userModel is what every schema of this provider shows of a user: the
// user resources' state (with their timeouts, and roles), the
// ngrok_service_user data source, and each item of ngrok_users (with roles).
type userModel struct {
	ID        types.String `tfsdk:"id"`
	URI       types.String `tfsdk:"uri"`
	Name      types.String `tfsdk:"name"`
	Active    types.Bool   `tfsdk:"active"`
	CreatedAt types.String `tfsdk:"created_at"`
}

// userResourceModel is what the user resources' lifecycle works on. Each
// type reads and writes it through a struct of its own schema (see
// modelCodec): ngrok_service_user's has roles, the legacy ngrok_bot_user's
// has none.
type userResourceModel struct {
	userModel
	// Roles are null where they are not managed (and for bot users).
	Roles    types.Set
	Timeouts timeouts.Value
}

// The states of the two user resources.
type (
	serviceUserState struct {
		userModel
		Roles    types.Set      `tfsdk:"roles"`
		Timeouts timeouts.Value `tfsdk:"timeouts"`
	}
	botUserState struct {
		userModel
		Timeouts timeouts.Value `tfsdk:"timeouts"`
	}
)

func (s *serviceUserState) toModel() userResourceModel {
	return userResourceModel{userModel: s.userModel, Roles: s.Roles, Timeouts: s.Timeouts}
}

func (s *serviceUserState) fromModel(m *userResourceModel) {
	s.userModel, s.Roles, s.Timeouts = m.userModel, m.Roles, m.Timeouts
}

func (s *botUserState) toModel() userResourceModel {
	return userResourceModel{userModel: s.userModel, Roles: types.SetNull(types.StringType), Timeouts: s.Timeouts}
}

func (s *botUserState) fromModel(m *userResourceModel) {
	s.userModel, s.Timeouts = m.userModel, m.Timeouts
}

// userModelOf is what the API says of a user.
func userModelOf(u *ngrok.User) userModel {
	return userModel{
		ID:        types.StringValue(u.ID),
		URI:       types.StringValue(u.URI),
		Name:      types.StringValue(u.Name),
		Active:    types.BoolValue(u.Active),
		CreatedAt: types.StringValue(u.CreatedAt),
	}
}

// rolesOf is a service user's roles as the API reports them: null when the
// reply has no roles field.
func rolesOf(u *ngrok.User) types.Set {
	if u.Roles == nil {
		return types.SetNull(types.StringType)
	}
	return stringSet(*u.Roles)
}

// userInfo is a user as the data sources show one: with the roles the API
// reports, null where it reports none.
type userInfo struct {
	userModel
	Roles types.Set `tfsdk:"roles"`
}

func userInfoOf(u *ngrok.User) userInfo {
	return userInfo{userModel: userModelOf(u), Roles: rolesOf(u)}
}

// userObjectType is userInfo as an object, for lists of users.
var userObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id":         types.StringType,
	"uri":        types.StringType,
	"name":       types.StringType,
	"active":     types.BoolType,
	"created_at": types.StringType,
	"roles":      types.SetType{ElemType: types.StringType},
}}
