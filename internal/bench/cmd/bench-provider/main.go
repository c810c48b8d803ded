// Command bench-provider is the provider as the end-to-end benchmark runs it
// (e2ebench builds it): the released provider, but with ngrok's minute in its
// rate limit replaced by the window given at build time
// (-ldflags "-X main.rateWindow=6s"), so that several provider processes run
// the account's limit on a compressed clock. Releases never contain it.
package main

import (
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/provider"
)

var (
	version    = "0.0.0-bench"
	rateWindow string
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	window, err := parseRateWindow(rateWindow)
	if err != nil {
		log.Fatal(err)
	}
	if err := provider.Serve(provider.NewWithRateWindow(version, window), debug); err != nil {
		log.Fatal(err)
	}
}

// parseRateWindow reads main.rateWindow: "" is ngrok's minute (0 to the
// provider), anything else a positive duration.
func parseRateWindow(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("main.rateWindow %q is not a positive duration", s)
	}
	return d, nil
}
