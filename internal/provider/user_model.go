package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// userModel is a user as every schema of this provider shows one: the user
// resources' state (with their timeouts), the ngrok_service_user data
// source, and each item of ngrok_users.
type userModel struct {
	ID        types.String `tfsdk:"id"`
	URI       types.String `tfsdk:"uri"`
	Name      types.String `tfsdk:"name"`
	Active    types.Bool   `tfsdk:"active"`
	CreatedAt types.String `tfsdk:"created_at"`
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

// userObjectType is userModel as an object, for lists of users.
var userObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id":         types.StringType,
	"uri":        types.StringType,
	"name":       types.StringType,
	"active":     types.BoolType,
	"created_at": types.StringType,
}}
