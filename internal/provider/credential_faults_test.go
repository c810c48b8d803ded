package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// The fault matrix for credentials: every fault on the create of an API key
// ends with exactly one key, whose token is the one in state and works (a
// key made by a request whose reply was lost is revoked: its token is gone);
// every fault on a refresh is ridden out or reported with state kept; a key
// revoked outside Terraform is planned again.
func TestAccFaultMatrix_credentials(t *testing.T) {
	accPreCheck(t)
	for _, fc := range faultCases {
		t.Run(fc.name, func(t *testing.T) {
			srv, _ := steadyEmulator(t)
			config := credConfig(srv, "resource \"ngrok_api_key\" \"ci\" {\n  owner_id = ngrok_service_user.ci.id\n  description = \"matrix\"\n}\n")
			// A refresh reads keys from list pages, or one by one: both are hit.
			read := resource.TestStep{
				PreConfig: func() { inject(srv, fc.fault, "GET", "/api_keys")(); inject(srv, fc.fault, "GET", "/api_keys/{id}")() },
				Config:    config,
				PlanOnly:  true,
			}
			if fc.malformed {
				read.ExpectError = regexp.MustCompile(`(?s)Unable\s+to\s+read\s+API\s+key.*` + malformedError[4:])
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				CheckDestroy:             checkCredentials(srv, "api_keys", 0),
				Steps: []resource.TestStep{
					{
						PreConfig: inject(srv, fc.fault, "POST", "/api_keys"),
						Config:    config,
						Check:     resource.ComposeTestCheckFunc(checkCredentials(srv, "api_keys", 1), checkTokenWorks(srv, apiKeyAddr, nil)),
					},
					read,
					{PreConfig: srv.ClearFaults, Config: config, PlanOnly: true},
					{
						// Revoked behind Terraform's back: the plan creates it again.
						PreConfig: func() {
							for _, c := range srv.Credentials("api_keys") {
								_ = srv.DeleteCredential("api_keys", c.ID)
							}
						},
						Config:             config,
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
					},
				},
			})
		})
	}
}
