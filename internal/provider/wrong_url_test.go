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
	wrongGet := strings.Replace(wrong, "api_base_url", "refresh_mode = \"get\"\n  api_base_url", 1)
	unserved := regexp.MustCompile(`(?s)does\s+not\s+serve\s+/service_users.*Check\s+api_base_url`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: good, Check: checkUserInEmulator(srv, "kept", true)},
			{Config: wrong, PlanOnly: true, ExpectError: unserved},
			{Config: wrongGet, PlanOnly: true, ExpectError: unserved},
			{Config: wrong, Destroy: true, ExpectError: unserved},
			{Config: good, PlanOnly: true}, // the state survived: nothing to create
			{Config: good, Check: resource.ComposeAggregateTestCheckFunc(checkUserInEmulator(srv, "kept", true), checkOneUser(srv, "kept"))},
		},
	})
}
