package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/bench"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

type harness struct {
	o           *options
	res         *bench.Results
	providerBin string
	cliConfig   string
}

// setup is one scenario's world: an emulator, a provider process and a
// Terraform working directory.
type setup struct {
	api  *api
	prov *provider
	tf   *terraform
	dir  string
	mode string // refresh_mode in the provider block; "" leaves the default
	body string // the configuration after the provider block
	// limit is max_requests_per_minute; apiLimit per apiWindow is the
	// emulator's (0: none). newSetup sets all three to the run's scaled limit.
	limit     int
	apiLimit  int
	apiWindow time.Duration
	// rateDir is the provider's NGROK_RATE_LIMIT_DIR; start makes it fresh
	// in dir when empty, so that no two scenarios share a window.
	rateDir string
	// bin is the provider binary; "" is the harness's.
	bin string
	// cli is the terraform binary; "" is terraform on PATH.
	cli string
	// query is main.tfquery.hcl, beside main.tf; "" writes none.
	query string
}

func (s *setup) Close() {
	if s.prov != nil {
		s.prov.Stop()
	}
	if s.api != nil {
		s.api.Close()
	}
}

// writeConfig writes main.tf: the provider block, with limit as
// max_requests_per_minute, followed by the body.
func (s *setup) writeConfig(limit int) error {
	modeLine := ""
	if s.mode != "" {
		modeLine = fmt.Sprintf("  refresh_mode            = %q\n", s.mode)
	}
	config := fmt.Sprintf(`terraform {
  required_providers {
    ngrok = {
      source = "seed-66e0ccfd/ngrok"
    }
  }
}

provider "ngrok" {
  api_key                 = %q
  api_base_url            = %q
  max_requests_per_minute = %d
%s}
%s`, s.api.srv.APIKey(), s.api.url, limit, modeLine, s.body)
	return os.WriteFile(filepath.Join(s.dir, "main.tf"), []byte(config), 0o644)
}

// newSetup starts a fresh emulator (with seed users) and provider, writes
// main.tf with the provider block followed by body, and runs terraform init.
// A fresh emulator per scenario means a fresh rate window: no scenario pays
// for the requests of the one before.
// On error it stops whatever it started.
func (h *harness) newSetup(ctx context.Context, name string, seed int, mode, body string) (*setup, error) {
	return h.newSetupAt(ctx, h.scaled(name, mode, body), seed)
}

// scaled is a setup, not started, in the working directory name, at the
// run's scaled limit.
func (h *harness) scaled(name, mode, body string) *setup {
	return &setup{dir: filepath.Join(h.o.work, name), mode: mode, body: body,
		limit: h.res.Limit, apiLimit: h.res.Limit, apiWindow: h.res.Window}
}

