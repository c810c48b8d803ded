// Command ngrok-emulator serves an in-memory, ngrok-compatible Service Users
// and credentials API on this machine, so the Terraform provider can be tried offline:
//
//	ngrok-emulator -seed 3 -env-file /tmp/ngrok.env &
//	. /tmp/ngrok.env && terraform apply
//
// It prints NGROK_API_BASE_URL, NGROK_API_KEY and the account user's ID
// (NGROK_EMULATOR_ACCOUNT_USER_ID) to stdout once listening,
// logs each request to stderr, and stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

func main() {
	cfg := emulator.Config{Options: emulator.DefaultOptions()}
	flag.StringVar(&cfg.Addr, "addr", "127.0.0.1:0", "listen `address`; port 0 picks a free port")
	flag.BoolVar(&cfg.AllowRemote, "allow-remote", false, "allow a non-loopback -addr (the emulator has no TLS)")
	flag.StringVar(&cfg.Options.APIKey, "api-key", "", "the API `key` clients must send (default $NGROK_EMULATOR_API_KEY, else generated)")
	flag.StringVar(&cfg.Options.AgentAuthtoken, "agent-authtoken", "", "an agent authtoken `TOKEN` that is refused as an API key with ERR_NGROK_207, as the real API does")
	flag.IntVar(&cfg.Options.RateLimit, "rate-limit", cfg.Options.RateLimit, "requests allowed per -rate-window; 0 = unlimited")
	flag.DurationVar(&cfg.Options.RateWindow, "rate-window", cfg.Options.RateWindow, "rolling window of -rate-limit")
	flag.DurationVar(&cfg.Options.Latency, "latency", 0, "delay added to every request")
	flag.DurationVar(&cfg.Options.LatencyJitter, "latency-jitter", 0, "random extra delay, up to this much")
	flag.IntVar(&cfg.Options.MaxConcurrent, "max-concurrent", 0, "requests allowed in flight at once; 0 = unlimited")
	flag.BoolVar(&cfg.Options.SeparateCollections, "separate-collections", false, "serve bot_ users only under /bot_users and service_ users only under /service_users")
	flag.BoolVar(&cfg.Options.RefuseInactiveOwner, "refuse-inactive-owner", false, "refuse to create a credential for an inactive user (ERR_NGROK_636) instead of creating one that does not work until the user is active")
	flag.BoolVar(&cfg.Options.KeepOrphanedCredentials, "keep-orphaned-credentials", false, "keep a deleted user's credentials (still listed, still working) instead of deleting them with the user")
	flag.IntVar(&cfg.Seed, "seed", 0, "create `N` service users before serving")
	flag.StringVar(&cfg.SeedPrefix, "seed-prefix", "seeded", "name prefix of the -seed users (prefix-0001, ...)")
	flag.Func("fault", "inject a fault described by `SPEC` (repeatable; grammar below)", func(spec string) error {
		f, err := emulator.ParseFault(spec)
		if err == nil {
			cfg.Faults = append(cfg.Faults, f)
		}
		return err
	})
	flag.StringVar(&cfg.EnvFile, "env-file", "", "write `PATH` with export lines for NGROK_API_BASE_URL and NGROK_API_KEY (mode 0600)")
	flag.BoolVar(&cfg.Quiet, "quiet", false, "do not log each request")
	flag.Usage = func() {
		out := flag.CommandLine.Output()
		_, _ = fmt.Fprintf(out, "Usage: ngrok-emulator [flags]\n\nServes an in-memory ngrok Service Users API, with API keys, agent authtokens and SSH keys, for offline use.\n\nFlags:\n")
		flag.PrintDefaults()
		_, _ = fmt.Fprintf(out, "\nFault SPEC (-fault):\n%s\n", emulator.FaultGrammar)
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if cfg.Options.APIKey == "" {
		cfg.Options.APIKey = os.Getenv("NGROK_EMULATOR_API_KEY")
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
