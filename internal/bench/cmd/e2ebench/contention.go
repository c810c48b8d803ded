package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/bench"
)

// userPrefix begins the names of the users a scenario manages.
const userPrefix = "bench"

// usersBody is a configuration of n service users named prefix-00000 on
// (see expectUsers).
func usersBody(n int, prefix string) string {
	return fmt.Sprintf(`
resource "ngrok_service_user" "bench" {
  count = %d
  name  = format("%s-%%05d", count.index)
}
`, n, prefix)
}

// pacedPlan creates n users with pacing off, then plans them rounds times
// with pacing off and at ngrok's real limit with pacing on, alternately, in
// one provider process.
func (h *harness) pacedPlan(ctx context.Context, n, rounds int) (pp bench.PacedPlan) {
	pp = bench.PacedPlan{N: n}
	logf("plan of %d users, paced at %d per rolling %s and unpaced, %d rounds", n, bench.RealLimit, bench.RealWindow, rounds)
	s, err := h.newSetupAt(ctx, &setup{dir: filepath.Join(h.o.work, fmt.Sprintf("plan-%d", n)), body: usersBody(n, userPrefix),
		limit: bench.UnpacedLimit, apiWindow: bench.RealWindow}, 0)
	if err != nil {
		pp.Err = err.Error()
		return pp
	}
	defer s.Close()
	par := fmt.Sprintf("-parallelism=%d", h.o.parallelism)
	_, r, err := h.phase(ctx, s, bench.PhaseApply, "apply", "-auto-approve", "-input=false", "-no-color", par)
	if err = exited(r, err); err == nil {
		err = expectUsers(s.api.srv, n, userPrefix)
	}
	if err != nil {
		pp.Err = fmt.Sprintf("create: %v", err)
		return pp
	}
	plan := func(name string, apiLimit, limit int, into *[]bench.Phase) error {
		s.api.srv.SetRateLimit(apiLimit, bench.RealWindow)
		// The create's requests are in the window file: a paced plan starts
		// from a fresh window, as the emulator's does.
		if err := clearRateLimitWindows(s.rateDir); err != nil {
			return err
		}
		if err := s.writeConfig(limit); err != nil {
			return err
		}
		p, r, err := h.phase(ctx, s, name, "plan", "-detailed-exitcode", "-input=false", "-no-color", par)
		if err = exited(r, err); err != nil {
			p.Err = err.Error()
		}
		*into = append(*into, p)
		return err
	}
	for range rounds {
		if err := plan("plan unpaced", 0, bench.UnpacedLimit, &pp.Unpaced); err != nil {
			pp.Err = fmt.Sprintf("unpaced plan: %v", err)
			return pp
		}
		if err := plan("plan paced", bench.RealLimit, bench.RealLimit, &pp.Paced); err != nil {
			pp.Err = fmt.Sprintf("paced plan: %v", err)
			return pp
		}
	}
	return pp
}

// parallelApplies starts applies terraform apply at once, each creating
// users users in its own working directory, against one emulator and one API
// key; a provider process per directory, their windows in one directory.
// The limit is ngrok's with its window divided by compression, at the
// emulator and in the provider (bin is built with that window).
func (h *harness) parallelApplies(ctx context.Context, bin string, applies, users, compression int) (pa bench.ParallelApplies) {
	window := bench.RealWindow / time.Duration(compression)
	pa = bench.ParallelApplies{Users: users, Limit: bench.RealLimit, Window: window, Applies: make([]bench.Phase, applies)}
	logf("%d parallel applies of %d users, %d per rolling %s", applies, users, bench.RealLimit, window)
	api, err := h.startAPI(bench.RealLimit, window)
	if err != nil {
		pa.Err = err.Error()
		return pa
	}
	defer api.Close()
	root := filepath.Join(h.o.work, fmt.Sprintf("parallel-%dx%d", applies, users))
	var setups []*setup
	prefixes := make([]string, applies)
	for i := range prefixes {
		prefixes[i] = fmt.Sprintf("%s-%d", userPrefix, i)
	}
	defer func() {
		for _, s := range setups {
			s.prov.Stop()
		}
	}()
	for i := range applies {
		s := &setup{api: api, dir: filepath.Join(root, fmt.Sprintf("apply-%d", i)), body: usersBody(users, prefixes[i]),
			limit: bench.RealLimit, rateDir: filepath.Join(root, "window"), bin: bin}
		if err := s.start(ctx, h, 0); err != nil {
			if s.prov != nil {
				s.prov.Stop()
			}
			pa.Err = err.Error()
			return pa
		}
		setups = append(setups, s)
	}

	api.srv.ResetCounts()
	api.rec.Take()
	errs := make([]error, applies)
	var wg sync.WaitGroup
	start := time.Now()
	for i, s := range setups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := []string{"apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", h.o.parallelism)}
			r, err := s.tf.run(ctx, args...)
			pa.Applies[i] = bench.Phase{Name: bench.PhaseApply, Command: s.tf.command(args), ExitCode: r.exitCode, Wall: r.wall, TFCPU: r.cpu, TFMaxRSSKiB: r.maxRSSKiB}
			if errs[i] = exited(r, err); errs[i] != nil {
				pa.Applies[i].Err = errs[i].Error()
			}
		}()
	}
	wg.Wait()
	pa.Wall = time.Since(start)
	pa.Counts, pa.Total, pa.RateLimited = api.srv.RequestCounts(), api.srv.TotalRequests(), api.srv.RateLimited()
	pa.POSTSpan, _ = bench.Span(api.rec.Take(), func(e bench.Event) bool { return strings.HasPrefix(e.Route, "POST ") })
	logf("  %d applies      exits %s  %7.1fs  %5d requests  %d×429", applies, bench.ExitCodes(pa.Applies), pa.Wall.Seconds(), pa.Total, pa.RateLimited)
	err = errors.Join(errs...)
	if err == nil {
		err = expectUsers(api.srv, users, prefixes...)
	}
	if err != nil {
		pa.Err = err.Error()
	}
	return pa
}

// exited is err, or an error naming the exit code and the output's tail when
// terraform exited non-zero (for plan -detailed-exitcode, 2 is a non-empty
// plan: drift where none is expected).
func exited(r tfResult, err error) error {
	if err == nil && r.exitCode != 0 {
		err = fmt.Errorf("exited %d:\n%s", r.exitCode, tail(r.output, 20))
	}
	return err
}
