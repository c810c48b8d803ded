package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// siblingKind is a resource type two alike instances of which (count = 2)
// are created side by side: users of one name, credentials of one owner and
// description.
type siblingKind struct {
	typ, col string   // ngrok_api_key, api_keys
	route    string   // /api_keys
	attrs    []string // the resource's attributes beside count
	token    bool
	timeouts string // a timeouts block, or ""
}

var siblingKinds = []siblingKind{
	{typ: "ngrok_service_user", col: "service_users", route: "/service_users", attrs: []string{`name = "worker"`}},
	{typ: "ngrok_api_key", col: "api_keys", route: "/api_keys", token: true,
		attrs: []string{`owner_id = ngrok_service_user.owner.id`, `description = "ci"`}},
	{typ: "ngrok_authtoken", col: "credentials", route: "/credentials", token: true,
		attrs: []string{`owner_id = ngrok_service_user.owner.id`, `description = "agent"`}},
	{typ: "ngrok_ssh_credential", col: "ssh_credentials", route: "/ssh_credentials",
		attrs: []string{`owner_id = ngrok_service_user.owner.id`, `description = "deploy"`,
			fmt.Sprintf(`public_key = [%q, %q][count.index]`, testPublicKey, otherTestPublicKey)}},
}

func (k siblingKind) config(srv *emulator.Server, extra string) string {
	owner := ""
	if k.typ != "ngrok_service_user" {
		owner = `
resource "ngrok_service_user" "owner" {
  name = "owner"
}
`
	}
	return providerBlock(srv, extra) + owner + fmt.Sprintf(`
resource %[1]q "s" {
  count = 2
  %[2]s
%[3]s}
`, k.typ, strings.Join(k.attrs, "\n  "), k.timeouts)
}

// The fault matrix for alike siblings. One of two alike instances, created
// side by side in one apply, meets a fault: a 503 (the API did not act), a
// reply lost after the API acted, or a wait for the rate limit longer than
// its create timeout. The other's object is never taken for its own: every
// object is in state once, every token in state works, and no credential is
// live that state does not hold.
func TestAccFaultMatrix_alikeSiblings(t *testing.T) {
	accPreCheck(t)
	for _, k := range siblingKinds {
		for _, fault := range []string{"503", "drop-after"} {
			t.Run(k.typ+"/"+fault, func(t *testing.T) {
				srv, _ := steadyEmulator(t)
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: protoV6Factories,
					CheckDestroy:             checkNoneLive(srv, k),
					Steps: []resource.TestStep{{
						PreConfig: inject(srv, emulator.Fault{Kind: faultKind(fault), Status: 503, Times: 1}, "POST", k.route),
						Config:    k.config(srv, ""),
						Check:     resource.ComposeTestCheckFunc(checkSiblings(srv, k, 2), checkFaultFired(srv, k, fault)),
					}},
				})
			})
		}
		// Queued behind the budget: one request a (test) minute for the
		// siblings (two where the owner takes one), so the second create
		// waits past its timeout, never sent. It fails saying so, and takes
		// nothing; the next apply creates it.
		t.Run(k.typ+"/queued", func(t *testing.T) {
			srv, _ := steadyEmulator(t)
			tight := k
			tight.timeouts = `  timeouts {
    create = "500ms"
  }
`
			budget := "max_requests_per_minute = 1"
			if k.typ != "ngrok_service_user" {
				budget = "max_requests_per_minute = 2"
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				CheckDestroy:             checkNoneLive(srv, k),
				Steps: []resource.TestStep{
					{
						Config:      tight.config(srv, budget),
						ExpectError: regexp.MustCompile(`(?s)POST\s+` + regexp.QuoteMeta(k.route) + `:\s+not\s+sent:\s+the\s+operation\s+ran\s+out\s+of\s+time\s+waiting\s+for\s+room`),
					},
					{
						// Nothing was reconciled: one object, and none looked
						// for, deleted or taken twice; the next apply creates
						// the other.
						PreConfig: func() {
							counts := srv.RequestCounts()
							if counts["GET "+k.route] != 0 || counts["DELETE "+k.route+"/{id}"] != 0 || counts["POST "+k.route] != 1 {
								t.Errorf("requests %v: want one POST, and no list or DELETE of %s", counts, k.route)
							}
							if n := liveCount(srv, k); n != 1 {
								t.Errorf("%d %s live, want the one sent", n, k.col)
							}
						},
						Config: k.config(srv, ""),
						Check:  checkSiblings(srv, k, 2),
					},
				},
			})
		})
	}
}

