package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// listRequests fails unless the query sent exactly n list requests of
// route, and nothing else.
func listRequests(srv *emulator.Server, route string, n int) func() error {
	return func() error {
		counts := srv.RequestCounts()
		if counts["GET "+route] != n || srv.TotalRequests() != n {
			return fmt.Errorf("requests %v; want %d of GET %s and nothing else", counts, n, route)
		}
		return nil
	}
}

// Every service user, with the resource a read would store: identity,
// display name and attributes, page by page. 1,000 users are 10 list
// requests of 100.
func TestAccServiceUserList_everyUser(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	users := srv.SeedUsers(1000, "seeded")
	if err := srv.SetActive(users[0].ID, false); err != nil {
		t.Fatal(err)
	}
	first, _ := srv.GetUser(users[0].ID)
	query := `
list "ngrok_service_user" "all" {
  provider         = ngrok
  include_resource = true
  limit            = 1000
}
`
	byID := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(first.ID)})
	queryCase(t, srv, query, []querycheck.QueryResultCheck{
		querycheck.ExpectLength("ngrok_service_user.all", 1000),
		querycheck.ExpectIdentity("ngrok_service_user.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(first.ID)}),
		querycheck.ExpectResourceDisplayName("ngrok_service_user.all", byID, knownvalue.StringExact("seeded-0001")),
		querycheck.ExpectResourceKnownValues("ngrok_service_user.all", byID, []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("seeded-0001")},
			{Path: tfjsonpath.New("active"), KnownValue: knownvalue.Bool(false)},
			{Path: tfjsonpath.New("uri"), KnownValue: knownvalue.StringExact(srv.URL() + "/service_users/" + first.ID)},
			{Path: tfjsonpath.New("created_at"), KnownValue: knownvalue.StringExact(first.CreatedAt.Format("2006-01-02T15:04:05Z"))},
		}),
	}, listRequests(srv, "/service_users", 10))
}

// A limit takes what it needs: five users are one request of five, and 150
// are two requests, the second of which Terraform stops reading halfway: no
// third page is fetched.
func TestAccServiceUserList_limit(t *testing.T) {
	accPreCheck(t)
	for _, tc := range []struct{ limit, requests int }{{5, 1}, {150, 2}} {
		t.Run(fmt.Sprint("limit=", tc.limit), func(t *testing.T) {
			srv := testEmulator(t)
			srv.SeedUsers(1000, "seeded")
			query := fmt.Sprintf(`
list "ngrok_service_user" "some" {
  provider = ngrok
  limit    = %[1]d
}
`, tc.limit)
			queryCase(t, srv, query, []querycheck.QueryResultCheck{
				querycheck.ExpectLength("ngrok_service_user.some", tc.limit),
			}, listRequests(srv, "/service_users", tc.requests))
		})
	}
}

// The filters mean what they mean in ngrok_users, and include_bot_users
// finds a stray bot user wherever the API lists it.
func TestAccServiceUserList_filters(t *testing.T) {
	accPreCheck(t)
	srv := testEmulatorWith(t, func(o *emulator.Options) { o.SeparateCollections = true })
	deploy := srv.AddUser("ci-deploy", true)
	preview := srv.AddUser("ci-preview", false)
	srv.AddUser("ops", true)
	bot := srv.AddBotUser("ci-legacy", true)
	query := `
list "ngrok_service_user" "ci_active" {
  provider = ngrok
  config {
    name_regex = "^ci-"
    active     = true
  }
}

list "ngrok_service_user" "by_filter" {
  provider = ngrok
  config {
    filter = "obj.name.endsWith(\"preview\")"
  }
}

list "ngrok_service_user" "with_bots" {
  provider = ngrok
  config {
    name_regex        = "^ci-"
    include_bot_users = true
  }
}
`
	queryCase(t, srv, query, []querycheck.QueryResultCheck{
		querycheck.ExpectLength("ngrok_service_user.ci_active", 1),
		querycheck.ExpectIdentity("ngrok_service_user.ci_active", map[string]knownvalue.Check{"id": knownvalue.StringExact(deploy.ID)}),
		querycheck.ExpectLength("ngrok_service_user.by_filter", 1),
		querycheck.ExpectIdentity("ngrok_service_user.by_filter", map[string]knownvalue.Check{"id": knownvalue.StringExact(preview.ID)}),
		querycheck.ExpectLength("ngrok_service_user.with_bots", 3),
		querycheck.ExpectIdentity("ngrok_service_user.with_bots", map[string]knownvalue.Check{"id": knownvalue.StringExact(bot.ID)}),
	}, func() error {
		// One page of service users per list block; with_bots also reads
		// the one page of bot users (the collections are separate here).
		counts := srv.RequestCounts()
		if counts["GET /service_users"] != 3 || counts["GET /bot_users"] != 1 || srv.TotalRequests() != 4 {
			return fmt.Errorf("requests %v; want 3 of GET /service_users, 1 of GET /bot_users and nothing else", counts)
		}
		return nil
	})
}

// Configuration that could only fail is refused before any request, naming
// the attribute: a regular expression or a CEL filter that does not compile.
func TestAccServiceUserList_badConfiguration(t *testing.T) {
	accPreCheck(t)
	for name, tc := range map[string]struct{ config, want string }{
		"name_regex": {`name_regex = "(ci"`, `Invalid name_regex`},
		"filter":     {`filter = "obj.name =="`, `(?s)Invalid filter.*filter line 1, column 12`},
		"together": {`filter            = "obj.active"
    include_bot_users = true`, `filter and include_bot_users together`},
	} {
		t.Run(name, func(t *testing.T) { badQueryCase(t, "ngrok_service_user", tc.config, tc.want) })
	}
}
