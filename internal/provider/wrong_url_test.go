package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// ngrok answers a path it does not serve with the same 404 as an unknown
// user. A wrong api_base_url path must therefore fail the plan, not plan to
// recreate every user, and must fail a destroy, not forget users that live on.
func TestAccServiceUser_wrongBaseURLPathLosesNothing(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	good := userConfig(srv, "kept", nil)
	wrong := strings.Replace(good, srv.URL(), srv.URL()+"/v2", 1)
	wrongGet := strings.Replace(wrong, "api_base_url", `refresh_mode = "get"`+"\n  api_base_url", 1)
	unserved := regexp.MustCompile(`(?s)does\s+not\s+serve\s+/service_users.*Check\s+api_base_url`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: good, Check: checkUserInEmulator(srv, "kept", true)},
			{Config: wrong, PlanOnly: true, ExpectError: unserved},
			{Config: wrongGet, PlanOnly: true, ExpectError: unserved},
			{Config: wrong, Destroy: true, ExpectError: unserved},
			{Config: good, PlanOnly: true}, // the state survived: nothing to create
			{Config: good, Check: checkUserInEmulator(srv, "kept", true)},
		},
	})
}

// Behind a wrong path, every operation of users and credentials says that the
// collection is not served, with the full URL it called and where the base
// URL came from: a create as well as a read.
func TestAccWrongBaseURLPath_everyOperationSaysSo(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	base := srv.URL() + "/v1"
	provider := strings.Replace(providerBlock(srv), srv.URL(), base, 1)
	unserved := func(col string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)URL\s+called\s+was\s+` + regexp.QuoteMeta(base+"/"+col) + `,.*` + regexp.QuoteMeta(base) +
			`\s+\(from\s+api_base_url\)\s+does\s+not\s+serve\s+/` + col + `.*Check\s+api_base_url:`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: provider + ciUser, ExpectError: unserved("service_users")},
			{
				Config: provider + `
resource "ngrok_api_key" "ci" {
  description = "ci"
}
`,
				ExpectError: unserved("api_keys"),
			},
			{Config: provider + `data "ngrok_users" "all" {}`, ExpectError: unserved("service_users")},
			{Config: provider + `data "ngrok_authtokens" "all" {}`, ExpectError: unserved("credentials")},
		},
	})
	if n := len(srv.Users()); n != 0 {
		t.Errorf("%d users created through a wrong path", n)
	}
}
