// Command ngrok-emulator serves an in-memory, ngrok-compatible Service Users
// and credentials API on this machine, so the Terraform provider can be tried offline:
//
//	ngrok-emulator -users 3 -env-file /tmp/ngrok.env &
//	. /tmp/ngrok.env && terraform apply
//
// It prints NGROK_API_BASE_URL, NGROK_API_KEY and the account user's ID
// (NGROK_EMULATOR_ACCOUNT_USER_ID) to stdout once listening,
// logs each request to stderr, and stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// envAPIKey is the key clients must send when -api-key is not given.
const envAPIKey = "NGROK_EMULATOR_API_KEY"

// allowRemoteUsage says who can use a remote emulator: the provider itself
// sends plain http only to a loopback host (the API key would otherwise
// cross the network unencrypted), so from another machine it needs a proxy
// that adds TLS.
const allowRemoteUsage = "allow a non-loopback -addr. The emulator has no TLS, and the Terraform provider refuses plain http to any host but a loopback one, " +
	"so from other machines it serves only clients such as curl and scripts, or the provider through a TLS-terminating proxy in front of it"

func main() {
	cfg, err := parseArgs(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		os.Exit(2) // the flag set has printed the error and the usage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal during the graceful shutdown kills at once
	}()
	if err := emulator.Run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		_, _ = fmt.Fprintln(os.Stderr, "ngrok-emulator:", err)
		os.Exit(1)
	}
}

// parseArgs reads the command line into a Config, taking the API key from
// getenv when no flag sets it. Usage and errors go to stderr.
func parseArgs(args []string, getenv func(string) string, stderr io.Writer) (emulator.Config, error) {
	var cfg emulator.Config
	fs := newFlagSet(&cfg, stderr)
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		_, _ = fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := checkRanges(cfg); err != nil {
		_, _ = fmt.Fprintln(stderr, err)
		fs.Usage()
		return cfg, err
	}
	if cfg.Options.APIKey == "" {
		cfg.Options.APIKey = getenv(envAPIKey)
	}
	return cfg, nil
}

// checkRanges refuses values the flag types accept but the emulator cannot
// use. Left alone, a negative limit or count is silently read as "none" and a
// non-positive window as the default, so a typo would run an emulator other
// than the one asked for. The messages follow the flag package's own.
func checkRanges(cfg emulator.Config) error {
	var errs []error
	refuse := func(name string, value any, want string) {
		errs = append(errs, fmt.Errorf("invalid value \"%v\" for flag -%s: %s", value, name, want))
	}
	o := cfg.Options
	for _, f := range []struct {
		name  string
		value int
		want  string
	}{
		{"rate-limit", o.RateLimit, "must be 0 (unlimited) or more"},
		{"max-concurrent", o.MaxConcurrent, "must be 0 (unlimited) or more"},
		{"users", cfg.Users, "must be 0 or more"},
	} {
		if f.value < 0 {
			refuse(f.name, f.value, f.want)
		}
	}
	if o.RateWindow <= 0 {
		refuse("rate-window", o.RateWindow, "must be longer than 0s")
	}
	for _, f := range []struct {
		name  string
		value time.Duration
	}{{"latency", o.Latency}, {"latency-jitter", o.LatencyJitter}} {
		if f.value < 0 {
			refuse(f.name, f.value, "must be 0s or more")
		}
	}
	return errors.Join(errs...)
}

// newFlagSet registers every flag of the command on cfg.
func newFlagSet(cfg *emulator.Config, stderr io.Writer) *flag.FlagSet {
	cfg.Options = emulator.DefaultOptions()
	fs := flag.NewFlagSet("ngrok-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:0", "listen `address`; port 0 picks a free port")
	fs.BoolVar(&cfg.AllowRemote, "allow-remote", false, allowRemoteUsage)
	fs.StringVar(&cfg.Options.APIKey, "api-key", "", "the API `key` clients must send (default $"+envAPIKey+", else generated)")
	fs.StringVar(&cfg.Options.AgentAuthtoken, "agent-authtoken", "", "an agent authtoken `TOKEN` that is refused as an API key with ERR_NGROK_207, as the real API does")
	fs.IntVar(&cfg.Options.RateLimit, "rate-limit", cfg.Options.RateLimit, "requests allowed per -rate-window; 0 = unlimited")
	fs.DurationVar(&cfg.Options.RateWindow, "rate-window", cfg.Options.RateWindow, "rolling window of -rate-limit")
	fs.DurationVar(&cfg.Options.Latency, "latency", 0, "delay added to every request")
	fs.DurationVar(&cfg.Options.LatencyJitter, "latency-jitter", 0, "random extra delay, up to this much")
	fs.IntVar(&cfg.Options.MaxConcurrent, "max-concurrent", 0, "requests allowed in flight at once; 0 = unlimited")
	fs.BoolVar(&cfg.Options.SeparateCollections, "separate-collections", false, "serve bot_ users only under /bot_users and service_ users only under /service_users")
	fs.BoolVar(&cfg.Options.RefuseInactiveOwner, "refuse-inactive-owner", false, "refuse to create a credential for an inactive user (ERR_NGROK_636) instead of creating one that does not work until the user is active")
	fs.BoolVar(&cfg.Options.KeepOrphanedCredentials, "keep-orphaned-credentials", false, "keep a deleted user's credentials (still listed, still working) instead of deleting them with the user")
	cfg.Options.ServiceUserRolesInReplies = new(true)
	fs.BoolVar(cfg.Options.ServiceUserRolesInReplies, "service-user-roles-in-replies", true, "show service users' roles in /service_users replies; false leaves the field out of every reply (roles are still stored and enforced)")
	fs.IntVar(&cfg.Users, "users", 0, "create `N` service users before serving")
	fs.StringVar(&cfg.UsersPrefix, "users-prefix", emulator.DefaultUsersPrefix, "name `prefix` of the -users users (prefix-0001, ...)")
	fs.Func("fault", "inject a fault described by `SPEC` (repeatable; grammar below)", func(spec string) error {
		f, err := emulator.ParseFault(spec)
		if err == nil {
			cfg.Faults = append(cfg.Faults, f)
		}
		return err
	})
	fs.StringVar(&cfg.EnvFile, "env-file", "", "write `PATH` with export lines for NGROK_API_BASE_URL and NGROK_API_KEY (mode 0600); removed when the emulator stops")
	fs.BoolVar(&cfg.Quiet, "quiet", false, "do not log each request")
	fs.Usage = func() {
		out := fs.Output()
		_, _ = fmt.Fprintf(out, "Usage: ngrok-emulator [flags]\n\nServes an in-memory ngrok Service Users API, with API keys, agent authtokens and SSH keys, for offline use.\n"+
			"Once listening it prints NGROK_API_BASE_URL, NGROK_API_KEY and NGROK_EMULATOR_ACCOUNT_USER_ID lines to stdout.\n\nFlags:\n")
		fs.PrintDefaults()
		_, _ = fmt.Fprintf(out, "\nFault SPEC (-fault):\n%s\n", emulator.FaultGrammar)
	}
	return fs
}
