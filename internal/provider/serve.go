package provider

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// Source is the provider's source address, as a configuration's
// required_providers names it; Address is its full address on the Terraform
// Registry, which it serves as.
const (
	Source  = "seed-66e0ccfd/ngrok"
	Address = "registry.terraform.io/" + Source
)

// Serve serves the provider made by factory until Terraform stops it, as
// the command's main does. With debug, it serves for a debugger (Terraform
// attaches through TF_REATTACH_PROVIDERS) and leaves the logs alone.
//
// Whatever ends the process, no ephemeral credential it opened outlives it
// if it can help it: once the server has stopped (Terraform stops it at the
// end of a run, including one that failed or was interrupted before it closed
// them), and once Terraform is gone (killed outright), what is still open is
// revoked; and the account's journal lets the next run revoke what a process
// killed outright left (see ephemeralLifetime).
func Serve(factory func() provider.Provider, debug bool) error {
	if !debug {
		silenceUnreadLogs()
		go watchParent(os.Getppid(), time.Second)
	}
	err := providerserver.Serve(context.Background(), factory, providerserver.ServeOpts{Address: Address, Debug: debug})
	revokeOpenEphemerals(shutdownRevokeTimeout)
	return err
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
