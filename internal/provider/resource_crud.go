package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// objectKind is what the lifecycle every managed resource shares (crud)
// needs from one kind of ngrok object: M is the resource's model, O the
// API's object.
type objectKind[M any, O ngrok.Object] interface {
	// what names the object in messages and logs: "service user".
	what() string
	// load reads the model from a plan or state; store writes it to a state.
	load(ctx context.Context, from modelGetter, m *M) diag.Diagnostics
	store(ctx context.Context, to modelSetter, m *M) diag.Diagnostics
	// id and timeouts are the model's.
	id(m *M) string
	timeouts(m *M) timeouts.Value
	// label names the object a plan would create: `service user "ci"`.
	label(plan *M) string
	// fill copies what the API says into the model.
	fill(m *M, o *O)
	// reader is the operation's bulk reader of the object's collection.
	reader(d *providerData) *ngrok.BulkReader[O]
	create(ctx context.Context, d *providerData, plan *M) (*O, error)
	// update gives plan what it keeps from state (the ID, what ngrok
	// computed), then sends ngrok what changed between them. It returns
	// nil, nil when ngrok holds none of it: the change is state's alone.
	update(ctx context.Context, d *providerData, plan, state *M) (*O, error)
	delete(ctx context.Context, d *providerData, id string) error
	// blame is the attribute an API error of a create or update is about,
	// or the empty path: ngrok refusing a role is about roles.
	blame(err error) path.Path
}

// modelGetter is a plan, state or configuration; modelSetter is a state or
// an ephemeral result.
type modelGetter interface {
	Get(context.Context, any) diag.Diagnostics
}

type modelSetter interface {
	Set(context.Context, any) diag.Diagnostics
}

// crud is a managed resource's Configure, Create, Read, Update and Delete,
// over one kind K of object. Resources embed it, and with it their kind and
// the provider's data, and add their schema, import, moves and plan
// modifiers.
type crud[K objectKind[M, O], M any, O ngrok.Object] struct {
	kind K
	data *providerData
}

func (c *crud[K, M, O]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	c.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (c *crud[K, M, O]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan M
	ctx, cancel, ok := c.begin(ctx, opCreate, req.Plan, &plan, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	obj, err := c.kind.create(ctx, c.data, &plan)
	if err != nil {
		addAPIErrorAt(&resp.Diagnostics, c.kind.blame(err), "Unable to create "+c.kind.label(&plan), err)
		return
	}
	c.kind.reader(c.data).Remember(*obj)
	c.kind.fill(&plan, obj)
	tflog.Info(ctx, "created "+c.kind.what(), map[string]any{"id": c.kind.id(&plan)})
	resp.Diagnostics.Append(c.kind.store(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, c.kind.id(&plan))...)
}

func (c *crud[K, M, O]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state M
	resp.Diagnostics.Append(c.kind.load(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := c.kind.id(&state)
	// First, so that every way out (not configured, gone, failed) carries the
	// identity, including for a state written before identity existed.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
	if !c.data.configured() {
		// Planning with a provider block that is not known yet: keep what we have.
		tflog.Warn(ctx, "provider not configured yet; keeping the prior state of "+id)
		return
	}
	ctx, cancel := withTimeout(ctx, opRead, opRead.of(c.kind.timeouts(&state)), &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	obj, err := c.kind.reader(c.data).Get(ctx, id)
	if ngrok.IsNotFound(err) {
		// Deleted or revoked outside Terraform (a credential also goes with
		// its owner): forget it, and the next plan creates it again.
		tflog.Warn(ctx, c.kind.what()+" no longer exists; removing it from state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read "+c.kind.what()+" "+quoteShort(id), err)
		return
	}
	c.kind.fill(&state, obj)
	resp.Diagnostics.Append(c.kind.store(ctx, &resp.State, &state)...)
}

func (c *crud[K, M, O]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state M
	resp.Diagnostics.Append(c.kind.load(ctx, req.State, &state)...)
	ctx, cancel, ok := c.begin(ctx, opUpdate, req.Plan, &plan, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	id := c.kind.id(&state)
	obj, err := c.kind.update(ctx, c.data, &plan, &state)
	if err != nil {
		addAPIErrorAt(&resp.Diagnostics, c.kind.blame(err), "Unable to update "+c.kind.what()+" "+quoteShort(id), err)
		return
	}
	if obj != nil {
		c.kind.reader(c.data).Remember(*obj)
		c.kind.fill(&plan, obj)
	}
	resp.Diagnostics.Append(c.kind.store(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
}

func (c *crud[K, M, O]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state M
	ctx, cancel, ok := c.begin(ctx, opDelete, req.State, &state, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	id := c.kind.id(&state)
	err := c.kind.delete(ctx, c.data, id)
	if err != nil && !ngrok.IsNotFound(err) { // already gone is what we wanted
		addAPIError(&resp.Diagnostics, "Unable to delete "+c.kind.what()+" "+quoteShort(id), err)
		return
	}
	c.kind.reader(c.data).Forget(id)
}

// begin loads the model a write works on (the plan of a create or update,
// the state of a delete) and starts the write with startWrite. The caller
// defers cancel and stops unless ok, which is false after any error in
// diags, including ones from before.
func (c *crud[K, M, O]) begin(ctx context.Context, op operation, from modelGetter, m *M,
	diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, ok bool) {
	diags.Append(c.kind.load(ctx, from, m)...)
	if diags.HasError() {
		return ctx, func() {}, false
	}
	return c.data.startWrite(ctx, op, "the "+c.kind.what(), op.of(c.kind.timeouts(m)), diags)
}
