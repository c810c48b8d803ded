// Helpers that write the Terraform configurations the tests apply: provider
// blocks, users, and import and moved blocks; and a provider block through a
// proxy that records what each request sent.
package provider

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// providerBlock configures the provider for an emulator, with extra
// settings (such as "max_retries = 1") a line each.
func providerBlock(srv *emulator.Server, extra ...string) string {
	return providerWith(append([]string{
		fmt.Sprintf("api_key      = %q", srv.APIKey()),
		fmt.Sprintf("api_base_url = %q", srv.URL()),
	}, extra...)...)
}

// providerWith is a provider block with exactly the given settings, a line
// each, such as `api_key = "k"`.
func providerWith(settings ...string) string {
	body := ""
	for _, s := range settings {
		body += "  " + s + "\n"
	}
	return fmt.Sprintf(`provider "ngrok" {
%[1]s}
`, body)
}

// manyUsersConfig is n service users named managed-0 … managed-(n-1), with
// extra provider settings.
func manyUsersConfig(srv *emulator.Server, n int, extra ...string) string {
	return providerBlock(srv, extra...) + fmt.Sprintf(`
resource "ngrok_service_user" "many" {
  count = %d
  name  = "managed-${count.index}"
}
`, n)
}

// importByID is an import block that adopts id at addr.
func importByID(addr, id string) string {
	return fmt.Sprintf(`import {
  to = %[1]s
  id = %[2]q
}
`, addr, id)
}

// importByIdentity is an import block that adopts the identity { id } at addr.
func importByIdentity(addr, id string) string {
	return fmt.Sprintf(`import {
  to       = %[1]s
  identity = {
    id = %[2]q
  }
}
`, addr, id)
}

const userAddr = "ngrok_service_user.ci"

// ciUser is the service user "ci", beside a provider block of a test's own.
const ciUser = `
resource "ngrok_service_user" "ci" {
  name = "ci"
}
`

func userConfig(srv *emulator.Server, name string, active *bool) string {
	return userConfigOf(srv, "ngrok_service_user", name, active)
}

// userConfigOf is a configuration of one user resource named "ci" of the
// given type, with active left to its default when nil.
func userConfigOf(srv *emulator.Server, typ, name string, active *bool) string {
	activeLine := ""
	if active != nil {
		activeLine = fmt.Sprintf("  active = %t\n", *active)
	}
	return providerBlock(srv) + fmt.Sprintf(`resource %[1]q "ci" {
  name = %[2]q
%[3]s}
`, typ, name, activeLine)
}

const botUserAddr = "ngrok_bot_user.ci"

func botUserConfig(srv *emulator.Server, name string, active *bool) string {
	return userConfigOf(srv, "ngrok_bot_user", name, active)
}

// publishedSource requires the provider by its registry address, as the
// guides do and as asPublished serves it.
const publishedSource = `terraform {
  required_providers {
    ngrok = {
      source = "` + ownProviderSource + `"
    }
  }
}
`

// movedBlock is a moved block from one address to another.
func movedBlock(from, to string) string {
	return fmt.Sprintf(`moved {
  from = %[1]s
  to   = %[2]s
}
`, from, to)
}

// bodyRecorder serves an emulator through a proxy of its own, keeping the
// body of every request by emulator.RouteKey ("PATCH /service_users/{id}"):
// for checks of exactly what a write sent.
type bodyRecorder struct {
	URL    string
	mu     sync.Mutex
	bodies map[string][]string
}

func recordBodies(t *testing.T, srv *emulator.Server) *bodyRecorder {
	t.Helper()
	rec := &bodyRecorder{bodies: map[string][]string{}}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec.mu.Lock()
		rec.bodies[emulator.RouteKey(r)] = append(rec.bodies[emulator.RouteKey(r)], string(body))
		rec.mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	rec.URL = proxy.URL
	return rec
}

// provider is a provider block that reaches srv through the recorder.
func (b *bodyRecorder) provider(srv *emulator.Server) string {
	return providerWith(fmt.Sprintf("api_key      = %q", srv.APIKey()), fmt.Sprintf("api_base_url = %q", b.URL))
}

// checkSent checks the bodies sent to route since the last reset, in order.
func (b *bodyRecorder) checkSent(route string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		b.mu.Lock()
		got := slices.Clone(b.bodies[route])
		b.mu.Unlock()
		if !slices.Equal(got, want) {
			return fmt.Errorf("%s sent %q, want %q", route, got, want)
		}
		return nil
	}
}

// reset forgets the bodies recorded so far.
func (b *bodyRecorder) reset() {
	b.mu.Lock()
	b.bodies = map[string][]string{}
	b.mu.Unlock()
}
