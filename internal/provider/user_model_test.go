package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Each user resource's model goes into its schema's state and comes back
// whole: roles for ngrok_service_user, none (null) for ngrok_bot_user.
func TestUserModel_roundTripsThroughEachSchema(t *testing.T) {
	ctx := context.Background()
	for _, k := range []userKind{serviceUserKind, botUserKind} {
		t.Run(k.typeSuffix, func(t *testing.T) {
			var sr resource.SchemaResponse
			newUserResource(k).Schema(ctx, resource.SchemaRequest{}, &sr)
			state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
			want := userResourceModel{
				userModel: userModel{
					ID: types.StringValue("service_1"), URI: types.StringValue("https://api.ngrok.com/service_users/service_1"),
					Name: types.StringValue("ci"), Active: types.BoolValue(false), CreatedAt: types.StringValue("2026-12-07T01:02:03Z"),
				},
				Roles:    types.SetNull(types.StringType),
				Timeouts: timeoutsValue(map[string]string{"create": "1m", "read": "2m", "update": "3m", "delete": "4m"}),
			}
			if k.hasRoles {
				want.Roles = types.SetValueMust(types.StringType, []attr.Value{types.StringValue("developer-readonly")})
			}
			if diags := k.store(ctx, &state, &want); diags.HasError() {
				t.Fatal(diagText(diags))
			}
			var got userResourceModel
			if diags := k.load(ctx, state, &got); diags.HasError() {
				t.Fatal(diagText(diags))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}
