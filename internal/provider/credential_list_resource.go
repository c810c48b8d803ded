package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

var (
	_ list.ListResourceWithConfigure      = (*credentialListResource)(nil)
	_ list.ListResourceWithValidateConfig = (*credentialListResource)(nil)
)

// credentialListResource lists the credentials of a kind for terraform
// query: ngrok_api_key, ngrok_authtoken or ngrok_ssh_credential.
type credentialListResource struct {
	kind credentialKind
	data *providerData
}

// newCredentialListResource is the list resource of a kind.
func newCredentialListResource(k credentialKind) list.ListResource {
	return &credentialListResource{kind: k}
}

func (l *credentialListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + l.kind.typeSuffix
}

func (l *credentialListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	k := l.kind
	docs := credentialFilterDocs(k)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the account's " + k.noun + "s, newest first, for `terraform query` (Terraform 1.14 and later): " +
			"every one, one owner's, or a CEL filter's, as the `ngrok_" + k.listName() + "` data source selects them. Each result " +
			"is named by its description (else its ID) and its owner, and carries its identity, and, with `include_resource = true`, " +
			"the " + k.noun + " as a read of `" + k.typeName() + "` would store it" + tokenNote(k) + ". " +
			"`terraform query -generate-config-out` writes the blocks that adopt them.",
		Attributes: map[string]schema.Attribute{
			"owner_id": schema.StringAttribute{
				MarkdownDescription: docs["owner_id"],
				Optional:            true,
				Validators:          []validator.String{idValidator(ownerIDs)},
			},
			"filter":      schema.StringAttribute{MarkdownDescription: docs["filter"], Optional: true},
			"exclude_ids": schema.ListAttribute{MarkdownDescription: excludeIDsDoc, ElementType: types.StringType, Optional: true},
		},
	}
}

// tokenNote says that a list knows no token, for kinds that have one.
func tokenNote(k credentialKind) string {
	if !k.hasToken {
		return ""
	}
	return " (its `token` null, as after an import: ngrok shows it only once)"
}

func (l *credentialListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateListResourceConfig refuses what would fail, naming the attribute,
// before any request (owner_id has its own validator).
func (l *credentialListResource) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var f credentialListConfig
	resp.Diagnostics.Append(req.Config.Get(ctx, &f)...)
	if resp.Diagnostics.HasError() {
		return
	}
	f.validate(l.kind.noun, &resp.Diagnostics)
}

func (l *credentialListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var f credentialListConfig
	if diags := req.Config.Get(ctx, &f); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if !l.data.configured() {
		stream.Results = listUnconfigured("list " + l.kind.noun + "s")
		return
	}
	skip := excluded(f.ExcludeIDs)
	creds := func(yield func(listed, error) bool) {
		for c, err := range f.credentials(ctx, l.data.client, l.kind.collection, listPageSize(req.Limit)) {
			if err == nil && skip[c.ID] {
				continue
			}
			if !yield(l.listed(c), err) {
				return
			}
		}
	}
	stream.Results = streamListed(ctx, req, creds, "Unable to list "+l.kind.noun+"s")
}

// credentialListConfig is the list resource's configuration: the selection
// of the kind's data source, and the IDs to leave out.
type credentialListConfig struct {
	credentialFilter
	ExcludeIDs types.List `tfsdk:"exclude_ids"`
}

// listed is a credential as a list result: named by its description (else
// its ID) and owner, stored as a read of the resource stores it after an
// import.
func (l *credentialListResource) listed(c ngrok.Credential) listed {
	name := c.Description
	if name == "" {
		name = c.ID
	}
	return listed{id: c.ID, name: name + " (owner " + c.OwnerID + ")", store: func(ctx context.Context, to modelSetter) diag.Diagnostics {
		m := credentialModel{credentialCommon: credentialCommon{RotateTriggers: types.MapNull(types.StringType), Timeouts: nullTimeouts()}}
		l.kind.fill(&m, &c)
		return l.kind.store(ctx, to, &m)
	}}
}
