package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

var (
	_ resource.ResourceWithConfigure   = (*credentialResource)(nil)
	_ resource.ResourceWithImportState = (*credentialResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*credentialResource)(nil)
	_ resource.ResourceWithMoveState   = (*credentialResource)(nil)
	_ resource.ResourceWithIdentity    = (*credentialResource)(nil)
)

// credentialResource manages one credential of a kind: ngrok_api_key,
// ngrok_authtoken or ngrok_ssh_credential.
type credentialResource struct {
	kind credentialKind
	data *providerData
}

// NewAPIKeyResource is the ngrok_api_key resource.
func NewAPIKeyResource() resource.Resource { return &credentialResource{kind: apiKeyKind} }

// NewAuthtokenResource is the ngrok_authtoken resource.
func NewAuthtokenResource() resource.Resource { return &credentialResource{kind: authtokenKind} }

// NewSSHCredentialResource is the ngrok_ssh_credential resource.
func NewSSHCredentialResource() resource.Resource {
	return &credentialResource{kind: sshCredentialKind}
}

func (r *credentialResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeSuffix
}

func (r *credentialResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("The " + r.kind.noun + "'s ID, such as `" + r.kind.ids.example + "`.")
}

func (r *credentialResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *credentialResource) api() *ngrok.Credentials {
	return r.data.client.Credentials(r.kind.collection)
}

