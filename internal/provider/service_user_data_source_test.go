package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccServiceUserDataSource(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	srv.SeedUsers(120, "filler")
	one := srv.AddUser("unique", true)
	srv.AddUser("twin", true)
	srv.AddUser("twin", false)
	srv.AddUser("twin", true)

	// config is the data source with the given attributes, a line each.
	config := func(attrs ...string) string {
		return providerBlock(srv) + fmt.Sprintf(`
data "ngrok_service_user" "u" {
  %[1]s
}
`, strings.Join(attrs, "\n  "))
	}
	expectUser := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.ngrok_service_user.u", tfjsonpath.New("id"), knownvalue.StringExact(one.ID)),
		statecheck.ExpectKnownValue("data.ngrok_service_user.u", tfjsonpath.New("name"), knownvalue.StringExact("unique")),
		statecheck.ExpectKnownValue("data.ngrok_service_user.u", tfjsonpath.New("active"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.ngrok_service_user.u", tfjsonpath.New("uri"), knownvalue.StringExact(srv.URL()+"/service_users/"+one.ID)),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: config(`name = "twin"`), ExpectError: regexp.MustCompile(`(?s)ambiguous.*3 service\s+users\s+are\s+named\s+"twin"`)},
			{Config: config(`name = "nobody"`), ExpectError: regexp.MustCompile(`(?s)not found.*0 matches`)},
			{Config: config(`id = "service_2zzzzzzzzzzzzzzzzzzzzzzzzzz"`), ExpectError: regexp.MustCompile(`(?s)Service user not found.*no service user with ID`)},
			{Config: config(`id = "user_123"`), ExpectError: regexp.MustCompile(`(?s)Invalid service user ID.*is not a service user ID`)},
			{Config: config(`name = ""`), ExpectError: regexp.MustCompile(`Empty name`)},
			{Config: config(`id = "x"`, `name = "y"`), ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`)},
			{Config: config(), ExpectError: regexp.MustCompile(`(?s)Missing Attribute Configuration`)},
			// Valid steps last: the test ends by destroying with the last configuration.
			{Config: config(`name = "unique"`), ConfigStateChecks: expectUser},
			{Config: config(fmt.Sprintf(`id = %q`, one.ID)), ConfigStateChecks: expectUser},
		},
	})
}
