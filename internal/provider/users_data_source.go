package provider

import (
	"context"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

var (
	_ datasource.DataSourceWithConfigure      = (*usersDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*usersDataSource)(nil)
)

// usersDataSource lists the account's service users.
type usersDataSource struct {
	data *providerData
}

// NewUsersDataSource is the ngrok_users data source.
func NewUsersDataSource() datasource.DataSource { return &usersDataSource{} }

func (d *usersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_users"
}

func (d *usersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the service users of the account — every page of them — newest first, optionally narrowed " +
			"by name, a regular expression, activity or a CEL filter. All of them combine with *and*, and all are sent to the " +
			"API as one [CEL](https://ngrok.com/docs/api/#filtering) expression, so only matching users cross the network: " +
			"every filter depends on the API's CEL support, and an expression it refuses (`ERR_NGROK_230`) fails the read. " +
			"`name`, `name_regex` and `active` are checked again by the provider on the users that come back; `filter` is " +
			"evaluated by the API alone.",
		Attributes: map[string]schema.Attribute{
			"name":              schema.StringAttribute{MarkdownDescription: userFilterDocs["name"], Optional: true},
			"name_regex":        schema.StringAttribute{MarkdownDescription: userFilterDocs["name_regex"], Optional: true},
			"active":            schema.BoolAttribute{MarkdownDescription: userFilterDocs["active"], Optional: true},
			"filter":            schema.StringAttribute{MarkdownDescription: userFilterDocs["filter"], Optional: true},
			"role":              schema.StringAttribute{MarkdownDescription: userFilterDocs["role"], Optional: true},
			"include_bot_users": schema.BoolAttribute{MarkdownDescription: userFilterDocs["include_bot_users"], Optional: true},
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "The matching service users, newest first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":         schema.StringAttribute{MarkdownDescription: "The user's ID.", Computed: true},
						"uri":        schema.StringAttribute{MarkdownDescription: "The user's URI in the ngrok API.", Computed: true},
						"name":       schema.StringAttribute{MarkdownDescription: "The user's name.", Computed: true},
						"active":     schema.BoolAttribute{MarkdownDescription: "Whether the user is active.", Computed: true},
						"created_at": schema.StringAttribute{MarkdownDescription: "When the user was created, in RFC 3339 format.", Computed: true},
						"roles":      schema.SetAttribute{MarkdownDescription: rolesReadDoc, ElementType: types.StringType, Computed: true},
					},
				},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The IDs of `users`, in the same order.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeoutsBlock(ctx)},
	}
}

func (d *usersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *usersDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var cfg usersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.validate(&resp.Diagnostics)
}

func (d *usersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg usersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !d.data.configured() {
		addNotConfigured(&resp.Diagnostics, "list service users")
		return
	}
	ctx, cancel := withTimeout(ctx, opRead, cfg.Timeouts.Read, &resp.Diagnostics)
	defer cancel()

	users := []attr.Value{}
	ids := []attr.Value{}
	for u, err := range cfg.users(ctx, d.data.client, 0) {
		if err != nil {
			addAPIError(&resp.Diagnostics, "Unable to list service users", err)
			return
		}
		users = append(users, userObject(ctx, &u, &resp.Diagnostics))
		ids = append(ids, types.StringValue(u.ID))
	}
	tflog.Debug(ctx, "listed service users", map[string]any{"matched": len(users)})

	var diags diag.Diagnostics
	cfg.Users, diags = types.ListValue(userObjectType, users)
	resp.Diagnostics.Append(diags...)
	cfg.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

type usersDataSourceModel struct {
	userFilter
	Users    types.List       `tfsdk:"users"`
	IDs      types.List       `tfsdk:"ids"`
	Timeouts dstimeouts.Value `tfsdk:"timeouts"`
}

func userObject(ctx context.Context, u *ngrok.User, diags *diag.Diagnostics) attr.Value {
	v, d := types.ObjectValueFrom(ctx, userObjectType.AttrTypes, userInfoOf(u))
	diags.Append(d...)
	return v
}
