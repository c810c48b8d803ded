package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// An account of 250 users spans three pages; ngrok_users reads them all, and
// each filter narrows the result — through the API, in as many requests as
// the matching users need pages.
func TestAccUsersDataSource_pagesAndFilters(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	seeded := srv.SeedUsers(250, "seeded") // seeded-0001 … seeded-0250, newest last
	for i := 0; i < 250; i += 10 {
		if err := srv.SetActive(seeded[i].ID, false); err != nil {
			t.Fatal(err)
		}
	}
	ci := srv.AddUser("ci-deploy", true)
	srv.AddUser("ci-test", false)

	const listRoute = "GET /service_users"
	// Each step plans and applies a data source of its own, so the CLI reads
	// it the same number of times in every step (how many depends on the
	// CLI): the first step learns that number and every step must then have
	// made exactly reads × pages requests.
	reads := 0
	pagesRead := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			got := srv.RequestCounts()[listRoute]
			if got == 0 || got%want != 0 {
				return fmt.Errorf("%s requests = %d, want a multiple of %d pages per read", listRoute, got, want)
			}
			if reads == 0 {
				reads = got / want
			}
			if got != reads*want {
				return fmt.Errorf("%s requests = %d, want %d reads of %d pages", listRoute, got, reads, want)
			}
			return nil
		}
	}
	step := func(name, args string, count int, pages int, extra ...statecheck.StateCheck) resource.TestStep {
		return resource.TestStep{
			PreConfig: srv.ResetCounts,
			Config: providerBlock(srv) + fmt.Sprintf(`
data "ngrok_users" %[1]q {
  %[2]s
}
`, name, args),
			ConfigStateChecks: append([]statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ngrok_users."+name, tfjsonpath.New("users"), knownvalue.ListSizeExact(count)),
				statecheck.ExpectKnownValue("data.ngrok_users."+name, tfjsonpath.New("ids"), knownvalue.ListSizeExact(count)),
			}, extra...),
			Check: pagesRead(pages),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			step("all", "", 252, 3,
				// Newest first, as the API lists them.
				statecheck.ExpectKnownValue("data.ngrok_users.all", tfjsonpath.New("ids").AtSliceIndex(1), knownvalue.StringExact(ci.ID)),
				statecheck.ExpectKnownValue("data.ngrok_users.all", tfjsonpath.New("users").AtSliceIndex(1), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":         knownvalue.StringExact(ci.ID),
					"uri":        knownvalue.StringExact(srv.URL() + "/service_users/" + ci.ID),
					"name":       knownvalue.StringExact("ci-deploy"),
					"active":     knownvalue.Bool(true),
					"created_at": knownvalue.StringRegexp(regexp.MustCompile(`Z$`)),
					// The emulator reports roles, none for this user.
					"roles": knownvalue.SetExact([]knownvalue.Check{}),
				})),
				statecheck.ExpectKnownValue("data.ngrok_users.all", tfjsonpath.New("users").AtSliceIndex(251).AtMapKey("name"), knownvalue.StringExact("seeded-0001")),
			),
			step("by_name", `name = "ci-deploy"`, 1, 1,
				statecheck.ExpectKnownValue("data.ngrok_users.by_name", tfjsonpath.New("ids").AtSliceIndex(0), knownvalue.StringExact(ci.ID))),
			step("by_regex", `name_regex = "^ci-"`, 2, 1),
			step("by_regex_unanchored", `name_regex = "00[0-9]$"`, 9, 1),
			step("inactive", `active = false`, 26, 1),
			step("active", `active = true`, 226, 3),
			step("by_filter", `filter = "obj.name.startsWith('seeded-01')"`, 100, 1),
			// Inactive are seeded-0001, -0011, -0021 …; ten of them start with seeded-00.
			step("combined", `filter     = "obj.name.startsWith('seeded-')"
  active     = false
  name_regex = "^seeded-00"`, 10, 1),
			// A filter may end in a // comment: it comments out neither the
			// parenthesis that closes the filter nor the terms after it.
			step("commented", `filter = "obj.active // all active"`, 226, 3),
			// seeded-0101, -0111 … -0191 are the inactive ones of the 0100s.
			step("commented_combined", `filter = "obj.name.startsWith('seeded-01') // the 0100s"
  active = false`, 10, 1,
				statecheck.ExpectKnownValue("data.ngrok_users.commented_combined", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("seeded-0191"))),
			step("nothing", `name = "nobody"`, 0, 1),
		},
	})
}

