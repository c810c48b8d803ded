package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

func noEnv(string) string { return "" }

func TestParseArgs(t *testing.T) {
	var stderr bytes.Buffer
	cfg, err := parseArgs([]string{"-users", "3", "-users-prefix", "ci", "-fault", "503:GET /service_users:2", "-quiet"}, noEnv, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Users != 3 || cfg.UsersPrefix != "ci" || !cfg.Quiet || len(cfg.Faults) != 1 || cfg.Faults[0].Status != 503 || cfg.Faults[0].Times != 2 {
		t.Fatalf("cfg = %+v", cfg)
	}
	if stderr.Len() != 0 {
		t.Fatalf("stderr: %s", stderr.String())
	}

	cfg, err = parseArgs(nil, func(k string) string { return map[string]string{envAPIKey: "from_env"}[k] }, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	def := emulator.DefaultOptions()
	if o := cfg.Options; cfg.Addr != "127.0.0.1:0" || cfg.Users != 0 || cfg.UsersPrefix != emulator.DefaultUsersPrefix ||
		o.APIKey != "from_env" || o.RateLimit != def.RateLimit || o.RateWindow != def.RateWindow {
		t.Fatalf("defaults: %+v", cfg)
	}
	if r := cfg.Options.ServiceUserRolesInReplies; r == nil || !*r {
		t.Fatalf("roles are in replies by default: %v", r)
	}
	cfg, _ = parseArgs([]string{"-service-user-roles-in-replies=false"}, noEnv, &stderr)
	if r := cfg.Options.ServiceUserRolesInReplies; r == nil || *r {
		t.Fatalf("-service-user-roles-in-replies=false: %v", r)
	}
	cfg, _ = parseArgs([]string{"-api-key", "from_flag"}, func(string) string { return "from_env" }, &stderr)
	if cfg.Options.APIKey != "from_flag" {
		t.Fatalf("-api-key lost to the environment: %q", cfg.Options.APIKey)
	}
}

func TestParseArgsRefuses(t *testing.T) {
	// -seed and -seed-prefix were never released spellings of -users and -users-prefix.
	for _, args := range [][]string{{"-users", "x"}, {"-fault", "teapot"}, {"-nope"}, {"extra"}, {"-seed", "3"}, {"-seed-prefix", "ci"}} {
		var stderr bytes.Buffer
		if _, err := parseArgs(args, noEnv, &stderr); err == nil || errors.Is(err, flag.ErrHelp) {
			t.Errorf("%q: err = %v", args, err)
		}
		if !strings.Contains(stderr.String(), "Usage: ngrok-emulator") {
			t.Errorf("%q: no usage on stderr:\n%s", args, stderr.String())
		}
	}
}

// A value the flag's type accepts but the emulator cannot use is refused
// with the flag's name, like any other flag error (main exits 2), instead
// of being read as "unlimited" or the default.
func TestParseArgsRefusesOutOfRangeValues(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-rate-limit", "-5"}, `invalid value "-5" for flag -rate-limit: must be 0 (unlimited) or more`},
		{[]string{"-max-concurrent", "-1"}, `invalid value "-1" for flag -max-concurrent: must be 0 (unlimited) or more`},
		{[]string{"-users", "-3"}, `invalid value "-3" for flag -users: must be 0 or more`},
		{[]string{"-rate-window", "-1s"}, `invalid value "-1s" for flag -rate-window: must be longer than 0s`},
		{[]string{"-rate-window", "0s"}, `invalid value "0s" for flag -rate-window: must be longer than 0s`},
		{[]string{"-latency", "-1s"}, `invalid value "-1s" for flag -latency: must be 0s or more`},
		{[]string{"-latency-jitter", "-2ms"}, `invalid value "-2ms" for flag -latency-jitter: must be 0s or more`},
	} {
		var stderr bytes.Buffer
		_, err := parseArgs(tc.args, noEnv, &stderr)
		if err == nil || errors.Is(err, flag.ErrHelp) || err.Error() != tc.want {
			t.Errorf("%q: err = %v, want %q", tc.args, err, tc.want)
		}
		if !strings.HasPrefix(stderr.String(), tc.want+"\n") || !strings.Contains(stderr.String(), "Usage: ngrok-emulator") {
			t.Errorf("%q: stderr does not start with the error and show the usage:\n%s", tc.args, stderr.String())
		}
	}
	// Every problem is named at once, not one per run.
	var stderr bytes.Buffer
	_, err := parseArgs([]string{"-users", "-1", "-latency", "-1s"}, noEnv, &stderr)
	if err == nil || !strings.Contains(err.Error(), "-users") || !strings.Contains(err.Error(), "-latency") {
		t.Errorf("two bad values: err = %v", err)
	}
	// The boundaries are accepted.
	if _, err := parseArgs([]string{"-rate-limit", "0", "-max-concurrent", "0", "-users", "0", "-latency", "0s", "-latency-jitter", "0s", "-rate-window", "1ns"}, noEnv, &stderr); err != nil {
		t.Errorf("boundary values: %v", err)
	}
}

// The fault grammar lives in emulator.FaultGrammar; -help prints it whole.
func TestHelpPrintsEveryFlagAndTheFaultGrammar(t *testing.T) {
	var stderr bytes.Buffer
	if _, err := parseArgs([]string{"-help"}, noEnv, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	help := stderr.String()
	if !strings.Contains(help, emulator.FaultGrammar) {
		t.Errorf("-help lacks the fault grammar:\n%s", help)
	}
	for _, name := range flagNames(t) {
		if !strings.Contains(help, "  -"+name+" ") && !strings.Contains(help, "  -"+name+"\n") {
			t.Errorf("-help lacks -%s", name)
		}
	}
}

// Whoever opens the emulator to the network learns from -help that the
// provider on another machine cannot use it without a TLS proxy.
func TestHelpSaysWhoCanUseARemoteEmulator(t *testing.T) {
	var stderr bytes.Buffer
	if _, err := parseArgs([]string{"-help"}, noEnv, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	_, entry, _ := strings.Cut(stderr.String(), "  -allow-remote\n")
	entry, _, _ = strings.Cut(entry, "\n  -")
	entry = strings.Join(strings.Fields(entry), " ")
	for _, want := range []string{"no TLS", "refuses plain http to any host but a loopback one", "curl", "TLS-terminating proxy"} {
		if !strings.Contains(entry, want) {
			t.Errorf("-help's -allow-remote entry lacks %q: %q", want, entry)
		}
	}
}

// The grammar's examples are what a reader copies: each one is accepted by -fault.
func TestFaultGrammarExamplesParse(t *testing.T) {
	_, examples, ok := strings.Cut(emulator.FaultGrammar, "Examples:\n")
	if !ok {
		t.Fatal("FaultGrammar has no examples")
	}
	var args []string
	for _, spec := range regexp.MustCompile(`\s{2,}|\n`).Split(strings.TrimSpace(examples), -1) {
		args = append(args, "-fault", spec)
	}
	var stderr bytes.Buffer
	cfg, err := parseArgs(args, noEnv, &stderr)
	if err != nil || len(cfg.Faults) != len(args)/2 || len(cfg.Faults) < 5 {
		t.Fatalf("examples %q: %d faults, %v\n%s", args, len(cfg.Faults), err, stderr.String())
	}
}

// The README's emulator section names every flag and every environment
// variable the command reads or prints, so that the list cannot go stale.
func TestREADMEListsEveryFlagAndVariable(t *testing.T) {
	section := readmeSection(t, "## Using the emulator with your own configurations")
	for _, name := range flagNames(t) {
		if !regexp.MustCompile("`-" + regexp.QuoteMeta(name) + "[` ]").MatchString(section) {
			t.Errorf("README.md's emulator section does not list the flag -%s", name)
		}
	}
	for _, v := range envVars(t) {
		if !strings.Contains(section, "`"+v+"`") {
			t.Errorf("README.md's emulator section does not list the environment variable %s", v)
		}
	}
}

func flagNames(t *testing.T) []string {
	t.Helper()
	var names []string
	newFlagSet(&emulator.Config{}, io.Discard).VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(names) < 10 {
		t.Fatalf("only %d flags: %v", len(names), names)
	}
	return names
}

// envVars are the variable the command reads and the ones a running
// emulator prints and writes to -env-file, as it prints them. The env file
// is read while the emulator runs: it is removed when the emulator stops.
func envVars(t *testing.T) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	envFile := filepath.Join(t.TempDir(), "env")
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- emulator.Run(ctx, emulator.Config{Quiet: true, EnvFile: envFile}, outW, io.Discard)
		_ = outW.Close()
	}()
	var printed []string
	lines := bufio.NewScanner(outR)
	for len(printed) < 3 && lines.Scan() {
		printed = append(printed, lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	written, err := os.ReadFile(envFile)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	vars := []string{envAPIKey}
	for _, line := range append(printed, strings.Split(string(written), "\n")...) {
		if name, _, ok := strings.Cut(strings.TrimPrefix(line, "export "), "="); ok && !slices.Contains(vars, name) {
			vars = append(vars, name)
		}
	}
	if len(vars) < 4 {
		t.Fatalf("variables: %v", vars)
	}
	return vars
}

// readmeSection returns README.md from the heading to the next heading, so
// a mention in some other part does not count. A "#" in a code block (a
// shell comment) is not a heading.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var section []string
	in, fenced := false, false
	for _, line := range strings.Split(string(readme), "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			fenced = !fenced
		case line == heading:
			in = true
			continue
		case in && !fenced && strings.HasPrefix(line, "#"):
			return strings.Join(section, "\n")
		}
		if in {
			section = append(section, line)
		}
	}
	if !in {
		t.Fatalf("README.md has no %q", heading)
	}
	return strings.Join(section, "\n")
}
