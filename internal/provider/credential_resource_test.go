package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// An API key's life: created for a service user with a token that works as
// an API key, updated in place with the token kept, imported without a token
// (and a warning), and destroyed, after which the token no longer works.
func TestAccAPIKey_lifecycle(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	var token string
	key := func(desc string) string {
		return credConfig(srv, fmt.Sprintf(`
resource "ngrok_api_key" "ci" {
  owner_id    = ngrok_service_user.ci.id
  description = %[1]q
}
`, desc))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy: func(*terraform.State) error {
			if status, err := apiStatusWith(srv, token); err != nil || status != http.StatusUnauthorized {
				return fmt.Errorf("after destroy the token got %d (%v), want 401", status, err)
			}
			return checkCredentials(srv, "api_keys", 0)(nil)
		},
		Steps: []resource.TestStep{
			{
				Config: key("deploys"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(apiKeyAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^ak_[0-9A-Za-z]{27}$`))),
					statecheck.ExpectKnownValue(apiKeyAddr, tfjsonpath.New("description"), knownvalue.StringExact("deploys")),
					statecheck.ExpectKnownValue(apiKeyAddr, tfjsonpath.New("metadata"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(apiKeyAddr, tfjsonpath.New("rotation_due_at"), knownvalue.Null()),
					statecheck.ExpectSensitiveValue(apiKeyAddr, tfjsonpath.New("token")),
				},
				Check: resource.ComposeTestCheckFunc(
					checkTokenWorks(srv, apiKeyAddr, &token),
					checkOwnedByUser(srv, "api_keys", apiKeyAddr),
					checkCredentials(srv, "api_keys", 1),
				),
			},
			{
				// One PATCH of what changed; the token survives.
				Config:           key("deploys and releases"),
				PreConfig:        srv.ResetCounts,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(apiKeyAddr, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPtr(apiKeyAddr, "token", &token),
					checkTokenWorks(srv, apiKeyAddr, nil),
					func(*terraform.State) error {
						if n := srv.RequestCounts()["PATCH /api_keys/{id}"]; n != 1 {
							return fmt.Errorf("%d PATCH requests, want 1", n)
						}
						return nil
					},
				),
			},
			{
				// A refresh keeps the token the API no longer shows.
				RefreshState: true,
				Check:        resource.TestCheckResourceAttrPtr(apiKeyAddr, "token", &token),
			},
			{
				ResourceName:            apiKeyAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"token"},
			},
		},
	})
}

// Omitted, owner_id is the owner of the provider's key, shown as computed; a
// description over ngrok's limit and an email as owner are refused before
// any request; an owner the API does not know is refused by the API.
func TestAccAPIKey_defaultOwnerAndRefusals(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	ownerless := providerBlock(srv) + `
resource "ngrok_api_key" "ci" {}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv) + `
resource "ngrok_api_key" "ci" {
  owner_id = "ci@example.com"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Invalid user ID.*not by email`),
			},
			{
				Config: providerBlock(srv) + fmt.Sprintf(`
resource "ngrok_api_key" "ci" {
  description = %[1]q
}
`, strings.Repeat("é", 128)),
				ExpectError: regexp.MustCompile(`(?s)description.*at most 255`),
			},
			{
				Config: ownerless,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(apiKeyAddr, "owner_id", srv.AccountUserID()),
					func(*terraform.State) error {
						if n := srv.RequestCounts()["POST /api_keys"]; n != 1 {
							return fmt.Errorf("%d POST /api_keys, want 1: the refused configurations must send nothing", n)
						}
						return nil
					},
				),
			},
			{
				Config:           ownerless,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				ResourceName:  apiKeyAddr,
				ImportState:   true,
				ImportStateId: "cr_2Ym0JqvZKCkqbEDNIuCFxJkBZPu",
				ExpectError:   regexp.MustCompile(`is not an API key ID`),
			},
			{
				// Refused by the API: the error names the key by its description.
				Config: ownerless + `
resource "ngrok_api_key" "deploy" {
  owner_id    = "service_2Ym0JqvZKCkqbEDNIuCFxJkBZPu"
  description = "deploy"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Unable to create API key "deploy".*service_2Ym0JqvZKCkqbEDNIuCFxJkBZPu`),
			},
		},
	})
}

