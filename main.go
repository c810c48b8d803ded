// Command terraform-provider-ngrok serves the ngrok Terraform provider.
package main

import (
	"flag"
	"log"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/provider"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if err := provider.Serve(provider.New(version), debug); err != nil {
		log.Fatal(err)
	}
}
