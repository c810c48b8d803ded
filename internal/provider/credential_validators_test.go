package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestOwnerIDValidator(t *testing.T) {
	for in, want := range map[string]string{
		"service_32ELIFubEAAGUeRtreNW6kr94Od": "",
		"bot_2ygJibwcJwup7ws8ityPxrDm2Y7":     "",
		"usr_2dXQmW5bstjaMfD4ritQIwxSZgv":     "",
		"ci@example.com":                      "not by email",
		"ak_34NYmJRqqmpUW8gJRSKPlOeL5CT":      "is not a user ID",
		" usr_2dXQmW5bstjaMfD4ritQIwxSZgv":    "white space", //nolint:gocritic // pasted with a space, on purpose
		"":                                    "The ID is empty",
	} {
		got := validate(idValidator(ownerIDs), in)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("owner_id %q: %q, want %q", in, got, want)
		}
	}
}

func TestACLRuleValidator(t *testing.T) {
	for in, want := range map[string]string{
		"*":                         "",
		"bind:example.ngrok.app":    "",
		"bind:*.example.com":        "",
		"bind:1.tcp.ngrok.io:20002": "",
		"example.ngrok.app":         "is not an ngrok acl rule",
		"bind:":                     "binds nothing",
		"bind: x":                   "binds nothing",
		"BIND:x":                    "is not an ngrok acl rule",
	} {
		got := validate(aclRuleValidator(), in)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("acl %q: %q, want %q", in, got, want)
		}
	}
}

func TestParseRotateAfter(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"90d": 90 * 24 * time.Hour, "720h": 720 * time.Hour, "1d12h": 36 * time.Hour, "30m": 30 * time.Minute, "1d1h1m": 25*time.Hour + time.Minute,
	} {
		if got, err := parseRotateAfter(in); err != nil || got != want {
			t.Errorf("parseRotateAfter(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0d", "90", "1h1d", "-1d", "1.5d", "90 d", "99999999999d", "1w"} {
		if _, err := parseRotateAfter(bad); err == nil {
			t.Errorf("parseRotateAfter(%q) accepted", bad)
		}
	}
}

func TestRotationDue(t *testing.T) {
	created := str("2026-01-01T00:00:00Z")
	if got := rotationDue(created, str("90d")); got.ValueString() != "2026-04-01T00:00:00Z" {
		t.Errorf("due = %s", got)
	}
	if got := rotationDue(created, types.StringNull()); !got.IsNull() {
		t.Errorf("without rotate_after: %s, want null", got)
	}
	if got := rotationDue(types.StringUnknown(), str("1d")); !got.IsUnknown() {
		t.Errorf("before create: %s, want unknown", got)
	}
}

// ngrok's limits are in bytes, and so are the messages: with the character
// count beside it where the two differ.
func TestMaxBytesValidator(t *testing.T) {
	for in, want := range map[string]string{
		strings.Repeat("a", 255): "",
		strings.Repeat("a", 256): "x is 256 bytes long; ngrok allows at most 255 bytes (UTF-8).",
		strings.Repeat("漢", 85):  "",
		strings.Repeat("漢", 86):  "x is 258 bytes (86 characters) long; ngrok allows at most 255 bytes (UTF-8).",
		strings.Repeat("é", 128): "x is 256 bytes (128 characters) long",
	} {
		got := validate(maxBytesValidator(255), in)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("%d bytes: %q, want %q", len(in), got, want)
		}
	}
}

// The import warning names the kind with its article.
func TestCredentialImport_warningReadsWell(t *testing.T) {
	for _, k := range credentialKinds {
		if !k.hasToken {
			continue
		}
		var sr resource.SchemaResponse
		r := newCredentialResource(k)
		r.Schema(context.Background(), resource.SchemaRequest{}, &sr)
		resp := resource.ImportStateResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(context.Background()), nil)}}
		r.ImportState(context.Background(), resource.ImportStateRequest{ID: k.ids.example}, &resp)
		if want := "ngrok shows " + k.aNoun + "'s token only once"; !hasWarning(resp.Diagnostics, want) {
			t.Errorf("%s: %s; want %q", k.typeName(), diagText(resp.Diagnostics), want)
		}
	}
}
