package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

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
	kind userKind
	data *providerData
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
func NewServiceUserResource() resource.Resource { return &userResource{kind: serviceUserKind} }

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
				Validators: []validator.String{userNameValidator{}},
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

func (r *userResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *userResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := r.data.startWrite(ctx, "create", "the "+r.kind.noun, plan.Timeouts.Create, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	user, err := r.data.client.Users(r.kind.collection).Create(ctx, ngrok.UserCreate{
		Name:   plan.Name.ValueString(),
		Active: plan.Active.ValueBoolPointer(),
	})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to create "+r.kind.noun+" "+quoteShort(plan.Name.ValueString()), err)
		return
	}
	tflog.Info(ctx, "created "+r.kind.noun, map[string]any{"id": user.ID})
	r.data.reader(r.kind.collection).Remember(*user)
	plan.fill(user)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, user.ID)...)
}

func (r *userResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state userResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// First, so that every way out (not configured, gone, failed) carries the
	// identity, including for a state written before identity existed.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ID.ValueString())...)
	if !r.data.configured() {
		// Planning with a provider block that is not known yet: keep what we have.
		tflog.Warn(ctx, "provider not configured yet; keeping the prior state of "+state.ID.ValueString())
		return
	}
	ctx, cancel := withTimeout(ctx, "read", state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	user, err := r.data.reader(r.kind.collection).Get(ctx, state.ID.ValueString())
	if ngrok.IsNotFound(err) {
		// Deleted outside Terraform: forget it, and the next plan recreates it.
		tflog.Warn(ctx, r.kind.noun+" no longer exists; removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read "+r.kind.noun+" "+quoteShort(state.ID.ValueString()), err)
		return
	}
	state.fill(user)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *userResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state userResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := r.data.startWrite(ctx, "update", "the "+r.kind.noun, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	// Send only what changed: PATCH leaves the other fields as they are.
	var upd ngrok.UserUpdate
	if !plan.Name.Equal(state.Name) {
		upd.Name = plan.Name.ValueStringPointer()
	}
	if !plan.Active.Equal(state.Active) {
		upd.Active = plan.Active.ValueBoolPointer()
	}
	if upd.Name == nil && upd.Active == nil {
		// Only timeouts changed: nothing to tell the API.
		plan.ID, plan.URI, plan.CreatedAt = state.ID, state.URI, state.CreatedAt
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ID.ValueString())...)
		return
	}
	user, err := r.data.client.Users(r.kind.collection).Update(ctx, state.ID.ValueString(), upd)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to update "+r.kind.noun+" "+quoteShort(state.ID.ValueString()), err)
		return
	}
	r.data.reader(r.kind.collection).Remember(*user)
	plan.fill(user)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, user.ID)...)
}

func (r *userResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state userResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := r.data.startWrite(ctx, "delete", "the "+r.kind.noun, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	err := r.data.client.Users(r.kind.collection).Delete(ctx, state.ID.ValueString())
	r.data.reader(r.kind.collection).Forget(state.ID.ValueString())
	if ngrok.IsNotFound(err) {
		// Already gone is what we wanted.
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to delete "+r.kind.noun+" "+quoteShort(state.ID.ValueString()), err)
	}
}

func (r *userResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByIDOrIdentity(ctx, req, resp, r.kind.noun, parseUserID)
}

// fill copies what the API says into the model.
func (m *userResourceModel) fill(u *ngrok.User) { m.userModel = userModelOf(u) }