// An authtoken's acl: unset and [] are the same; a change is one PATCH in
// place; a change made outside Terraform shows in the next plan.
func TestAccAuthtoken_acl(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	// token is the authtoken with the acl given in HCL, or none for "".
	token := func(acl string) string {
		if acl != "" {
			acl = "  acl = " + acl + "\n"
		}
		return credConfig(srv, fmt.Sprintf(`
resource "ngrok_authtoken" "ci" {
  owner_id = ngrok_service_user.ci.id
%[1]s}
`, acl))
	}
	empty := plancheck.ExpectEmptyPlan()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config:      token(`["example.com"]`),
				ExpectError: regexp.MustCompile(`is not an ngrok acl rule`),
			},
			{
				Config: token(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(authtokenAddr, tfjsonpath.New("acl"), knownvalue.SetExact([]knownvalue.Check{})),
					statecheck.ExpectKnownValue(authtokenAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^cr_`))),
					statecheck.ExpectSensitiveValue(authtokenAddr, tfjsonpath.New("token")),
				},
				Check: resource.ComposeTestCheckFunc(checkOwnedByUser(srv, "credentials", authtokenAddr), resource.TestCheckResourceAttrSet(authtokenAddr, "token")),
			},
			{Config: token(`[]`), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{empty}}},
			{
				Config:           token(`["bind:*.example.com", "bind:example.ngrok.app"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(authtokenAddr, plancheck.ResourceActionUpdate)}},
				Check: func(s *terraform.State) error {
					id, _ := attrOf(s, authtokenAddr, "id")
					c, _ := srv.GetCredential("credentials", id)
					if acl := slices.Sorted(slices.Values(c.ACL)); !slices.Equal(acl, []string{"bind:*.example.com", "bind:example.ngrok.app"}) {
						return fmt.Errorf("the emulator holds acl %q", c.ACL)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					for _, c := range srv.Credentials("credentials") {
						if err := srv.SetCredentialACL("credentials", c.ID, []string{"*"}); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config:             token(`["bind:*.example.com", "bind:example.ngrok.app"]`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks:   driftPlan(authtokenAddr, plancheck.ResourceActionUpdate),
			},
		},
	})
}

// An SSH key's comment or line break is not a new key: the plan is empty and
// nothing is sent to ngrok; a new key replaces the credential; a private key
// is refused and never echoed.
func TestAccSSHCredential_publicKey(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	ssh := func(key string) string {
		return credConfig(srv, fmt.Sprintf(`
resource "ngrok_ssh_credential" "ci" {
  owner_id   = ngrok_service_user.ci.id
  public_key = %[1]q
}
`, key))
	}
	var first string
	base, _, _ := strings.Cut(testPublicKey, " me@")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config:      ssh(testPrivateKey),
				ExpectError: regexp.MustCompile(`this is a private key`),
			},
			{
				Config: ssh(testPublicKey + "\n"),
				Check: resource.ComposeTestCheckFunc(
					checkOwnedByUser(srv, "ssh_credentials", sshAddr),
					func(s *terraform.State) error { first, _ = attrOf(s, sshAddr, "id"); return nil },
				),
			},
			sameKeyStep(srv, ssh(base+" renamed@laptop"), testPublicKey+"\n", &first),
			sameKeyStep(srv, ssh(base), testPublicKey+"\n", &first),
			{
				Config:           ssh(otherTestPublicKey),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(sshAddr, plancheck.ResourceActionReplace)}},
				Check:            checkCredentials(srv, "ssh_credentials", 1),
			},
		},
	})
}

// sameKeyStep applies config, which holds the key in state spelt otherwise:
// an empty plan, no request that changes anything, the credential and the
// state's spelling kept.
func sameKeyStep(srv *emulator.Server, config, kept string, id *string) resource.TestStep {
	return resource.TestStep{
		Config:    config,
		PreConfig: srv.ResetCounts,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectEmptyPlan(),
		}},
		Check: resource.ComposeTestCheckFunc(
			resource.TestCheckResourceAttrPtr(sshAddr, "id", id),
			resource.TestCheckResourceAttr(sshAddr, "public_key", kept),
			func(*terraform.State) error {
				c := srv.RequestCounts()
				if c["PATCH /ssh_credentials/{id}"]+c["POST /ssh_credentials"]+c["DELETE /ssh_credentials/{id}"] != 0 {
					return fmt.Errorf("the same key spelt otherwise sent requests that change things: %v", c)
				}
				return nil
			},
		),
	}
}

