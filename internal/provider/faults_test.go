package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// faultCase is one row of the fault matrix: a fault the API (or the network)
// inflicts, and whether the provider rides it out or must report it.
type faultCase struct {
	name  string
	fault emulator.Fault
	// malformed faults are replies that promise success but are not what the
	// API documents. An idempotent operation cannot trust them and reports a
	// clear error, keeping the prior state; a create adopts the user the API
	// says it made.
	malformed bool
}

var faultCases = []faultCase{
	{name: "503 burst", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 503, Times: 3}},
	{name: "500 burst", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 500, Times: 2}},
	{name: "429 storm", fault: emulator.Fault{Kind: emulator.FaultRateLimit, Times: 5}},
	{name: "proxy HTML page", fault: emulator.Fault{Kind: emulator.FaultHTML, Times: 2}},
	{name: "latency", fault: emulator.Fault{Kind: emulator.FaultLatency, Delay: 300 * time.Millisecond, Times: 2}},
	{name: "connection dropped before processing", fault: emulator.Fault{Kind: emulator.FaultDropBeforeProcess, Times: 2}},
	{name: "connection dropped after processing", fault: emulator.Fault{Kind: emulator.FaultDropAfterProcess, Times: 1}},
	{name: "garbage body", fault: emulator.Fault{Kind: emulator.FaultGarbage, Times: 1}, malformed: true},
	{name: "truncated body", fault: emulator.Fault{Kind: emulator.FaultTruncated, Times: 1}, malformed: true},
	{name: "huge body", fault: emulator.Fault{Kind: emulator.FaultHuge, Times: 1}, malformed: true},
	{name: "wrong JSON types", fault: emulator.Fault{Kind: emulator.FaultWrongTypes, Times: 1}, malformed: true},
	{name: "2xx without an id", fault: emulator.Fault{Kind: emulator.FaultMissingID, Times: 1}, malformed: true},
}

const malformedError = `(?s)could\s+not\s+be\s+understood.*operation\s+ID\s+op_`

// TestAccFaultMatrix runs every fault against every operation, one
// operation after another on one user. The outcome is always one of two:
// success with exactly the users the configuration asks for, or a clear error
// (with the operation ID) after which nothing is lost and the next apply
// converges.
func TestAccFaultMatrix(t *testing.T) {
	accPreCheck(t)
	for _, fc := range faultCases {
		t.Run(fc.name, func(t *testing.T) {
			srv, _ := steadyEmulator(t)
			steps := []resource.TestStep{faultOnCreate(srv, fc)}
			steps = append(steps, faultOnRead(srv, fc)...)
			steps = append(steps, faultOnUpdate(srv, fc)...)
			steps = append(steps, faultOnDelete(srv, fc))
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				CheckDestroy:             checkUserCount(srv, 0),
				Steps:                    steps,
			})
		})
	}
}

// A create always ends with exactly one user in the API and in state: the
// client retries what the API did not act on, and adopts what it did.
func faultOnCreate(srv *emulator.Server, fc faultCase) resource.TestStep {
	return resource.TestStep{
		PreConfig: inject(srv, fc.fault, "POST", "/service_users"),
		Config:    userConfig(srv, "matrix", nil),
		Check:     checkUserInEmulator(srv, "matrix", true),
	}
}

// A refresh rides out transient faults; a malformed reply fails the plan
// clearly, and state is untouched: the next plan is empty. The fault hits
// every GET, the list pages a refresh reads as well as single users.
func faultOnRead(srv *emulator.Server, fc faultCase) []resource.TestStep {
	config := userConfig(srv, "matrix", nil)
	faulty := resource.TestStep{
		PreConfig: inject(srv, fc.fault, "GET", ""),
		Config:    config,
		PlanOnly:  true,
	}
	if fc.malformed {
		faulty.ExpectError = regexp.MustCompile(`(?s)Unable\s+to\s+read\s+service\s+user.*` + malformedError[4:])
	}
	return []resource.TestStep{
		faulty,
		{PreConfig: srv.ClearFaults, Config: config, PlanOnly: true},
	}
}

// An update is idempotent: transient faults are retried; a malformed reply
// is an error that keeps the prior state, and the next apply converges.
func faultOnUpdate(srv *emulator.Server, fc faultCase) []resource.TestStep {
	faulty := resource.TestStep{
		PreConfig: inject(srv, fc.fault, "PATCH", "/service_users/{id}"),
		Config:    userConfig(srv, "matrix-renamed", nil),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
		},
		Check: checkUserInEmulator(srv, "matrix-renamed", true),
	}
	if fc.malformed {
		faulty.Check = nil
		faulty.ExpectError = regexp.MustCompile(`(?s)Unable\s+to\s+update\s+service\s+user.*` + malformedError[4:])
	}
	return []resource.TestStep{
		faulty,
		{Config: userConfig(srv, "matrix-renamed", nil), Check: checkUserInEmulator(srv, "matrix-renamed", true)},
	}
}

// A delete is idempotent, and a user already gone is deleted.
func faultOnDelete(srv *emulator.Server, fc faultCase) resource.TestStep {
	return resource.TestStep{
		PreConfig: inject(srv, fc.fault, "DELETE", "/service_users/{id}"),
		Config:    providerBlock(srv),
		Check:     checkUserCount(srv, 0),
	}
}

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
			config := credConfig(srv, `
resource "ngrok_api_key" "ci" {
  owner_id    = ngrok_service_user.ci.id
  description = "matrix"
}
`)
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
								if err := srv.DeleteCredential("api_keys", c.ID); err != nil {
									t.Fatal(err)
								}
							}
						},
						Config:             config,
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
						ConfigPlanChecks:   driftPlan(apiKeyAddr, plancheck.ResourceActionCreate),
					},
				},
			})
		})
	}
}

// Forty users applied against an account limit far below what the apply
// needs: the shared pacer keeps under it, and every user is created once.
func TestAccRateLimit_fortyUsersUnderATightLimit(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	srv.SetRateLimit(20, time.Second)
	// The test provider's "minute" is a second (see testProvider).
	fortyUsersUnderALimit(t, srv, manyUsersConfig(srv, 40, "max_requests_per_minute = 20"), func() error {
		if n := srv.RateLimited(); n != 0 {
			return fmt.Errorf("the emulator refused %d requests: the pacer let the apply exceed the limit", n)
		}
		return nil
	})
}

// The same apply when something else shares the account: the provider's own
// budget is too generous, 429s happen, and still no apply fails and no user
// is created twice.
func TestAccRateLimit_429sAreAbsorbed(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	srv.SetRateLimit(10, 500*time.Millisecond)
	// Twice what the account allows (per second, in tests).
	fortyUsersUnderALimit(t, srv, manyUsersConfig(srv, 40, "max_requests_per_minute = 40", "max_retries = 30"), func() error {
		if srv.RateLimited() == 0 {
			return fmt.Errorf("no request was rate limited, so this test proved nothing")
		}
		return nil
	})
}

func fortyUsersUnderALimit(t *testing.T, srv *emulator.Server, config string, check func() error) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeTestCheckFunc(
				checkUserCount(srv, 40),
				func(*terraform.State) error { return check() },
			),
		}},
	})
}
