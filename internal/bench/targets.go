package bench

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

func writeTargets(b *strings.Builder, r *Results) {
	w := md(b)
	head(w, "Targets", "", "lll", "target", "measured in this run", "met?")

	n := targetSize(r.Sizes, TargetN)
	note := ""
	if n != TargetN {
		note = fmt.Sprintf(" (at N = %d: the target size was not run)", n)
	}
	auto, naive := r.Scenario(n, "auto"), r.Scenario(n, "get")

	// Refresh requests.
	if ap := phaseOf(auto, PhasePlan); ap != nil {
		naiveTxt := "not run"
		if gp := phaseOf(naive, PhasePlan); gp != nil {
			naiveTxt = fmt.Sprintf("%d", gp.Total)
		}
		w("| refresh (`terraform plan`) of %s managed users in ≤ %d API requests (naive: %s)%s | auto: **%d** (%s); get: %s | %s |\n",
			comma(TargetN), TargetRefreshRequests, comma(TargetN), note, ap.Total, routes(ap.Counts), naiveTxt, verdict(n == TargetN, ap.Total <= TargetRefreshRequests))
	}
	// Refresh speed.
	if sp := refreshSpeed(r, n); sp != nil {
		w("| refresh ≥ %.0f× faster than naive under the rate limit%s | at S = %d: %s / %s = **%.1f×**; at the real 120/min: %s | %s at S = %d; %s at 120/min |\n",
			TargetSpeedup, note, r.Scale, fmtSec(sp.getWall), fmtSec(sp.autoWall), sp.scaled, sp.realText,
			verdict(n == TargetN, sp.scaled >= TargetSpeedup), r.Scale, verdict(n == TargetN && !math.IsNaN(sp.real), sp.real >= TargetSpeedup))
	}
	// Create.
	for _, sc := range []*Scenario{auto, naive} {
		p := phaseOf(sc, PhaseApply)
		if p == nil {
			continue
		}
		minT := MinSendTime(sc.N, r.Limit, r.Window)
		if minT == 0 {
			w("| create %s users within %.2f× of the rate-limit minimum%s | refresh_mode=%s: N ≤ %d is not rate-bound at S = %d (minimum 0); wall %s | n/a |\n",
				comma(TargetN), TargetCreateRatio, note, sc.Mode, r.Limit, r.Scale, fmtSec(p.Wall))
			continue
		}
		wall, span := Ratio(p.Wall, minT), Ratio(p.POSTSpan, minT)
		w("| create %s users within %.2f× of the rate-limit minimum%s | refresh_mode=%s: wall %s / %s = **%.2f×**; first-to-last POST at the API %s = %.2f× | %s (wall); %s (API) |\n",
			comma(TargetN), TargetCreateRatio, note, sc.Mode, fmtSec(p.Wall), fmtSec(minT), wall, fmtSec(p.POSTSpan), span,
			verdict(n == TargetN, wall <= TargetCreateRatio), verdict(n == TargetN, span <= TargetCreateRatio))
	}
	// 429s.
	total429, failed := 0, 0
	phases := 0
	for _, sc := range r.Scenarios {
		for _, p := range sc.Phases {
			phases++
			total429 += p.RateLimited
			if p.ExitCode != 0 || p.Err != "" {
				failed++
			}
		}
	}
	for _, rd := range r.seededReads() {
		phases++
		total429 += rd.Phase.RateLimited
		if rd.Phase.ExitCode != 0 || rd.Phase.Err != "" || rd.Err != "" {
			failed++
		}
	}
	w("| no 429 surfaces as an error | %d terraform commands measured, %d exited non-zero or failed a check; the emulator sent %d × 429 in all | %s |\n",
		phases, failed, total429, verdict(true, failed == 0))
	// Data source.
	m := targetSize(r.DataSizes, TargetDataUsers)
	dnote := ""
	if m != TargetDataUsers {
		dnote = fmt.Sprintf(" (at %s users: the target size was not run)", comma(m))
	}
	if ds := dataOf(r, m); ds != nil {
		want := ListRequests(m)
		w("| `ngrok_users` over %s users in %d requests%s | %d (%s), %s listed | %s |\n",
			comma(TargetDataUsers), ListRequests(TargetDataUsers), dnote, ds.Phase.Total, routes(ds.Phase.Counts), comma(ds.Listed),
			verdict(m == TargetDataUsers, ds.Phase.Total == want && ds.Listed == m))
	}
	for _, pp := range r.Plans {
		w("| plan of %s users with pacing on within %.1f× of pacing off, in ≤ %d requests | median %s / %s = **%s** | %s |\n", comma(pp.N), TargetPlanRatio, TargetRefreshRequests,
			fmtSec(medianWall(pp.Paced)), fmtSec(medianWall(pp.Unpaced)), fmtRatio(pp.Ratio()), verdict(pp.N == TargetN, pp.Met()))
	}
	for _, pa := range r.Parallel {
		w("| %d parallel applies of %s users on one account: no 429, all exit 0, within %.1f× of T_min | %d × 429, exits %s, %s / %s = **%s** | %s |\n",
			len(pa.Applies), comma(pa.Users), TargetParallelRatio, pa.RateLimited, ExitCodes(pa.Applies), fmtSec(pa.Wall), fmtSec(pa.MinTime()),
			fmtRatio(Ratio(pa.Wall, pa.MinTime())), verdict(true, pa.Met()))
	}
	if lin := linearity(r.DataSources); lin != "" {
		w("%s", lin)
	}
	w("\n")
}

