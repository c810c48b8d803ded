package bench

import (
	"fmt"
	"strings"
)

func writePhases(b *strings.Builder, r *Results) {
	w := md(b)
	head(w, "End to end, per terraform command", "Requests are the emulator's own counts for the command (429 replies included); API span is from the first request's arrival to the last reply; CPU is user + system time.", "rllrlrrrrrrr", "N", "refresh_mode", "command", "requests", "by route", "429s", "exit", "wall", "API span", "terraform CPU", "provider CPU", "provider RSS after")
	for _, sc := range r.Scenarios {
		for _, p := range sc.Phases {
			w("| %s | %s | %s | %s | %s | %d | %d | %s | %s | %s | %s | %s |\n", comma(sc.N), sc.Mode, p.Name, comma(p.Total), routes(p.Counts), p.RateLimited, p.ExitCode,
				fmtSec(p.Wall), fmtSec(p.APISpan), fmtSec(p.TFCPU), fmtSec(p.ProviderCPU), fmtKiB(p.Provider.RSSKiB))
		}
		if sc.Err != "" {
			failedRow(w, 12, comma(sc.N), sc.Mode, "**failed**", "", oneLine(sc.Err))
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
	head(w, "Create against the rate-limit minimum", fmt.Sprintf("Minimum = floor((N−1)/L) × 60 s with L = %d (see above); the provider's pacer itself reaches it with an instant API. Ratios are to the minimum.", r.Limit),
		"rlrrrrrr", "N", "refresh_mode", "minimum", "wall", "wall / min", "POST span at API", "span / min", "same N at S = 1: minimum")
	for _, sc := range r.Scenarios {
		p := sc.Phase(PhaseApply)
		if p == nil {
			continue
		}
		minT := MinSendTime(sc.N, r.Limit, r.Window)
		w("| %s | %s | %s | %s | %s | %s | %s | %s |\n", comma(sc.N), sc.Mode, fmtSec(minT), fmtSec(p.Wall), fmtRatio(Ratio(p.Wall, minT)),
			fmtSec(p.POSTSpan), fmtRatio(Ratio(p.POSTSpan, minT)), fmtSec(MinSendTime(sc.N, RealLimit, r.Window)))
	}
	w("\n")
}

func writeRefresh(b *strings.Builder, r *Results) {
	w := md(b)
	head(w, "Refresh: auto against the naive baseline", fmt.Sprintf("`terraform plan -detailed-exitcode` right after the create (exit 0: no drift), at S = %d; then, when that plan sent at most 120 requests, the same plan again at ngrok's real limit (emulator 120 per rolling 60 s in a fresh window, provider `max_requests_per_minute = 120`). A naive refresh of 1,000 users is not run at the real limit (over 8 minutes): its lower bound floor((R−1)/120) × 60 s and a projection (wall − minimum at L = %d + minimum at L = 120) stand in for it.", r.Scale, r.Limit), "rrrrrrlll",
		"N", "get: requests", "auto: requests", fmt.Sprintf("get: wall at S = %d", r.Scale), fmt.Sprintf("auto: wall at S = %d", r.Scale), fmt.Sprintf("speedup at S = %d", r.Scale),
		"get at 120/min", "auto at 120/min", "speedup at 120/min")
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
	head(w, "`ngrok_users` over a seeded account", "`terraform apply` of one `data \"ngrok_users\" \"all\" {}` with an output of `length(ids)`, in a fresh provider process per size. Provider memory is VmHWM (peak resident set) from /proc, after `terraform init` and after the apply.",
		"rr"+readAlign, append([]string{"users", "listed"}, readColumns...)...)
	for _, ds := range r.DataSources {
		w("| %s | %s | %s |\n", comma(ds.Users), comma(ds.Listed), readCells(&ds.SeededRead))
		if ds.Err != "" {
			failedRow(w, 2+len(readColumns), comma(ds.Users), "**failed**", "", oneLine(ds.Err))
		}
	}
	w("\n")
}

// readColumns head the columns that a seeded read's row ends with
// (readCells); readAlign aligns them.
var readColumns = []string{"requests", "by route", "429s", "wall", "API span", "provider CPU", "provider peak RSS before", "after", "growth", "growth per user"}

const readAlign = "rlrrrrrrrr"

// readCells are the cells of readColumns: what a read sent, how long it
// took, and how the provider's peak memory grew, in all and per user.
func readCells(rd *SeededRead) string {
	p := rd.Phase
	growth := rd.After.HWMKiB - rd.Before.HWMKiB
	return fmt.Sprintf("%s | %s | %d | %s | %s | %s | %s | %s | %s | %.2f KiB", comma(p.Total), routes(p.Counts), p.RateLimited,
		fmtSec(p.Wall), fmtSec(p.APISpan), fmtSec(p.ProviderCPU), fmtKiB(rd.Before.HWMKiB), fmtKiB(rd.After.HWMKiB), fmtKiB(growth), float64(growth)/float64(max(rd.Users, 1)))
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
