// Command e2ebench is the end-to-end benchmark behind make bench: it builds
// the provider, serves the ngrok API from the in-process emulator on
// 127.0.0.1 with latency and a (scaled) rate limit, starts the provider with
// -debug and points every terraform command at it with TF_REATTACH_PROVIDERS,
// and measures apply, plan, a no-op apply and destroy of N managed users in
// each refresh_mode, an ngrok_users read over a seeded account, and
// terraform query of the same (with -terraform-latest, Terraform 1.14+).
//
// It writes the results as JSON and as the generated section of
// BENCHMARKS.md. It stops by itself (every step has a deadline), and it
// stops the provider processes it started and the emulators on every exit
// path; the provider processes also die with it if it is killed.
//
//	go run ./internal/bench/cmd/e2ebench -scale 8 -markdown BENCHMARKS.md
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/bench"
)

type options struct {
	root        string
	work        string
	scale       int
	sizes       []int
	modes       []string
	dataSizes   []int
	querySizes  []int
	pacingSizes []int
	planUsers   int
	planRounds  int
	parallel    parallelRun
	latency     time.Duration
	jitter      time.Duration
	parallelism int
	timeout     time.Duration
	cmdTimeout  time.Duration
	realPlanMax int
	goBench     string
	markdown    string
	jsonOut     string
	quick       bool
	command     string
	traceLogs   bool
	render      string
	// terraformLatest is a Terraform with terraform query (1.14 or later).
	terraformLatest string
}

func main() {
	os.Exit(run())
}

// lists are the flags read as lists, before parsing.
type lists struct{ sizes, modes, dataSizes, querySizes, pacingSizes, parallel string }

// quickFlags are what -quick sets, each unless given.
var quickFlags = []struct{ name, value string }{
	{"sizes", "100"}, {"data-sizes", "1000"}, {"pacing-sizes", "10,40"}, {"plan-users", "100"}, {"query-sizes", "1000"},
}

// defineFlags defines the command's flags on fs, into o and l.
func defineFlags(fs *flag.FlagSet, o *options, l *lists) {
	quick := make([]string, len(quickFlags))
	for i, q := range quickFlags {
		quick[i] = "-" + q.name + " " + q.value
	}
	fs.StringVar(&o.root, "root", ".", "the module root (where go.mod is)")
	fs.StringVar(&o.work, "work", ".bench/e2e", "scratch directory for binaries, configurations, state and logs (emptied first)")
	fs.IntVar(&o.scale, "scale", 8, "time compression S: the emulator admits 120×S requests per rolling 60 s and the provider is told max_requests_per_minute = 120×S")
	fs.StringVar(&l.sizes, "sizes", "100,1000", "numbers N of managed ngrok_service_user resources, comma-separated")
	fs.StringVar(&l.modes, "modes", "get,auto", "refresh_mode values to compare, comma-separated")
	fs.StringVar(&l.dataSizes, "data-sizes", "1000,3000,10000", "numbers of seeded users the ngrok_users data source reads, comma-separated")
	fs.StringVar(&l.querySizes, "query-sizes", "10000", "numbers of seeded users terraform query lists (limit = each), with include_resource false and true, comma-separated; \"none\" skips them")
	fs.StringVar(&o.terraformLatest, "terraform-latest", "", "the Terraform that runs terraform query (1.14 or later); without one the query is skipped, and the report says why")
	fs.StringVar(&l.pacingSizes, "pacing-sizes", "10,40,100,200,1000", "numbers N of users created at ngrok's real limit, paced and not, comma-separated; \"none\" skips them")
	fs.IntVar(&o.planUsers, "plan-users", 1000, "number of users planned at ngrok's real limit with pacing on, against pacing off; 0 skips it")
	fs.IntVar(&o.planRounds, "plan-rounds", 5, "rounds of the plan with pacing on and off (the report compares medians)")
	fs.StringVar(&l.parallel, "parallel", "3x50/10", "parallel applies on one account: APPLIESxUSERS/C, each apply creating USERS users, the limit's window divided by C; \"none\" skips them")
	fs.DurationVar(&o.latency, "latency", 20*time.Millisecond, "emulator latency per request")
	fs.DurationVar(&o.jitter, "jitter", 30*time.Millisecond, "emulator extra random latency, up to this much")
	fs.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism (10 is Terraform's default)")
	fs.DurationVar(&o.timeout, "timeout", 40*time.Minute, "deadline for the whole run")
	fs.DurationVar(&o.cmdTimeout, "command-timeout", 15*time.Minute, "deadline for one terraform command")
	fs.IntVar(&o.realPlanMax, "real-plan-max", 120, "also run the refresh plan at the real limit (120/min, S = 1) when the scaled one sent at most this many requests; 0 = never")
	fs.StringVar(&o.goBench, "go-bench", "", "file with go test -bench output to include in the report")
	fs.StringVar(&o.markdown, "markdown", "", "markdown file whose generated section (between the bench markers) is replaced; created if missing")
	fs.StringVar(&o.jsonOut, "json", "", "write the results as JSON to this file")
	fs.BoolVar(&o.quick, "quick", false, "quick mode: "+strings.Join(quick, ", ")+", each unless given")
	fs.StringVar(&o.command, "command", "make bench", "the command that reproduces this run, for the report")
	fs.BoolVar(&o.traceLogs, "provider-trace", false, "keep the provider's TRACE logs (in each scenario's provider.log); by default they are off, as when Terraform runs the provider without TF_LOG")
	fs.StringVar(&o.render, "render", "", "measure nothing: write the report (-markdown) of the results in this JSON file, as -json wrote them")
}

// applyQuick sets each of quickFlags that the command line left out.
func applyQuick(fs *flag.FlagSet) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, q := range quickFlags {
		if set[q.name] {
			continue
		}
		if err := fs.Set(q.name, q.value); err != nil {
			return fmt.Errorf("-%s %s: %w", q.name, q.value, err)
		}
	}
	return nil
}

