package provider

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// The list data sources: one owner's credentials (by either spelling of a
// bot user), a CEL filter, and never a token, not even of an authtoken.
func TestAccCredentialsDataSources(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	bot := srv.AddBotUser("legacy", true)
	other := srv.AddUser("other", true)
	for _, owner := range []string{bot.ID, bot.ID, other.ID} {
		if _, err := srv.AddCredential("api_keys", owner, emulator.Credential{Description: "ci-" + owner[:4]}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.AddCredential("ssh_credentials", other.ID, emulator.Credential{Description: "ssh"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddCredential("credentials", bot.ID, emulator.Credential{Description: "agent"}); err != nil {
		t.Fatal(err)
	}
	service := "service_" + strings.TrimPrefix(bot.ID, "bot_")
	cfg := providerBlock(srv) + fmt.Sprintf(`
data "ngrok_api_keys" "bot" {
  owner_id = %q
}
data "ngrok_api_keys" "filtered" {
  filter = "obj.description.startsWith(\"ci-serv\") // a comment"
}
data "ngrok_ssh_credentials" "all" {}
data "ngrok_authtokens" "bot" {
  owner_id = %q
}
`, service, service)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ngrok_api_keys.bot", tfjsonpath.New("ids"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue("data.ngrok_api_keys.filtered", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.ngrok_ssh_credentials.all", tfjsonpath.New("ssh_credentials").AtSliceIndex(0).AtMapKey("public_key"),
					knownvalue.StringRegexp(regexp.MustCompile(`^ssh-`))),
				statecheck.ExpectKnownValue("data.ngrok_authtokens.bot", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
			},
			Check: func(s *terraform.State) error {
				for addr, rs := range s.RootModule().Resources {
					for name := range rs.Primary.Attributes {
						if name == "token" || strings.HasSuffix(name, ".token") {
							return fmt.Errorf("%s has an attribute %s", addr, name)
						}
					}
				}
				return nil
			},
		}},
	})
}

// A filter the API refuses is reported at the user's own line and column.
func TestAccCredentialsDataSource_filterErrorInUserTerms(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + `
data "ngrok_ssh_credentials" "x" {
  owner_id = "service_2abc"
  filter   = "obj.description == 'ci' &&\n  obj.descrption == 'x'"
}
`,
			ExpectError: regexp.MustCompile(`(?s)Unable to list SSH credentials.*ERR_NGROK_230.*filter\s+line\s+2,\s+column\s+6:\s+undefined\s+field\s+'descrption'`),
		}},
	})
}

// The three data sources' examples, as the docs show them, against what
// they promise: the keys of a user that no configuration manages, the bind
// rules of the authtokens a filter selects, and a user's SSH keys as an
// authorized_keys file.
func TestAccCredentialsDataSources_examples(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	edge, err := srv.AddCredential("credentials", "", emulator.Credential{Description: "edge-agents", ACL: []string{"bind:edge.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddCredential("credentials", "", emulator.Credential{Description: "ci-agents"}); err != nil {
		t.Fatal(err)
	}
	managed := credConfig(srv, `
resource "ngrok_api_key" "ci" {
  owner_id = ngrok_service_user.ci.id
}
`)
	examples := managed + exampleHCL(t, "data-sources/ngrok_api_keys", "data-source.tf") +
		exampleHCL(t, "data-sources/ngrok_authtokens", "data-source.tf") +
		exampleHCL(t, "data-sources/ngrok_ssh_credentials", "data-source.tf")
	var userID string
	var laptop, byHand emulator.Credential
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				// In one apply with the managed key, whether the data source
				// is read before the key exists or after.
				Config: examples,
				Check: resource.ComposeTestCheckFunc(
					checkOutput("unmanaged_ci_api_keys", []any{}),
					checkOutput("edge_authtoken_acls", map[string]any{edge.ID: []any{"bind:edge.example.com"}}),
					checkOutput("ci_ssh_authorized_keys", ""),
					func(s *terraform.State) error {
						userID, err = attrOf(s, "ngrok_service_user.ci", "id")
						return err
					},
				),
			},
			{
				// An SSH key and an API key made by hand for the same user.
				PreConfig: func() {
					if laptop, err = srv.AddCredential("ssh_credentials", userID, emulator.Credential{Description: "laptop"}); err != nil {
						t.Fatal(err)
					}
					if byHand, err = srv.AddCredential("api_keys", userID, emulator.Credential{Description: "by hand"}); err != nil {
						t.Fatal(err)
					}
				},
				Config: examples,
				Check: func(s *terraform.State) error {
					return errors.Join(
						checkOutput("unmanaged_ci_api_keys", []any{byHand.ID})(s),
						checkOutput("ci_ssh_authorized_keys", laptop.PublicKey)(s),
					)
				},
			},
		},
	})
}
