package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// Each kind of credential: one owner's (named by the other spelling of a bot
// user's ID), or a filter's; each result named by its description (else its
// ID) and owner, with the resource a read stores after an import: its token
// null.
func TestAccCredentialList_ownersAndFilters(t *testing.T) {
	accPreCheck(t)
	for _, k := range credentialKinds {
		t.Run(k.typeName(), func(t *testing.T) {
			srv := testEmulator(t)
			bot := srv.AddBotUser("legacy", true)
			service := "service_" + strings.TrimPrefix(bot.ID, "bot_")
			acl := []string(nil)
			if k.hasACL {
				acl = []string{"bind:x.example.com"}
			}
			mine, err := srv.AddCredential(string(k.collection), bot.ID, emulator.Credential{Description: "deploy", Metadata: "m", ACL: acl})
			if err != nil {
				t.Fatal(err)
			}
			unnamed, err := srv.AddCredential(string(k.collection), bot.ID, emulator.Credential{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := srv.AddCredential(string(k.collection), "", emulator.Credential{Description: "deploy"}); err != nil {
				t.Fatal(err)
			}
			query := fmt.Sprintf(`
list %[1]q "owned" {
  provider         = ngrok
  include_resource = true
  config {
    owner_id = %[2]q
  }
}

list %[1]q "deploy" {
  provider = ngrok
  config {
    filter = "obj.description == \"deploy\""
  }
}
`, k.typeName(), service)
			owned := k.typeName() + ".owned"
			byID := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(mine.ID)})
			values := []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("description"), KnownValue: knownvalue.StringExact("deploy")},
				{Path: tfjsonpath.New("metadata"), KnownValue: knownvalue.StringExact("m")},
				{Path: tfjsonpath.New("owner_id"), KnownValue: knownvalue.StringExact(bot.ID)},
				{Path: tfjsonpath.New("created_at"), KnownValue: knownvalue.StringExact(mine.CreatedAt.Format("2006-01-02T15:04:05Z"))},
				{Path: tfjsonpath.New("rotation_due_at"), KnownValue: knownvalue.Null()},
			}
			if k.hasToken {
				values = append(values, querycheck.KnownValueCheck{Path: tfjsonpath.New("token"), KnownValue: knownvalue.Null()})
			}
			if k.hasACL {
				values = append(values, querycheck.KnownValueCheck{Path: tfjsonpath.New("acl"),
					KnownValue: knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("bind:x.example.com")})})
			}
			queryCase(t, srv, query, []querycheck.QueryResultCheck{
				querycheck.ExpectLength(owned, 2),
				querycheck.ExpectLength(k.typeName()+".deploy", 2),
				querycheck.ExpectResourceDisplayName(owned, byID, knownvalue.StringExact("deploy (owner "+bot.ID+")")),
				querycheck.ExpectResourceDisplayName(owned,
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(unnamed.ID)}),
					knownvalue.StringExact(unnamed.ID+" (owner "+bot.ID+")")),
				querycheck.ExpectResourceKnownValues(owned, byID, values),
			}, func() error {
				if n := srv.RequestCounts()["GET /"+string(k.collection)]; n != 2 {
					return fmt.Errorf("%d list requests, want one for each list block", n)
				}
				return nil
			})
		})
	}
}

// An owner_id that is no user's ID, or a filter that does not compile, is
// refused before any request, naming the attribute.
func TestAccCredentialList_badConfiguration(t *testing.T) {
	accPreCheck(t)
	for name, tc := range map[string]struct{ config, want string }{
		"owner_id": {`owner_id = "ak_2Ym0JqvZKCkqbEDNIuCFxJkBZPu"`, `(?s)Invalid user ID.*is not a user ID`},
		"filter":   {`filter = "obj.description ==="`, `(?s)Invalid filter.*filter line 1`},
	} {
		t.Run(name, func(t *testing.T) { badQueryCase(t, "ngrok_api_key", tc.config, tc.want) })
	}
}
