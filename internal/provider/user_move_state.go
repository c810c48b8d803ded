package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Provider sources (NAMESPACE/TYPE) whose users a moved block may bring into
// our resources.
const (
	ownProviderSource   = Source
	ngrokProviderSource = "ngrok/ngrok"
)

// moveSource is a resource type whose state a moved block may bring into one
// of ours. Every source stores the same user (id, name, active, and in newer
// shapes uri and created_at), so one lenient decoder serves them all; what
// differs is who wrote it and up to which schema version we know its shape.
type moveSource struct {
	provider   string // NAMESPACE/TYPE, e.g. "ngrok/ngrok"
	typeName   string // e.g. "ngrok_bot_user"
	maxVersion int64  // the newest schema version of the source we understand
}

// ngrok/ngrok writes schema version 0 in every release: the SDKv2 resources
// (active, id, name) of v0.7 (ngrok_bot_user) and v0.6 (ngrok_bot_user and
// ngrok_service_user), and the Plugin Framework ngrok_service_user of v0.8
// (active, created_at, id, name, uri). v0.8 dropped ngrok_bot_user.
var (
	// serviceUserMoveSources are what ngrok_service_user adopts.
	serviceUserMoveSources = []moveSource{
		{provider: ownProviderSource, typeName: "ngrok_bot_user", maxVersion: userSchemaVersion},
		{provider: ngrokProviderSource, typeName: "ngrok_service_user", maxVersion: 0},
		{provider: ngrokProviderSource, typeName: "ngrok_bot_user", maxVersion: 0},
	}
	// botUserMoveSources are what ngrok_bot_user adopts: only a like-for-like
	// provider switch, for configurations not ready to rename their users yet.
	botUserMoveSources = []moveSource{
		{provider: ngrokProviderSource, typeName: "ngrok_bot_user", maxVersion: 0},
	}
)

func (r *userResource) MoveState(context.Context) []resource.StateMover {
	movers := make([]resource.StateMover, 0, len(r.kind.moveSources))
	for _, src := range r.kind.moveSources {
		movers = append(movers, resource.StateMover{StateMover: moveStateFrom(src, "ngrok_"+r.kind.typeSuffix, r.adoptMoved)})
	}
	return movers
}

// adoptMoved writes a moved user into the target state.
func (r *userResource) adoptMoved(ctx context.Context, raw []byte, resp *resource.MoveStateResponse) (string, error) {
	user, err := decodeMovedUser(ctx, raw)
	if err != nil {
		return "", err
	}
	model := user.model()
	resp.Diagnostics.Append(r.kind.store(ctx, &resp.TargetState, &model)...)
	for op, d := range user.timeouts {
		resp.Diagnostics.Append(resp.TargetState.SetAttribute(ctx, path.Root("timeouts").AtName(op), d)...)
	}
	return user.id, nil
}

// moveStateFrom returns the StateMover for one source, which adopt decodes
// into the target's state, returning the moved object's ID. A request from
// another source is left unanswered (no state, no diagnostics), so that the
// framework tries the next mover and, when none answers, Terraform reports
// the move as unsupported.
func moveStateFrom(src moveSource, target string,
	adopt func(context.Context, []byte, *resource.MoveStateResponse) (string, error)) func(context.Context, resource.MoveStateRequest, *resource.MoveStateResponse) {
	return func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
		if req.SourceTypeName != src.typeName || !sameProvider(req.SourceProviderAddress, src.provider) {
			return
		}
		summary := "Unable to move " + req.SourceTypeName + " to " + target
		if req.SourceSchemaVersion > src.maxVersion {
			resp.Diagnostics.AddError(summary, fmt.Sprintf(
				"The state of %s was written by a version of %s with schema version %d; this provider knows its shapes up to version %d, "+
					"so it cannot tell what the state means. Upgrade this provider, or remove the moved block, "+
					"`terraform state rm` the old resource and import it by its ID instead.",
				req.SourceTypeName, req.SourceProviderAddress, req.SourceSchemaVersion, src.maxVersion))
			return
		}
		var raw []byte
		if req.SourceRawState != nil {
			raw = req.SourceRawState.JSON
		}
		id, err := adopt(ctx, raw, resp)
		if err != nil {
			resp.Diagnostics.AddError(summary, fmt.Sprintf(
				"The state of %s from %s cannot be moved: %s. Nothing was changed. "+
					"To adopt it anyway, remove the moved block, `terraform state rm` the old resource and import "+
					"it by its ID (the ngrok dashboard and this provider's list data sources show it).",
				req.SourceTypeName, req.SourceProviderAddress, err))
			return
		}
		resp.Diagnostics.Append(setIdentity(ctx, resp.TargetIdentity, id)...)
		tflog.Info(ctx, "moved state to "+target, map[string]any{
			"id": id, "source_provider": req.SourceProviderAddress, "source_type": req.SourceTypeName,
			"source_schema_version": req.SourceSchemaVersion,
		})
	}
}

