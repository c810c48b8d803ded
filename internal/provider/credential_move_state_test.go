package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// movedCredential returns the target state of an answered, successful move.
func movedCredential(t *testing.T, kind credentialKind, res moveResult) credentialModel {
	t.Helper()
	var m credentialModel
	if diags := kind.load(context.Background(), movedTarget(t, res).TargetState, &m); diags.HasError() {
		t.Fatalf("reading the moved state: %v", diags)
	}
	return m
}

func TestMoveState_credentialsFromNgrokV08(t *testing.T) {
	for _, tc := range []struct {
		kind    credentialKind
		fixture string
		check   func(*testing.T, credentialModel)
	}{
		{apiKeyKind, "ngrok-v0.8-api_key.json", func(t *testing.T, m credentialModel) {
			wantString(t, "owner_id", m.OwnerID, "usr_2dXQmW5bstjaMfD4ritQIwxSZgv")
			wantString(t, "token", m.Token, "34NYmJRqqmpUW8gJRSKPlOeL5CT_FdX6UGFrX3FHPSOJ0InN8")
			wantString(t, "metadata", m.Metadata, `{"environment":"production"}`)
		}},
		{authtokenKind, "ngrok-v0.8-credential.json", func(t *testing.T, m credentialModel) {
			wantString(t, "owner_id", m.OwnerID, "bot_2ygJibwcJwup7ws8ityPxrDm2Y7")
			wantString(t, "token", m.Token, "350UAaKv7c1NGGjKGzhLxJSO7Yq_mPGWg3kLeBxs1WUJYvap3")
			want := types.SetValueMust(types.StringType, []attr.Value{str("bind:app.example.com"), str("bind:*.staging.example.com")})
			if !m.ACL.Equal(want) {
				t.Errorf("acl = %s, want %s", m.ACL, want)
			}
		}},
		{sshCredentialKind, "ngrok-v0.8-ssh_credential.json", func(t *testing.T, m credentialModel) {
			if !strings.HasPrefix(m.PublicKey.ValueString(), "ssh-ed25519 AAAA") {
				t.Errorf("public_key = %s", m.PublicKey)
			}
			wantString(t, "metadata", m.Metadata, "")
		}},
	} {
		t.Run(tc.kind.typeSuffix, func(t *testing.T) {
			res := moveInto(t, newCredentialResource(tc.kind), moveRequest(ngrokAddr, tc.kind.ngrokType, 0, fixture(t, tc.fixture)))
			m := movedCredential(t, tc.kind, res)
			if !strings.HasPrefix(m.ID.ValueString(), tc.kind.ids.prefixes[0]) || m.URI.IsNull() || m.CreatedAt.IsNull() {
				t.Errorf("moved id=%s uri=%s created_at=%s", m.ID, m.URI, m.CreatedAt)
			}
			if len(res.resp.Diagnostics) != 0 {
				t.Errorf("unexpected diagnostics: %v", res.resp.Diagnostics)
			}
			if got := identityID(t, res.resp.TargetIdentity); !got.Equal(m.ID) {
				t.Errorf("moved identity id = %s, want %s", got, m.ID)
			}
			tc.check(t, m)
		})
	}
}

