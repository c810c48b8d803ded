package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/bench"
)

// seededRead is what the reads over a seeded account measure alike: it
// starts s with a fresh emulator seeded with m users and a provider process
// of its own, and runs one measured terraform command, the phase name,
// reading the provider's peak memory after terraform init and after the
// command. rd.Err says why the command did not run or exited non-zero; the
// caller checks the rest in r, and closes s.
func (h *harness) seededRead(ctx context.Context, s *setup, m int, name string, args ...string) (rd bench.SeededRead, r tfResult) {
	rd = bench.SeededRead{Users: m}
	_, err := h.newSetupAt(ctx, s, m)
	if err == nil {
		rd.Before, err = bench.ReadMemory(s.prov.pid)
	}
	if err != nil {
		rd.Err = err.Error()
		return rd, r
	}
	rd.Phase, r, err = h.phase(ctx, s, name, args...)
	if mem, merr := bench.ReadMemory(s.prov.pid); merr == nil {
		rd.After = mem
	}
	if err = exited(r, err); err != nil {
		rd.Err = err.Error()
	}
	return rd, r
}

// dataSource reads ngrok_users over an account of m seeded users.
func (h *harness) dataSource(ctx context.Context, m int) (ds bench.DataSource) {
	logf("ngrok_users over %d users", m)
	body := `
data "ngrok_users" "all" {}

output "user_count" {
  value = length(data.ngrok_users.all.ids)
}
`
	s := h.scaled(fmt.Sprintf("users-%d", m), "", body)
	defer s.Close()
	ds.SeededRead, _ = h.seededRead(ctx, s, m, bench.PhaseRead, "apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", h.o.parallelism))
	if ds.Err != "" {
		return ds
	}
	out, err := s.tf.run(ctx, "output", "-raw", "user_count")
	if err == nil && out.exitCode != 0 {
		err = fmt.Errorf("terraform output exited %d:\n%s", out.exitCode, tail(out.output, 10))
	}
	if err != nil {
		ds.Err = err.Error()
		return ds
	}
	if ds.Listed, err = strconv.Atoi(strings.TrimSpace(out.output)); err != nil || ds.Listed != m {
		ds.Err = fmt.Sprintf("ngrok_users listed %q users, want %d", strings.TrimSpace(out.output), m)
	}
	return ds
}
