package provider

import (
	"context"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

var (
	_ datasource.DataSourceWithConfigure      = (*credentialsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*credentialsDataSource)(nil)
)

// credentialsDataSource lists the credentials of a kind: ngrok_api_keys,
// ngrok_authtokens or ngrok_ssh_credentials. Tokens are never listed: ngrok
// shows them only once, to whoever created them.
type credentialsDataSource struct {
	kind credentialKind
	data *providerData
}

// newCredentialsDataSource is the data source of a kind, such as ngrok_api_keys.
func newCredentialsDataSource(k credentialKind) datasource.DataSource {
	return &credentialsDataSource{kind: k}
}

// listName is the data source's name and its list attribute: api_keys.
func (k credentialKind) listName() string { return k.typeSuffix + "s" }

func (d *credentialsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind.listName()
}

func (d *credentialsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	k := d.kind
	item := map[string]schema.Attribute{
		"id":          schema.StringAttribute{MarkdownDescription: "The " + k.noun + "'s ID.", Computed: true},
		"uri":         schema.StringAttribute{MarkdownDescription: "Its URI in the ngrok API.", Computed: true},
		"created_at":  schema.StringAttribute{MarkdownDescription: "When it was created, in RFC 3339 format.", Computed: true},
		"description": schema.StringAttribute{MarkdownDescription: "Its description.", Computed: true},
		"metadata":    schema.StringAttribute{MarkdownDescription: "Its metadata.", Computed: true},
		"owner_id":    schema.StringAttribute{MarkdownDescription: "The ID of the user it belongs to.", Computed: true},
	}
	if k.hasACL {
		item["acl"] = schema.SetAttribute{MarkdownDescription: "Its bind rules; empty means no restriction.", ElementType: types.StringType, Computed: true}
	}
	if k.hasPublicKey {
		item["public_key"] = schema.StringAttribute{MarkdownDescription: "The SSH public key.", Computed: true}
	}
	filterDocs := credentialFilterDocs(k)
	secret := ""
	if k.hasToken {
		secret = " Tokens are not listed: ngrok shows a token only once, in the reply to its create."
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the account's " + k.noun + "s — every page of them — newest first, or those of one owner, " +
			"or those a CEL filter selects. The filters are sent to the API, so only matching " + k.noun + "s cross the network." + secret,
		Attributes: map[string]schema.Attribute{
			"owner_id": schema.StringAttribute{
				MarkdownDescription: filterDocs["owner_id"],
				Optional:            true,
				Validators:          []validator.String{idValidator(ownerIDs)},
			},
			"filter": schema.StringAttribute{MarkdownDescription: filterDocs["filter"], Optional: true},
			k.listName(): schema.ListNestedAttribute{
				MarkdownDescription: "The matching " + k.noun + "s, newest first.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: item},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The IDs of `" + k.listName() + "`, in the same order.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeoutsBlock(ctx)},
	}
}

func (d *credentialsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *credentialsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var f credentialFilter
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("filter"), &f.Filter)...)
	f.validate(d.kind.noun, &resp.Diagnostics)
}

func (d *credentialsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var f credentialFilter
	var timeouts dstimeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("owner_id"), &f.OwnerID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("filter"), &f.Filter)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &timeouts)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !d.data.configured() {
		addNotConfigured(&resp.Diagnostics, "list "+d.kind.noun+"s")
		return
	}
	ctx, cancel := withTimeout(ctx, opRead, timeouts.Read, &resp.Diagnostics)
	defer cancel()

	objType := d.itemType()
	items, ids := []attr.Value{}, []attr.Value{}
	for cred, err := range f.credentials(ctx, d.data.client, d.kind.collection, 0) {
		if err != nil {
			addAPIError(&resp.Diagnostics, "Unable to list "+d.kind.noun+"s", err)
			return
		}
		items = append(items, d.item(objType, &cred))
		ids = append(ids, types.StringValue(cred.ID))
	}
	tflog.Debug(ctx, "listed "+d.kind.noun+"s", map[string]any{"matched": len(items)})

	list, diags := types.ListValue(objType, items)
	resp.Diagnostics.Append(diags...)
	idList, diags := types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("owner_id"), f.OwnerID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("filter"), f.Filter)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(d.kind.listName()), list)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("ids"), idList)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("timeouts"), timeouts)...)
}

func (d *credentialsDataSource) itemType() types.ObjectType {
	t := map[string]attr.Type{
		"id": types.StringType, "uri": types.StringType, "created_at": types.StringType,
		"description": types.StringType, "metadata": types.StringType, "owner_id": types.StringType,
	}
	if d.kind.hasACL {
		t["acl"] = types.SetType{ElemType: types.StringType}
	}
	if d.kind.hasPublicKey {
		t["public_key"] = types.StringType
	}
	return types.ObjectType{AttrTypes: t}
}

func (d *credentialsDataSource) item(t types.ObjectType, c *ngrok.Credential) attr.Value {
	v := map[string]attr.Value{
		"id": types.StringValue(c.ID), "uri": types.StringValue(c.URI), "created_at": types.StringValue(c.CreatedAt),
		"description": types.StringValue(c.Description), "metadata": types.StringValue(c.Metadata), "owner_id": types.StringValue(c.OwnerID),
	}
	if d.kind.hasACL {
		v["acl"] = stringSet(c.ACL)
	}
	if d.kind.hasPublicKey {
		v["public_key"] = types.StringValue(c.PublicKey)
	}
	return types.ObjectValueMust(t.AttrTypes, v)
}
