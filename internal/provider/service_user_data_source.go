package provider

import (
	"context"
	"fmt"
	"strings"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

var (
	_ datasource.DataSourceWithConfigure        = (*serviceUserDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*serviceUserDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig   = (*serviceUserDataSource)(nil)
)

// serviceUserDataSource reads one service user by ID or by unique name.
type serviceUserDataSource struct {
	data *providerData
}

// NewServiceUserDataSource is the ngrok_service_user data source.
func NewServiceUserDataSource() datasource.DataSource { return &serviceUserDataSource{} }

func (d *serviceUserDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_user"
}

func (d *serviceUserDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one service user, by `id` or by `name`. A name must match exactly one user: " +
			"zero or several matches are an error that says how many there were.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The user's ID. Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The user's name, which must belong to exactly one service user. Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
			},
			"uri":        schema.StringAttribute{MarkdownDescription: "The user's URI in the ngrok API.", Computed: true},
			"active":     schema.BoolAttribute{MarkdownDescription: "Whether the user is active.", Computed: true},
			"created_at": schema.StringAttribute{MarkdownDescription: "When the user was created, in RFC 3339 format.", Computed: true},
			"roles":      schema.SetAttribute{MarkdownDescription: rolesReadDoc, ElementType: types.StringType, Computed: true},
		},
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeoutsBlock(ctx)},
	}
}

func (d *serviceUserDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *serviceUserDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var cfg serviceUserDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !cfg.ID.IsNull() && !cfg.ID.IsUnknown() {
		if _, err := parseUserID(cfg.ID.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid service user ID", err.Error()+".")
		}
	}
	if !cfg.Name.IsNull() && !cfg.Name.IsUnknown() && strings.TrimSpace(cfg.Name.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Empty name", "name is empty; give the name of the service user to read.")
	}
}

func (d *serviceUserDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *serviceUserDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg serviceUserDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !d.data.configured() {
		addNotConfigured(&resp.Diagnostics, "read the service user")
		return
	}
	ctx, cancel := withTimeout(ctx, opRead, cfg.Timeouts.Read, &resp.Diagnostics)
	defer cancel()
	users := d.data.client.Users(ngrok.ServiceUsers)

	var user *ngrok.User
	if !cfg.ID.IsNull() {
		id, err := parseUserID(cfg.ID.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid service user ID", err.Error()+".")
			return
		}
		user, err = users.Get(ctx, id)
		if ngrok.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Service user not found",
				fmt.Sprintf("The account has no service user with ID %s. It may have been deleted; the ngrok_users data source lists the ones that exist.", quoteShort(id)))
			return
		}
		if err != nil {
			addAPIError(&resp.Diagnostics, "Unable to read service user "+quoteShort(id), err)
			return
		}
	} else {
		name := cfg.Name.ValueString()
		var matches []ngrok.User
		for u, err := range users.List(ctx, ngrok.ListOptions{Filter: "obj.name == " + ngrok.CELString(name)}) {
			if err != nil {
				addAPIError(&resp.Diagnostics, "Unable to look up service user "+quoteShort(name), err)
				return
			}
			if u.Name == name {
				matches = append(matches, u)
			}
		}
		switch len(matches) {
		case 1:
			user = &matches[0]
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Service user not found",
				fmt.Sprintf("No service user is named %s (0 matches). Names are matched exactly, including case.", quoteShort(name)))
			return
		default:
			ids := make([]string, len(matches))
			for i := range matches {
				ids[i] = matches[i].ID
			}
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Service user name is ambiguous",
				fmt.Sprintf("%d service users are named %s (%s). Read the one you mean by id instead.", len(matches), quoteShort(name), strings.Join(ids, ", ")))
			return
		}
	}

	cfg.userInfo = userInfoOf(user)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// serviceUserDataSourceModel is the user, found by id or name.
type serviceUserDataSourceModel struct {
	userInfo
	Timeouts dstimeouts.Value `tfsdk:"timeouts"`
}
