package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// userSchemaVersion is the version of the user resources' schema. Raise it,
// and add an upgrader from the version before, whenever the state's shape
// changes; Terraform then hands older states to UpgradeState.
//
// Version 0 is the first release's schema. Version 1 was introduced so that
// the upgrade path exists, and is tested, before a change needs it; it has
// version 0's attributes and, on ngrok_service_user, roles (null in a state
// of version 0: not managed). A state of version 0 also arrives when a
// user switches a state written by ngrok/ngrok (always version 0, with a
// subset of our attributes) to this provider with `terraform state
// replace-provider`.
const userSchemaVersion = 1

func (r *userResource) UpgradeState(ctx context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{
		0: {PriorSchema: userSchemaV0(ctx), StateUpgrader: r.upgradeStateV0},
	}
}

// userSchemaV0 is the shape of a version 0 state, frozen: it must not follow
// later changes to the resource's schema. Decoding needs only the types, so
// it has no descriptions, defaults, validators or plan modifiers.
func userSchemaV0(ctx context.Context) *schema.Schema {
	return &schema.Schema{
		Version: 0,
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{Computed: true},
			"uri":        schema.StringAttribute{Computed: true},
			"name":       schema.StringAttribute{Required: true},
			"active":     schema.BoolAttribute{Optional: true, Computed: true},
			"created_at": schema.StringAttribute{Computed: true},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

// upgradeStateV0 maps a version 0 state to version 1. The attributes of
// version 0 are the bot user's (version 1 added only ngrok_service_user's
// roles, which an old state does not manage: null), so every value passes
// through; the refresh that follows fills what an older writer left null.
func (r *userResource) upgradeStateV0(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	var prior botUserState
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m := prior.toModel()
	resp.Diagnostics.Append(r.kind.store(ctx, &resp.State, &m)...)
}
