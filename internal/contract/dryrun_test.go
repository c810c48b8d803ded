package contract

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// envDryRunFail turns on TestContractDryRunFailing, in the dry run's child.
const envDryRunFail = "NGROK_CONTRACT_DRY_RUN_FAIL"

// TestContractDryRun runs the real-account mode, exactly as a maintainer
// would, against an emulator posing as the real API: the test binary runs
// itself with NGROK_CONTRACT_API_KEY and NGROK_CONTRACT_API_BASE_URL naming
// the emulator, so TestMain's sweeps, the pacing and every case take the
// real-account path. One case there fails on purpose after creating objects,
// one of them without registering its cleanup. Afterwards the account must
// hold exactly what it held before minus an earlier run's stale leftovers:
// the cases' cleanups removed what they registered (the final sweep found
// only the unregistered object), the first sweep removed the stale ones, and
// neither touched another run's recent objects or anything not the suite's.
func TestContractDryRun(t *testing.T) {
	if live != nil {
		t.Skip("the dry run poses an emulator as the real account; it has nothing to add to a real run")
	}
	var lag atomic.Int64 // how far behind the emulator's clock is
	lag.Store(int64(2 * staleAfter))
	emu := emulator.New(emulator.Options{
		RateLimit: 300, RateWindow: time.Second,
		Now: func() time.Time { return time.Now().Add(-time.Duration(lag.Load())) },
	})
	if err := emu.Start(""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })

	// An earlier run's leftovers, two hours old.
	staleUser := emu.AddUser(namespace+"crashedrun-user-1", true)
	staleKey, err := emu.AddCredential("api_keys", staleUser.ID, emulator.Credential{Description: namespace + "crashedrun-key-2"})
	if err != nil {
		t.Fatal(err)
	}
	lag.Store(0)
	// What no sweep may touch: a run going on at the same time, and the
	// account's own objects.
	otherRun := emu.AddUser(namespace+"otherrun-user-1", true)
	ci := emu.AddUser("production-ci", true)
	ciKey, err := emu.AddCredential("api_keys", ci.ID, emulator.Credential{Description: "contract tests must not touch this"})
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestContract", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(),
		envAPIKey+"="+emu.APIKey(), envBaseURL+"="+emu.URL(), envRate+"=250/1s", envDryRunFail+"=1")
	out, err := cmd.CombinedOutput()
	output := string(out)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("the real-account run: %v; want exit status 1 (one case fails on purpose)\n%s", err, output)
	}
	if failed := regexp.MustCompile(`--- FAIL: (\S+)`).FindAllStringSubmatch(output, -1); len(failed) != 1 || failed[0][1] != "TestContractDryRunFailing" {
		t.Errorf("failed cases %v; want TestContractDryRunFailing alone\n%s", failed, output)
	}
	ran := regexp.MustCompile(`(?m)^=== RUN   TestContract_\w+$`).FindAllString(output, -1)
	passed := regexp.MustCompile(`(?m)^--- PASS: TestContract_\w+`).FindAllString(output, -1)
	if len(ran) < 25 || len(passed) != len(ran)-1 {
		t.Errorf("%d of %d cases passed in the real-account run; want all but the 429 case\n%s", len(passed), len(ran), output)
	}
	if !strings.Contains(output, "--- SKIP: TestContract_RateLimitedReplyHasNoRetryAfter") || !strings.Contains(output, "OBSERVED ") {
		t.Errorf("the real-account run should skip the 429 case and record observations\n%s", output)
	}
	if strings.Contains(output, emu.APIKey()) {
		t.Error("the run's output shows the API key")
	}

	unregistered := match(t, output, `created without a cleanup: (\S+)`)
	if got := sweptIDs(t, output, "stale leftovers of earlier runs"); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values([]string{staleUser.ID, staleKey.ID}))) {
		t.Errorf("the first sweep removed %v; want the stale %s and %s", got, staleUser.ID, staleKey.ID)
	}
	if got := sweptIDs(t, output, "leftovers of this run"); !slices.Equal(got, []string{unregistered}) {
		t.Errorf("the final sweep removed %v; want only %s (the cleanups should have removed the rest)", got, unregistered)
	}

	var users []string
	for _, u := range emu.Users() {
		users = append(users, u.ID)
	}
	if want := []string{ci.ID, otherRun.ID}; !slices.Equal(users, want) {
		t.Errorf("users left %v; want %v", users, want)
	}
	var creds []string
	for _, col := range []string{"api_keys", "credentials", "ssh_credentials"} {
		for _, cr := range emu.Credentials(col) {
			creds = append(creds, cr.ID)
		}
	}
	if !slices.Equal(creds, []string{ciKey.ID}) {
		t.Errorf("credentials left %v; want [%s]", creds, ciKey.ID)
	}
	if n := emu.RateLimited(); n != 0 {
		t.Errorf("the run was rate limited %d times", n)
	}
	if sent, _ := strconv.Atoi(match(t, output, `contract: (\d+) requests sent`)); sent != emu.TotalRequests() {
		t.Errorf("the run reports %d requests sent; the API received %d", sent, emu.TotalRequests())
	}
}

