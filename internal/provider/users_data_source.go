package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
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
			"name": schema.StringAttribute{
				MarkdownDescription: "Only users with exactly this name. Sent to the API as `obj.name == \"…\"`.",
				Optional:            true,
			},
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Only users whose name matches this regular expression ([RE2 syntax](https://github.com/google/re2/wiki/Syntax)); " +
					"it matches anywhere in the name unless anchored with `^` and `$`. Sent to the API as `obj.name.matches(\"…\")`, " +
					"which the API's CEL evaluates.",
				Optional: true,
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Only active users (`true`) or only inactive ones (`false`). Sent to the API as `obj.active == true` (or `false`).",
				Optional:            true,
			},
			"filter": schema.StringAttribute{
				MarkdownDescription: "A [CEL](https://ngrok.com/docs/api/#filtering) expression over `obj`, such as " +
					"`obj.name.startsWith(\"ci-\") && obj.active`, evaluated by the API alone. An error in it is reported at its own " +
					"line and column.",
				Optional: true,
			},
			"include_bot_users": schema.BoolAttribute{
				MarkdownDescription: "Also list `/bot_users`, where users created as bot users live, and add those `/service_users` " +
					"did not list, each user once. ngrok does not document whether `/service_users` lists users created as bot users; " +
					"set this where none may be missed, such as a gate on users nobody manages. It costs a list of `/bot_users` " +
					"(a request per 100 users), filtered by `name`, `name_regex` and `active` here rather than by the API, and cannot " +
					"be combined with `filter`: ngrok documents CEL filters for `/service_users` only.",
				Optional: true,
			},
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
	if !cfg.NameRegex.IsNull() && !cfg.NameRegex.IsUnknown() {
		if _, err := regexp.Compile(cfg.NameRegex.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("name_regex"), "Invalid name_regex",
				fmt.Sprintf("%s is not a regular expression: %s.", quoteShort(cfg.NameRegex.ValueString()), err))
		}
	}
	if !cfg.Filter.IsNull() && !cfg.Filter.IsUnknown() && strings.TrimSpace(cfg.Filter.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("filter"), "Empty filter",
			"filter is empty; remove it to list every user, or give a CEL expression such as obj.active.")
	}
	if !cfg.Filter.IsNull() && cfg.IncludeBotUsers.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root("include_bot_users"), "filter and include_bot_users together",
			"include_bot_users lists /bot_users, where ngrok documents no CEL filter, so filter could not be applied to the bot users. "+
				"Use name, name_regex and active instead, or leave include_bot_users out.")
	}
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
	match, err := cfg.matcher()
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("name_regex"), "Invalid name_regex", err.Error())
		return
	}
	ctx, cancel := withTimeout(ctx, opRead, cfg.Timeouts.Read, &resp.Diagnostics)
	defer cancel()

	users := []attr.Value{}
	ids := []attr.Value{}
	listed := map[string]bool{} // by ngrok.UserKey: bot users are listed once
	pages := 0
	for page, err := range d.data.client.Users(ngrok.ServiceUsers).Pages(ctx, ngrok.ListOptions{Filter: cfg.celFilter()}) {
		if err != nil {
			addAPIError(&resp.Diagnostics, "Unable to list service users", inFilterTerms(err, cfg.Filter))
			return
		}
		pages++
		for i := range page {
			// The API filtered already; checking again costs nothing and
			// keeps the result right if a server ignores the filter.
			if !match(&page[i]) {
				continue
			}
			users = append(users, userObject(ctx, &page[i], &resp.Diagnostics))
			ids = append(ids, types.StringValue(page[i].ID))
			listed[ngrok.UserKey(page[i].ID)] = true
		}
	}
	if cfg.IncludeBotUsers.ValueBool() {
		for u, err := range d.data.client.Users(ngrok.BotUsers).List(ctx, ngrok.ListOptions{}) {
			if err != nil {
				addAPIError(&resp.Diagnostics, "Unable to list bot users", err)
				return
			}
			if listed[ngrok.UserKey(u.ID)] || !match(&u) {
				continue
			}
			listed[ngrok.UserKey(u.ID)] = true
			users = append(users, userObject(ctx, &u, &resp.Diagnostics))
			ids = append(ids, types.StringValue(u.ID))
		}
	}
	tflog.Debug(ctx, "listed service users", map[string]any{"pages": pages, "matched": len(users)})

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
	Name      types.String `tfsdk:"name"`
	NameRegex types.String `tfsdk:"name_regex"`
	Active    types.Bool   `tfsdk:"active"`
	Filter    types.String `tfsdk:"filter"`
	// IncludeBotUsers adds the users of /bot_users that /service_users did not list.
	IncludeBotUsers types.Bool       `tfsdk:"include_bot_users"`
	Users           types.List       `tfsdk:"users"`
	IDs             types.List       `tfsdk:"ids"`
	Timeouts        dstimeouts.Value `tfsdk:"timeouts"`
}

// celFilter combines the data source's filters into one CEL expression for
// the API, so that only matching users are paged through.
func (m *usersDataSourceModel) celFilter() string {
	var terms []string
	if !m.Filter.IsNull() {
		terms = append(terms, celGroup(m.Filter.ValueString()))
	}
	if !m.Name.IsNull() {
		terms = append(terms, "obj.name == "+ngrok.CELString(m.Name.ValueString()))
	}
	if !m.NameRegex.IsNull() {
		terms = append(terms, "obj.name.matches("+ngrok.CELString(m.NameRegex.ValueString())+")")
	}
	if !m.Active.IsNull() {
		terms = append(terms, fmt.Sprintf("obj.active == %t", m.Active.ValueBool()))
	}
	return strings.Join(terms, " && ")
}

// matcher applies the filters that can be checked here (all but the CEL one).
func (m *usersDataSourceModel) matcher() (func(*ngrok.User) bool, error) {
	var re *regexp.Regexp
	if !m.NameRegex.IsNull() {
		var err error
		if re, err = regexp.Compile(m.NameRegex.ValueString()); err != nil {
			return nil, fmt.Errorf("%s is not a regular expression: %w", quoteShort(m.NameRegex.ValueString()), err)
		}
	}
	return func(u *ngrok.User) bool {
		return (m.Name.IsNull() || u.Name == m.Name.ValueString()) &&
			(re == nil || re.MatchString(u.Name)) &&
			(m.Active.IsNull() || u.Active == m.Active.ValueBool())
	}, nil
}

func userObject(ctx context.Context, u *ngrok.User, diags *diag.Diagnostics) attr.Value {
	v, d := types.ObjectValueFrom(ctx, userObjectType.AttrTypes, userModelOf(u))
	diags.Append(d...)
	return v
}
