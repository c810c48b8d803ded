package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

var (
	_ list.ListResourceWithConfigure      = (*userListResource)(nil)
	_ list.ListResourceWithValidateConfig = (*userListResource)(nil)
)

// userListResource lists the account's service users for terraform query
// (Terraform 1.14 and later), so that a user nobody manages can be found,
// and adopted with the import and resource blocks Terraform generates.
type userListResource struct {
	data *providerData
}

// NewServiceUserListResource is the ngrok_service_user list resource.
func NewServiceUserListResource() list.ListResource { return &userListResource{} }

func (l *userListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + serviceUserKind.typeSuffix
}

func (l *userListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the account's service users, newest first, for `terraform query` (Terraform 1.14 and later): " +
			"every one, or those the filters select, which mean what they mean in the `ngrok_users` data source. Each result " +
			"is named by the user's name and carries its identity, and, with `include_resource = true`, the user as a read " +
			"of `ngrok_service_user` would store it; `terraform query -generate-config-out` writes the blocks that adopt them. " +
			"Results arrive page by page: a query of 1,000 users sends 10 list requests, one with `limit = 5` sends one.",
		Attributes: map[string]schema.Attribute{
			"name":              schema.StringAttribute{MarkdownDescription: userFilterDocs["name"], Optional: true},
			"name_regex":        schema.StringAttribute{MarkdownDescription: userFilterDocs["name_regex"], Optional: true},
			"active":            schema.BoolAttribute{MarkdownDescription: userFilterDocs["active"], Optional: true},
			"filter":            schema.StringAttribute{MarkdownDescription: userFilterDocs["filter"], Optional: true},
			"role":              schema.StringAttribute{MarkdownDescription: userFilterDocs["role"], Optional: true},
			"include_bot_users": schema.BoolAttribute{MarkdownDescription: userFilterDocs["include_bot_users"], Optional: true},
			"exclude_ids":       schema.ListAttribute{MarkdownDescription: excludeIDsDoc, ElementType: types.StringType, Optional: true},
		},
	}
}

func (l *userListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateListResourceConfig refuses what would fail, naming the attribute,
// before any request: a regular expression or a CEL filter that does not
// compile among them.
func (l *userListResource) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var f userListConfig
	resp.Diagnostics.Append(req.Config.Get(ctx, &f)...)
	if resp.Diagnostics.HasError() {
		return
	}
	f.validate(&resp.Diagnostics)
}

func (l *userListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var f userListConfig
	if diags := req.Config.Get(ctx, &f); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if !l.data.configured() {
		stream.Results = listUnconfigured("list service users")
		return
	}
	skip := excluded(f.ExcludeIDs)
	users := func(yield func(listed, error) bool) {
		for u, err := range f.users(ctx, l.data.client, listPageSize(req.Limit)) {
			if err == nil && skip[ngrok.UserKey(u.ID)] {
				continue
			}
			if !yield(listedUser(u), err) {
				return
			}
		}
	}
	stream.Results = streamListed(ctx, req, iter.Seq2[listed, error](users), "Unable to list service users")
}

// userListConfig is the list resource's configuration: the selection of
// ngrok_users, and the IDs to leave out.
type userListConfig struct {
	userFilter
	ExcludeIDs types.List `tfsdk:"exclude_ids"`
}

// listedUser is a user as a list result: named by its name, stored as a
// read of ngrok_service_user stores it (no timeouts, as after an import).
func listedUser(u ngrok.User) listed {
	return listed{id: u.ID, name: u.Name, store: func(ctx context.Context, to modelSetter) diag.Diagnostics {
		m := userResourceModel{userModel: userModelOf(&u), Roles: types.SetNull(types.StringType), Timeouts: nullTimeouts()}
		return serviceUserKind.store(ctx, to, &m)
	}}
}
