package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

const guideUnmanaged = "unmanaged-users"

// unmanagedError matches the guide's message naming one user. Terraform
// wraps a diagnostic's lines, so any run of white space may stand for a space.
func unmanagedError(u emulator.User) *regexp.Regexp {
	return unmanagedIdentity("service user", u.Name, u.ID)
}

// unmanagedIdentity matches the guide's message naming one identity, such as
// `API key left behind (ak_…)`.
func unmanagedIdentity(kind, name, id string) *regexp.Regexp {
	words := strings.Join(strings.Fields(kind+" "+name), `\s+`)
	return regexp.MustCompile(`(?s)Identities\s+that\s+no\s+configuration\s+manages:(\s.*?)?\s` + words + `\s+\(` + regexp.QuoteMeta(id) + `\)`)
}

// allowing is the guide's allow-list variable naming users.
func allowing(users ...emulator.User) config.Variables {
	ids := make([]config.Variable, len(users))
	for i, u := range users {
		ids[i] = config.StringVariable(u.ID)
	}
	return config.Variables{"managed_elsewhere": config.SetVariable(ids...)}
}

// The guide "Catch service users nobody manages", applied as written: the
// nightly plan fails (Terraform's exit code 1) naming a service user that
// neither this configuration nor the allow-list accounts for.
func TestAccGuideUnmanagedUsers(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	asPublished(t, srv)
	cfg := guideHCL(t, guideUnmanaged, "main.tf", "unmanaged.tf", "gate.tf")
	shared := srv.AddUser("ops-shared", true) // managed by another configuration
	vars := allowing(shared)

	// The stray user's ID exists only once PreConfig has made it; the steps
	// hold this pointer, so PreConfig fills in the pattern.
	var stray emulator.User
	wantStray := new(regexp.Regexp)
	var planned bool
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			// Managed and allow-listed users only: the plan after the apply is clean.
			{Config: cfg, ConfigVariables: vars, Check: func(*terraform.State) error {
				if n := len(srv.Users()); n != 3 {
					return fmt.Errorf("%d users, want the 2 managed and the shared one", n)
				}
				if n := len(srv.Credentials("api_keys")); n != 1 {
					return fmt.Errorf("%d API keys, want the managed one", n)
				}
				return nil
			}},
			// Without the allow-list, the shared user is the unmanaged one.
			{Config: cfg, PlanOnly: true, ExpectError: unmanagedError(shared)},
			{
				PreConfig: func() {
					stray = srv.AddUser("stray", true)
					*wantStray = *unmanagedError(stray)
				},
				Config: cfg, ConfigVariables: vars, PlanOnly: true, ExpectError: wantStray,
			},
			// A managed user deleted out of band is planned again with an ID
			// unknown until the apply, so the condition is decided only then:
			// the plan succeeds and the apply fails.
			{
				PreConfig: func() { deleteUserNamed(t, srv, "ci-deploy") },
				Config:    cfg, ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ngrok_service_user.deploy", plancheck.ResourceActionCreate),
					planReached(&planned),
				}},
				ExpectError: wantStray,
			},
			// Once the stray user is gone, the plan is clean again.
			{
				PreConfig: func() {
					if err := srv.DeleteUser(stray.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg, ConfigVariables: vars, PlanOnly: true,
			},
		},
	})
	if !planned {
		t.Error("the plan with a user to recreate failed; the guide says only the apply does")
	}
}

// The guide's warning: a data source that depends on a resource with a
// planned change is read during the apply, so the plan cannot fail; only the
// apply does, after it has changed the managed users.
func TestAccGuideUnmanagedUsers_dependsOnDefers(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	asPublished(t, srv)
	cfg := guideHCL(t, guideUnmanaged, "main.tf", "unmanaged.tf", "gate.tf")
	const allUsers = `data "ngrok_users" "all" {` + "\n"
	deferred := strings.Replace(cfg, allUsers, allUsers+"  depends_on = [ngrok_service_user.preview]\n", 1)
	if deferred == cfg {
		t.Fatal("the guide's main.tf no longer declares data.ngrok_users.all as the test expects")
	}
	var stray emulator.User
	wantStray := new(regexp.Regexp)
	var planned, plannedAsWritten bool
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: deferred},
			{
				PreConfig: func() {
					stray = srv.AddUser("stray", true)
					*wantStray = *unmanagedError(stray)
					renameUserNamed(t, srv, "ci-preview", "renamed")
				},
				Config: deferred,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("ngrok_service_user.preview", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("data.ngrok_users.all", plancheck.ResourceActionRead),
					planReached(&planned),
				}},
				ExpectError: wantStray,
			},
			// As written, the plan itself fails on the same drift.
			{
				PreConfig: func() { renameUserNamed(t, srv, "ci-preview", "renamed-again") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					planReached(&plannedAsWritten),
				}},
				ExpectError: wantStray,
			},
		},
	})
	if !planned {
		t.Error("the plan with depends_on failed; the guide says only the apply does")
	}
	if plannedAsWritten {
		t.Error("the plan as written succeeded; the guide says it fails")
	}
}

