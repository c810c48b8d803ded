package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/bench"
)

// pacedCreate creates n users at ngrok's real limit, uncompressed, then the
// same against an unlimited API with pacing off. Nothing is destroyed: each
// apply has its own emulator, dropped afterwards.
func (h *harness) pacedCreate(ctx context.Context, n int) (pc bench.PacedCreate) {
	pc = bench.PacedCreate{N: n}
	logf("pacing: create N=%d at %d per rolling %s, and unpaced", n, bench.RealLimit, bench.RealWindow)
	body := usersBody(n, userPrefix)
	for _, c := range []struct {
		name            string
		limit, apiLimit int
		into            *bench.Phase
	}{
		{"paced", bench.RealLimit, bench.RealLimit, &pc.Paced},
		{"unpaced", bench.UnpacedLimit, 0, &pc.Unpaced},
	} {
		s, err := h.newSetupAt(ctx, &setup{dir: filepath.Join(h.o.work, fmt.Sprintf("pacing-%d-%s", n, c.name)), body: body,
			limit: c.limit, apiLimit: c.apiLimit, apiWindow: bench.RealWindow}, 0)
		if err != nil {
			pc.Err = fmt.Sprintf("%s: %v", c.name, err)
			return pc
		}
		p, r, err := h.phase(ctx, s, bench.PhaseApply, "apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", h.o.parallelism))
		if err = exited(r, err); err == nil {
			err = expectUsers(s.api.srv, n, userPrefix)
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
