package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// rotationDue is when a credential created at createdAt is due for rotation
// under rotateAfter: null without rotate_after, unknown until both are known.
func rotationDue(createdAt, rotateAfter types.String) types.String {
	if rotateAfter.IsNull() {
		return types.StringNull()
	}
	if createdAt.IsUnknown() || createdAt.IsNull() || rotateAfter.IsUnknown() {
		return types.StringUnknown()
	}
	created, err := time.Parse(time.RFC3339, createdAt.ValueString())
	d, derr := parseRotateAfter(rotateAfter.ValueString())
	if err != nil || derr != nil {
		return types.StringUnknown()
	}
	return types.StringValue(created.Add(d).UTC().Format(time.RFC3339))
}

// ModifyPlan plans rotation: once a credential is older than rotate_after,
// the plan replaces it. Terraform replaces a resource only for an attribute
// whose planned value differs from its state, so the due time, known in
// state, is planned unknown (the new credential's) and marked as requiring
// replacement.
func (r *credentialResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan credentialModel
	resp.Diagnostics.Append(r.kind.load(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	due := rotationDue(plan.CreatedAt, plan.RotateAfter)
	if !req.State.Raw.IsNull() && !due.IsNull() && !due.IsUnknown() {
		at, err := time.Parse(time.RFC3339, due.ValueString())
		if now := r.data.now(); err == nil && !now.Before(at) {
			tflog.Info(ctx, r.kind.noun+" is due for rotation; planning its replacement",
				map[string]any{"id": plan.ID.ValueString(), "rotation_due_at": due.ValueString()})
			due = types.StringUnknown()
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("rotation_due_at"))
		}
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("rotation_due_at"), due)...)
}

// now is the provider's clock: time.Now, or a test's.
func (d *providerData) now() time.Time {
	if d != nil && d.clock != nil {
		return d.clock()
	}
	return time.Now()
}
