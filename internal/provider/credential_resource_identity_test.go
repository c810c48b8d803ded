package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// Every credential resource has the identity { id }: set on create, kept
// through an update in place, and an import block naming one by identity
// adopts it with no write and a clean plan (its token then unknown).
func TestAccCredential_identity(t *testing.T) {
	accPreCheck(t)
	for _, k := range credentialKinds {
		t.Run(k.typeSuffix, func(t *testing.T) {
			srv := testEmulator(t)
			owner := srv.AddUser("owner", true)
			extra := ""
			if k.hasPublicKey {
				extra = fmt.Sprintf("  public_key = %q\n", testPublicKey)
			}
			addr := k.typeName() + ".ci"
			res := func(desc string) string {
				return providerBlock(srv) + fmt.Sprintf(`
resource %[1]q "ci" {
  owner_id    = %[2]q
  description = %[3]q
%[4]s}
`, k.typeName(), owner.ID, desc, extra)
			}
			idPattern := knownvalue.StringRegexp(regexp.MustCompile("^" + k.ids.prefixes[0]))
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   identityVersionChecks(),
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{
					{Config: res("first"), ConfigStateChecks: hasIdentity(addr, idPattern)},
					{
						Config:            res("second"),
						ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
						ConfigStateChecks: hasIdentity(addr, idPattern),
					},
				},
			})

			// One made by hand, adopted by an import block with its identity.
			made, err := srv.AddCredential(string(k.collection), owner.ID, emulator.Credential{Description: "by hand", PublicKey: publicKeyIf(k)})
			if err != nil {
				t.Fatal(err)
			}
			srv.ResetCounts()
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   identityVersionChecks(),
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config: res("by hand") + importByIdentity(addr, made.ID),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
					}},
					ConfigStateChecks: hasIdentity(addr, knownvalue.StringExact(made.ID)),
					Check: func(*terraform.State) error {
						for route, n := range srv.RequestCounts() {
							if route[:3] != "GET" && n > 0 {
								return fmt.Errorf("the import sent %d %s", n, route)
							}
						}
						return nil
					},
				}},
			})
		})
	}
}

func publicKeyIf(k credentialKind) string {
	if k.hasPublicKey {
		return testPublicKey
	}
	return ""
}