// TestContractDryRunFailing fails on purpose, in the dry run's child only,
// after creating objects the ordinary way and one whose cleanup was never
// registered (as when a create's reply is lost).
func TestContractDryRunFailing(t *testing.T) {
	if os.Getenv(envDryRunFail) == "" || live == nil {
		t.Skip("run by TestContractDryRun only")
	}
	tg := open(t, emulator.Options{})
	owner := tg.user(ngrok.ServiceUsers, "doomed", true)
	tg.user(ngrok.BotUsers, "doomed", true)
	tg.credential(ngrok.APIKeys, "doomed", ngrok.CredentialCreate{OwnerID: owner.ID})
	tg.credential(ngrok.Authtokens, "doomed", ngrok.CredentialCreate{OwnerID: owner.ID})
	u, err := tg.client.Users(ngrok.ServiceUsers).Create(tg.ctx(), ngrok.UserCreate{Name: tg.name("unregistered")})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("created without a cleanup: %s", u.ID)
	t.Fatal("failing on purpose: the cleanups and the final sweep must still remove everything this case created")
}

// match returns the first group of re in s.
func match(t *testing.T, s, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %q in the output:\n%s", re, s)
	}
	return m[1]
}

// sweptIDs reads the IDs a sweep reported.
func sweptIDs(t *testing.T, output, what string) []string {
	t.Helper()
	return strings.Fields(match(t, output, `contract: swept \d+ `+regexp.QuoteMeta(what)+`:([^\n]*)`))
}

// TestContractConfigFromEnv: without a key the suite runs against
// emulators; a malformed pace is refused rather than ignored.
func TestContractConfigFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if acct, err := liveAccountFromEnv(env(nil)); acct != nil || err != nil {
		t.Errorf("without %s: %v, %v; want no account", envAPIKey, acct, err)
	}
	acct, err := liveAccountFromEnv(env(map[string]string{envAPIKey: "k_contract_config"}))
	if err != nil {
		t.Fatal(err)
	}
	if acct.baseURL != ngrok.DefaultBaseURL || !strings.HasPrefix(acct.prefix, namespace) || len(acct.prefix) != len(namespace)+9 {
		t.Errorf("with a key only: %s, prefix %q; want %s and a prefix %s<8 characters>-", acct.baseURL, acct.prefix, ngrok.DefaultBaseURL, namespace)
	}
	for _, rate := range []string{"60", "0/1m", "x/1m", "60/", "60/-1s"} {
		if _, err := liveAccountFromEnv(env(map[string]string{envAPIKey: "k_contract_config", envRate: rate})); err == nil {
			t.Errorf("%s=%q was accepted", envRate, rate)
		}
	}
	if _, err := liveAccountFromEnv(env(map[string]string{envAPIKey: "k_contract_config", envBaseURL: "http://api.example.com"})); err == nil {
		t.Error("a plain-http base URL that is not loopback was accepted")
	}
}
