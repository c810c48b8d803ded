package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// The identity tests run on CLIs with resource identity (Terraform and
// OpenTofu >= 1.12); identityVersionChecks skips them elsewhere. The same
// configurations without identity run everywhere in user_resource_test.go
// and bot_user_resource_test.go.

// The identity is set on create and kept, unchanged, through an update in
// place and a refresh that finds drift; the framework's import by identity
// round-trips it.
func TestAccServiceUser_identity(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   identityVersionChecks(),
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []resource.TestStep{
			{
				Config: userConfig(srv, "ci-identity", nil),
				ConfigStateChecks: append(hasIdentity(userAddr, knownvalue.StringRegexp(serviceIDPattern)),
					sameID.AddStateValue(userAddr, tfjsonpath.New("id"))),
			},
			{
				Config: userConfig(srv, "ci-identity-renamed", ptr(false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: append(hasIdentity(userAddr, knownvalue.StringRegexp(serviceIDPattern)),
					sameID.AddStateValue(userAddr, tfjsonpath.New("id"))),
				Check: checkUserInEmulator(srv, "ci-identity-renamed", false),
			},
			{
				// Drift: the refresh reads the new name under the same identity.
				PreConfig: func() {
					for _, u := range srv.Users() {
						if err := srv.Rename(u.ID, "renamed-by-hand"); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config: userConfig(srv, "ci-identity-renamed", ptr(false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: append(hasIdentity(userAddr, knownvalue.StringRegexp(serviceIDPattern)),
					sameID.AddStateValue(userAddr, tfjsonpath.New("id"))),
			},
			{
				// An import block with identity = { id = … } taken from the
				// state; the framework fails unless the plan is a no-op with
				// the same identity.
				Config:          userConfig(srv, "ci-identity-renamed", ptr(false)),
				ResourceName:    userAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// Adopting a user made by hand with an import block that names it by
// identity: nothing is written to the API, and the plan afterwards is clean.
func TestAccServiceUser_importByIdentityBlock(t *testing.T) {
	accPreCheck(t)
	for name, existing := range map[string]func(*emulator.Server) emulator.User{
		"service ID":    func(srv *emulator.Server) emulator.User { return srv.AddUser("made-by-hand", false) },
		"legacy bot ID": func(srv *emulator.Server) emulator.User { return srv.AddBotUser("legacy-by-hand", false) },
	} {
		t.Run(name, func(t *testing.T) {
			srv := testEmulator(t)
			user := existing(srv)
			config := userConfig(srv, user.Name, ptr(false)) + importByIdentity(userAddr, user.ID)
			resource.ParallelTest(t, resource.TestCase{
				TerraformVersionChecks:   identityVersionChecks(),
				ProtoV6ProviderFactories: protoV6Factories,
				CheckDestroy:             checkUserCount(srv, 0),
				Steps: []resource.TestStep{
					{
						PreConfig: srv.ResetCounts,
						Config:    config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionNoop)},
						},
						ConfigStateChecks: append(hasIdentity(userAddr, knownvalue.StringExact(user.ID)),
							statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("name"), knownvalue.StringExact(user.Name))),
						Check: checkRequests(srv, noWrites),
					},
					{Config: config, PlanOnly: true},
				},
			})
		})
	}
}

// The docs' import-by-identity examples work as written, once their example
// ID is swapped for a real user's.
func TestAccExamples_importByIdentity(t *testing.T) {
	accPreCheck(t)
	cases := []struct {
		typ, addr, exampleID string
		existing             func(*emulator.Server) emulator.User
	}{
		{"ngrok_service_user", "ngrok_service_user.ci", "service_32ELIFubEAAGUeRtreNW6kr94Od",
			func(srv *emulator.Server) emulator.User { return srv.AddUser("ci-deploy", true) }},
		{"ngrok_bot_user", "ngrok_bot_user.legacy", "bot_2aBcDeFgHiJkLmNoPqRsTuVwXyZ",
			func(srv *emulator.Server) emulator.User { return srv.AddBotUser("legacy-deployer", true) }},
	}
	for _, tc := range cases {
		t.Run(tc.typ, func(t *testing.T) {
			example := exampleHCL(t, "resources/"+tc.typ, "import-by-identity.tf")
			if !strings.Contains(example, tc.exampleID) {
				t.Fatalf("the example no longer holds the ID %s this test replaces", tc.exampleID)
			}
			srv := testEmulator(t)
			user := tc.existing(srv)
			resource.ParallelTest(t, resource.TestCase{
				TerraformVersionChecks:   identityVersionChecks(),
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config: providerBlock(srv) + strings.ReplaceAll(example, tc.exampleID, user.ID),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tc.addr, plancheck.ResourceActionNoop)},
					},
					ConfigStateChecks: hasIdentity(tc.addr, knownvalue.StringExact(user.ID)),
				}},
			})
		})
	}
}

