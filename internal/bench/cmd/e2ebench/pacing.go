package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/bench"
)

// unpacedLimit is max_requests_per_minute with pacing off in effect: the
// most the provider accepts, far above any N here.
const unpacedLimit = 100000

// pacedCreate creates n users at ngrok's real limit, uncompressed, then the
// same against an unlimited API with pacing off. Nothing is destroyed: each
// apply has its own emulator, dropped afterwards.
func (h *harness) pacedCreate(ctx context.Context, n int) (pc bench.PacedCreate) {
	pc = bench.PacedCreate{N: n}
	logf("pacing: create N=%d at %d per rolling %s, and unpaced", n, ngrokLimit, ngrokWindow)
	body := fmt.Sprintf(`
resource "ngrok_service_user" "bench" {
  count = %d
  name  = format("bench-%%05d", count.index)
}
`, n)
	for _, c := range []struct {
		name            string
		limit, apiLimit int
		into            *bench.Phase
	}{
		{"paced", ngrokLimit, ngrokLimit, &pc.Paced},
		{"unpaced", unpacedLimit, 0, &pc.Unpaced},
	} {
		s, err := h.newSetupAt(ctx, &setup{dir: filepath.Join(h.o.work, fmt.Sprintf("pacing-%d-%s", n, c.name)), body: body,
			limit: c.limit, apiLimit: c.apiLimit, apiWindow: ngrokWindow}, 0)
		if err != nil {
			pc.Err = fmt.Sprintf("%s: %v", c.name, err)
			return pc
		}
		p, r, err := h.phase(ctx, s, bench.PhaseApply, "apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", h.o.parallelism))
		if err == nil && r.exitCode != 0 {
			err = fmt.Errorf("exited %d:\n%s", r.exitCode, tail(r.output, 20))
		}
		if err == nil {
			err = expectUsers(s.api.srv, n)
		}
		s.Close()
		*c.into = p
		if err != nil {
			pc.Err = fmt.Sprintf("%s: %v", c.name, err)
			return pc
		}
	}
	return pc
}