func (r *credentialResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan credentialModel
	resp.Diagnostics.Append(plan.load(ctx, r.kind, req.Plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := r.data.startWrite(ctx, "create", "the "+r.kind.noun, plan.Timeouts.Create, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	in := ngrok.CredentialCreate{
		Description: plan.Description.ValueString(),
		Metadata:    plan.Metadata.ValueString(),
		OwnerID:     plan.OwnerID.ValueString(), // "" when omitted: the API key's owner
		PublicKey:   plan.PublicKey.ValueString(),
	}
	if r.kind.hasACL {
		in.ACL = stringsOf(ctx, plan.ACL, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	cred, err := r.api().Create(ctx, in)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to create "+r.kind.noun, err)
		return
	}
	tflog.Info(ctx, "created "+r.kind.noun, map[string]any{"id": cred.ID, "owner_id": cred.OwnerID})
	r.data.credentialReader(r.kind.collection).Remember(*cred)
	plan.fill(r.kind, cred)
	if r.kind.hasToken {
		// Only this reply holds the secret; it is kept from now on.
		plan.Token = types.StringPointerValue(cred.Token)
	}
	plan.RotationDueAt = rotationDue(plan.CreatedAt, plan.RotateAfter)
	resp.Diagnostics.Append(plan.store(ctx, r.kind, &resp.State)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, cred.ID)...)
}

func (r *credentialResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state credentialModel
	resp.Diagnostics.Append(state.load(ctx, r.kind, req.State)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Before any early return: a state without an identity (written by an
	// older CLI) must leave every Read with one.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ID.ValueString())...)
	if !r.data.configured() {
		tflog.Warn(ctx, "provider not configured yet; keeping the prior state of "+state.ID.ValueString())
		return
	}
	ctx, cancel := withTimeout(ctx, "read", state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	cred, err := r.data.credentialReader(r.kind.collection).Get(ctx, state.ID.ValueString())
	if ngrok.IsNotFound(err) {
		// Revoked outside Terraform, or its owner was deleted: the next
		// plan creates it again.
		tflog.Warn(ctx, r.kind.noun+" no longer exists; removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read "+r.kind.noun+" "+quoteShort(state.ID.ValueString()), err)
		return
	}
	// The token is not in this reply (ngrok shows it once): state keeps it.
	state.fill(r.kind, cred)
	state.RotationDueAt = rotationDue(state.CreatedAt, state.RotateAfter)
	resp.Diagnostics.Append(state.store(ctx, r.kind, &resp.State)...)
}

func (r *credentialResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state credentialModel
	resp.Diagnostics.Append(plan.load(ctx, r.kind, req.Plan)...)
	resp.Diagnostics.Append(state.load(ctx, r.kind, req.State)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := r.data.startWrite(ctx, "update", "the "+r.kind.noun, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	// Send only what changed: PATCH leaves the rest as it is.
	var upd ngrok.CredentialUpdate
	if !plan.Description.Equal(state.Description) {
		upd.Description = plan.Description.ValueStringPointer()
	}
	if !plan.Metadata.Equal(state.Metadata) {
		upd.Metadata = plan.Metadata.ValueStringPointer()
	}
	if r.kind.hasACL && !plan.ACL.Equal(state.ACL) {
		acl := stringsOf(ctx, plan.ACL, &resp.Diagnostics)
		upd.ACL = &acl
	}
	if resp.Diagnostics.HasError() {
		return
	}
	// What ngrok does not hold (rotation settings, timeouts, another
	// spelling of the owner, a key's comment) changes in state alone.
	plan.ID, plan.URI, plan.CreatedAt, plan.Token = state.ID, state.URI, state.CreatedAt, state.Token
	if upd != (ngrok.CredentialUpdate{}) {
		cred, err := r.api().Update(ctx, state.ID.ValueString(), upd)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Unable to update "+r.kind.noun+" "+quoteShort(state.ID.ValueString()), err)
			return
		}
		r.data.credentialReader(r.kind.collection).Remember(*cred)
		plan.fill(r.kind, cred)
	}
	plan.RotationDueAt = rotationDue(plan.CreatedAt, plan.RotateAfter)
	resp.Diagnostics.Append(plan.store(ctx, r.kind, &resp.State)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ID.ValueString())...)
}

func (r *credentialResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state credentialModel
	resp.Diagnostics.Append(state.load(ctx, r.kind, req.State)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := r.data.startWrite(ctx, "delete", "the "+r.kind.noun, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	err := r.api().Delete(ctx, state.ID.ValueString())
	r.data.credentialReader(r.kind.collection).Forget(state.ID.ValueString())
	if ngrok.IsNotFound(err) {
		return // already revoked, or deleted with its owner
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to delete "+r.kind.noun+" "+quoteShort(state.ID.ValueString()), err)
	}
}

func (r *credentialResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByIDOrIdentity(ctx, req, resp, r.kind.noun, r.kind.ids.parse)
	if r.kind.hasToken && !resp.Diagnostics.HasError() {
		resp.Diagnostics.AddWarning("The imported "+r.kind.noun+"'s token is unknown",
			"ngrok shows a "+r.kind.noun+"'s token only once, when it is created, so token is null after an import. "+
				"If you need the token, make a new "+r.kind.noun+" with terraform apply -replace=<address>; "+
				"the old one is revoked only after, with create_before_destroy.")
	}
}

// fill copies what the API says into the model. Where the API's value means
// the same as the model's (the other spelling of the owner, the same SSH key
// with another comment), the model's is kept, so that neither shows as drift.
func (m *credentialModel) fill(k credentialKind, c *ngrok.Credential) {
	m.ID = types.StringValue(c.ID)
	m.URI = types.StringValue(c.URI)
	m.CreatedAt = types.StringValue(c.CreatedAt)
	m.Description = types.StringValue(c.Description)
	m.Metadata = types.StringValue(c.Metadata)
	if m.OwnerID.IsNull() || m.OwnerID.IsUnknown() || !sameUser(m.OwnerID.ValueString(), c.OwnerID) {
		m.OwnerID = types.StringValue(c.OwnerID)
	}
	if k.hasACL {
		m.ACL = stringSet(c.ACL)
	}
	if k.hasPublicKey && (m.PublicKey.IsNull() || !samePublicKey(m.PublicKey.ValueString(), c.PublicKey)) {
		m.PublicKey = types.StringValue(c.PublicKey)
	}
	if k.hasToken && m.Token.IsUnknown() {
		m.Token = types.StringNull()
	}
}

// stringSet is a list from the API as a set of strings, each once.
func stringSet(list []string) types.Set {
	seen := make(map[string]bool, len(list))
	elems := make([]attr.Value, 0, len(list))
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			elems = append(elems, types.StringValue(s))
		}
	}
	return types.SetValueMust(types.StringType, elems)
}

// stringsOf is a set of strings as a slice.
func stringsOf(ctx context.Context, set types.Set, diags *diag.Diagnostics) []string {
	out := []string{}
	if set.IsNull() || set.IsUnknown() {
		return out
	}
	diags.Append(set.ElementsAs(ctx, &out, false)...)
	return out
}
