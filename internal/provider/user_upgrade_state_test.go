package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// upgrade sends a raw state of the given schema version through the
// provider's protocol server, as Terraform does when it finds a state older
// than the schema, and returns the upgraded attributes.
func upgrade(t *testing.T, typeName string, version int64, state string) (map[string]tftypes.Value, []*tfprotov6.Diagnostic) {
	t.Helper()
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(testProvider())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	schema, ok := schemas.ResourceSchemas[typeName]
	if !ok {
		t.Fatalf("no resource %s", typeName)
	}
	if schema.Version != userSchemaVersion {
		t.Fatalf("%s schema version = %d, want %d", typeName, schema.Version, userSchemaVersion)
	}
	resp, err := server.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: typeName,
		Version:  version,
		RawState: &tfprotov6.RawState{JSON: []byte(state)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.UpgradedState == nil {
		return nil, resp.Diagnostics
	}
	v, err := resp.UpgradedState.Unmarshal(schema.ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	return attrs, resp.Diagnostics
}

// attrString renders a state value for comparison: strings and bools as
// themselves, null as "<null>".
func attrString(t *testing.T, v tftypes.Value) string {
	t.Helper()
	if v.IsNull() {
		return "<null>"
	}
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case v.Type().Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		if b {
			return "true"
		}
		return "false"
	}
	return v.String()
}

func TestUpgradeState_fromVersion0(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, typeName, state string
		want                  map[string]string
	}{
		{
			// Our own first release: every value passes through.
			name:     "our version 0",
			typeName: "ngrok_service_user",
			state: `{"active":false,"created_at":"2026-01-15T12:00:00Z","id":"service_32ELIFubEAAGUeRtreNW6kr94Od","name":"ci",` +
				`"timeouts":{"create":"30m","delete":null,"read":null,"update":null},"uri":"https://api.ngrok.com/service_users/service_32ELIFubEAAGUeRtreNW6kr94Od"}`,
			want: map[string]string{
				"id": "service_32ELIFubEAAGUeRtreNW6kr94Od", "name": "ci", "active": "false", "created_at": "2026-01-15T12:00:00Z",
				"uri": "https://api.ngrok.com/service_users/service_32ELIFubEAAGUeRtreNW6kr94Od",
			},
		},
		{
			// The same shape as ngrok/ngrok v0.8 writes, which is what arrives
			// when a configuration switches the provider of an unrenamed
			// ngrok_service_user (or after `terraform state replace-provider`).
			name:     "ngrok/ngrok v0.8 state, same address",
			typeName: "ngrok_service_user",
			state:    `{"active":true,"created_at":"2025-11-03T09:41:27Z","id":"bot_2zR1Vw8dLhJ1b3vWw5fQ7nG0kXa","name":"ci-deploy","uri":"https://api.ngrok.com/bot_users/bot_2zR1Vw8dLhJ1b3vWw5fQ7nG0kXa"}`,
			want: map[string]string{
				"id": "bot_2zR1Vw8dLhJ1b3vWw5fQ7nG0kXa", "name": "ci-deploy", "active": "true", "created_at": "2025-11-03T09:41:27Z",
				"uri": "https://api.ngrok.com/bot_users/bot_2zR1Vw8dLhJ1b3vWw5fQ7nG0kXa",
			},
		},
		{
			// ngrok/ngrok v0.7 (SDKv2) has fewer attributes; the refresh fills
			// the rest.
			name:     "ngrok/ngrok v0.7 state, same address",
			typeName: "ngrok_bot_user",
			state:    `{"active":false,"id":"bot_1yG0wmTIsXRUrq9qR2sPzqFw4hG","name":"legacy-deployer"}`,
			want: map[string]string{
				"id": "bot_1yG0wmTIsXRUrq9qR2sPzqFw4hG", "name": "legacy-deployer", "active": "false", "created_at": "<null>", "uri": "<null>",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, diags := upgrade(t, tc.typeName, 0, tc.state)
			for _, d := range diags {
				t.Errorf("diagnostic: %s: %s", d.Summary, d.Detail)
			}
			for name, want := range tc.want {
				if s := attrString(t, got[name]); s != want {
					t.Errorf("%s = %s, want %s", name, s, want)
				}
			}
		})
	}
}

func TestUpgradeState_keepsTimeouts(t *testing.T) {
	t.Parallel()
	got, diags := upgrade(t, "ngrok_service_user", 0,
		`{"active":true,"created_at":"x","id":"service_1","name":"ci","timeouts":{"create":"30m","delete":null,"read":null,"update":"5m"},"uri":"u"}`)
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	var timeouts map[string]tftypes.Value
	if err := got["timeouts"].As(&timeouts); err != nil {
		t.Fatal(err)
	}
	if c, u, r := attrString(t, timeouts["create"]), attrString(t, timeouts["update"]), attrString(t, timeouts["read"]); c != "30m" || u != "5m" || r != "<null>" {
		t.Errorf("timeouts create=%s update=%s read=%s, want 30m, 5m, <null>", c, u, r)
	}
}

// A version this provider never wrote is an error, not a guess.
func TestUpgradeState_unknownVersion(t *testing.T) {
	t.Parallel()
	_, diags := upgrade(t, "ngrok_service_user", userSchemaVersion+1, `{"id":"service_1"}`)
	if len(diags) == 0 || diags[0].Severity != tfprotov6.DiagnosticSeverityError || !strings.Contains(diags[0].Detail, "version 2") {
		t.Fatalf("diagnostics = %v, want an error about version 2", diags)
	}
}
