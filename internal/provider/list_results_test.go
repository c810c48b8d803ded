package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

func TestListPageSize(t *testing.T) {
	for limit, want := range map[int64]int{0: 0, 1: 1, 5: 5, 99: 99, 100: 0, 1000: 0, -1: 0} {
		if got := listPageSize(limit); got != want {
			t.Errorf("listPageSize(%d) = %d, want %d", limit, got, want)
		}
	}
}

// The list resources' examples, as the docs show them, find what they say.
func TestAccListResources_examples(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	srv.SeedUsers(3, "seeded")
	ci := srv.AddUser("ci-deploy", true)
	srv.AddUser("ci-preview", false)
	legacy := srv.AddBotUser("ci-legacy", true)
	for _, c := range []struct {
		col, owner, desc string
	}{
		{"api_keys", ci.ID, "deploy"}, {"api_keys", legacy.ID, "legacy"}, {"api_keys", "", "mine"},
		{"credentials", ci.ID, "ci-agent"}, {"credentials", ci.ID, "dev laptop"},
		{"ssh_credentials", ci.ID, "build runner"}, {"ssh_credentials", "", "mine"},
	} {
		if _, err := srv.AddCredential(c.col, c.owner, emulator.Credential{Description: c.desc}); err != nil {
			t.Fatal(err)
		}
	}
	var query string
	for _, typ := range []string{"ngrok_service_user", "ngrok_api_key", "ngrok_authtoken", "ngrok_ssh_credential"} {
		query += exampleHCL(t, "list-resources/"+typ, "list-resource.tfquery.hcl")
	}
	config := providerBlock(srv) + fmt.Sprintf(`
variable "ci_user_id" {
  default = %[1]q
}
`, ci.ID)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   queryVersionChecks(t),
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: config},
			{Query: true, Config: query, QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("ngrok_service_user.all", 6),
				querycheck.ExpectLength("ngrok_service_user.ci", 2), // ci-deploy and the bot user ci-legacy
				querycheck.ExpectIdentity("ngrok_service_user.ci", map[string]knownvalue.Check{"id": knownvalue.StringExact(legacy.ID)}),
				querycheck.ExpectLength("ngrok_api_key.ci", 1),
				querycheck.ExpectLength("ngrok_authtoken.ci", 1),
				querycheck.ExpectResourceDisplayName("ngrok_authtoken.ci", queryfilter.ByDisplayName(knownvalue.StringRegexp(regexp.MustCompile("^ci-agent "))),
					knownvalue.StringExact("ci-agent (owner "+ci.ID+")")),
				querycheck.ExpectLength("ngrok_ssh_credential.all", 2),
			}},
		},
	})
}