// sameProvider reports whether addr (HOSTNAME/NAMESPACE/TYPE, as Terraform
// sends it) is the provider source NAMESPACE/TYPE. The hostname is ignored,
// as the framework recommends: a private registry may serve the same provider.
func sameProvider(addr, source string) bool {
	parts := strings.Split(addr, "/")
	if len(parts) < 2 {
		return false
	}
	return strings.EqualFold(strings.Join(parts[len(parts)-2:], "/"), source)
}

// movedUser is what a moved state tells about a user.
type movedUser struct {
	id                   string
	name, uri, createdAt *string
	active               bool
	// timeouts are those of a source that has our timeouts block (our own
	// ngrok_bot_user), so that a configuration that sets them plans no change.
	timeouts map[string]string
}

// model is the moved user as our state holds it, timeouts unset.
func (u movedUser) model() userResourceModel {
	return userResourceModel{
		userModel: userModel{
			ID:        types.StringValue(u.id),
			Name:      types.StringPointerValue(u.name),
			URI:       types.StringPointerValue(u.uri),
			CreatedAt: types.StringPointerValue(u.createdAt),
			Active:    types.BoolValue(u.active),
		},
		Roles:    types.SetNull(types.StringType),
		Timeouts: nullTimeouts(),
	}
}

// decodeMovedUser reads a user from another resource's raw JSON state. Only
// the ID is required: it is what ties the state to the user, and the refresh
// that follows every move reads the rest from the API. So unknown attributes
// are ignored, and a missing or unreadable one is filled: active with true
// (ngrok's default, and what an unset active meant to the source), the others
// with null.
func decodeMovedUser(ctx context.Context, raw []byte) (movedUser, error) {
	if len(raw) == 0 {
		return movedUser{}, fmt.Errorf("the state is empty")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return movedUser{}, fmt.Errorf("the state is not a JSON object (%v)", err)
	}
	var rawID *string
	if idJSON, ok := fields["id"]; ok {
		if err := json.Unmarshal(idJSON, &rawID); err != nil {
			return movedUser{}, fmt.Errorf("its id is not a string: %s", truncate(string(idJSON), maxEcho))
		}
	}
	if rawID == nil {
		return movedUser{}, fmt.Errorf("it has no id, so there is no user to adopt")
	}
	id, err := parseUserID(*rawID)
	if err != nil {
		return movedUser{}, err
	}
	u := movedUser{
		id:        id,
		name:      optionalField[string](ctx, fields, "name"),
		uri:       optionalField[string](ctx, fields, "uri"),
		createdAt: optionalField[string](ctx, fields, "created_at"),
		active:    true,
	}
	if active := optionalField[bool](ctx, fields, "active"); active != nil {
		u.active = *active
	}
	if t := optionalField[map[string]json.RawMessage](ctx, fields, "timeouts"); t != nil {
		for _, op := range operations {
			if d := optionalField[string](ctx, *t, op.name); d != nil {
				if u.timeouts == nil {
					u.timeouts = map[string]string{}
				}
				u.timeouts[op.name] = *d
			}
		}
	}
	return u, nil
}

// optionalField decodes one attribute, or returns nil when it is absent, null
// or of another type than expected; the refresh after the move corrects it.
func optionalField[T any](ctx context.Context, fields map[string]json.RawMessage, name string) *T {
	raw, ok := fields[name]
	if !ok {
		return nil
	}
	var v *T
	if err := json.Unmarshal(raw, &v); err != nil {
		tflog.Debug(ctx, "ignoring an unreadable attribute of the moved state", map[string]any{"attribute": name, "error": err.Error()})
		return nil
	}
	return v
}