func run() int {
	var o options
	var l lists
	defineFlags(flag.CommandLine, &o, &l)
	flag.Parse()
	if o.render != "" {
		res, err := bench.ReadJSON(o.render)
		if err == nil {
			err = write(&o, res)
		}
		if err != nil {
			logf("%v", err)
			return 1
		}
		return 0
	}

	if o.quick {
		if err := applyQuick(flag.CommandLine); err != nil {
			return usage("-quick: %v", err)
		}
	}
	var err error
	if o.sizes, err = parseInts(l.sizes); err != nil {
		return usage("-sizes: %v", err)
	}
	if o.dataSizes, err = parseInts(l.dataSizes); err != nil {
		return usage("-data-sizes: %v", err)
	}
	if o.querySizes, err = parseInts(l.querySizes); err != nil {
		return usage("-query-sizes: %v", err)
	}
	if o.pacingSizes, err = parseInts(l.pacingSizes); err != nil {
		return usage("-pacing-sizes: %v", err)
	}
	if o.parallel, err = parseParallel(l.parallel); err != nil {
		return usage("-parallel: %v", err)
	}
	for _, m := range strings.Split(l.modes, ",") {
		if m = strings.TrimSpace(m); m != "" {
			o.modes = append(o.modes, m)
		}
	}
	if o.scale < 1 || len(o.modes) == 0 || o.parallelism < 1 || o.planRounds < 1 {
		return usage("-scale, -parallelism and -plan-rounds must be at least 1, and -modes must name a mode")
	}
	if o.root, err = filepath.Abs(o.root); err != nil {
		return usage("%v", err)
	}
	if !filepath.IsAbs(o.work) {
		o.work = filepath.Join(o.root, o.work)
	}
	// Terraform runs in the scenarios' directories: a relative path would
	// mean another file there.
	if strings.ContainsRune(o.terraformLatest, filepath.Separator) {
		if o.terraformLatest, err = filepath.Abs(o.terraformLatest); err != nil {
			return usage("-terraform-latest: %v", err)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	res, err := benchmark(ctx, &o)
	if err != nil && o.markdown != "" {
		// Interrupted or broken: keep the published results, write these aside.
		o.markdown = filepath.Join(o.work, "BENCHMARKS.partial.md")
	}
	if res != nil {
		if werr := write(&o, res); werr != nil {
			logf("writing the results: %v", werr)
			return 1
		}
	}
	if err != nil {
		logf("FAILED: %v", err)
		return 1
	}
	if len(res.Failures) > 0 {
		logf("FAILED: %d checks failed:\n  %s", len(res.Failures), strings.Join(res.Failures, "\n  "))
		return 1
	}
	logf("done in %s", res.Finished.Sub(res.Started).Round(time.Second))
	return 0
}

func usage(format string, args ...any) int {
	fmt.Fprintf(os.Stderr, "e2ebench: "+format+"\n", args...)
	flag.Usage()
	return 2
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "e2ebench %s: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// parseInts reads comma-separated positive numbers; "none" is none.
func parseInts(s string) ([]int, error) {
	if s == "none" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(strings.ReplaceAll(f, "_", ""))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("no numbers given")
	}
	return out, nil
}

// benchmark runs every scenario. It returns what it measured even when a
// step fails, so the failure shows in the report.
func benchmark(ctx context.Context, o *options) (*bench.Results, error) {
	res := &bench.Results{
		Quick:       o.quick,
		Scale:       o.scale,
		Limit:       bench.RealLimit * o.scale,
		Window:      bench.RealWindow,
		Latency:     o.latency,
		Jitter:      o.jitter,
		Parallelism: o.parallelism,
		Sizes:       o.sizes,
		Modes:       o.modes,
		DataSizes:   o.dataSizes,
		QuerySizes:  o.querySizes,
		Command:     o.command,
		Started:     time.Now(),
		Machine:     machine(ctx, o.root),
	}
	defer func() {
		res.Finished = time.Now()
		res.Machine.LoadEnd = bench.LoadAvg()
	}()
	if o.goBench != "" {
		data, err := os.ReadFile(o.goBench)
		if err != nil {
			return res, err
		}
		res.GoBench = string(data)
	}

	if err := os.RemoveAll(o.work); err != nil {
		return res, err
	}
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return res, err
	}
	h := &harness{o: o, res: res, cliConfig: filepath.Join(o.work, "terraformrc")}
	// An empty CLI configuration: no plugin cache, no credentials, no
	// overrides from the user's own ~/.terraformrc.
	if err := os.WriteFile(h.cliConfig, []byte("# e2ebench: empty on purpose\n"), 0o644); err != nil {
		return res, err
	}
	logf("building the provider")
	bin, err := buildProvider(ctx, o.root, o.work, 0)
	if err != nil {
		return res, err
	}
	h.providerBin = bin
	var compressedBin string
	if o.parallel.applies > 0 {
		logf("building the provider with a %s window", bench.RealWindow/time.Duration(o.parallel.compression))
		if compressedBin, err = buildProvider(ctx, o.root, o.work, bench.RealWindow/time.Duration(o.parallel.compression)); err != nil {
			return res, err
		}
	}

	// Scenarios run in turn while time is left; each keeps its own error.
	defer func() { res.Failures = res.CollectFailures() }()
	for _, n := range o.sizes {
		for _, mode := range o.modes {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			res.Scenarios = append(res.Scenarios, h.scenario(ctx, n, mode))
		}
	}
	for _, n := range o.pacingSizes {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		res.Pacing = append(res.Pacing, h.pacedCreate(ctx, n))
	}
	if o.planUsers > 0 && ctx.Err() == nil {
		res.Plans = append(res.Plans, h.pacedPlan(ctx, o.planUsers, o.planRounds))
	}
	if o.parallel.applies > 0 && ctx.Err() == nil {
		res.Parallel = append(res.Parallel, h.parallelApplies(ctx, compressedBin, o.parallel.applies, o.parallel.users, o.parallel.compression))
	}
	for _, m := range o.dataSizes {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		res.DataSources = append(res.DataSources, h.dataSource(ctx, m))
	}
	if err := h.queries(ctx); err != nil {
		return res, err
	}
	return res, nil
}

// parallelRun is -parallel: applies × users, window divided by compression;
// zero applies is none.
type parallelRun struct{ applies, users, compression int }

func parseParallel(s string) (parallelRun, error) {
	var p parallelRun
	if s == "none" {
		return p, nil
	}
	if _, err := fmt.Sscanf(s, "%dx%d/%d", &p.applies, &p.users, &p.compression); err != nil || p.applies < 1 || p.users < 1 || p.compression < 1 {
		return parallelRun{}, fmt.Errorf("%q is not APPLIESxUSERS/C with each at least 1", s)
	}
	return p, nil
}

func write(o *options, res *bench.Results) error {
	if o.jsonOut != "" {
		if err := bench.WriteJSON(o.jsonOut, res); err != nil {
			return err
		}
	}
	generated := bench.Markdown(res)
	if o.markdown == "" {
		_, err := os.Stdout.WriteString(generated)
		return err
	}
	if err := bench.Splice(o.markdown, generated); err != nil {
		return err
	}
	if len(res.Pacing) > 0 {
		if err := os.WriteFile(filepath.Join(filepath.Dir(o.markdown), bench.PacingPlotFile), bench.PacingSVG(res), 0o644); err != nil {
			return err
		}
	}
	logf("wrote %s", o.markdown)
	return nil
}

func machine(ctx context.Context, root string) bench.Machine {
	m := bench.Machine{
		CPUs:        runtime.NumCPU(),
		CPUModel:    bench.CPUModel(),
		MemTotalKiB: bench.MemTotalKiB(),
		OS:          runtime.GOOS + "/" + runtime.GOARCH,
		GoVersion:   runtime.Version(),
		LoadStart:   bench.LoadAvg(),
	}
	m.LoadMax = m.LoadStart
	if out, err := output(ctx, root, "uname", "-sr"); err == nil {
		m.OS = strings.TrimSpace(out) + " " + runtime.GOARCH
	}
	if out, err := output(ctx, root, "terraform", "version"); err == nil {
		m.Terraform = strings.TrimSpace(strings.SplitN(out, "\n", 2)[0])
	}
	// Read-only git queries: which commit, and whether the tree differs.
	if out, err := output(ctx, root, "git", "rev-parse", "--short", "HEAD"); err == nil {
		m.Commit = strings.TrimSpace(out)
		if st, err := output(ctx, root, "git", "status", "--porcelain", "--untracked-files=no"); err == nil && strings.TrimSpace(st) != "" {
			m.Commit += " with uncommitted changes"
		}
	}
	return m
}
