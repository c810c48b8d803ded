package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
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
