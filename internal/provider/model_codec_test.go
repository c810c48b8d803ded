package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// toyModel and toyState are a model and a type's struct of it whose field
// names differ (Secret is token), as a kind's do.
type (
	toyModel struct{ Name, Secret types.String }
	toyState struct {
		Name  types.String `tfsdk:"name"`
		Token types.String `tfsdk:"token"`
	}
)

func (s *toyState) toModel() toyModel     { return toyModel{Name: s.Name, Secret: s.Token} }
func (s *toyState) fromModel(m *toyModel) { s.Name, s.Token = m.Name, m.Secret }

var toyCodec modelCodec[toyModel] = codec[toyModel, toyState, *toyState]{}

// toySchema has a string attribute of each name.
func toySchema(names ...string) schema.Schema {
	attrs := map[string]schema.Attribute{}
	for _, n := range names {
		attrs[n] = schema.StringAttribute{Optional: true}
	}
	return schema.Schema{Attributes: attrs}
}

// toyStateOf is a state of s holding vals, nothing when vals is nil.
func toyStateOf(t *testing.T, s schema.Schema, vals map[string]tftypes.Value) tfsdk.State {
	t.Helper()
	typ := s.Type().TerraformType(t.Context())
	if vals == nil {
		return tfsdk.State{Schema: s, Raw: tftypes.NewValue(typ, nil)}
	}
	return tfsdk.State{Schema: s, Raw: tftypes.NewValue(typ, vals)}
}

// A model written to a state comes back whole, through the type's struct,
// from the state and from a plan or configuration of the same values.
func TestCodec_roundTrip(t *testing.T) {
	ctx := t.Context()
	s := toySchema("name", "token")
	state := toyStateOf(t, s, nil)
	want := toyModel{Name: str("ci"), Secret: str("s3cr3t")}
	if diags := toyCodec.store(ctx, &state, &want); diags.HasError() {
		t.Fatal(diagText(diags))
	}
	// The struct's tags, not the model's field names, name the attributes.
	var attrs map[string]tftypes.Value
	var token string
	if err := state.Raw.As(&attrs); err != nil || attrs["token"].As(&token) != nil || token != "s3cr3t" {
		t.Fatalf("token in state: %q (%v); want the model's Secret", token, err)
	}
	for name, from := range map[string]modelGetter{
		"state":         state,
		"plan":          tfsdk.Plan{Schema: s, Raw: state.Raw},
		"configuration": tfsdk.Config{Schema: s, Raw: state.Raw},
	} {
		var got toyModel
		if diags := toyCodec.load(ctx, from, &got); diags.HasError() || got != want {
			t.Errorf("from the %s: %+v, %s; want %+v", name, got, diagText(diags), want)
		}
	}
}

// What a plan does not know yet, and what it holds null, loads as such.
func TestCodec_loadsUnknownAndNull(t *testing.T) {
	s := toySchema("name", "token")
	plan := tfsdk.Plan{Schema: s, Raw: toyStateOf(t, s, map[string]tftypes.Value{
		"name": tftypes.NewValue(tftypes.String, nil), "token": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
	}).Raw}
	var got toyModel
	if diags := toyCodec.load(t.Context(), plan, &got); diags.HasError() || !got.Name.IsNull() || !got.Secret.IsUnknown() {
		t.Errorf("%+v, %s; want a null name and an unknown token", got, diagText(diags))
	}
}

// A schema and struct that disagree, an attribute too many or a field too
// few, fail each read and write with an error naming the attribute, rather
// than a panic or a silently partial state; a failed write leaves the state
// as it was.
func TestCodec_mismatchedSchema(t *testing.T) {
	ctx := t.Context()
	for _, tc := range []struct {
		name   string
		schema schema.Schema
		attr   string
	}{
		{"schema lacks token", toySchema("name"), "token"},
		{"struct lacks extra", toySchema("name", "token", "extra"), "extra"},
	} {
		vals := map[string]tftypes.Value{}
		for n := range tc.schema.Attributes {
			vals[n] = tftypes.NewValue(tftypes.String, n)
		}
		state := toyStateOf(t, tc.schema, vals)
		before := state.Raw.Copy()
		m := toyModel{Name: str("ci"), Secret: str("s3cr3t")}
		diags := toyCodec.store(ctx, &state, &m)
		if !diags.HasError() || !strings.Contains(diagText(diags), tc.attr) {
			t.Errorf("%s: store: %s; want an error naming %s", tc.name, diagText(diags), tc.attr)
		}
		if !state.Raw.Equal(before) {
			t.Errorf("%s: store changed the state to %s", tc.name, state.Raw)
		}
		if strings.Contains(diagText(diags), "s3cr3t") {
			t.Errorf("%s: store's error repeats the secret: %s", tc.name, diagText(diags))
		}
		var got toyModel
		diags = toyCodec.load(ctx, state, &got)
		if !diags.HasError() || !strings.Contains(diagText(diags), tc.attr) {
			t.Errorf("%s: load: %s; want an error naming %s", tc.name, diagText(diags), tc.attr)
		}
	}
}

// Each credential kind's codec writes only its own type's state: given
// another kind's schema, it fails rather than write a state that lacks an
// attribute or holds one of another kind.
func TestCodec_eachKindItsOwnSchema(t *testing.T) {
	for _, k := range credentialKinds {
		for _, other := range credentialKinds {
			state := nullState(t, newCredentialResource(other))
			m := fullCredential(k)
			if diags := k.state.store(t.Context(), &state, &m); diags.HasError() != (k.typeSuffix != other.typeSuffix) {
				t.Errorf("%s's codec on %s's schema: %s", k.typeName(), other.typeName(), diagText(diags))
			}
		}
	}
}
