package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// An ephemeral API key opened for one run, and a resource that uses it (so
// that OpenTofu, too, opens it) and then fails, or sleeps until the test has
// done what it means to do to the run.
const (
	ephemeralRunKey = `
ephemeral "ngrok_api_key" "run" {
  description = "one run"
}
`
	failsAfterOpen = ephemeralRunKey + `
resource "terraform_data" "gate" {
  lifecycle {
    precondition {
      condition     = length(ephemeral.ngrok_api_key.run.token) == 0
      error_message = "the gate is closed"
    }
  }
}
`
	// The filter compiles (so validation lets it through) but is no bool:
	// the API refuses it, after the key was opened.
	badFilterAfterOpen = ephemeralRunKey + `
data "ngrok_users" "broken" {
  filter     = "obj.name"
  depends_on = [ephemeral.ngrok_api_key.run]
}
`
	sleepsWhileOpen = ephemeralRunKey + `
resource "terraform_data" "slow" {
  lifecycle {
    precondition {
      condition     = length(ephemeral.ngrok_api_key.run.token) > 0
      error_message = "the key has no token"
    }
  }
  provisioner "local-exec" {
    command = "touch '%s' && sleep 120"
  }
}
`
)

// A run that fails after it opened an ephemeral credential never closes it:
// the provider revokes it when Terraform stops it.
func TestAccEphemeralLifetime_runFailsAfterOpen(t *testing.T) {
	accPreCheck(t)
	for name, tc := range map[string]struct{ config, failure string }{
		"precondition": {failsAfterOpen, "the gate is closed"},
		"bad filter":   {badFilterAfterOpen, "ERR_NGROK_230"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testEmulator(t)
			run := newCLIRun(t, srv, t.TempDir(), tc.config)
			out, ok := run.run("apply", "-auto-approve", "-input=false")
			if ok || !strings.Contains(out, tc.failure) {
				t.Fatalf("the run did not fail with %q:\n%s", tc.failure, out)
			}
			if n := srv.RequestCounts()["POST /api_keys"]; n == 0 {
				t.Fatalf("no key was opened, so the run proves nothing:\n%s", out)
			}
			if live := srv.Credentials("api_keys"); len(live) != 0 {
				t.Errorf("%d API keys live after the run failed: %+v\n%s", len(live), live, out)
			}
		})
	}
}

// Interrupted (Ctrl-C, which the terminal sends to Terraform and its
// providers alike) while the key is open: nothing stays live.
func TestAccEphemeralLifetime_interrupted(t *testing.T) {
	accPreCheck(t)
	srv, cmd, out := startSleepingRun(t, t.TempDir())
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatalf("the interrupted run succeeded:\n%s", out)
	}
	if live := srv.Credentials("api_keys"); len(live) != 0 {
		t.Errorf("%d API keys live after the interrupted run: %+v\n%s", len(live), live, out)
	}
}

// Terraform killed outright (kill -9), its provider left running: the
// provider sees its parent gone, revokes what is open and exits.
func TestAccEphemeralLifetime_terraformKilled(t *testing.T) {
	accPreCheck(t)
	srv, cmd, _ := startSleepingRun(t, t.TempDir())
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	eventually(t, "the API key stays live after Terraform was killed", func() bool { return len(srv.Credentials("api_keys")) == 0 })
}

// Terraform and its provider killed outright at once: the key is left live,
// in the account's journal, and the next run of the account on the machine
// revokes it (one DELETE) before anything else.
func TestAccEphemeralLifetime_allKilledNextRunRevokes(t *testing.T) {
	accPreCheck(t)
	state := t.TempDir()
	srv, cmd, _ := startSleepingRun(t, state)
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	left := srv.Credentials("api_keys")
	if len(left) != 1 {
		t.Fatalf("%d API keys live after everything was killed; want the one open", len(left))
	}
	srv.ResetCounts()
	next := newCLIRun(t, srv, state, `data "ngrok_users" "any" {}`+"\n")
	if out, ok := next.run("plan", "-input=false"); !ok {
		t.Fatalf("the next run failed:\n%s", out)
	}
	if live := srv.Credentials("api_keys"); len(live) != 0 {
		t.Errorf("%d API keys live after the next run", len(live))
	}
	if n := srv.RequestCounts()["DELETE /api_keys/{id}"]; n != 1 {
		t.Errorf("%d DELETEs, want 1 (of %s)", n, left[0].ID)
	}
	if files, _ := filepath.Glob(filepath.Join(state, "leases-*")); len(files) != 0 {
		t.Errorf("journal files left: %q", files)
	}
}

// startSleepingRun starts an apply that opens the run's key and then sleeps
// in a provisioner, and returns once the key is open and the sleep begun.
// The run's process group is killed when the test ends, whatever became of
// it.
func startSleepingRun(t *testing.T, state string) (*emulator.Server, *exec.Cmd, *bytes.Buffer) {
	t.Helper()
	srv := testEmulator(t)
	marker := filepath.Join(t.TempDir(), "sleeping")
	run := newCLIRun(t, srv, state, fmt.Sprintf(sleepsWhileOpen, marker))
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	t.Cleanup(cancel)
	cmd, buf := run.command(ctx, "apply", "-auto-approve", "-input=false")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	eventually(t, "the apply never reached its provisioner", func() bool {
		_, err := os.Stat(marker)
		return err == nil || cmd.ProcessState != nil
	})
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("the apply ended before its provisioner:\n%s", buf)
	}
	if live := srv.Credentials("api_keys"); len(live) != 1 {
		t.Fatalf("%d API keys live while the run sleeps; want its one", len(live))
	}
	return srv, cmd, buf
}
