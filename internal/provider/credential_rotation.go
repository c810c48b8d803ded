package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// rotateAfterPattern is a duration in days, hours and minutes, such as
// "90d", "720h" or "1d12h".
var rotateAfterPattern = regexp.MustCompile(`^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$`)

// maxRotateAfter is the longest rotate_after: a hundred years of 365 days.
const maxRotateAfter = 100 * 365 * 24 * time.Hour

// parseRotateAfter reads a rotate_after duration. Days are 24 hours.
func parseRotateAfter(s string) (time.Duration, error) {
	m := rotateAfterPattern.FindStringSubmatch(s)
	if m == nil || s == "" {
		return 0, fmt.Errorf("%s is not a duration such as \"90d\", \"720h\" or \"1d12h\" (units d, h and m, largest first)", quoteShort(s))
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute} {
		if m[i+1] == "" {
			continue
		}
		// Only digits: a number ParseInt refuses is too large. Each part,
		// and the sum, is checked before it could overflow.
		n, err := strconv.ParseInt(m[i+1], 10, 64)
		if err != nil || n > int64(maxRotateAfter/unit) {
			return 0, fmt.Errorf("%s is longer than a hundred years", quoteShort(s))
		}
		if d += time.Duration(n) * unit; d > maxRotateAfter {
			return 0, fmt.Errorf("%s is longer than a hundred years", quoteShort(s))
		}
	}
	if d <= 0 {
		return 0, fmt.Errorf("%s is not a positive duration", quoteShort(s))
	}
	return d, nil
}

func rotateAfterValidator() validator.String {
	return stringCheck{
		description: `must be a positive duration such as "90d" or "720h"`,
		summary:     "Invalid rotate_after",
		check: func(_ path.Path, value string) string {
			if _, err := parseRotateAfter(value); err != nil {
				return capitalize(err.Error()) + "."
			}
			return ""
		},
	}
}

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
