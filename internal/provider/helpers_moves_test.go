// Helpers shared by the tests of moves, imports and the guides: move
// requests as Terraform sends them, fixtures, and the provider as published.
package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "move_state", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// exampleHCL reads files from examples/<dir>/ and joins them: the docs
// include these very files, so the tests that use them test the docs as
// written.
func exampleHCL(t *testing.T, dir string, files ...string) string {
	t.Helper()
	var b strings.Builder
	for _, f := range files {
		content, err := os.ReadFile(filepath.Join("..", "..", "examples", filepath.FromSlash(dir), f))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(content)
		b.WriteString("\n")
	}
	return b.String()
}

// guideHCL reads example files of a guide from examples/guides/<guide>/.
func guideHCL(t *testing.T, guide string, files ...string) string {
	t.Helper()
	return exampleHCL(t, "guides/"+guide, files...)
}

// asPublished serves the provider at its registry address, as the guides'
// required_providers name it, and configures it from the environment, as the
// guides tell readers to. Both are process-wide, so a test using it cannot
// run in parallel with others (Go runs it before any parallel test starts).
func asPublished(t *testing.T, srv *emulator.Server) {
	t.Helper()
	t.Setenv(resource.EnvTfAccProviderNamespace, strings.Split(ownProviderSource, "/")[0])
	t.Setenv(envAPIKey, srv.APIKey())
	t.Setenv(envAPIBaseURL, srv.URL())
}

const (
	ngrokAddr = "registry.terraform.io/ngrok/ngrok"
	ownAddr   = Address
)

// moveResult is what the framework would make of a move request: the target
// state and identity of the first mover that answered, or answered=false when
// none did (Terraform then reports the move as unsupported).
type moveResult struct {
	answered bool
	resp     fwresource.MoveStateResponse
}

// move runs the resource's StateMovers the way the framework does: in
// order, each with a fresh response holding a null state of the target
// schema, until one sets state or reports an error.
func move(t *testing.T, kind userKind, req fwresource.MoveStateRequest) moveResult {
	t.Helper()
	return moveInto(t, newUserResource(kind), req)
}

// moveInto runs a resource's StateMovers the way the framework does, each
// with a null state and a null identity to fill.
func moveInto(t *testing.T, r fwresource.ResourceWithMoveState, req fwresource.MoveStateRequest) moveResult {
	t.Helper()
	ctx := context.Background()
	for _, mover := range r.MoveState(ctx) {
		resp := fwresource.MoveStateResponse{TargetState: nullState(t, r), TargetIdentity: nullIdentity(t)}
		mover.StateMover(ctx, req, &resp)
		if resp.Diagnostics.HasError() || !resp.TargetState.Raw.IsNull() {
			return moveResult{answered: true, resp: resp}
		}
		if len(resp.Diagnostics) > 0 {
			t.Fatalf("a mover that did not answer left diagnostics: %v", resp.Diagnostics)
		}
	}
	return moveResult{}
}

// movedTarget is the response of an answered, successful move.
func movedTarget(t *testing.T, res moveResult) fwresource.MoveStateResponse {
	t.Helper()
	if !res.answered {
		t.Fatal("no mover answered: Terraform would report the move as unsupported")
	}
	if res.resp.Diagnostics.HasError() {
		t.Fatalf("move refused: %v", res.resp.Diagnostics)
	}
	return res.resp
}

// nullState is a state of r's schema holding nothing, as the framework hands
// a response before the resource fills it.
func nullState(t *testing.T, r fwresource.Resource) tfsdk.State {
	t.Helper()
	ctx := context.Background()
	var resp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(ctx), nil)}
}

func moveRequest(provider, typeName string, version int64, state string) fwresource.MoveStateRequest {
	return fwresource.MoveStateRequest{
		SourceProviderAddress: provider,
		SourceTypeName:        typeName,
		SourceSchemaVersion:   version,
		SourceRawState:        &tfprotov6.RawState{JSON: []byte(state)},
	}
}
