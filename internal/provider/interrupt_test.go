package provider

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Ctrl-C while creates wait for the rate limit: the run ends at once; the
// creates that were never sent say so, look for nothing and name no wrong
// api_base_url; the one that was sent is in the emulator, and only it.
func TestAccInterrupt_queuedCreatesEndAtOnce(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	run := newCLIRun(t, srv, t.TempDir(), `
resource "ngrok_service_user" "q" {
  count = 3
  name  = "queued-${count.index}"
}
`)
	// The released provider, whose window is ngrok's minute: one request a
	// minute leaves two of the three creates waiting.
	if err := writeProviderBlock(run, srv, "max_requests_per_minute = 1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd, out := run.command(ctx, "apply", "-auto-approve", "-input=false")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	eventually(t, "no create was sent", func() bool { return len(srv.Users()) == 1 })
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatalf("the interrupted apply succeeded:\n%s", out)
	}
	text := out.String()
	if strings.Count(text, "interrupted before it was sent") != 2 || strings.Contains(text, "api_base_url") {
		t.Errorf("want two creates interrupted before they were sent, and no word of api_base_url:\n%s", text)
	}
	counts := srv.RequestCounts()
	if counts["POST /service_users"] != 1 || counts["GET /service_users"] != 0 || len(srv.Users()) != 1 {
		t.Errorf("requests %v, %d users: want the one POST sent and nothing looked for", counts, len(srv.Users()))
	}
}
