package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
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
	// hasRoles: the resource manages roles (the legacy API has none).
	hasRoles bool
	// state reads and writes the model through the type's own struct.
	state modelCodec[userResourceModel]
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
	hasRoles:    true,
	state:       codec[userResourceModel, serviceUserState, *serviceUserState]{},
}

// NewServiceUserResource is the ngrok_service_user resource.
func NewServiceUserResource() resource.Resource { return newUserResource(serviceUserKind) }

func (r *userResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeSuffix
}

func (r *userResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	attrs := map[string]schema.Attribute{
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
				"start or end with white space, or contain control characters or bidirectional controls (U+202A–U+202E, " +
				"U+2066–U+2069). Changing it updates the user in place.",
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
	}
	if r.kind.hasRoles {
		attrs["roles"] = rolesAttribute()
	}
	resp.Schema = schema.Schema{
		Version:             userSchemaVersion,
		MarkdownDescription: r.kind.description,
		DeprecationMessage:  r.kind.deprecation,
		Attributes:          attrs,
		Blocks:              map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (r *userResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("The " + r.kind.noun + "'s ID: `service_…`, or `bot_…` for users created as bot users.")
}

// The lifecycle crud runs for users.

func (k userKind) what() string { return k.noun }

func (k userKind) load(ctx context.Context, from modelGetter, m *userResourceModel) diag.Diagnostics {
	return k.state.load(ctx, from, m)
}

func (k userKind) store(ctx context.Context, to modelSetter, m *userResourceModel) diag.Diagnostics {
	return k.state.store(ctx, to, m)
}

func (userKind) id(m *userResourceModel) string               { return m.ID.ValueString() }
func (userKind) timeouts(m *userResourceModel) timeouts.Value { return m.Timeouts }

// fill copies what the API says into the model. Roles the model does not
// manage stay null, whatever the reply says; managed ones take the reply's
// where it has them, so that a change made outside Terraform shows.
func (userKind) fill(m *userResourceModel, u *ngrok.User) {
	m.userModel = userModelOf(u)
	if !m.Roles.IsNull() && !m.Roles.IsUnknown() && u.Roles != nil {
		m.Roles = rolesOf(u)
	}
}
func (k userKind) label(plan *userResourceModel) string {
	return k.noun + " " + quoteShort(plan.Name.ValueString())
}
func (k userKind) reader(d *providerData) *ngrok.BulkReader[ngrok.User] {
	return d.reader(k.collection)
}

func (k userKind) create(ctx context.Context, d *providerData, plan *userResourceModel) (*ngrok.User, error) {
	user, err := d.client.Users(k.collection).Create(ctx, ngrok.UserCreate{
		Name:   plan.Name.ValueString(),
		Active: plan.Active.ValueBoolPointer(),
		Roles:  rolesToSend(plan.Roles),
	})
	return withPlannedRoles(user, plan), err
}

// withPlannedRoles makes what a create or update returns hold the roles it
// planned, which it sent: Terraform holds a write to its plan. Should ngrok
// hold others, the next refresh shows them as drift.
func withPlannedRoles(user *ngrok.User, plan *userResourceModel) *ngrok.User {
	if user != nil {
		user.Roles = rolesToSend(plan.Roles)
	}
	return user
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
	if !plan.Roles.Equal(state.Roles) {
		upd.Roles = rolesToSend(plan.Roles) // nil when no longer managed: nothing to send
	}
	if upd == (ngrok.UserUpdate{}) {
		return nil, nil // only what ngrok does not hold changed: state alone
	}
	user, err := d.client.Users(k.collection).Update(ctx, state.ID.ValueString(), upd)
	return withPlannedRoles(user, plan), err
}

func (userKind) blame(err error) path.Path {
	if isRoleError(err) {
		return path.Root("roles")
	}
	return path.Empty()
}

func (k userKind) delete(ctx context.Context, d *providerData, id string) error {
	return d.client.Users(k.collection).Delete(ctx, id)
}

func (r *userResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByIDOrIdentity(ctx, req, resp, r.kind.noun, parseUserID)
}
