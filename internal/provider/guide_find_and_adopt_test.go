package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// The guide "Find and adopt what nobody manages", on Terraform 1.14 and
// later, as a user runs it: the configuration applied, identities made by
// hand, the nightly script (find.sh) failing and naming each, terraform query
// -generate-config-out adopting them with no change to the account, and the
// script passing once their IDs are recorded as managed.
func TestAccGuideFindAndAdopt(t *testing.T) {
	accPreCheck(t)
	skipWithoutQuery(t)
	srv := testEmulator(t)
	run := newGuideRun(t, srv, guideUnmanaged, "main.tf", "find.tfquery.hcl")
	if out, ok := run.run("apply", "-auto-approve", "-input=false"); !ok {
		t.Fatalf("applying the guide's configuration:\n%s", out)
	}
	if out, code := runFindScript(t, run); code != 0 {
		t.Fatalf("find.sh with nothing unmanaged exited %d:\n%s", code, out)
	}

	// Made by hand, in the dashboard or by a pipeline long deleted.
	user := srv.AddUser("stray", true)
	bot := srv.AddBotUser("stray-bot", true)
	var creds []emulator.Credential
	for _, col := range []string{"api_keys", "credentials", "ssh_credentials"} {
		c, err := srv.AddCredential(col, user.ID, emulator.Credential{Description: "left behind"})
		if err != nil {
			t.Fatal(err)
		}
		creds = append(creds, c)
	}
	out, code := runFindScript(t, run)
	if code != 1 {
		t.Fatalf("find.sh with five unmanaged identities exited %d:\n%s", code, out)
	}
	ids := []string{user.ID, bot.ID}
	for _, c := range creds {
		ids = append(ids, c.ID)
	}
	for _, id := range ids {
		if !strings.Contains(out, id) {
			t.Errorf("find.sh does not name %s:\n%s", id, out)
		}
	}
	if strings.Contains(out, "ci-deploy") || strings.Contains(out, "deploy pipeline") {
		t.Errorf("find.sh names what the configuration manages:\n%s", out)
	}

	if out, ok := run.run("query", "-generate-config-out=adopt.tf"); !ok {
		t.Fatalf("terraform query -generate-config-out:\n%s", out)
	}
	srv.ResetCounts()
	if out, ok := run.run("apply", "-auto-approve", "-input=false"); !ok || !strings.Contains(out, "5 imported, 0 added, 0 changed, 0 destroyed") {
		t.Fatalf("adopting:\n%s", out)
	}
	checkOnlyReads(t, srv, "the adoption")
	// Recorded as managed (the guide: add them to managed_ids), nothing is
	// left to find, and the plan is empty.
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = fmt.Sprintf("%q", id)
	}
	tfvars := "managed_elsewhere = [" + strings.Join(quoted, ", ") + "]\n"
	if err := os.WriteFile(filepath.Join(run.dir, "adopted.auto.tfvars"), []byte(tfvars), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, code := runFindScript(t, run); code != 0 {
		t.Errorf("find.sh after the adoption exited %d:\n%s", code, out)
	}
	if out, ok := run.run("plan", "-detailed-exitcode", "-input=false"); !ok {
		t.Errorf("the plan after the adoption is not empty:\n%s", out)
	}
}

// runFindScript runs the guide's find.sh in the run's directory with the CLI
// under test as `terraform`, and returns its output and exit code.
func runFindScript(t *testing.T, run *cliRun) (string, int) {
	t.Helper()
	bin := filepath.Join(run.dir, ".bin")
	if err := os.MkdirAll(bin, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(os.Getenv("TF_ACC_TERRAFORM_PATH"), filepath.Join(bin, "terraform")); err != nil && !os.IsExist(err) {
		t.Fatal(err)
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "examples", "guides", guideUnmanaged, "find.sh"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Dir = run.dir
	// The last PATH in the environment is the one used.
	cmd.Env = append(slices.Clone(run.env), "PATH="+bin+":"+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}
