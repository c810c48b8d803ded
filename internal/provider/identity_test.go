package provider

import (
	"context"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// nullIdentity is an identity { id } holding nothing, as the framework hands
// a response before the resource fills it.
func nullIdentity(t *testing.T) *tfsdk.ResourceIdentity {
	t.Helper()
	ctx := context.Background()
	s := idIdentitySchema("test")
	if diags := s.ValidateImplementation(ctx); diags.HasError() {
		t.Fatalf("identity schema: %v", diags)
	}
	return &tfsdk.ResourceIdentity{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
}

// givenIdentity is the identity an import block names: identity = { id = id },
// or id = null when id is nil.
func givenIdentity(t *testing.T, id *string) *tfsdk.ResourceIdentity {
	t.Helper()
	ident := nullIdentity(t)
	var v any
	if id != nil {
		v = *id
	}
	ident.Raw = tftypes.NewValue(ident.Raw.Type(), map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, v)})
	return ident
}

func identityID(t *testing.T, ident *tfsdk.ResourceIdentity) types.String {
	t.Helper()
	var m identityIDModel
	if diags := ident.Get(context.Background(), &m); diags.HasError() {
		t.Fatalf("reading the identity: %v", diags)
	}
	return m.ID
}

// importUser runs ngrok_service_user's ImportState as the framework would.
func importUser(t *testing.T, req fwresource.ImportStateRequest) (fwresource.ImportStateResponse, userResourceModel) {
	t.Helper()
	ctx := context.Background()
	r := newUserResource(serviceUserKind)
	resp := fwresource.ImportStateResponse{State: nullState(t, r), Identity: nullIdentity(t)}
	if req.Identity != nil {
		resp.Identity = &tfsdk.ResourceIdentity{Schema: req.Identity.Schema, Raw: req.Identity.Raw.Copy()}
	}
	r.ImportState(ctx, req, &resp)
	var m userResourceModel
	if !resp.Diagnostics.HasError() {
		if diags := serviceUserKind.load(ctx, resp.State, &m); diags.HasError() {
			t.Fatalf("reading the imported state: %v", diags)
		}
	}
	return resp, m
}

func TestImportState_byIDOrIdentity(t *testing.T) {
	t.Parallel()
	const id = "service_32ELIFubEAAGUeRtreNW6kr94Od"
	cases := map[string]fwresource.ImportStateRequest{
		"plain ID":            {ID: id},
		"plain ID, trimmed":   {ID: " " + id + "\n"},
		"identity":            {Identity: givenIdentity(t, ptr(id))},
		"legacy bot ID":       {ID: "bot_2bF5Hk0hNmRmG3cIsoCr4jT6Wg9"},
		"legacy bot identity": {Identity: givenIdentity(t, ptr("bot_2bF5Hk0hNmRmG3cIsoCr4jT6Wg9"))},
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			resp, m := importUser(t, req)
			if resp.Diagnostics.HasError() {
				t.Fatalf("import refused: %v", resp.Diagnostics)
			}
			want := strings.TrimSpace(req.ID)
			if want == "" {
				want = identityID(t, req.Identity).ValueString()
			}
			if m.ID.ValueString() != want {
				t.Errorf("state id = %s, want %s", m.ID, want)
			}
			// The identity is set at once, whichever way the ID came.
			if got := identityID(t, resp.Identity); got.ValueString() != want {
				t.Errorf("identity id = %s, want %s", got, want)
			}
		})
	}
}

// A malformed ID is refused the same way whether it came as a string or as
// an identity, and the error says which.
func TestImportState_badIdentity(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		req     fwresource.ImportStateRequest
		summary string
		detail  string
	}{
		{"bad string", fwresource.ImportStateRequest{ID: "usr_123"}, "Invalid import ID", "is not a service user ID"},
		{"bad identity", fwresource.ImportStateRequest{Identity: givenIdentity(t, ptr("usr_123"))}, "Invalid import identity", "is not a service user ID"},
		{"empty identity", fwresource.ImportStateRequest{Identity: givenIdentity(t, ptr(""))}, "Invalid import identity", "the ID is empty"},
		{"null identity id", fwresource.ImportStateRequest{Identity: givenIdentity(t, nil)}, "Invalid import identity", "the ID is empty"},
		{"neither", fwresource.ImportStateRequest{}, "Invalid import ID", "the ID is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, _ := importUser(t, tc.req)
			if n := resp.Diagnostics.ErrorsCount(); n != 1 {
				t.Fatalf("%d errors, want 1: %v", n, resp.Diagnostics)
			}
			d := resp.Diagnostics.Errors()[0]
			if d.Summary() != tc.summary || !strings.Contains(d.Detail(), tc.detail) || !strings.HasPrefix(d.Detail(), "Cannot import service user: ") {
				t.Errorf("error = %q: %q, want %q with %q", d.Summary(), d.Detail(), tc.summary, tc.detail)
			}
			if !resp.State.Raw.IsNull() {
				t.Errorf("a refused import wrote state: %v", resp.State.Raw)
			}
		})
	}
}
