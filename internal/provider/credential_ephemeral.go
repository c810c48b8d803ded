package provider

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

var (
	_ ephemeral.EphemeralResourceWithConfigure = (*credentialEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithClose     = (*credentialEphemeral)(nil)
)

// ephemeralTimeout bounds opening and closing one ephemeral credential.
const ephemeralTimeout = 5 * time.Minute

// credentialEphemeral is a credential that lives for one Terraform run:
// opening it creates it, closing it revokes it, and its token never reaches
// state or plan. ngrok_api_key and ngrok_authtoken.
type credentialEphemeral struct {
	kind credentialKind
	data *providerData
}

// newCredentialEphemeral is the ephemeral resource of a kind with a token,
// such as the ephemeral ngrok_api_key.
func newCredentialEphemeral(k credentialKind) ephemeral.EphemeralResource {
	return &credentialEphemeral{kind: k}
}

// The ephemeral resource of each kind, read from its configuration and
// written as its result through credentialModel, as the resource's state is.
type (
	ephemeralCommon struct {
		ID          types.String `tfsdk:"id"`
		OwnerID     types.String `tfsdk:"owner_id"`
		Description types.String `tfsdk:"description"`
		Metadata    types.String `tfsdk:"metadata"`
		Token       types.String `tfsdk:"token"`
	}
	apiKeyEphemeral    struct{ ephemeralCommon }
	authtokenEphemeral struct {
		ephemeralCommon
		ACL types.Set `tfsdk:"acl"`
	}
)

func (e ephemeralCommon) toModel() credentialModel {
	return credentialModel{
		credentialCommon: credentialCommon{ID: e.ID, OwnerID: e.OwnerID, Description: e.Description, Metadata: e.Metadata},
		Token:            e.Token,
	}
}

func (e *ephemeralCommon) fromModel(m *credentialModel) {
	*e = ephemeralCommon{ID: m.ID, OwnerID: m.OwnerID, Description: m.Description, Metadata: m.Metadata, Token: m.Token}
}

func (e *apiKeyEphemeral) toModel() credentialModel { return e.ephemeralCommon.toModel() }

func (e *apiKeyEphemeral) fromModel(m *credentialModel) { e.ephemeralCommon.fromModel(m) }

func (e *authtokenEphemeral) toModel() credentialModel {
	m := e.ephemeralCommon.toModel()
	m.ACL = e.ACL
	return m
}

func (e *authtokenEphemeral) fromModel(m *credentialModel) {
	e.ephemeralCommon.fromModel(m)
	e.ACL = m.ACL
}

// privateKeyID is where Open leaves the ID for Close.
const privateKeyID = "id"

func (e *credentialEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + e.kind.typeSuffix
}

func (e *credentialEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	k := e.kind
	attrs := map[string]schema.Attribute{
		"owner_id": schema.StringAttribute{
			MarkdownDescription: "The user the " + k.noun + " acts as: a service user (`service_…`, `bot_…`) or a user of the account " +
				"(`usr_…`). Omitted, the owner of the provider's API key, whose ID it then shows. Given, it shows as written, " +
				"whichever spelling of a service user's ID (`service_…` or `bot_…`) ngrok reports.",
			Optional:   true,
			Computed:   true,
			Validators: []validator.String{idValidator(ownerIDs)},
		},
		"description": schema.StringAttribute{
			MarkdownDescription: "What the " + k.noun + " is for, at most 255 bytes; it shows in the ngrok dashboard while the run lasts.",
			Optional:            true,
			Validators:          []validator.String{maxBytesValidator(maxDescriptionBytes)},
		},
		"metadata": schema.StringAttribute{
			MarkdownDescription: "Arbitrary data, at most 4,096 bytes.",
			Optional:            true,
			Validators:          []validator.String{maxBytesValidator(maxMetadataBytes)},
		},
		"id":    schema.StringAttribute{MarkdownDescription: "The " + k.noun + "'s ID.", Computed: true},
		"token": schema.StringAttribute{MarkdownDescription: "The " + k.noun + "'s secret. " + k.usage, Computed: true, Sensitive: true},
	}
	if k.hasACL {
		attrs["acl"] = schema.SetAttribute{
			MarkdownDescription: "Bind rules that limit what the " + k.noun + " may do, such as `\"bind:example.ngrok.app\"`; empty means no " +
				"restriction. Omitted, it shows the rules ngrok reports (none).",
			ElementType: types.StringType,
			Optional:    true,
			Computed:    true,
			Validators:  []validator.Set{setvalidator.ValueStringsAre(aclRuleValidator())},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A short-lived ngrok " + k.noun + " for one Terraform run: created when Terraform opens it, revoked when " +
			"Terraform closes it at the end of the run. A run that fails or is interrupted after opening it does not close it; the " +
			"provider then revokes it itself as Terraform stops it, or, if Terraform is killed outright, as soon as it notices; and " +
			"if the provider is killed outright too, the next run of the account on the same machine revokes it (it is recorded " +
			"in a journal beside the rate-limit window, never with its token). Its token never reaches state or plan files. Use it " +
			"to act as a service user for one run, such as an aliased `ngrok` provider whose `api_key` is the token. Needs " +
			"Terraform 1.10 or later, or OpenTofu 1.11 or later.",
		Attributes: attrs,
	}
}

func (e *credentialEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *credentialEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m credentialModel
	resp.Diagnostics.Append(e.kind.ephemeral.load(ctx, req.Config, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !e.data.configured() {
		addNotConfigured(&resp.Diagnostics, "open the ephemeral "+e.kind.noun)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, ephemeralTimeout)
	defer cancel()

	cred, err := e.data.client.Credentials(e.kind.collection).Create(ctx, e.kind.createInput(&m))
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to create the ephemeral "+e.kind.noun, err)
		return
	}
	tflog.Info(ctx, "opened ephemeral "+e.kind.noun, map[string]any{"id": cred.ID, "owner_id": cred.OwnerID})
	if err := trackEphemeral(cred.ID, openEphemeral{client: e.data.client, col: e.kind.collection, leases: e.data.leases}); err != nil {
		tflog.Warn(ctx, "the ephemeral "+e.kind.noun+" is not journaled: if this process is killed outright, it stays live", map[string]any{"id": cred.ID, "error": err.Error()})
	}
	id, _ := json.Marshal(cred.ID)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyID, id)...)
	// What the configuration gives is the result as given (Terraform
	// checks); only what it leaves out is ngrok's to fill in.
	m.ID, m.Token = types.StringValue(cred.ID), types.StringPointerValue(cred.Token)
	if m.OwnerID.IsNull() {
		m.OwnerID = types.StringValue(cred.OwnerID)
	}
	if e.kind.hasACL && m.ACL.IsNull() {
		m.ACL = stringSet(cred.ACL)
	}
	resp.Diagnostics.Append(e.kind.ephemeral.store(ctx, &resp.Result, &m)...)
}

func (e *credentialEphemeral) Close(ctx context.Context, req ephemeral.CloseRequest, resp *ephemeral.CloseResponse) {
	raw, diags := req.Private.GetKey(ctx, privateKeyID)
	resp.Diagnostics.Append(diags...)
	var id string
	if len(raw) == 0 || json.Unmarshal(raw, &id) != nil || id == "" {
		return // Open created nothing
	}
	if !e.data.configured() {
		addNotConfigured(&resp.Diagnostics, "revoke the ephemeral "+e.kind.noun+" "+id)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, ephemeralTimeout)
	defer cancel()
	err := e.data.client.Credentials(e.kind.collection).Delete(ctx, id)
	if err != nil && !ngrok.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, "Unable to revoke the ephemeral "+e.kind.noun+" "+id, err)
		return
	}
	tflog.Info(ctx, "revoked ephemeral "+e.kind.noun, map[string]any{"id": id})
	if err := untrackEphemeral(id); err != nil {
		tflog.Warn(ctx, "the journal of open ephemeral credentials was not updated", map[string]any{"id": id, "error": err.Error()})
	}
}