// The guide's claim about a check block alone: it reports the same users as
// a warning, and the plan succeeds with no changes (exit code 0).
func TestAccGuideUnmanagedUsers_checkOnlyWarns(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	asPublished(t, srv)
	cfg := guideHCL(t, guideUnmanaged, "main.tf", "unmanaged.tf", "check.tf")
	shared := srv.AddUser("ops-shared", true)
	var stray emulator.User
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg, ConfigVariables: allowing(shared), ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{expectCheck("check.no_unmanaged_identities", "pass", nil)},
			}},
			{
				PreConfig: func() { stray = srv.AddUser("stray", true) },
				Config:    cfg, ConfigVariables: allowing(shared), PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					expectCheck("check.no_unmanaged_identities", "fail", func() *regexp.Regexp { return unmanagedError(stray) }),
				}},
			},
		},
	})
}

// expectCheck asserts the status of a check in the plan and, when it failed,
// that a problem's message matches want.
func expectCheck(address, status string, want func() *regexp.Regexp) plancheck.PlanCheck {
	return planCheckFunc(func(p any) error {
		raw, err := json.Marshal(p)
		if err != nil {
			return err
		}
		var plan struct {
			Checks []struct {
				Address struct {
					ToDisplay string `json:"to_display"`
				} `json:"address"`
				Status    string `json:"status"`
				Instances []struct {
					Problems []struct {
						Message string `json:"message"`
					} `json:"problems"`
				} `json:"instances"`
			} `json:"checks"`
		}
		if err := json.Unmarshal(raw, &plan); err != nil {
			return err
		}
		for _, c := range plan.Checks {
			if c.Address.ToDisplay != address {
				continue
			}
			if c.Status != status {
				return fmt.Errorf("%s: status %q, want %q", address, c.Status, status)
			}
			if want == nil {
				return nil
			}
			for _, in := range c.Instances {
				for _, pr := range in.Problems {
					if want().MatchString(pr.Message) {
						return nil
					}
				}
			}
			return fmt.Errorf("%s: no problem matches %s: %+v", address, want(), c.Instances)
		}
		return fmt.Errorf("no check %s in the plan", address)
	})
}

// planReached records that a step's plan succeeded, which ExpectError
// alone cannot tell from a failed plan.
func planReached(ok *bool) plancheck.PlanCheck {
	return planCheckFunc(func(any) error { *ok = true; return nil })
}

func userNamed(t *testing.T, srv *emulator.Server, name string) emulator.User {
	t.Helper()
	for _, u := range srv.Users() {
		if u.Name == name {
			return u
		}
	}
	t.Fatalf("no user named %q", name)
	return emulator.User{}
}

func deleteUserNamed(t *testing.T, srv *emulator.Server, name string) {
	t.Helper()
	if err := srv.DeleteUser(userNamed(t, srv, name).ID); err != nil {
		t.Fatal(err)
	}
}

func renameUserNamed(t *testing.T, srv *emulator.Server, name, to string) {
	t.Helper()
	if err := srv.Rename(userNamed(t, srv, name).ID, to); err != nil {
		t.Fatal(err)
	}
}

// A stray user created as a bot user fails the gate whether or not the API
// lists bot users under /service_users: the guide's data source also lists
// /bot_users, and counts each user once.
func TestAccGuideUnmanagedUsers_strayBotUser(t *testing.T) {
	accPreCheck(t)
	for _, separate := range []bool{false, true} {
		t.Run(fmt.Sprintf("separate_collections=%t", separate), func(t *testing.T) {
			srv := testEmulatorWith(t, func(o *emulator.Options) { o.SeparateCollections = separate })
			asPublished(t, srv)
			cfg := guideHCL(t, guideUnmanaged, "main.tf", "unmanaged.tf", "gate.tf")
			var stray emulator.User
			wantStray := new(regexp.Regexp)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{
					{Config: cfg},
					{
						PreConfig: func() {
							stray = srv.AddBotUser("stray-bot", true)
							*wantStray = *unmanagedError(stray)
						},
						Config: cfg, PlanOnly: true, ExpectError: wantStray,
					},
				},
			})
		})
	}
}

// Credentials nobody manages fail the gate too, each named by its kind,
// description and ID; the allow-list takes credential IDs as it takes users'.
func TestAccGuideUnmanagedUsers_strayCredentials(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	asPublished(t, srv)
	cfg := guideHCL(t, guideUnmanaged, "main.tf", "unmanaged.tf", "gate.tf")
	var strays []emulator.Credential
	wants := make([]*regexp.Regexp, 3)
	for i := range wants {
		wants[i] = new(regexp.Regexp)
	}
	kinds := []struct{ col, kind string }{{"api_keys", "API key"}, {"credentials", "authtoken"}, {"ssh_credentials", "SSH key"}}
	allowed := config.Variables{} // filled once the strays exist
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					for i, k := range kinds {
						c, err := srv.AddCredential(k.col, "", emulator.Credential{Description: "left behind"})
						if err != nil {
							t.Fatal(err)
						}
						strays = append(strays, c)
						*wants[i] = *unmanagedIdentity(k.kind, "left behind", c.ID)
					}
				},
				Config: cfg, PlanOnly: true, ExpectError: wants[0],
			},
			{Config: cfg, PlanOnly: true, ExpectError: wants[1]},
			{Config: cfg, PlanOnly: true, ExpectError: wants[2]},
			{
				PreConfig: func() {
					ids := make([]config.Variable, len(strays))
					for i, c := range strays {
						ids[i] = config.StringVariable(c.ID)
					}
					allowed["managed_elsewhere"] = config.SetVariable(ids...)
				},
				Config: cfg, ConfigVariables: allowed, PlanOnly: true,
			},
		},
	})
}
