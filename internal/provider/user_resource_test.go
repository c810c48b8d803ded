package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// The life of one service user: create, update in place both ways, import,
// destroy — with an empty plan after every apply (the framework checks that
// by default).
func TestAccServiceUser_lifecycle(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []resource.TestStep{
			{
				Config: userConfig(srv, "ci-deploy", nil),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(serviceIDPattern)),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("name"), knownvalue.StringExact("ci-deploy")),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("uri"), knownvalue.StringRegexp(regexp.MustCompile(`^http://127\.0\.0\.1:\d+/service_users/service_`))),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
				},
				Check: checkUserInEmulator(srv, "ci-deploy", true),
			},
			{
				// A rename is an update in place: the ID, and every credential
				// hanging off the user, survive it.
				Config: userConfig(srv, "ci-deploy-renamed", nil),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(serviceIDPattern)),
						plancheck.ExpectKnownValue(userAddr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("name"), knownvalue.StringExact("ci-deploy-renamed")),
				},
				Check: checkUserInEmulator(srv, "ci-deploy-renamed", true),
			},
			{
				Config: userConfig(srv, "ci-deploy-renamed", ptr(false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("active"), knownvalue.Bool(false)),
				},
				Check: checkUserInEmulator(srv, "ci-deploy-renamed", false),
			},
			{
				// Removing active from the configuration restores the default.
				Config: userConfig(srv, "ci-deploy-renamed", nil),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
				},
				Check: checkUserInEmulator(srv, "ci-deploy-renamed", true),
			},
			{
				ResourceName:      userAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
		},
	})
}

// PATCH carries only what changed, so a concurrent change to another field
// made outside Terraform is not overwritten by a stale value.
func TestAccServiceUser_updateSendsOnlyChanges(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	rec := recordBodies(t, srv)
	config := func(name string) string {
		return rec.provider(srv) + fmt.Sprintf(`
resource "ngrok_service_user" "ci" {
  name = %q
}
`, name)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: config("patch-me")},
			{
				Config: config("patch-me-2"),
				PreConfig: func() {
					srv.ResetCounts()
					rec.reset()
				},
				// A rename must not recreate, and sends the name alone.
				Check: resource.ComposeTestCheckFunc(
					checkRequests(srv, map[string]int{"PATCH /service_users/{id}": 1, "POST /service_users": 0}),
					rec.checkSent("PATCH /service_users/{id}", `{"name":"patch-me-2"}`),
				),
			},
		},
	})
}

// Drift: a user changed, deactivated or deleted outside Terraform shows in
// the next plan as the change that puts it back.
func TestAccServiceUser_outOfBandChanges(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	var id string
	remember := func(s *terraform.State) (err error) { id, err = attrOf(s, userAddr, "id"); return err }
	config := userConfig(srv, "drifty", nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []resource.TestStep{
			{Config: config, Check: remember},
			{
				PreConfig: func() {
					if err := srv.Rename(id, "renamed-by-hand"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(userAddr, tfjsonpath.New("name"), knownvalue.StringExact("drifty")),
					},
				},
				Check: checkUserInEmulator(srv, "drifty", true),
			},
			{
				PreConfig: func() {
					if err := srv.SetActive(id, false); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(userAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					},
				},
				Check: checkUserInEmulator(srv, "drifty", true),
			},
			{
				PreConfig: func() {
					if err := srv.DeleteUser(id); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionCreate)},
				},
				Check: resource.ComposeTestCheckFunc(
					checkUserInEmulator(srv, "drifty", true),
					func(s *terraform.State) error {
						newID, err := attrOf(s, userAddr, "id")
						if err == nil && newID == id {
							err = fmt.Errorf("the recreated user kept the deleted ID %s", id)
						}
						return err
					},
				),
			},
			{
				// A nightly drift check: refresh-only plan after the world changed.
				PreConfig: func() {
					users := srv.Users()
					if len(users) != 1 {
						t.Fatalf("emulator holds %d users, want 1", len(users))
					}
					if err := srv.Rename(users[0].ID, "changed-again"); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks:   driftPlan(userAddr, plancheck.ResourceActionUpdate),
			},
		},
	})
}

// Deleting a user that is already gone is success: destroy must not fail
// because someone cleaned up between the refresh and the delete.
func TestAccServiceUser_deleteAlreadyGone(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: userConfig(srv, "short-lived", nil)},
			{
				// The refresh still finds the user; the DELETE then hears 404.
				PreConfig: func() {
					srv.ResetCounts()
					srv.AddFault(emulator.Fault{Method: "DELETE", Route: "/service_users/{id}", Kind: emulator.FaultStatus, Status: 404, Times: 1})
				},
				Config: providerBlock(srv),
				Check: func(*terraform.State) error {
					if n := srv.RequestCounts()["DELETE /service_users/{id}"]; n != 1 {
						return fmt.Errorf("DELETE requests = %d, want exactly 1 (a 404 is final, not retried)", n)
					}
					// The fault answered 404 without deleting; finish the job
					// the "someone else" of this story did.
					for _, u := range srv.Users() {
						if err := srv.DeleteUser(u.ID); err != nil {
							return err
						}
					}
					return nil
				},
			},
		},
	})
}