// linearity renders the memory row of the targets: the slope of the
// provider's peak memory between the smallest and largest reads, and how far
// each read in between lies from that line.
func linearity(ds []DataSource) string {
	var ok []DataSource
	for _, d := range ds {
		if d.Err == "" && d.After.HWMKiB > 0 {
			ok = append(ok, d)
		}
	}
	if len(ok) < 2 {
		return ""
	}
	slices.SortFunc(ok, func(a, b DataSource) int { return a.Users - b.Users })
	lo, hi := ok[0], ok[len(ok)-1]
	rise := float64(hi.After.HWMKiB - lo.After.HWMKiB)
	slope := rise / float64(hi.Users-lo.Users) // KiB per user
	intercept := float64(lo.After.HWMKiB) - slope*float64(lo.Users)
	var points []string
	for _, d := range ok {
		points = append(points, fmt.Sprintf("%s at %s", fmtKiB(d.After.HWMKiB), comma(d.Users)))
	}
	text := fmt.Sprintf("provider peak RSS %s users: **%.1f KiB per extra user**; the line through the ends meets 0 users at %.1f MiB (idle provider: %s)",
		strings.Join(points, ", "), slope, intercept/1024, fmtKiB(lo.Before.HWMKiB))
	verdictText := "yes (two points only: slope shown, linearity not tested)"
	if len(ok) > 2 && rise > 0 {
		worst := 0.0
		for _, d := range ok[1 : len(ok)-1] {
			predicted := float64(lo.After.HWMKiB) + slope*float64(d.Users-lo.Users)
			off := (float64(d.After.HWMKiB) - predicted) / rise
			text += fmt.Sprintf("; %s users lie %+.1f MiB off the line (%+.0f%% of the rise)", comma(d.Users), (float64(d.After.HWMKiB)-predicted)/1024, 100*off)
			worst = max(worst, math.Abs(off))
		}
		verdictText = verdict(true, worst <= 0.10 && slope > 0) + " (middle points within 10% of the rise from the line)"
	}
	return fmt.Sprintf("| `ngrok_users` memory linear in the result | %s | %s |\n", text, verdictText)
}

// projectWall estimates a phase's wall time at the real limit (S = 1): the
// measured time, less the rate-limit minimum of its requests at the
// compressed limit, plus their minimum at 120 a minute. Only the rate-bound
// part changes with S; Terraform's own work does not.
func projectWall(p *Phase, limit int, window time.Duration) time.Duration {
	return p.Wall - MinSendTime(p.Total, limit, window) + MinSendTime(p.Total, RealLimit, window)
}

// speed compares the refresh of n users in get and auto mode.
type speed struct {
	getWall, autoWall time.Duration
	scaled            float64 // get / auto at S
	real              float64 // at 120/min: measured, or a lower bound
	realText          string
	getReal, autoReal string // cells: measured or estimated times at 120/min
}

func refreshSpeed(r *Results, n int) *speed {
	gs, as := r.Scenario(n, "get"), r.Scenario(n, "auto")
	gp, ap := phaseOf(gs, PhasePlan), phaseOf(as, PhasePlan)
	if gp == nil || ap == nil {
		return nil
	}
	sp := &speed{getWall: gp.Wall, autoWall: ap.Wall, scaled: Ratio(gp.Wall, ap.Wall), real: math.NaN()}
	gr, ar := phaseOf(gs, PhasePlanReal), phaseOf(as, PhasePlanReal)
	autoReal := projectWall(ap, r.Limit, r.Window)
	sp.autoReal = fmtSec(autoReal) + " (projected)"
	if ar != nil {
		autoReal = ar.Wall
		sp.autoReal = fmtSec(ar.Wall)
	}
	switch {
	case gr != nil:
		sp.real = Ratio(gr.Wall, autoReal)
		sp.getReal = fmtSec(gr.Wall)
		sp.realText = fmt.Sprintf("%s / %s = **%.1f×** (both measured)", fmtSec(gr.Wall), fmtSec(autoReal), sp.real)
		if ar == nil {
			sp.realText = fmt.Sprintf("%s / %s (projected) = **%.1f×**", fmtSec(gr.Wall), fmtSec(autoReal), sp.real)
		}
	default:
		bound := MinSendTime(gp.Total, RealLimit, r.Window)
		proj := projectWall(gp, r.Limit, r.Window)
		sp.real = Ratio(bound, autoReal)
		sp.getReal = fmt.Sprintf("not run: ≥ %s by the limit, ≈ %s projected", fmtSec(bound), fmtSec(proj))
		how := "measured"
		if ar == nil {
			how = "projected"
		}
		sp.realText = fmt.Sprintf("naive ≥ %s (%s GETs cannot be sent faster at 120/min, by any client), auto %s %s: **≥ %.0f×** (≈ %.0f× with the naive time projected from the minimum, %s)",
			fmtSec(bound), comma(gp.Total), how, fmtSec(autoReal), sp.real, Ratio(proj, autoReal), fmtSec(proj))
	}
	return sp
}

func targetSize(sizes []int, target int) int {
	if slices.Contains(sizes, target) {
		return target
	}
	if len(sizes) == 0 {
		return 0
	}
	return slices.Max(sizes)
}

func phaseOf(sc *Scenario, name string) *Phase {
	if sc == nil {
		return nil
	}
	return sc.Phase(name)
}

func dataOf(r *Results, users int) *DataSource {
	for i := range r.DataSources {
		if r.DataSources[i].Users == users {
			return &r.DataSources[i]
		}
	}
	return nil
}