// A lost create reply leaves exactly one credential, and the token in state
// is that credential's: the one the API made first, whose token nobody
// holds, is revoked.
func TestAccAPIKey_lostCreateReply(t *testing.T) {
	accPreCheck(t)
	srv, _ := steadyEmulator(t)
	f, err := emulator.ParseFault("drop-after:POST /api_keys:1")
	if err != nil {
		t.Fatal(err)
	}
	srv.AddFault(f)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: credConfig(srv, `
resource "ngrok_api_key" "ci" {
  owner_id    = ngrok_service_user.ci.id
  description = "lost"
}
`),
			Check: resource.ComposeTestCheckFunc(
				checkCredentials(srv, "api_keys", 1),
				checkTokenWorks(srv, apiKeyAddr, nil),
				func(*terraform.State) error {
					if n := srv.RequestCounts()["POST /api_keys"]; n != 2 {
						return fmt.Errorf("%d POST /api_keys, want 2 (the lost one and its replacement)", n)
					}
					return nil
				},
			),
		}},
	})
}

// An imported credential has no token, and the import says how to get one.
func TestCredentialImport_warnsAboutToken(t *testing.T) {
	for _, k := range credentialKinds {
		r := newCredentialResource(k)
		resp := fwresource.ImportStateResponse{State: nullState(t, r)}
		r.ImportState(context.Background(), fwresource.ImportStateRequest{ID: k.ids.prefixes[0] + "2Ym0JqvZKCkqbEDNIuCFxJkBZPu"}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s: %v", k.typeName(), resp.Diagnostics)
		}
		if got := hasWarning(resp.Diagnostics, "-replace"); got != k.hasToken {
			t.Errorf("%s: a warning about -replace: %t, want %t", k.typeName(), got, k.hasToken)
		}
	}
}

// The token is taken from the reply that carries one, and only from it: a
// later reply's null or empty token leaves the saved one alone.
func TestCredentialFill_keepsTheToken(t *testing.T) {
	for _, tc := range []struct {
		name  string
		saved types.String
		reply *string
		want  types.String
	}{
		{"create", types.StringUnknown(), ptr("secret"), str("secret")},
		{"create without a token", types.StringUnknown(), nil, types.StringNull()},
		{"refresh, null", str("secret"), nil, str("secret")},
		{"refresh, empty", str("secret"), ptr(""), str("secret")},
		{"after import", types.StringNull(), nil, types.StringNull()},
		// ngrok/ngrok v0.7 stored "" for the token it never had; taken over
		// at the same address, "" is no token: null, as after an import.
		{"an empty token in state", str(""), nil, types.StringNull()},
	} {
		m := credentialModel{Token: tc.saved}
		apiKeyKind.fill(&m, &ngrok.Credential{ID: "ak_1", Token: tc.reply})
		if !m.Token.Equal(tc.want) {
			t.Errorf("%s: token %s, want %s", tc.name, m.Token, tc.want)
		}
	}
}

// The import warning names the kind with its article.
func TestCredentialImport_warningReadsWell(t *testing.T) {
	for _, k := range credentialKinds {
		if !k.hasToken {
			continue
		}
		var sr fwresource.SchemaResponse
		r := newCredentialResource(k)
		r.Schema(context.Background(), fwresource.SchemaRequest{}, &sr)
		resp := fwresource.ImportStateResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(context.Background()), nil)}}
		r.ImportState(context.Background(), fwresource.ImportStateRequest{ID: k.ids.example}, &resp)
		if want := "ngrok shows " + k.aNoun + "'s token only once"; !hasWarning(resp.Diagnostics, want) {
			t.Errorf("%s: %s; want %q", k.typeName(), diagText(resp.Diagnostics), want)
		}
	}
}