func TestAccServiceUser_badInput(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	cases := []struct {
		name, config string
		want         string
	}{
		{"empty name", userConfig(srv, "", nil), `The name is empty`},
		{"blank name", userConfig(srv, "   ", nil), `The\s+name\s+"   "\s+is\s+only\s+white\s+space`},
		{"bidirectional override", userConfig(srv, "abc\u202egpj.exe", nil), `bidirectional\s+control\s+U\+202E\s+at\s+character\s+4`},
		{"padded name", userConfig(srv, " ci ", nil), `starts or ends with white space`},
		{"control character", userConfig(srv, "a\tb", nil), `control character`},
		// The message repeats the start of a huge name, not all of it.
		{"huge padded name", userConfig(srv, strings.Repeat("n", 10000)+" ", nil), `"n{80}…"\s+\(10001\s+characters\)\s+starts\s+or\s+ends`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config:      tc.config,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
	// Subtests run in parallel, after this function returns; check after them.
	t.Cleanup(func() {
		if n := srv.TotalRequests(); n != 0 {
			t.Errorf("invalid configurations reached the API %d times; validation must refuse them first", n)
		}
	})
}

// A user created as a bot user keeps its bot_ ID when ngrok_service_user
// manages it: imported, refreshed through /service_users, renamed in place,
// and its drift seen like any other user's.
func TestAccServiceUser_legacyBotID(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	legacy := srv.AddBotUser("legacy-deployer", true)
	config := func(name string) string {
		return userConfig(srv, name, nil) + importByID(userAddr, legacy.ID)
	}
	keptID := statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringExact(legacy.ID))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetCounts,
				Config:    config("legacy-deployer"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					keptID,
					// Read through /service_users, the uri says so; it is
					// computed, so the plan after the import stays empty.
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("uri"), knownvalue.StringExact(srv.URL()+"/service_users/"+legacy.ID)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkUserInEmulator(srv, "legacy-deployer", true),
					checkRequests(srv, map[string]int{"PATCH /service_users/{id}": 0, "POST /service_users": 0}),
				),
			},
			{
				// A refresh-only plan of an untouched user finds nothing.
				Config:   config("legacy-deployer"),
				PlanOnly: true,
			},
			{
				PreConfig: srv.ResetCounts,
				Config:    config("legacy-deployer-2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{keptID},
				Check: resource.ComposeTestCheckFunc(
					checkUserInEmulator(srv, "legacy-deployer-2", true),
					checkRequests(srv, map[string]int{"PATCH /service_users/{id}": 1, "POST /service_users": 0, "DELETE /service_users/{id}": 0}),
				),
			},
			{
				// Drift: deactivated by hand; the plan puts it back in place.
				PreConfig: func() {
					if err := srv.SetActive(legacy.ID, false); err != nil {
						t.Fatal(err)
					}
				},
				Config: config("legacy-deployer-2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(userAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{keptID},
				Check:             checkUserInEmulator(srv, "legacy-deployer-2", true),
			},
			{
				// A nightly drift check notices a rename made in the dashboard.
				PreConfig: func() {
					if err := srv.Rename(legacy.ID, "renamed-by-hand"); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config("legacy-deployer-2"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks:   driftPlan(userAddr, plancheck.ResourceActionUpdate),
			},
		},
	})
}

// Whether /service_users serves users created as bot users is undocumented.
// If it does not, ngrok_service_user still manages a bot_ user end to end —
// through /bot_users — in every refresh mode, and never takes it for deleted.
func TestAccServiceUser_legacyBotIDWhenCollectionsAreSeparate(t *testing.T) {
	accPreCheck(t)
	for _, mode := range []string{"auto", "get"} {
		t.Run(mode, func(t *testing.T) {
			srv := testEmulatorWith(t, func(o *emulator.Options) { o.SeparateCollections = true })
			srv.SeedUsers(30, "service") // a page of service users around it
			bot := srv.AddBotUser("legacy-ci", true)
			config := func(name string) string {
				return providerBlock(srv, fmt.Sprintf("refresh_mode = %q", mode)) + fmt.Sprintf(`
resource "ngrok_service_user" "ci" {
  name = %[1]q
}
`, name) + importByID(userAddr, bot.ID)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				CheckDestroy: func(*terraform.State) error {
					if _, ok := srv.GetUser(bot.ID); ok {
						return fmt.Errorf("destroy left bot user %s alive", bot.ID)
					}
					return nil
				},
				Steps: []resource.TestStep{
					{
						Config: config("legacy-ci"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionNoop)},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringExact(bot.ID)),
						},
					},
					{
						Config: config("legacy-ci-renamed"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
						},
						Check: func(*terraform.State) error {
							if u, _ := srv.GetUser(bot.ID); u.Name != "legacy-ci-renamed" {
								return fmt.Errorf("bot user is named %q after the rename", u.Name)
							}
							if n := len(srv.Users()); n != 31 {
								return fmt.Errorf("%d users, want 31: nothing created", n)
							}
							return nil
						},
					},
				},
			})
		})
	}
}