// ngrok/ngrok v0.7 (SDKv2) wrote neither uri nor created_at, "" for the
// token (it reads a key back after creating it, and a read has no token), and
// null for an acl left unset. The move adopts each credential all the same:
// the token null, with a warning, and an unset acl as no restriction.
func TestMoveState_credentialsFromNgrokV07(t *testing.T) {
	for _, tc := range []struct {
		kind    credentialKind
		fixture string
		acl     []string
	}{
		{apiKeyKind, "ngrok-v0.7-api_key.json", nil},
		{authtokenKind, "ngrok-v0.7-credential.json", []string{}},
		{sshCredentialKind, "ngrok-v0.7-ssh_credential.json", []string{"bind:1.tcp.ngrok.io:20002"}},
	} {
		t.Run(tc.kind.typeSuffix, func(t *testing.T) {
			res := moveInto(t, newCredentialResource(tc.kind), moveRequest(ngrokAddr, tc.kind.ngrokType, 0, fixture(t, tc.fixture)))
			m := movedCredential(t, tc.kind, res)
			if !strings.HasPrefix(m.ID.ValueString(), tc.kind.ids.prefixes[0]) || !m.URI.IsNull() || !m.CreatedAt.IsNull() {
				t.Errorf("moved id=%s uri=%s created_at=%s", m.ID, m.URI, m.CreatedAt)
			}
			if got := identityID(t, res.resp.TargetIdentity); !got.Equal(m.ID) {
				t.Errorf("moved identity id = %s, want %s", got, m.ID)
			}
			if tc.kind.hasToken {
				if !m.Token.IsNull() || !hasWarning(res.resp.Diagnostics, "token is unknown") {
					t.Errorf("token = %s, diagnostics %v: want null, with a warning", m.Token, res.resp.Diagnostics)
				}
			} else if len(res.resp.Diagnostics) != 0 {
				t.Errorf("unexpected diagnostics: %v", res.resp.Diagnostics)
			}
			if tc.kind.hasACL {
				if want := stringSet(tc.acl); !m.ACL.Equal(want) {
					t.Errorf("acl = %s, want %s", m.ACL, want)
				}
			}
		})
	}
}

func wantString(t *testing.T, name string, got types.String, want string) {
	t.Helper()
	if got.ValueString() != want || got.IsNull() {
		t.Errorf("%s = %s, want %q", name, got, want)
	}
}

// ngrok/ngrok v0.7 never kept the token: the move adopts the key and says
// the token is unknown, rather than storing "" as if it were one.
func TestMoveState_credentialWithoutTokenWarns(t *testing.T) {
	state := `{"id":"ak_34NYmJRqqmpUW8gJRSKPlOeL5CT","description":"old","metadata":"","owner_id":"usr_2dXQmW5bstjaMfD4ritQIwxSZgv","token":""}`
	res := moveInto(t, newCredentialResource(apiKeyKind), moveRequest(ngrokAddr, "ngrok_api_key", 0, state))
	m := movedCredential(t, apiKeyKind, res)
	if !m.Token.IsNull() {
		t.Errorf("token = %s, want null", m.Token)
	}
	if !hasWarning(res.resp.Diagnostics, "token is unknown") {
		t.Errorf("no warning about the token: %v", res.resp.Diagnostics)
	}
}

func TestMoveState_credentialRefusals(t *testing.T) {
	for name, tc := range map[string]struct{ typ, state, want string }{
		"no id":         {"ngrok_api_key", `{"token":"x"}`, "has no id"},
		"wrong kind id": {"ngrok_api_key", `{"id":"cr_350UAaKv7c1NGGjKGzhLxJSO7Yq"}`, "is not an API key ID"},
		"not json":      {"ngrok_api_key", `[1,2]`, "not a JSON object"},
	} {
		t.Run(name, func(t *testing.T) {
			res := moveInto(t, newCredentialResource(apiKeyKind), moveRequest(ngrokAddr, tc.typ, 0, tc.state))
			if !res.answered || !res.resp.Diagnostics.HasError() || !strings.Contains(diagText(res.resp.Diagnostics), tc.want) {
				t.Errorf("diagnostics %v, want an error saying %q", res.resp.Diagnostics, tc.want)
			}
		})
	}
	// Another type, or a newer schema than we know, is not ours to guess at.
	if res := moveInto(t, newCredentialResource(apiKeyKind), moveRequest(ngrokAddr, "ngrok_credential", 0, `{"id":"cr_x"}`)); res.answered {
		t.Error("ngrok_api_key adopted an ngrok_credential")
	}
	res := moveInto(t, newCredentialResource(apiKeyKind), moveRequest(ngrokAddr, "ngrok_api_key", 1, `{"id":"ak_x"}`))
	if !res.resp.Diagnostics.HasError() {
		t.Error("a schema version newer than known was adopted")
	}
}