// newSetupAt starts s, with the limits it names.
func (h *harness) newSetupAt(ctx context.Context, s *setup, seed int) (*setup, error) {
	if err := s.start(ctx, h, seed); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// startAPI starts an emulator with the run's latency and the given limit.
func (h *harness) startAPI(limit int, window time.Duration) (*api, error) {
	return startAPI(emulator.Options{
		APIKey:        "emu_e2ebench",
		RateLimit:     limit,
		RateWindow:    window,
		Latency:       h.o.latency,
		LatencyJitter: h.o.jitter,
	})
}

func (s *setup) start(ctx context.Context, h *harness, seed int) error {
	if s.rateDir == "" {
		s.rateDir = filepath.Join(s.dir, "window")
	}
	for _, d := range []string{s.dir, s.rateDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	var err error
	if s.api == nil {
		if s.api, err = h.startAPI(s.apiLimit, s.apiWindow); err != nil {
			return err
		}
	}
	if seed > 0 {
		s.api.srv.SeedUsers(seed, "seeded")
	}
	if s.prov, err = startProvider(ctx, cmp.Or(s.bin, h.providerBin), filepath.Join(s.dir, "provider.log"), s.rateDir, h.o.traceLogs); err != nil {
		return err
	}
	if err := s.writeConfig(s.limit); err != nil {
		return err
	}
	if s.query != "" {
		if err := os.WriteFile(filepath.Join(s.dir, "main.tfquery.hcl"), []byte(s.query), 0o644); err != nil {
			return err
		}
	}
	s.tf = newTerraform(cmp.Or(s.cli, "terraform"), s.dir, h.cliConfig, s.prov.reattach, h.o.cmdTimeout)
	r, err := s.tf.run(ctx, "init", "-input=false", "-no-color")
	if err != nil {
		return err
	}
	if r.exitCode != 0 {
		return fmt.Errorf("terraform init exited %d:\n%s", r.exitCode, tail(r.output, 20))
	}
	return nil
}

// phase runs one measured terraform command: the emulator's counters are
// zeroed before it and read after it.
func (h *harness) phase(ctx context.Context, s *setup, name string, args ...string) (bench.Phase, tfResult, error) {
	s.api.srv.ResetCounts()
	s.api.rec.Take()
	cpu0, _ := bench.ReadCPU(s.prov.pid)
	r, err := s.tf.run(ctx, args...)
	cpu1, _ := bench.ReadCPU(s.prov.pid)
	events := s.api.rec.Take()
	p := bench.Phase{
		Name:        name,
		Command:     s.tf.command(args),
		ExitCode:    r.exitCode,
		Wall:        r.wall,
		Counts:      s.api.srv.RequestCounts(),
		Total:       s.api.srv.TotalRequests(),
		RateLimited: s.api.srv.RateLimited(),
		TFCPU:       r.cpu,
		TFMaxRSSKiB: r.maxRSSKiB,
		ProviderCPU: cpu1 - cpu0,
		Load:        bench.LoadAvg(),
	}
	p.Provider, _ = bench.ReadMemory(s.prov.pid)
	p.APISpan, _ = bench.Span(events, nil)
	p.POSTSpan, _ = bench.Span(events, func(e bench.Event) bool { return strings.HasPrefix(e.Route, "POST ") })
	h.res.Machine.LoadMax = max(h.res.Machine.LoadMax, p.Load)
	if err != nil {
		p.Err = err.Error()
	}
	logf("  %-14s exit %d  %7.1fs  %5d requests  %d×429  (load %.1f)", name, p.ExitCode, p.Wall.Seconds(), p.Total, p.RateLimited, p.Load)
	return p, r, err
}

// scenario manages n users in one refresh mode: create, refresh, no-op
// apply, destroy; and, when it is short enough, the refresh again at the
// real limit of 120 requests a minute.
func (h *harness) scenario(ctx context.Context, n int, mode string) (sc bench.Scenario) {
	sc = bench.Scenario{N: n, Mode: mode}
	logf("N=%d refresh_mode=%s", n, mode)
	body := usersBody(n, userPrefix)
	s, err := h.newSetup(ctx, fmt.Sprintf("n%d-%s", n, mode), 0, mode, body)
	if err != nil {
		sc.Err = err.Error()
		return sc
	}
	defer s.Close()
	defer func() {
		if m, err := bench.ReadMemory(s.prov.pid); err == nil {
			sc.Provider = m
		}
	}()
	par := fmt.Sprintf("-parallelism=%d", h.o.parallelism)
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color", par}
	plan := []string{"plan", "-detailed-exitcode", "-input=false", "-no-color", par}
	var created map[string]string // name -> ID after the create

	type step struct {
		name   string
		args   []string
		before func() error
		check  func(tfResult) error
		after  func() error
	}
	steps := []step{
		{name: bench.PhaseApply, args: apply, check: func(tfResult) error {
			if err := expectUsers(s.api.srv, n, userPrefix); err != nil {
				return err
			}
			created = userIDs(s.api.srv)
			return nil
		}},
		{name: bench.PhasePlan, args: plan, check: func(tfResult) error { return expectUsers(s.api.srv, n, userPrefix) }},
	}
	// The same refresh at ngrok's real limit, in a fresh rate window: only
	// when the scaled plan was short (the naive one of 1,000 users would take
	// over 8 minutes; its lower bound is reported instead).
	realPlan := step{
		name: bench.PhasePlanReal,
		args: plan,
		before: func() error {
			s.api.srv.SetRateLimit(bench.RealLimit, bench.RealWindow)
			// The provider remembers its own requests of the last minute
			// (its window file, in s.dir): start it afresh too.
			if err := clearRateLimitWindows(s.rateDir); err != nil {
				return err
			}
			return s.writeConfig(bench.RealLimit)
		},
		check: func(tfResult) error { return expectUsers(s.api.srv, n, userPrefix) },
		after: func() error {
			s.api.srv.SetRateLimit(h.res.Limit, h.res.Window)
			return s.writeConfig(h.res.Limit)
		},
	}
	rest := []step{
		{name: bench.PhaseNoop, args: apply, check: func(r tfResult) error {
			if !strings.Contains(r.output, "0 added, 0 changed, 0 destroyed") {
				return fmt.Errorf("the second apply was not a no-op:\n%s", tail(r.output, 10))
			}
			if err := expectUsers(s.api.srv, n, userPrefix); err != nil {
				return err
			}
			for name, id := range userIDs(s.api.srv) {
				if created[name] != id {
					return fmt.Errorf("user %s is now %s, was %s", name, id, created[name])
				}
			}
			return nil
		}},
		{name: bench.PhaseDestroy, args: []string{"destroy", "-auto-approve", "-input=false", "-no-color", par}, check: func(tfResult) error {
			return expectUsers(s.api.srv, 0, userPrefix)
		}},
	}

	run := func(st step) bool {
		if st.before != nil {
			if err := st.before(); err != nil {
				sc.Err = fmt.Sprintf("%s: %v", st.name, err)
				return false
			}
		}
		p, r, err := h.phase(ctx, s, st.name, st.args...)
		if err = exited(r, err); err == nil {
			err = st.check(r)
		}
		if err == nil && st.after != nil {
			err = st.after()
		}
		if err != nil {
			p.Err = err.Error()
			sc.Err = fmt.Sprintf("%s: %v", st.name, err)
		}
		sc.Phases = append(sc.Phases, p)
		return err == nil
	}
	for _, st := range steps {
		if !run(st) {
			return sc
		}
	}
	if p := sc.Phase(bench.PhasePlan); p != nil && h.o.realPlanMax > 0 && p.Total <= h.o.realPlanMax {
		if !run(realPlan) {
			return sc
		}
	}
	for _, st := range rest {
		if !run(st) {
			return sc
		}
	}
	return sc
}

// userIDs maps each user's name to its ID.
func userIDs(srv *emulator.Server) map[string]string {
	out := map[string]string{}
	for _, u := range srv.Users() {
		out[u.Name] = u.ID
	}
	return out
}

// expectUsers checks that the account holds exactly the users that
// usersBody(n, prefix) names, for each of prefixes.
func expectUsers(srv *emulator.Server, n int, prefixes ...string) error {
	users := srv.Users()
	if want := n * len(prefixes); len(users) != want {
		return fmt.Errorf("the account holds %d users, want %d", len(users), want)
	}
	seen := make(map[string]bool, len(users))
	for _, u := range users {
		if seen[u.Name] {
			return fmt.Errorf("two users are named %q", u.Name)
		}
		seen[u.Name] = true
	}
	for _, prefix := range prefixes {
		for i := range n {
			if name := fmt.Sprintf("%s-%05d", prefix, i); !seen[name] {
				return fmt.Errorf("no user is named %q", name)
			}
		}
	}
	return nil
}

// clearRateLimitWindows empties the provider's window (see
// NGROK_RATE_LIMIT_DIR in startProvider). Terraform configured the provider
// for the commands before, which wrote the window there: finding none means
// it is kept elsewhere, and the next command would not start afresh.
func clearRateLimitWindows(dir string) error {
	n, err := ngrok.ClearRateLimitWindows(dir)
	if err == nil && n == 0 {
		err = fmt.Errorf("no rate-limit window in %s to clear", dir)
	}
	return err
}
