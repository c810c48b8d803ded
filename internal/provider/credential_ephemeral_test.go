package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// The ephemeral API key example, as the docs show it: an aliased provider
// acts as the service user with the run's key, and when the run ends the key
// is revoked. The alias takes the API's URL from the environment, as it would
// take ngrok's default.
func TestAccAPIKeyEphemeral_actAsServiceUser(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	t.Setenv(envAPIBaseURL, srv.URL())
	cfg := providerBlock(srv) + exampleHCL(t, "ephemeral-resources/ngrok_api_key", "ephemeral-resource.tf") + `
output "keys_seen_as_ci" {
  value = length(data.ngrok_api_keys.own_keys.ids)
}
`
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				// Only the run's own key exists while the run lasts.
				statecheck.ExpectKnownOutputValue("keys_seen_as_ci", knownvalue.Int64Exact(1)),
			},
			Check: func(s *terraform.State) error {
				c := srv.RequestCounts()
				if c["POST /api_keys"] == 0 || c["POST /api_keys"] != c["DELETE /api_keys/{id}"] {
					return fmt.Errorf("%d keys opened and %d revoked, want as many revoked as opened (at least one)", c["POST /api_keys"], c["DELETE /api_keys/{id}"])
				}
				return checkCredentials(srv, "api_keys", 0)(s)
			},
		}},
	})
}

// The ephemeral authtoken example, as the docs show it: the token carries
// its bind rules and is revoked after the run.
func TestAccAuthtokenEphemeral_revokedAfterRun(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	// OpenTofu opens an ephemeral resource only when something uses it
	// (Terraform opens every one): the check below uses it.
	cfg := credConfig(srv, exampleHCL(t, "ephemeral-resources/ngrok_authtoken", "ephemeral-resource.tf")+`
resource "ngrok_service_user" "uses_token" {
  name = "uses-token"

  lifecycle {
    postcondition {
      condition     = length(ephemeral.ngrok_authtoken.test_agent.token) > 20
      error_message = "the ephemeral authtoken has no token"
    }
    postcondition {
      condition     = ephemeral.ngrok_authtoken.test_agent.acl == toset(["bind:test.example.ngrok.app"])
      error_message = "the ephemeral authtoken lost its bind rules"
    }
  }
}
`)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(s *terraform.State) error {
				c := srv.RequestCounts()
				if c["POST /credentials"] == 0 || c["POST /credentials"] != c["DELETE /credentials/{id}"] {
					return fmt.Errorf("%d authtokens opened and %d revoked", c["POST /credentials"], c["DELETE /credentials/{id}"])
				}
				return checkCredentials(srv, "credentials", 0)(s)
			},
		}},
	})
}

// Every form the docs allow opens on every CLI: what the configuration
// leaves out (owner_id, acl) is filled in, and what it gives is kept as
// given, the other spelling of a bot user's ID included. Terraform refuses
// a result that differs from the configuration where an attribute is not
// computed; OpenTofu does not check, which is how these went unseen.
func TestAccCredentialEphemeral_formsTheDocsAllow(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	bot := srv.AddBotUser("legacy", true)
	service := "service_" + strings.TrimPrefix(bot.ID, "bot_")
	// This test needs the other spelling: a key asked for as service_X is
	// reported as bot_X.
	probe, err := srv.AddCredential("api_keys", service, emulator.Credential{Description: "probe"})
	if err != nil || probe.OwnerID != bot.ID {
		t.Fatalf("a key made for %s is reported as owned by %q (%v); this test needs %s", service, probe.OwnerID, err, bot.ID)
	}
	if err := srv.DeleteCredential("api_keys", probe.ID); err != nil {
		t.Fatal(err)
	}
	check := func(name, cond string) string {
		return fmt.Sprintf(`    postcondition {
      condition     = %[1]s
      error_message = %[2]q
    }
`, cond, name)
	}
	cfg := providerBlock(srv) + `
ephemeral "ngrok_api_key" "no_owner" {
  description = "no owner given"
}

ephemeral "ngrok_authtoken" "no_acl" {
  description = "no acl given"
}

ephemeral "ngrok_api_key" "other_spelling" {
  owner_id = "` + service + `"
}

resource "terraform_data" "uses" {
  lifecycle {
` + check("no_owner: the owner is the key's", fmt.Sprintf("ephemeral.ngrok_api_key.no_owner.owner_id == %q", srv.AccountUserID())) +
		check("no_acl: no bind rules", "length(ephemeral.ngrok_authtoken.no_acl.acl) == 0") +
		check("no_acl: a token", "length(ephemeral.ngrok_authtoken.no_acl.token) > 20") +
		check("other_spelling: as given", fmt.Sprintf("ephemeral.ngrok_api_key.other_spelling.owner_id == %q", service)) + `  }
}
`
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(*terraform.State) error {
				c := srv.RequestCounts()
				if c["POST /api_keys"] == 0 || c["POST /credentials"] == 0 {
					return fmt.Errorf("requests %v: not every ephemeral resource was opened", c)
				}
				if live := len(srv.Credentials("api_keys")) + len(srv.Credentials("credentials")); live != 0 {
					return fmt.Errorf("%d credentials live after the run", live)
				}
				return nil
			},
		}},
	})
}

// The same for the ephemeral resources, whose schema holds fewer attributes:
// those it has come back whole.
func TestCredentialModel_roundTripsThroughEachEphemeralSchema(t *testing.T) {
	ctx := context.Background()
	for _, k := range credentialKinds {
		if k.ephemeral == nil {
			continue
		}
		t.Run(k.typeName(), func(t *testing.T) {
			var sr ephemeral.SchemaResponse
			newCredentialEphemeral(k).Schema(ctx, ephemeral.SchemaRequest{}, &sr)
			result := tfsdk.EphemeralResultData{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
			full := fullCredential(k)
			if diags := k.ephemeral.store(ctx, &result, &full); diags.HasError() {
				t.Fatal(diagText(diags))
			}
			var got credentialModel
			if diags := k.ephemeral.load(ctx, result, &got); diags.HasError() {
				t.Fatal(diagText(diags))
			}
			want := credentialModel{
				credentialCommon: credentialCommon{ID: full.ID, OwnerID: full.OwnerID, Description: full.Description, Metadata: full.Metadata},
				Token:            full.Token, ACL: full.ACL,
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}
