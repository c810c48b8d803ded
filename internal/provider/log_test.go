package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// The API key appears nowhere: not in TRACE logs (retries included), not in
// state, not in the plan.
func TestAccSecrets_keyNeverLeaks(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("NGROK_API_KEY", srv.APIKey())
	t.Setenv("NGROK_API_BASE_URL", srv.URL())
	key := srv.APIKey()

	noKey := func(what string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), key) {
			return fmt.Errorf("the API key appears in the %s", what)
		}
		return nil
	}
	// The key comes from the environment, as CI gives it.
	config := `
provider "ngrok" {}

resource "ngrok_service_user" "ci" {
  name = "secretive"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.AddFault(emulator.Fault{Method: "POST", Kind: emulator.FaultStatus, Status: 503, Times: 2})
					srv.AddFault(emulator.Fault{Method: "GET", Kind: emulator.FaultStatus, Status: 503, Times: 2})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{planCheckFunc(func(p any) error { return noKey("plan", p) })},
				},
				Check: func(s *terraform.State) error { return noKey("state", s) },
			},
			{
				Config: config + `
resource "ngrok_service_user" "two" {
  name = "second"
}
`,
				Check: func(s *terraform.State) error { return noKey("state", s) },
			},
		},
	})

	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// The test proves something only if the log holds the API calls, retries too.
	for _, want := range []string{"ngrok API call", "retrying ngrok API call", "POST", "/service_users"} {
		if !strings.Contains(string(logs), want) {
			t.Fatalf("the TRACE log (%d bytes) has no %q: the logs were not captured", len(logs), want)
		}
	}
	if strings.Contains(string(logs), key) {
		t.Fatal("the API key appears in the TRACE log")
	}
}
