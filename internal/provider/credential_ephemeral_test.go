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

// An ephemeral API key lives for one run: an aliased provider acts as the
// service user with its token, and when the run ends it is revoked. Its
// token is never in state.
func TestAccAPIKeyEphemeral_actAsServiceUser(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	cfg := credConfig(srv, fmt.Sprintf(`
ephemeral "ngrok_api_key" "run" {
  owner_id    = ngrok_service_user.ci.id
  description = "terraform run"
}

provider "ngrok" {
  alias        = "as_ci"
  api_key      = ephemeral.ngrok_api_key.run.token
  api_base_url = %q
}

data "ngrok_api_keys" "as_ci" {
  provider = ngrok.as_ci
  owner_id = ngrok_service_user.ci.id
}

output "keys_seen_as_ci" {
  value = length(data.ngrok_api_keys.as_ci.ids)
}
`, srv.URL()))
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
				for addr := range s.RootModule().Resources {
					if addr == "ngrok_api_key.run" {
						return fmt.Errorf("the ephemeral key is in state")
					}
				}
				c := srv.RequestCounts()
				if c["POST /api_keys"] == 0 || c["POST /api_keys"] != c["DELETE /api_keys/{id}"] {
					return fmt.Errorf("%d keys opened and %d revoked, want as many revoked as opened (at least one)", c["POST /api_keys"], c["DELETE /api_keys/{id}"])
				}
				return checkCredentials(srv, "api_keys", 0)(s)
			},
		}},
	})
}

// An ephemeral authtoken carries its bind rules and is revoked after the run.
func TestAccAuthtokenEphemeral_revokedAfterRun(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	// OpenTofu opens an ephemeral resource only when something uses it
	// (Terraform opens every one): the check below uses it.
	cfg := providerBlock(srv) + `
ephemeral "ngrok_authtoken" "agent" {
  owner_id = ngrok_service_user.ci.id
  acl      = ["bind:test.example.ngrok.app"]
}

resource "ngrok_service_user" "ci" {
  name = "ci"
}

resource "ngrok_service_user" "uses_token" {
  name = "uses-token"

  lifecycle {
    postcondition {
      condition     = length(ephemeral.ngrok_authtoken.agent.token) > 20
      error_message = "the ephemeral authtoken has no token"
    }
  }
}
`
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
