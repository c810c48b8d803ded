package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccServiceUser_importBlockAndGeneratedConfig(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: userConfig(srv, "imported-by-block", ptr(false))},
			{
				// terraform plan -generate-config-out writes a resource block
				// that plans clean (the framework fails on anything but a no-op).
				Config:          providerBlock(srv),
				ResourceName:    userAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig:  true,
			},
			{
				// An import block beside a hand-written configuration.
				Config:          userConfig(srv, "imported-by-block", ptr(false)),
				ResourceName:    userAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionNoop),
						plancheck.ExpectKnownValue(userAddr, tfjsonpath.New("name"), knownvalue.StringExact("imported-by-block")),
						plancheck.ExpectKnownValue(userAddr, tfjsonpath.New("active"), knownvalue.Bool(false)),
					},
				},
			},
		},
	})
}

// A user whose name this provider refuses in configuration (here, padded
// with white space) imports, but the configuration -generate-config-out
// writes for it fails validation; an import block beside a corrected name
// adopts the user and renames it in place, as the import documentation says.
func TestAccServiceUser_importRefusedName(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	existing := srv.AddUser(" padded ", true)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config:          providerBlock(srv),
				ResourceName:    userAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   existing.ID,
				GenerateConfig:  true,
				ExpectError:     regexp.MustCompile(`starts\s+or\s+ends\s+with\s+white\s+space`),
			},
			{
				Config: userConfig(srv, "padded", nil) + importByID(userAddr, existing.ID),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing.ID)),
				},
				Check: checkUserInEmulator(srv, "padded", true),
			},
		},
	})
}

// A platform team adopting a user made by hand: an import block, an apply
// that changes nothing in ngrok, and from then on an ordinary managed user.
func TestAccServiceUser_adoptWithImportBlock(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	existing := srv.AddUser("made-by-hand", false)
	config := userConfig(srv, "made-by-hand", ptr(false)) + importByID(userAddr, existing.ID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetCounts,
			Config:    config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionNoop)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing.ID)),
				statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("created_at"), knownvalue.StringExact(existing.CreatedAt.UTC().Format(time.RFC3339))),
			},
			Check: resource.ComposeTestCheckFunc(
				checkUserInEmulator(srv, "made-by-hand", false),
				func(*terraform.State) error {
					counts := srv.RequestCounts()
					if counts["POST /service_users"]+counts["PATCH /service_users/{id}"] != 0 {
						return fmt.Errorf("adopting a user wrote to the API: %v", counts)
					}
					return nil
				},
			),
		}},
	})
}

func TestAccServiceUser_badImportID(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	for _, id := range []string{"usr_123", "service_", "service_abc-def", "BOT_x", "https://api.ngrok.com/service_users/service_1"} {
		t.Run(id, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config:        userConfig(srv, "imported", nil),
					ResourceName:  userAddr,
					ImportState:   true,
					ImportStateId: id,
					ExpectError:   regexp.MustCompile(`Invalid import ID`),
				}},
			})
		})
	}
	t.Cleanup(func() {
		if n := srv.TotalRequests(); n != 0 {
			t.Errorf("invalid import IDs reached the API %d times; they must be refused first", n)
		}
	})
}

// A well-formed ID that does not exist is the API's to refuse, and
// Terraform says so without writing anything to state.
func TestAccServiceUser_importMissing(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config:        userConfig(srv, "imported", nil),
			ResourceName:  userAddr,
			ImportState:   true,
			ImportStateId: "service_2zzzzzzzzzzzzzzzzzzzzzzzzzz",
			ExpectError:   regexp.MustCompile(`(?i)cannot import non-existent remote object`),
		}},
	})
}
