package provider

import (
	"context"
	"errors"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

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
	crud[credentialKind, credentialModel, ngrok.Credential]
}

// newCredentialResource is the resource of a kind, such as ngrok_api_key.
func newCredentialResource(k credentialKind) *credentialResource {
	return &credentialResource{crud[credentialKind, credentialModel, ngrok.Credential]{kind: k}}
}

func (r *credentialResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeSuffix
}

func (r *credentialResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("The " + r.kind.noun + "'s ID, such as `" + r.kind.ids.example + "`.")
}

// The lifecycle crud runs for credentials.

func (k credentialKind) what() string { return k.noun }

func (k credentialKind) load(ctx context.Context, from modelGetter, m *credentialModel) diag.Diagnostics {
	return k.state.load(ctx, from, m)
}

// store works out the model's rotation_due_at, then writes the model.
func (k credentialKind) store(ctx context.Context, to modelSetter, m *credentialModel) diag.Diagnostics {
	m.RotationDueAt = rotationDue(m.CreatedAt, m.RotateAfter)
	return k.state.store(ctx, to, m)
}

func (credentialKind) id(m *credentialModel) string                   { return m.ID.ValueString() }
func (credentialKind) timeouts(m *credentialModel) timeouts.Value     { return m.Timeouts }
func (k credentialKind) fill(m *credentialModel, c *ngrok.Credential) { m.fill(k, c) }

func (k credentialKind) label(plan *credentialModel) string {
	if plan.Description.ValueString() == "" {
		return k.noun
	}
	return k.noun + " " + quoteShort(plan.Description.ValueString())
}

func (k credentialKind) reader(d *providerData) *ngrok.BulkReader[ngrok.Credential] {
	return d.credentialReader(k.collection)
}

func (k credentialKind) create(ctx context.Context, d *providerData, plan *credentialModel) (*ngrok.Credential, error) {
	return d.client.Credentials(k.collection).Create(ctx, k.createInput(plan))
}

// createInput is what a create of m sends, for the resource and the
// ephemeral resource alike.
func (k credentialKind) createInput(m *credentialModel) ngrok.CredentialCreate {
	in := ngrok.CredentialCreate{
		Description: m.Description.ValueString(),
		Metadata:    m.Metadata.ValueString(),
		OwnerID:     m.OwnerID.ValueString(), // "" when omitted: the API key's owner
		PublicKey:   m.PublicKey.ValueString(),
	}
	if k.hasACL {
		in.ACL = stringsOf(m.ACL)
	}
	return in
}

func (k credentialKind) update(ctx context.Context, d *providerData, plan, state *credentialModel) (*ngrok.Credential, error) {
	// What ngrok does not hold (rotation settings, timeouts, another
	// spelling of the owner, a key's comment) changes in state alone.
	plan.ID, plan.URI, plan.CreatedAt, plan.Token = state.ID, state.URI, state.CreatedAt, state.Token
	// Send only what changed: PATCH leaves the rest as it is.
	var upd ngrok.CredentialUpdate
	if !plan.Description.Equal(state.Description) {
		upd.Description = plan.Description.ValueStringPointer()
	}
	if !plan.Metadata.Equal(state.Metadata) {
		upd.Metadata = plan.Metadata.ValueStringPointer()
	}
	if k.hasACL && !plan.ACL.Equal(state.ACL) {
		acl := stringsOf(plan.ACL)
		upd.ACL = &acl
	}
	if upd == (ngrok.CredentialUpdate{}) {
		return nil, nil
	}
	return d.client.Credentials(k.collection).Update(ctx, state.ID.ValueString(), upd)
}

// ownerErrors are ngrok's refusals of a credential's owner.
var ownerErrors = []string{"ERR_NGROK_627", "ERR_NGROK_628", "ERR_NGROK_629", "ERR_NGROK_630", "ERR_NGROK_631", "ERR_NGROK_634", "ERR_NGROK_636"}

func (credentialKind) blame(err error) path.Path {
	var apiErr *ngrok.Error
	if errors.As(err, &apiErr) && slices.Contains(ownerErrors, apiErr.ErrorCode) {
		return path.Root("owner_id")
	}
	return path.Empty()
}

func (k credentialKind) delete(ctx context.Context, d *providerData, id string) error {
	// A credential already revoked, or deleted with its owner, is a
	// not-found error, which crud takes as done.
	return d.client.Credentials(k.collection).Delete(ctx, id)
}

func (r *credentialResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByIDOrIdentity(ctx, req, resp, r.kind.noun, r.kind.ids.parse)
	if r.kind.hasToken && !resp.Diagnostics.HasError() {
		resp.Diagnostics.AddWarning("The imported "+r.kind.noun+"'s token is unknown",
			"ngrok shows "+r.kind.aNoun+"'s token only once, when it is created, so token is null after an import. "+
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
	if m.OwnerID.IsNull() || m.OwnerID.IsUnknown() || !ngrok.SameUser(m.OwnerID.ValueString(), c.OwnerID) {
		m.OwnerID = types.StringValue(c.OwnerID)
	}
	if k.hasACL {
		m.ACL = stringSet(c.ACL)
	}
	if k.hasPublicKey && (m.PublicKey.IsNull() || !samePublicKey(m.PublicKey.ValueString(), c.PublicKey)) {
		m.PublicKey = types.StringValue(c.PublicKey)
	}
	if k.hasToken {
		switch {
		case c.Token != nil && *c.Token != "":
			// Only a create's reply holds the secret (or the bulk reader's
			// copy of it, in the same run); state keeps it from now on,
			// whatever later replies say (null, or "").
			m.Token = types.StringValue(*c.Token)
		case m.Token.IsUnknown() || m.Token.ValueString() == "":
			// A create whose reply had none, or a state holding "" (ngrok/
			// ngrok v0.7 wrote that for the token it never had): no token.
			m.Token = types.StringNull()
		}
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

// stringsOf is a set of strings as a slice; empty when the set is null or
// unknown. Null or unknown elements, which the configuration of an apply
// cannot hold, are left out.
func stringsOf(set types.Set) []string {
	out := []string{}
	for _, e := range set.Elements() {
		if s, ok := e.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
			out = append(out, s.ValueString())
		}
	}
	return out
}