func TestAccUsersDataSource_badInput(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	srv.SeedUsers(3, "x")
	cases := []struct{ name, args, want string }{
		{"bad regex", `name_regex = "("`, `(?s)Invalid name_regex.*missing closing`},
		{"empty filter", `filter = "  "`, `Empty filter`},
		// A filter that does not compile is refused before any request;
		// one that compiles but that ngrok refuses (obj.name is no bool) is
		// reported in the user's own terms.
		{"filter that does not compile", `filter = "obj.name =="
  active = true`, `(?s)Invalid filter.*filter\s+line\s+1,\s+column\s+12`},
		{"filter of the wrong type", `filter = "obj.name"`, `(?s)Unable to list service users.*ERR_NGROK_230`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config: providerBlock(srv) + fmt.Sprintf(`
data "ngrok_users" "x" {
  %[1]s
}
`, tc.args),
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// The ngrok_users example says what reaches the API: applied as written, each
// data source sends one list request, every filter it sets goes in that
// request's CEL expression (the one its comment quotes, where it quotes one),
// and none is applied only locally.
func TestAccUsersDataSource_exampleAsDocumented(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	srv.AddUser("ci-deploy", true)
	srv.AddUser("agent-1", true)
	var mu sync.Mutex
	var filters []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/service_users" {
			mu.Lock()
			filters = append(filters, r.URL.Query().Get("filter"))
			mu.Unlock()
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)

	example := exampleHCL(t, "data-sources/ngrok_users", "data-source.tf")
	if strings.Contains(strings.ToLower(example), "locally") {
		t.Error("the example says a filter is applied locally; every filter is sent to the API")
	}
	quoted := regexp.MustCompile(`(?m)^#\s{3}(obj\..+)$`).FindAllStringSubmatch(example, -1)
	if len(quoted) != 2 {
		t.Fatalf("the example quotes %d CEL expressions, want 2", len(quoted))
	}
	config := fmt.Sprintf(`
provider "ngrok" {
  api_key      = %[1]q
  api_base_url = %[2]q
}
`, srv.APIKey(), proxy.URL) + example
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ngrok_users.ci", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.ngrok_users.agents", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
			},
		}},
	})

	mu.Lock()
	defer mu.Unlock()
	// Terraform reads the data sources more than once (plan, apply, the
	// check for an empty plan after): count kinds of request, not requests.
	seen := map[string]int{}
	for _, f := range filters {
		seen[f]++
	}
	if len(seen) != 4 || seen[""] == 0 {
		t.Fatalf("list requests carried filters %q, want four kinds: one without a filter (all) and one per filtered data source", filters)
	}
	for _, q := range quoted {
		if seen[q[1]] == 0 {
			t.Errorf("the example says %q is sent, but the requests carried %q", q[1], filters)
		}
	}
	if seen["(\n"+`obj.name.startsWith("agent-") && obj.active`+"\n)"] == 0 {
		t.Errorf("the filter attribute was not sent as written: %q", filters)
	}
}

// An API that answers every request with a 429 (the account's limit, used
// up by others) is waited out only as long as the read's timeout: the read
// then fails, naming the rate limit, instead of reading for as long as CI
// lets it.
func TestAccUsersDataSource_readTimesOut(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	srv.AddFault(emulator.Fault{Kind: emulator.FaultRateLimit, Times: 0})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + `
data "ngrok_users" "all" {
  timeouts {
    read = "3s"
  }
}
`,
			ExpectError: regexp.MustCompile(`(?s)Unable to list service users.*429 ERR_NGROK_226.*rate\s+limit`),
		}},
	})
}

// include_bot_users lists every user once, whether or not /service_users
// lists the bot users too; it refuses filter, which /bot_users lacks.
func TestAccUsersDataSource_includeBotUsers(t *testing.T) {
	accPreCheck(t)
	for _, separate := range []bool{false, true} {
		t.Run(fmt.Sprintf("separate_collections=%t", separate), func(t *testing.T) {
			srv := testEmulatorWith(t, func(o *emulator.Options) { o.SeparateCollections = separate })
			srv.AddUser("service", true)
			srv.AddBotUser("legacy", true)
			srv.AddBotUser("legacy-off", false)
			withoutBots := 3
			if separate {
				withoutBots = 1
			}
			cfg := providerBlock(srv) + `
data "ngrok_users" "plain" {}
data "ngrok_users" "all" {
  include_bot_users = true
}
data "ngrok_users" "active" {
  include_bot_users = true
  active            = true
}
`
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{
					{
						Config: providerBlock(srv) + `
data "ngrok_users" "x" {
  include_bot_users = true
  filter            = "obj.active"
}
`,
						ExpectError: regexp.MustCompile(`filter and include_bot_users together`),
					},
					{
						Config: cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.ngrok_users.plain", tfjsonpath.New("ids"), knownvalue.ListSizeExact(withoutBots)),
							statecheck.ExpectKnownValue("data.ngrok_users.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
							statecheck.ExpectKnownValue("data.ngrok_users.active", tfjsonpath.New("ids"), knownvalue.ListSizeExact(2)),
						},
					},
				},
			})
		})
	}
}

// The data sources show the roles ngrok reports, null where it reports
// none, and ngrok_users selects by role.
func TestAccUsersDataSource_roles(t *testing.T) {
	accPreCheck(t)
	for _, inReplies := range []bool{true, false} {
		t.Run(fmt.Sprint("roles_in_replies=", inReplies), func(t *testing.T) {
			srv := rolesEmulator(t, inReplies)
			reader := srv.AddUser("reader", true)
			if err := srv.SetRoles(reader.ID, []string{"developer-readonly"}); err != nil {
				t.Fatal(err)
			}
			srv.AddUser("plain", true)
			roles := knownvalue.Check(knownvalue.Null())
			readers := 0
			if inReplies {
				roles = knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("developer-readonly")})
				readers = 1
			}
			cfg := providerBlock(srv) + fmt.Sprintf(`
data "ngrok_users" "readers" {
  role = "developer-readonly"
}
data "ngrok_service_user" "reader" {
  id = %q
}
`, reader.ID)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config: cfg,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.ngrok_users.readers", tfjsonpath.New("ids"), knownvalue.ListSizeExact(readers)),
						statecheck.ExpectKnownValue("data.ngrok_service_user.reader", tfjsonpath.New("roles"), roles),
					},
				}},
			})
		})
	}
}
