// Command terraform-provider-ngrok serves the ngrok Terraform provider.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/provider"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

// rateWindow is empty in releases, where the rate limit's window is ngrok's
// minute. Only the end-to-end benchmark sets it, in the binary it builds
// (-ldflags "-X main.rateWindow=6s"), to run the limit on a compressed clock
// across several provider processes.
var rateWindow string

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if !debug {
		silenceUnreadLogs()
	}
	window, err := parseRateWindow(rateWindow)
	if err != nil {
		log.Fatal(err)
	}
	err = providerserver.Serve(context.Background(), provider.NewWithRateWindow(version, window), providerserver.ServeOpts{
		Address: "registry.terraform.io/seed-66e0ccfd/ngrok",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// sdkLogLevels are the variables that set the levels of the plugin SDK's
// loggers and of the provider's own.
var sdkLogLevels = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"}

// silenceUnreadLogs turns the provider's logs off at their source when
// Terraform will throw them away. The plugin SDK logs every RPC at TRACE
// unless told otherwise, as JSON on stderr, which Terraform reads, parses and
// then discards unless TF_LOG or TF_LOG_PROVIDER asks for provider logs: for a
// plan of 1,000 users that is about 40% of the CPU that Terraform and the
// provider spend together. A provider inherits Terraform's environment, so
// no TF_LOG* variable at all means nobody will read the logs; with any of them
// set, nothing is changed. (With -debug the logs go to the developer's
// terminal, so the caller leaves them alone.)
func silenceUnreadLogs() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	for _, name := range sdkLogLevels {
		_ = os.Setenv(name, "off")
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
