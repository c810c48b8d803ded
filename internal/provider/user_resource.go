package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// Default timeouts: long enough to ride out the rate limit of a large apply
// (requests queue for the shared pacer) and a burst of retries.
const (
	defaultCreateTimeout = 20 * time.Minute
	defaultReadTimeout   = 10 * time.Minute
	defaultUpdateTimeout = 20 * time.Minute
	defaultDeleteTimeout = 20 * time.Minute
)

var (
	_ resource.ResourceWithConfigure    = (*userResource)(nil)
	_ resource.ResourceWithIdentity     = (*userResource)(nil)
	_ resource.ResourceWithImportState  = (*userResource)(nil)
	_ resource.ResourceWithMoveState    = (*userResource)(nil)
	_ resource.ResourceWithUpgradeState = (*userResource)(nil)
)

// userResource manages one user of a collection. ngrok_service_user and the
// legacy ngrok_bot_user are the same resource over different API paths.
type userResource struct {
	crud[userKind, userResourceModel, ngrok.User]
}

func newUserResource(k userKind) *userResource {
	return &userResource{crud[userKind, userResourceModel, ngrok.User]{kind: k}}
}

// userKind is what differs between the service user and bot user resources.
type userKind struct {
	typeSuffix  string // "service_user"
	collection  ngrok.Collection
	noun        string // "service user"
	description string
	deprecation string
	moveSources []moveSource // resources a moved block may bring here
}

var serviceUserKind = userKind{
	typeSuffix: "service_user",
	collection: ngrok.ServiceUsers,
	noun:       "service user",
	description: "Manages an ngrok service user: a non-human identity that CI jobs, agents and automation " +
		"authenticate as. Service users were previously called bot users; this resource also manages legacy " +
		"`bot_…` users, adopted by import or by a `moved` block from `ngrok_bot_user` or from ngrok's own provider " +
		"(see the guides). Every attribute updates in place, so changing one never replaces the user " +
		"(and never invalidates the credentials attached to it).",
	moveSources: serviceUserMoveSources,
}

// NewServiceUserResource is the ngrok_service_user resource.
func NewServiceUserResource() resource.Resource { return newUserResource(serviceUserKind) }

// userResourceModel is the resource's state.
type userResourceModel struct {
	userModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *userResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeSuffix
}

func (r *userResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		Version:             userSchemaVersion,
		MarkdownDescription: r.kind.description,
		DeprecationMessage:  r.kind.deprecation,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The " + r.kind.noun + "'s ID: `service_…` (such as `service_32ELIFubEAAGUeRtreNW6kr94Od`), or `bot_…` for users created as bot users.",
				Computed:            true,
				PlanModifiers:       stable,
			},
			"uri": schema.StringAttribute{
				MarkdownDescription: "The URI of the " + r.kind.noun + " in the ngrok API.",
				Computed:            true,
				PlanModifiers:       stable,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "A human-readable name that says what the " + r.kind.noun + " is for. Must not be empty, " +
					"start or end with white space, or contain control characters. Changing it updates the user in place.",
				Required:   true,
				Validators: []validator.String{userNameValidator()},
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether the " + r.kind.noun + " is active. An inactive user keeps its credentials but cannot use them. Defaults to `true`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the " + r.kind.noun + " was created, in RFC 3339 format.",
				Computed:            true,
				PlanModifiers:       stable,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx),
		},
	}
}

func (r *userResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("The " + r.kind.noun + "'s ID: `service_…`, or `bot_…` for users created as bot users.")
}

// The lifecycle crud runs for users.

func (k userKind) what() string { return k.noun }

func (userKind) load(ctx context.Context, from modelGetter, m *userResourceModel) diag.Diagnostics {
	return from.Get(ctx, m)
}

func (userKind) store(ctx context.Context, to modelSetter, m *userResourceModel) diag.Diagnostics {
	return to.Set(ctx, m)
}

func (userKind) id(m *userResourceModel) string               { return m.ID.ValueString() }
func (userKind) timeouts(m *userResourceModel) timeouts.Value { return m.Timeouts }
func (userKind) fill(m *userResourceModel, u *ngrok.User)     { m.userModel = userModelOf(u) }
func (k userKind) label(plan *userResourceModel) string {
	return k.noun + " " + quoteShort(plan.Name.ValueString())
}
func (k userKind) reader(d *providerData) *ngrok.BulkReader[ngrok.User] {
	return d.reader(k.collection)
}

func (k userKind) create(ctx context.Context, d *providerData, plan *userResourceModel) (*ngrok.User, error) {
	return d.client.Users(k.collection).Create(ctx, ngrok.UserCreate{
		Name:   plan.Name.ValueString(),
		Active: plan.Active.ValueBoolPointer(),
	})
}

func (k userKind) update(ctx context.Context, d *providerData, plan, state *userResourceModel) (*ngrok.User, error) {
	plan.ID, plan.URI, plan.CreatedAt = state.ID, state.URI, state.CreatedAt
	// Send only what changed: PATCH leaves the other fields as they are.
	var upd ngrok.UserUpdate
	if !plan.Name.Equal(state.Name) {
		upd.Name = plan.Name.ValueStringPointer()
	}
	if !plan.Active.Equal(state.Active) {
		upd.Active = plan.Active.ValueBoolPointer()
	}
	if upd == (ngrok.UserUpdate{}) {
		return nil, nil // only timeouts changed: nothing to tell the API
	}
	return d.client.Users(k.collection).Update(ctx, state.ID.ValueString(), upd)
}

func (k userKind) delete(ctx context.Context, d *providerData, id string) error {
	return d.client.Users(k.collection).Delete(ctx, id)
}

func (r *userResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByIDOrIdentity(ctx, req, resp, r.kind.noun, parseUserID)
}
