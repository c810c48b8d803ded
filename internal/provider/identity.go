package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Every managed resource of this provider is one ngrok object named by one
// ID, so they share one resource identity, { id }: what Terraform >= 1.12 and
// OpenTofu >= 1.12 keep beside the state and what an import block's
// identity = { id = "…" } names. Older CLIs never send or store it; the same
// resources work there, imported by a plain ID.

// idIdentityAttr is the identity's only attribute, and the state attribute it
// mirrors.
const idIdentityAttr = "id"

// idIdentitySchema is the identity { id }; description says what the ID
// looks like for one resource.
func idIdentitySchema(description string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			idIdentityAttr: identityschema.StringAttribute{
				Description:       description,
				RequiredForImport: true,
			},
		},
	}
}

// setIdentity records id as the resource's identity. Create, Read, Update
// and MoveState all call it: the framework refuses a response that leaves
// the identity empty, and a state written before identity existed (or by a
// CLI that does not store it) arrives with none. Read calls it before any
// early return, the object-is-gone one included: that is the path an
// identity-less state fails on otherwise ("Missing Resource Identity After
// Read"). identity is nil only where the framework offers no identity.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.SetAttribute(ctx, path.Root(idIdentityAttr), id)
}

// importByIDOrIdentity imports a resource named by an ID given either as a
// plain string (`terraform import`, import { id = … }) or as the identity
// (import { identity = { id = … } }). parse checks the ID's shape, so that a
// typo is refused before any request; noun names the resource in the error.
func importByIDOrIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse,
	noun string, parse func(string) (string, error)) {
	raw, summary := req.ID, "Invalid import ID"
	if raw == "" && req.Identity != nil {
		summary = "Invalid import identity"
		var given identityIDModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &given)...)
		if resp.Diagnostics.HasError() {
			return
		}
		raw = given.ID.ValueString()
	}
	id, err := parse(raw)
	if err != nil {
		resp.Diagnostics.AddError(summary, "Cannot import "+noun+": "+err.Error()+".")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(idIdentityAttr), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
}

// identityIDModel is the identity { id } as given in an import block. A null
// id reads as "", which parse refuses as empty.
type identityIDModel struct {
	ID types.String `tfsdk:"id"`
}
