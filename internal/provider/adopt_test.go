package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// Adopting what nobody manages, as a user does it, with the built provider
// under the real CLI: Terraform writes the configuration, the plan imports
// with no change, the apply sends nothing that changes the account.

// strays are one object of each type, made outside Terraform.
type strays struct {
	user                      emulator.User
	apiKey, authtoken, sshKey emulator.Credential
	typeIDs                   map[string]string // ngrok_api_key → its ID
}

func makeStrays(t *testing.T, srv *emulator.Server) strays {
	t.Helper()
	var s strays
	s.user = srv.AddUser("stray-ci", false)
	add := func(col string, cr emulator.Credential) emulator.Credential {
		c, err := srv.AddCredential(col, s.user.ID, cr)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	s.apiKey = add("api_keys", emulator.Credential{Description: "left behind", Metadata: `{"team":"ci"}`})
	s.authtoken = add("credentials", emulator.Credential{Description: "agent", ACL: []string{"bind:x.example.com", "bind:*.example.org"}})
	s.sshKey = add("ssh_credentials", emulator.Credential{PublicKey: testPublicKey})
	s.typeIDs = map[string]string{
		"ngrok_service_user": s.user.ID, "ngrok_api_key": s.apiKey.ID, "ngrok_authtoken": s.authtoken.ID, "ngrok_ssh_credential": s.sshKey.ID,
	}
	return s
}

// computedOnly are attributes Terraform must never write into a generated
// resource block: the provider computes them.
var (
	computedOnly   = regexp.MustCompile(`(?m)^\s*(token|rotation_due_at|uri|created_at|id)\s*=`)
	resourceBlocks = regexp.MustCompile(`(?ms)^resource "[^"]+" "[^"]+" \{\n.*?^\}`)
)

// checkGenerated checks configuration Terraform generated for the strays:
// a resource block for each, none with a computed-only attribute, and the
// authtoken's bind rules as they are.
func checkGenerated(t *testing.T, s strays, generated string) {
	t.Helper()
	for typ := range s.typeIDs {
		if !strings.Contains(generated, fmt.Sprintf("resource %q", typ)) {
			t.Errorf("no %s block in the generated configuration:\n%s", typ, generated)
		}
	}
	blocks := resourceBlocks.FindAllString(generated, -1)
	if want := len(s.typeIDs); len(blocks) != want {
		t.Errorf("%d resource blocks found in the generated configuration, want %d:\n%s", len(blocks), want, generated)
	}
	for _, block := range blocks {
		if m := computedOnly.FindString(block); m != "" {
			t.Errorf("a generated resource block sets %q, which the provider computes:\n%s", strings.TrimSpace(m), block)
		}
	}
	if !regexp.MustCompile(`acl\s*=\s*\["bind:\*\.example\.org", "bind:x\.example\.com"\]|acl\s*=\s*\["bind:x\.example\.com", "bind:\*\.example\.org"\]`).MatchString(generated) {
		t.Errorf("the authtoken's acl did not round-trip:\n%s", generated)
	}
}

// adoptAndCheck plans the generated configuration (four imports, nothing
// else), applies it, and checks that nothing in the account changed and
// that the next plan is empty.
func adoptAndCheck(t *testing.T, srv *emulator.Server, run *cliRun) {
	t.Helper()
	out, _ := run.run("plan", "-detailed-exitcode", "-input=false")
	if !strings.Contains(out, "Plan: 4 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("the plan of the generated configuration:\n%s", out)
	}
	srv.ResetCounts()
	if out, ok := run.run("apply", "-auto-approve", "-input=false"); !ok || !strings.Contains(out, "4 imported, 0 added, 0 changed, 0 destroyed") {
		t.Fatalf("the apply:\n%s", out)
	}
	checkOnlyReads(t, srv, "the adoption")
	if out, ok := run.run("plan", "-detailed-exitcode", "-input=false"); !ok {
		t.Errorf("the plan after the adoption is not empty:\n%s", out)
	}
}

// terraform query -generate-config-out writes the import and resource
// blocks that adopt every identity nobody manages.
func TestAccAdopt_queryGeneratesConfig(t *testing.T) {
	accPreCheck(t)
	skipWithoutQuery(t)
	srv := testEmulator(t)
	s := makeStrays(t, srv)
	run := newCLIRun(t, srv, t.TempDir(), "")
	var query strings.Builder
	for typ := range s.typeIDs {
		fmt.Fprintf(&query, `
list %[1]q "found" {
  provider         = ngrok
  include_resource = true
}
`, typ)
	}
	if err := os.WriteFile(filepath.Join(run.dir, "find.tfquery.hcl"), []byte(query.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, ok := run.run("query", "-generate-config-out=adopt.tf"); !ok {
		t.Fatalf("terraform query:\n%s", out)
	}
	generated, err := os.ReadFile(filepath.Join(run.dir, "adopt.tf"))
	if err != nil {
		t.Fatal(err)
	}
	checkGenerated(t, s, string(generated))
	for _, id := range s.typeIDs {
		if !strings.Contains(string(generated), fmt.Sprintf("id = %q", id)) {
			t.Errorf("no import block names %s:\n%s", id, generated)
		}
	}
	// The query file stays beside the configuration a user commits; plan
	// and apply leave it alone.
	adoptAndCheck(t, srv, run)
}

// terraform plan -generate-config-out, on every CLI: the configuration of
// import blocks (by ID), then the same adoption.
func TestAccAdopt_planGeneratesConfig(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	s := makeStrays(t, srv)
	var imports strings.Builder
	for typ, id := range s.typeIDs {
		imports.WriteString(importByID(typ+".adopted", id))
	}
	run := newCLIRun(t, srv, t.TempDir(), imports.String())
	out, _ := run.run("plan", "-generate-config-out=generated.tf", "-input=false")
	generated, err := os.ReadFile(filepath.Join(run.dir, "generated.tf"))
	if err != nil {
		t.Fatalf("terraform plan -generate-config-out wrote nothing (%v):\n%s", err, out)
	}
	checkGenerated(t, s, string(generated))
	adoptAndCheck(t, srv, run)
}

// skipWithoutQuery skips a test on a CLI without terraform query: OpenTofu,
// or Terraform before 1.14 (failing it instead where query is required).
func skipWithoutQuery(t *testing.T) {
	t.Helper()
	out, err := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "version", "-json").Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &v) != nil {
		t.Fatalf("the CLI's version: %v", err)
	}
	var major, minor int
	_, _ = fmt.Sscanf(v.Version, "%d.%d", &major, &minor)
	switch {
	case cliIsOpenTofu():
		queryVersionChecks(t) // skips, or fails where query is required
	case major == 1 && minor < 14:
		if os.Getenv(envRequireQuery) != "" {
			t.Fatalf("%s is set, but Terraform %s has no terraform query", envRequireQuery, v.Version)
		}
		t.Skipf("Terraform %s has no terraform query (1.14 and later have)", v.Version)
	}
}
