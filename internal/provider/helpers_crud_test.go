// Helpers for the tests of resource_crud.go: a managed resource's
// lifecycle run without terraform, as the framework would call it, on
// ngrok_api_key's kind with writes a test may fail, against an emulator.
package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// spyKind is the API key kind with writes the test may fail: each fails with
// err when it is set, and goes to the API otherwise; each records the
// deadline it ran under.
type spyKind struct {
	credentialKind
	err       error
	deadlines map[string]time.Time
}

func (k *spyKind) record(ctx context.Context, op string) error {
	if k.deadlines == nil {
		k.deadlines = map[string]time.Time{}
	}
	k.deadlines[op], _ = ctx.Deadline()
	return k.err
}

func (k *spyKind) create(ctx context.Context, d *providerData, plan *credentialModel) (*ngrok.Credential, error) {
	if err := k.record(ctx, "create"); err != nil {
		return nil, err
	}
	return k.credentialKind.create(ctx, d, plan)
}

func (k *spyKind) update(ctx context.Context, d *providerData, plan, state *credentialModel) (*ngrok.Credential, error) {
	if err := k.record(ctx, "update"); err != nil {
		return nil, err
	}
	return k.credentialKind.update(ctx, d, plan, state)
}

func (k *spyKind) delete(ctx context.Context, d *providerData, id string) error {
	if err := k.record(ctx, "delete"); err != nil {
		return err
	}
	return k.credentialKind.delete(ctx, d, id)
}

type spyCRUD = crud[*spyKind, credentialModel, ngrok.Credential]

// newSpyCRUD is ngrok_api_key's lifecycle on an emulator.
func newSpyCRUD(t *testing.T) (*spyCRUD, *emulator.Server) {
	t.Helper()
	srv := testEmulator(t)
	data := &providerData{client: testClient(t, srv.URL(), srv.APIKey()), refreshMode: ngrok.RefreshAuto}
	return &spyCRUD{kind: &spyKind{credentialKind: apiKeyKind}, data: data}, srv
}

// nullKeyState is an API key's state holding nothing; keyState, one
// holding m; keyPlan, a plan of m.
func nullKeyState(t *testing.T) tfsdk.State { return nullState(t, newCredentialResource(apiKeyKind)) }

func keyState(t *testing.T, m credentialModel) tfsdk.State {
	t.Helper()
	s := nullKeyState(t)
	if diags := apiKeyKind.state.store(t.Context(), &s, &m); diags.HasError() {
		t.Fatal(diagText(diags))
	}
	return s
}

func keyPlan(t *testing.T, m credentialModel) tfsdk.Plan {
	s := keyState(t, m)
	return tfsdk.Plan(s)
}

// plannedKey is the plan of a new API key described "ci", with timeouts.
func plannedKey(timeouts map[string]string) credentialModel {
	u := types.StringUnknown()
	return credentialModel{credentialCommon: credentialCommon{ID: u, URI: u, CreatedAt: u, OwnerID: u, Description: str("ci"),
		Metadata: str(""), RotateTriggers: types.MapNull(types.StringType), RotateAfter: nullString, RotationDueAt: u,
		Timeouts: timeoutsValue(timeouts)}, Token: u}
}

func loadKey(t *testing.T, s tfsdk.State) credentialModel {
	t.Helper()
	var m credentialModel
	if diags := apiKeyKind.load(t.Context(), s, &m); diags.HasError() {
		t.Fatal(diagText(diags))
	}
	return m
}

// errorPath is the attribute of the one error in diags, or the empty path.
func errorPath(t *testing.T, diags diag.Diagnostics) path.Path {
	t.Helper()
	if diags.ErrorsCount() != 1 {
		t.Fatalf("%d errors, want 1: %s", diags.ErrorsCount(), diagText(diags))
	}
	return diagPath(diags.Errors()[0])
}

// diagPath is the attribute d is about, or the empty path.
func diagPath(d diag.Diagnostic) path.Path {
	if withPath, ok := d.(diag.DiagnosticWithPath); ok {
		return withPath.Path()
	}
	return path.Empty()
}

// nextOperation gives c a new operation's bulk readers, as the next
// terraform command would: nothing read or written before is remembered.
func nextOperation(c *spyCRUD) {
	c.data = &providerData{client: c.data.client, refreshMode: c.data.refreshMode}
}

// addKey adds an API key described desc to srv and returns its state.
func addKey(t *testing.T, srv *emulator.Server, desc string) (emulator.Credential, tfsdk.State) {
	t.Helper()
	key, err := srv.AddCredential("api_keys", "", emulator.Credential{Description: desc})
	if err != nil {
		t.Fatal(err)
	}
	m := fullCredential(apiKeyKind)
	m.ID, m.OwnerID, m.Description, m.Metadata = str(key.ID), str(srv.AccountUserID()), str(desc), str("")
	return key, keyState(t, m)
}
