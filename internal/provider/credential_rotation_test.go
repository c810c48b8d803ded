package provider

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

func TestParseRotateAfter(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"90d": 90 * 24 * time.Hour, "720h": 720 * time.Hour, "1d12h": 36 * time.Hour, "30m": 30 * time.Minute, "1d1h1m": 25*time.Hour + time.Minute,
		"36500d": 36500 * 24 * time.Hour, "876000h": 876000 * time.Hour, "52560000m": 52560000 * time.Minute,
	} {
		if got, err := parseRotateAfter(in); err != nil || got != want {
			t.Errorf("parseRotateAfter(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0d", "90", "1h1d", "-1d", "1.5d", "90 d", "99999999999d", "1w"} {
		if _, err := parseRotateAfter(bad); err == nil {
			t.Errorf("parseRotateAfter(%q) accepted", bad)
		}
	}
	// Past a hundred years, in any unit or sum, and however large: said so,
	// never wrapped around into a short duration.
	for _, long := range []string{"36501d", "40000d", "213505d", "1000000d", "876001h", "52560001m", "36500d1m", "36500d876000h52560000m", "99999999999999999999d"} {
		if _, err := parseRotateAfter(long); err == nil || !strings.Contains(err.Error(), "longer than a hundred years") {
			t.Errorf("parseRotateAfter(%q) = %v; want longer than a hundred years", long, err)
		}
	}
}

func TestRotationDue(t *testing.T) {
	created := str("2026-01-01T00:00:00Z")
	if got := rotationDue(created, str("90d")); got.ValueString() != "2026-04-01T00:00:00Z" {
		t.Errorf("due = %s", got)
	}
	if got := rotationDue(created, types.StringNull()); !got.IsNull() {
		t.Errorf("without rotate_after: %s, want null", got)
	}
	if got := rotationDue(types.StringUnknown(), str("1d")); !got.IsUnknown() {
		t.Errorf("before create: %s, want unknown", got)
	}
}

// rotate_after replaces a credential once it is older, on the provider's
// clock; rotate_triggers replaces it when a trigger changes; neither needs a
// request to decide.
func TestAccCredential_rotation(t *testing.T) {
	accPreCheck(t)
	var offset atomic.Int64 // how far the clock of the provider and the API is ahead
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	srv := testEmulatorWith(t, func(o *emulator.Options) { o.Now = now })
	factories := factoriesWith(func(p *ngrokProvider) { p.clock = now })
	// consumer stands for what uses the key: replace_triggered_by must see
	// the rotation as the key's replacement (what time_rotating gets wrong,
	// hashicorp/terraform-provider-time#118).
	const consumer = `
resource "terraform_data" "consumer" {
  lifecycle {
    replace_triggered_by = [ngrok_api_key.ci]
  }
}
`
	// key is the API key, with a rotate trigger unless trigger is "".
	key := func(trigger string) string {
		if trigger != "" {
			trigger = fmt.Sprintf("  rotate_triggers = { on = %q }\n", trigger)
		}
		return credConfig(srv, fmt.Sprintf(`
resource "ngrok_api_key" "ci" {
  owner_id     = ngrok_service_user.ci.id
  rotate_after = "90d"
%[1]s  lifecycle {
    create_before_destroy = true
  }
}
`, trigger)) + consumer
	}
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{
				Config: key(""),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrSet(apiKeyAddr, "rotation_due_at"),
					func(s *terraform.State) error {
						var err error
						if first, err = attrOf(s, apiKeyAddr, "id"); err == nil && first == "" {
							err = fmt.Errorf("%s has no id", apiKeyAddr)
						}
						return err
					},
				),
			},
			{
				PreConfig:        func() { offset.Store(int64(89 * 24 * time.Hour)) },
				Config:           key(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig: func() { offset.Store(int64(91 * 24 * time.Hour)) },
				Config:    key(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(apiKeyAddr, plancheck.ResourceActionReplace),
					plancheck.ExpectResourceAction("terraform_data.consumer", plancheck.ResourceActionReplace),
				}},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error {
						if id, _ := attrOf(s, apiKeyAddr, "id"); id == first {
							return fmt.Errorf("the key due for rotation was kept: %s", id)
						}
						return nil
					},
					checkCredentials(srv, "api_keys", 1),
					checkTokenWorks(srv, apiKeyAddr, nil),
				),
			},
			{
				Config:           key("2026-12-01"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(apiKeyAddr, plancheck.ResourceActionReplace)}},
			},
			{
				Config:           key("2027-01-01"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(apiKeyAddr, plancheck.ResourceActionReplace)}},
				Check:            checkCredentials(srv, "api_keys", 1),
			},
		},
	})
}
