package bench

import (
	"fmt"
	"strings"
)

func writePhases(b *strings.Builder, r *Results) {
	w := md(b)
	w("### End to end, per terraform command\n\n")
	w("Requests are the emulator's own counts for the command (429 replies included); API span is from the first request's arrival to the last reply; CPU is user + system time.\n\n")
	w("| N | refresh_mode | command | requests | by route | 429s | exit | wall | API span | terraform CPU | provider CPU | provider RSS after |\n")
	w("| ---: | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, sc := range r.Scenarios {
		for _, p := range sc.Phases {
			w("| %s | %s | %s | %s | %s | %d | %d | %s | %s | %s | %s | %s |\n", comma(sc.N), sc.Mode, p.Name, comma(p.Total), routes(p.Counts), p.RateLimited, p.ExitCode,
				fmtSec(p.Wall), fmtSec(p.APISpan), fmtSec(p.TFCPU), fmtSec(p.ProviderCPU), fmtKiB(p.Provider.RSSKiB))
		}
		if sc.Err != "" {
			w("| %s | %s | **failed** | | %s | | | | | | | |\n", comma(sc.N), sc.Mode, oneLine(sc.Err))
		}
	}
	w("\nOne provider process serves every command of a scenario (Terraform reattaches to it), so its resident memory accumulates over the commands; its peak (VmHWM) at the end of each scenario:")
	for i, sc := range r.Scenarios {
		sep := ";"
		if i == len(r.Scenarios)-1 {
			sep = "."
		}
		w(" N = %s %s %s%s", comma(sc.N), sc.Mode, fmtKiB(sc.Provider.HWMKiB), sep)
	}
	w("\n\n")
}

func writeCreate(b *strings.Builder, r *Results) {
	w := md(b)
	w("### Create against the rate-limit minimum\n\n")
	w("Minimum = floor((N−1)/L) × 60 s with L = %d (see above); pacer model = what the provider's own pacer allows with an instant API (the minimum itself: it holds a slot per request until a window after its reply). Ratios are to the minimum.\n\n", r.Limit)
	w("| N | refresh_mode | minimum | wall | wall / min | POST span at API | span / min | pacer model | model / min | same N at S = 1: min, model, model / min |\n")
	w("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
	for _, sc := range r.Scenarios {
		p := sc.Phase(PhaseApply)
		if p == nil {
			continue
		}
		minT := MinSendTime(sc.N, r.Limit, r.Window)
		model := PacerModel(sc.N, r.Limit, r.Window)
		min1, model1 := MinSendTime(sc.N, RealLimit, r.Window), PacerModel(sc.N, RealLimit, r.Window)
		w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s, %s, %s |\n", comma(sc.N), sc.Mode, fmtSec(minT), fmtSec(p.Wall), fmtRatio(Ratio(p.Wall, minT)),
			fmtSec(p.POSTSpan), fmtRatio(Ratio(p.POSTSpan, minT)), fmtSec(model), fmtRatio(Ratio(model, minT)),
			fmtSec(min1), fmtSec(model1), fmtRatio(Ratio(model1, min1)))
	}
	w("\n")
}

func writeRefresh(b *strings.Builder, r *Results) {
	w := md(b)
	w("### Refresh: auto against the naive baseline\n\n")
	w("`terraform plan -detailed-exitcode` right after the create (exit 0: no drift), at S = %d; then, when that plan sent at most 120 requests, the same plan again at ngrok's real limit (emulator 120 per rolling 60 s in a fresh window, provider `max_requests_per_minute = 120`). A naive refresh of 1,000 users is not run at the real limit (over 8 minutes): its lower bound floor((R−1)/120) × 60 s and a projection (wall − pacer model at L = %d + pacer model at L = 120) stand in for it.\n\n", r.Scale, r.Limit)
	w("| N | get: requests | auto: requests | get: wall at S = %d | auto: wall at S = %d | speedup at S = %d | get at 120/min | auto at 120/min | speedup at 120/min |\n", r.Scale, r.Scale, r.Scale)
	w("| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |\n")
	for _, n := range r.Sizes {
		sp := refreshSpeed(r, n)
		if sp == nil {
			continue
		}
		gp, ap := r.Scenario(n, "get").Phase(PhasePlan), r.Scenario(n, "auto").Phase(PhasePlan)
		realCell := fmt.Sprintf("%.1f×", sp.real)
		if r.Scenario(n, "get").Phase(PhasePlanReal) == nil {
			realCell = fmt.Sprintf("≥ %.0f×", sp.real)
		}
		w("| %s | %s | %s | %s | %s | %.1f× | %s | %s | %s |\n", comma(n), comma(gp.Total), comma(ap.Total), fmtSec(gp.Wall), fmtSec(ap.Wall),
			sp.scaled, sp.getReal, sp.autoReal, realCell)
	}
	w("\n")
}

func writeDataSource(b *strings.Builder, r *Results) {
	w := md(b)
	if len(r.DataSources) == 0 {
		return
	}
	w("### `ngrok_users` over a seeded account\n\n")
	w("`terraform apply` of one `data \"ngrok_users\" \"all\" {}` with an output of `length(ids)`, in a fresh provider process per size. Provider memory is VmHWM (peak resident set) from /proc, after `terraform init` and after the apply.\n\n")
	w("| users | listed | requests | by route | 429s | wall | API span | provider CPU | provider peak RSS before | after | growth | growth per user |\n")
	w("| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, ds := range r.DataSources {
		p := ds.Phase
		growth := ds.After.HWMKiB - ds.Before.HWMKiB
		w("| %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %.2f KiB |\n", comma(ds.Users), comma(ds.Listed), comma(p.Total), routes(p.Counts), p.RateLimited,
			fmtSec(p.Wall), fmtSec(p.APISpan), fmtSec(p.ProviderCPU), fmtKiB(ds.Before.HWMKiB), fmtKiB(ds.After.HWMKiB), fmtKiB(growth), float64(growth)/float64(max(ds.Users, 1)))
		if ds.Err != "" {
			w("| %s | **failed** | | %s | | | | | | | | |\n", comma(ds.Users), oneLine(ds.Err))
		}
	}
	w("\n")
}

// goBenchLines keeps the benchmark result lines and the headers naming the
// package and CPU.
func goBenchLines(out string) string {
	var keep []string
	for line := range strings.SplitSeq(out, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "Benchmark"), strings.HasPrefix(t, "pkg:"), strings.HasPrefix(t, "cpu:"),
			strings.HasPrefix(t, "goos:"), strings.HasPrefix(t, "goarch:"), strings.HasPrefix(t, "FAIL"), strings.HasPrefix(t, "--- FAIL"):
			keep = append(keep, strings.TrimRight(line, " \t"))
		}
	}
	return strings.Join(keep, "\n")
}