// A malformed ID in an identity is refused before any request, as a plain
// import ID is.
func TestAccServiceUser_badImportIdentity(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   identityVersionChecks(),
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config:      userConfig(srv, "imported", nil) + importByIdentity(userAddr, "usr_123"),
			ExpectError: regexp.MustCompile(`(?s)Invalid import identity.*"usr_123" is not a service\s+user ID`),
		}},
	})
	if n := srv.TotalRequests(); n != 0 {
		t.Errorf("an invalid import identity reached the API %d times; it must be refused first", n)
	}
}

// ngrok_bot_user has the same identity, and a moved block to
// ngrok_service_user carries it over: same user, same identity, no writes.
// The move is accepted only from this provider's own address, so the test
// serves it there (and cannot run in parallel).
func TestAccBotUser_identityAndMove(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	asPublished(t, srv)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	bot := publishedSource + botUserConfig(srv, "bot-identity", nil)
	moved := publishedSource + userConfig(srv, "bot-identity", nil) + movedBlock(botUserAddr, userAddr)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   identityVersionChecks(),
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []resource.TestStep{
			{
				Config: bot,
				ConfigStateChecks: append(hasIdentity(botUserAddr, knownvalue.StringRegexp(botIDPattern)),
					sameID.AddStateValue(botUserAddr, tfjsonpath.New("id"))),
			},
			{
				Config:          bot,
				ResourceName:    botUserAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				PreConfig: srv.ResetCounts,
				Config:    moved,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: append(hasIdentity(userAddr, knownvalue.StringRegexp(botIDPattern)),
					sameID.AddStateValue(userAddr, tfjsonpath.New("id"))),
				Check: checkRequests(srv, noWrites),
			},
		},
	})
}

// A state written before this provider had identity (or by a CLI that does
// not store it) has none. The next refresh fills it in, and a user deleted
// outside Terraform in the meantime is planned for recreation, not an error.
func TestAccServiceUser_identityBackfilled(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	config := providerBlock(srv) + `
resource "ngrok_service_user" "kept" {
  name = "kept"
}

resource "ngrok_service_user" "gone" {
  name = "gone"
}
`
	var goneID string
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks: identityVersionChecks(),
		CheckDestroy:           checkUserCount(srv, 0),
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: preIdentityFactories,
				Config:                   config,
				Check: resource.TestCheckResourceAttrWith("ngrok_service_user.gone", "id", func(id string) error {
					goneID = id
					return nil
				}),
			},
			{
				ProtoV6ProviderFactories: protoV6Factories,
				PreConfig: func() {
					if err := srv.DeleteUser(goneID); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("ngrok_service_user.kept", plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("ngrok_service_user.gone", plancheck.ResourceActionCreate),
					},
				},
				ConfigStateChecks: append(
					hasIdentity("ngrok_service_user.kept", knownvalue.StringRegexp(serviceIDPattern)),
					hasIdentity("ngrok_service_user.gone", knownvalue.StringRegexp(serviceIDPattern))...),
			},
		},
	})
}

// preIdentityFactories serve the provider as it was before resource
// identity: the same resources with no identity schema.
var preIdentityFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"ngrok": func() (tfprotov6.ProviderServer, error) {
		return providerserver.NewProtocol6WithError(preIdentityProvider{testProvider()})()
	},
}

type preIdentityProvider struct{ *ngrokProvider }

func (p preIdentityProvider) Resources(ctx context.Context) []func() fwresource.Resource {
	var rs []func() fwresource.Resource
	for _, f := range p.ngrokProvider.Resources(ctx) {
		if _, user := f().(*userResource); !user {
			continue // the credential resources had an identity from the start
		}
		rs = append(rs, func() fwresource.Resource { return withoutIdentity{f().(resourceBeforeIdentity)} })
	}
	return rs
}

// ListResources are none: list resources came after identity, and each needs
// the identity of the managed resource it finds (the framework refuses one
// whose resource it does not serve).
func (p preIdentityProvider) ListResources(context.Context) []func() list.ListResource { return nil }

// resourceBeforeIdentity is what a user resource implemented before it had
// an identity; embedding the interface hides every other method.
type resourceBeforeIdentity interface {
	fwresource.ResourceWithConfigure
	fwresource.ResourceWithImportState
	fwresource.ResourceWithUpgradeState
}

type withoutIdentity struct{ resourceBeforeIdentity }

var _ provider.Provider = preIdentityProvider{}
