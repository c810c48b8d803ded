package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// credentialSchema is kind k's resource schema, which the framework accepts.
func credentialSchema(t *testing.T, k credentialKind) schema.Schema {
	t.Helper()
	var resp resource.SchemaResponse
	newCredentialResource(k).Schema(t.Context(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(diagText(resp.Diagnostics))
	}
	if diags := resp.Schema.ValidateImplementation(t.Context()); diags.HasError() {
		t.Fatalf("%s: %s", k.typeName(), diagText(diags))
	}
	return resp.Schema
}

// Each kind has the attributes its docs list, each set, computed or secret
// as they say: the token alone is sensitive, the public key alone required,
// and what ngrok computes is computed; a timeouts block bounds each operation.
func TestCredentialSchema_attributes(t *testing.T) {
	type flags struct{ required, optional, computed, sensitive bool }
	want := map[string]flags{
		"id": {computed: true}, "uri": {computed: true}, "created_at": {computed: true},
		"owner_id": {optional: true, computed: true}, "description": {optional: true, computed: true},
		"metadata": {optional: true, computed: true}, "rotate_triggers": {optional: true},
		"rotate_after": {optional: true}, "rotation_due_at": {computed: true},
		"token": {computed: true, sensitive: true}, "acl": {optional: true, computed: true}, "public_key": {required: true},
	}
	common := []string{"created_at", "description", "id", "metadata", "owner_id", "rotate_after", "rotate_triggers", "rotation_due_at", "uri"}
	for _, tc := range []struct {
		kind  credentialKind
		extra []string
	}{
		{apiKeyKind, []string{"token"}},
		{authtokenKind, []string{"acl", "token"}},
		{sshCredentialKind, []string{"acl", "public_key"}},
	} {
		k, extra := tc.kind, tc.extra
		s := credentialSchema(t, k)
		names := slices.Sorted(func(yield func(string) bool) {
			for name := range s.Attributes {
				if !yield(name) {
					return
				}
			}
		})
		if wantNames := slices.Sorted(slices.Values(append(slices.Clone(common), extra...))); !slices.Equal(names, wantNames) {
			t.Errorf("%s: attributes %q, want %q", k.typeName(), names, wantNames)
		}
		for name, a := range s.Attributes {
			got := flags{a.IsRequired(), a.IsOptional(), a.IsComputed(), a.IsSensitive()}
			if got != want[name] {
				t.Errorf("%s.%s: %+v, want %+v", k.typeName(), name, got, want[name])
			}
		}
		block, ok := s.Blocks["timeouts"].(schema.SingleNestedBlock)
		if !ok || len(s.Blocks) != 1 {
			t.Fatalf("%s: blocks %v, want a timeouts block alone", k.typeName(), s.Blocks)
		}
		for _, op := range operations {
			if _, ok := block.Attributes[op.name]; !ok {
				t.Errorf("%s: timeouts has no %s", k.typeName(), op.name)
			}
		}
	}
}

// Left out, description and metadata are "" and acl is empty, as ngrok
// reports them, so that leaving them out plans no change.
func TestCredentialSchema_defaults(t *testing.T) {
	ctx := t.Context()
	s := credentialSchema(t, authtokenKind)
	for _, name := range []string{"description", "metadata"} {
		var resp defaults.StringResponse
		s.Attributes[name].(schema.StringAttribute).Default.DefaultString(ctx, defaults.StringRequest{}, &resp)
		if !resp.PlanValue.Equal(str("")) {
			t.Errorf("%s defaults to %s, want \"\"", name, resp.PlanValue)
		}
	}
	var resp defaults.SetResponse
	s.Attributes["acl"].(schema.SetAttribute).Default.DefaultSet(ctx, defaults.SetRequest{}, &resp)
	if resp.PlanValue.IsNull() || resp.PlanValue.IsUnknown() || len(resp.PlanValue.Elements()) != 0 {
		t.Errorf("acl defaults to %s, want []", resp.PlanValue)
	}
}

// planAttribute runs the plan modifiers of the attribute name of s on an
// update of state from old to plan (config configured) and returns the
// value planned and whether the change replaces the credential.
func planAttribute(ctx context.Context, s schema.Schema, state tfsdk.State, name string, old, config, plan attr.Value) (attr.Value, bool) {
	st, pl, cf, p := state, tfsdk.Plan{Schema: s, Raw: state.Raw}, tfsdk.Config{Schema: s, Raw: state.Raw}, path.Root(name)
	switch a := s.Attributes[name].(type) {
	case schema.StringAttribute:
		resp := planmodifier.StringResponse{PlanValue: plan.(types.String)}
		for _, m := range a.PlanModifiers {
			m.PlanModifyString(ctx, planmodifier.StringRequest{Path: p, State: st, Plan: pl, Config: cf,
				StateValue: old.(types.String), ConfigValue: config.(types.String), PlanValue: resp.PlanValue}, &resp)
		}
		return resp.PlanValue, resp.RequiresReplace
	case schema.MapAttribute:
		resp := planmodifier.MapResponse{PlanValue: plan.(types.Map)}
		for _, m := range a.PlanModifiers {
			m.PlanModifyMap(ctx, planmodifier.MapRequest{Path: p, State: st, Plan: pl, Config: cf,
				StateValue: old.(types.Map), ConfigValue: config.(types.Map), PlanValue: resp.PlanValue}, &resp)
		}
		return resp.PlanValue, resp.RequiresReplace
	case schema.SetAttribute:
		resp := planmodifier.SetResponse{PlanValue: plan.(types.Set)}
		for _, m := range a.PlanModifiers {
			m.PlanModifySet(ctx, planmodifier.SetRequest{Path: p, State: st, Plan: pl, Config: cf,
				StateValue: old.(types.Set), ConfigValue: config.(types.Set), PlanValue: resp.PlanValue}, &resp)
		}
		return resp.PlanValue, resp.RequiresReplace
	}
	panic("planAttribute: " + name + " is no string, map or set")
}

// A change plans as the docs say: description, metadata, acl and
// rotate_after update in place; another owner, another public key or a new
// rotate_triggers value replaces the credential; the other spelling of the
// owner, the same key with another comment and a removed owner_id change
// nothing; what ngrok computed keeps its value.
func TestCredentialSchema_changes(t *testing.T) {
	ctx := t.Context()
	triggers := func(v string) types.Map {
		return types.MapValueMust(types.StringType, map[string]attr.Value{"v": str(v)})
	}
	acl := func(rule string) types.Set { return types.SetValueMust(types.StringType, []attr.Value{str(rule)}) }
	unknown := types.StringUnknown()
	sameKey := strings.TrimSuffix(testPublicKey, "me@laptop") + "me@desktop"
	for _, tc := range []struct {
		name                    string
		old, config, plan, want attr.Value
		replace                 bool
	}{
		{"description", str("a"), str("b"), str("b"), str("b"), false},
		{"metadata", str("a"), str("b"), str("b"), str("b"), false},
		{"acl", acl("*"), acl("bind:x.example.com"), acl("bind:x.example.com"), acl("bind:x.example.com"), false},
		{"rotate_after", str("90d"), str("30d"), str("30d"), str("30d"), false},
		{"rotate_triggers", triggers("1"), triggers("2"), triggers("2"), triggers("2"), true},
		{"owner_id", str("service_1"), str("service_2"), str("service_2"), str("service_2"), true},
		{"owner_id", str("service_1"), str("usr_1"), str("usr_1"), str("usr_1"), true},
		{"owner_id", str("service_1"), str("bot_1"), str("bot_1"), str("service_1"), false},
		{"owner_id", str("service_1"), nullString, unknown, str("service_1"), false},
		{"public_key", str(testPublicKey), str(otherTestPublicKey), str(otherTestPublicKey), str(otherTestPublicKey), true},
		{"public_key", str(testPublicKey), str(sameKey), str(sameKey), str(testPublicKey), false},
		{"id", str("ak_1"), nullString, unknown, str("ak_1"), false},
		{"uri", str("https://x/ak_1"), nullString, unknown, str("https://x/ak_1"), false},
		{"created_at", str("2026-12-07T01:02:03Z"), nullString, unknown, str("2026-12-07T01:02:03Z"), false},
		{"token", str("secret"), nullString, unknown, str("secret"), false},
	} {
		kinds := 0
		for _, k := range credentialKinds {
			s := credentialSchema(t, k)
			if _, ok := s.Attributes[tc.name]; !ok {
				continue
			}
			kinds++
			state := tfsdk.State{Schema: s}
			full := fullCredential(k)
			if diags := k.state.store(ctx, &state, &full); diags.HasError() {
				t.Fatal(diagText(diags))
			}
			got, replace := planAttribute(ctx, s, state, tc.name, tc.old, tc.config, tc.plan)
			if !got.Equal(tc.want) || replace != tc.replace {
				t.Errorf("%s.%s from %s to %s: planned %s, replace %t; want %s, %t",
					k.typeName(), tc.name, tc.old, tc.config, got, replace, tc.want, tc.replace)
			}
		}
		if kinds == 0 {
			t.Errorf("no kind has %s: the case checks nothing", tc.name)
		}
	}
}

// Each attribute refuses at validation what ngrok would refuse or the docs
// rule out, and takes what they allow: ngrok's byte limits, an owner by ID
// only, a rotate_after in d, h and m, bind rules, a public key only.
func TestCredentialSchema_validators(t *testing.T) {
	ctx := t.Context()
	for _, tc := range []struct {
		name, good, bad string
	}{
		{"description", strings.Repeat("é", maxDescriptionBytes/2), strings.Repeat("a", maxDescriptionBytes+1)},
		{"metadata", strings.Repeat("a", maxMetadataBytes), strings.Repeat("a", maxMetadataBytes+1)},
		{"owner_id", "usr_2Ym0JqvZKCkqbEDNIuCFxJkBZPu", "ci@example.com"},
		{"rotate_after", "1d12h", "2w"},
		{"acl", "bind:*.example.com", "example.com"},
		{"public_key", testPublicKey, testPrivateKey},
	} {
		kinds := 0
		for _, k := range credentialKinds {
			s := credentialSchema(t, k)
			a, ok := s.Attributes[tc.name]
			if !ok {
				continue
			}
			kinds++
			for value, wantErr := range map[string]bool{tc.good: false, tc.bad: true} {
				var failed bool
				switch a := a.(type) {
				case schema.StringAttribute:
					for _, v := range a.Validators {
						var resp validator.StringResponse
						v.ValidateString(ctx, validator.StringRequest{Path: path.Root(tc.name), ConfigValue: str(value)}, &resp)
						failed = failed || resp.Diagnostics.HasError()
					}
				case schema.SetAttribute:
					for _, v := range a.Validators {
						var resp validator.SetResponse
						set := types.SetValueMust(types.StringType, []attr.Value{str(value)})
						v.ValidateSet(ctx, validator.SetRequest{Path: path.Root(tc.name), ConfigValue: set}, &resp)
						failed = failed || resp.Diagnostics.HasError()
					}
				}
				if failed != wantErr {
					t.Errorf("%s.%s = %s: refused %t, want %t", k.typeName(), tc.name, quoteShort(value), failed, wantErr)
				}
			}
		}
		if kinds == 0 {
			t.Errorf("no kind has %s: the case checks nothing", tc.name)
		}
	}
}