// checkFaultFired checks the creates the fault cost: after a 503 (the API
// did not act) the create was sent again; after a lost reply, the object
// made was adopted, or, holding a token nobody has, revoked and made again.
// Two creates and no resend would mean the fault never fired.
func checkFaultFired(srv *emulator.Server, k siblingKind, fault string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		want := 3
		if fault == "drop-after" && !k.token {
			want = 2
		}
		if got := srv.RequestCounts()["POST "+k.route]; got != want {
			return fmt.Errorf("%d POST %s, want %d: the two creates and what the %s fault costs", got, k.route, want, fault)
		}
		return nil
	}
}

func faultKind(name string) emulator.FaultKind {
	if name == "drop-after" {
		return emulator.FaultDropAfterProcess
	}
	return emulator.FaultStatus
}

// checkSiblings checks that state holds n instances of k, each a distinct
// object that exists, that the emulator holds no other (an orphan whose
// secret nobody holds), and that each token in state works.
func checkSiblings(srv *emulator.Server, k siblingKind, n int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		var ids []string
		for i := range 2 {
			addr := fmt.Sprintf("%s.s.%d", k.typ, i)
			id, err := attrOf(s, addr, "id")
			if err != nil {
				continue
			}
			if slices.Contains(ids, id) {
				return fmt.Errorf("%s holds %s, which another instance holds too", addr, id)
			}
			ids = append(ids, id)
			if k.token {
				// The token in state is the live credential's own.
				token, _ := attrOf(s, addr, "token")
				if c, ok := srv.GetCredential(k.col, id); !ok || token == "" || c.Token != token {
					return fmt.Errorf("%s holds a token that is not %s's", addr, id)
				}
			}
		}
		if len(ids) != n {
			return fmt.Errorf("%d instances in state, want %d", len(ids), n)
		}
		live := liveIDsOf(srv, k)
		slices.Sort(live)
		slices.Sort(ids)
		if !slices.Equal(live, ids) {
			return fmt.Errorf("the emulator holds %q, state %q: want the same objects", live, ids)
		}
		return nil
	}
}

// liveIDsOf is what the emulator holds of k's collection.
func liveIDsOf(srv *emulator.Server, k siblingKind) []string {
	var live []string
	if k.typ == "ngrok_service_user" {
		for _, u := range srv.Users() {
			live = append(live, u.ID)
		}
		return live
	}
	for _, c := range srv.Credentials(k.col) {
		live = append(live, c.ID)
	}
	return live
}

func liveCount(srv *emulator.Server, k siblingKind) int { return len(liveIDsOf(srv, k)) }

// checkNoneLive checks that the emulator holds none of k's objects: users
// for ngrok_service_user, credentials of k's collection otherwise.
func checkNoneLive(srv *emulator.Server, k siblingKind) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if live := liveIDsOf(srv, k); len(live) != 0 {
			return fmt.Errorf("%s left live: %q", k.typ, live)
		}
		return nil
	}
}

// Someone else made a user of the same name a second before this apply's
// create, which the API answered with a 503: that user may predate the
// request, so it is not adopted (a destroy would delete it); the apply fails
// naming it, and the next apply makes a user of its own.
func TestAccFaultMatrix_alikeStranger(t *testing.T) {
	accPreCheck(t)
	srv, clk := steadyEmulator(t)
	theirs := srv.AddUser("pre", true)
	clk.Advance(time.Second)
	config := providerBlock(srv) + `
resource "ngrok_service_user" "pre" {
  name = "pre"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy: func(*terraform.State) error {
			if _, ok := srv.GetUser(theirs.ID); !ok || len(srv.Users()) != 1 {
				return fmt.Errorf("after destroy the emulator holds %+v; want their user alone", srv.Users())
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				PreConfig:   inject(srv, emulator.Fault{Kind: emulator.FaultStatus, Status: 503, Times: 1}, "POST", "/service_users"),
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)1\s+user\s+like\s+it\s+created\s+about\s+when\s+the\s+request\s+was\s+sent.*` + theirs.ID + `.*Nothing\s+was\s+adopted`),
			},
			{
				Config: config,
				Check: func(s *terraform.State) error {
					id, err := attrOf(s, "ngrok_service_user.pre", "id")
					if err != nil || id == theirs.ID || len(srv.Users()) != 2 {
						return fmt.Errorf("state holds %q (%v); %d users: want a user of its own beside theirs", id, err, len(srv.Users()))
					}
					return nil
				},
			},
		},
	})
}
