package bench

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// TargetPlanRatio bounds the paced plan of TargetN users against the same
// plan with pacing off.
const TargetPlanRatio = 1.2

// PacedPlan is terraform plan of N managed users (refresh_mode left at its
// default) at ngrok's real limit with the provider pacing, and against an
// unlimited API with pacing off, alternating round by round in one provider
// process so that both see the same machine.
type PacedPlan struct {
	N       int     `json:"n"`
	Paced   []Phase `json:"paced"`
	Unpaced []Phase `json:"unpaced"`
	Err     string  `json:"error,omitempty"`
}

// Ratio is the median paced wall over the median unpaced one.
func (pp *PacedPlan) Ratio() float64 {
	return Ratio(medianWall(pp.Paced), medianWall(pp.Unpaced))
}

// Met reports whether the plan meets its targets: within TargetPlanRatio of
// pacing off, at most TargetRefreshRequests requests and no 429 in any paced
// round.
func (pp *PacedPlan) Met() bool {
	over := func(p Phase) bool { return p.Total > TargetRefreshRequests || p.RateLimited > 0 }
	return pp.Err == "" && len(pp.Paced) > 0 && pp.Ratio() <= TargetPlanRatio && !slices.ContainsFunc(pp.Paced, over)
}

// writePacedPlans writes the section of plans with pacing on and off.
func writePacedPlans(w func(string, ...any), plans []PacedPlan) {
	head(w, "Plan with pacing on and off", fmt.Sprintf("One provider process, N users created beforehand; then `terraform plan -detailed-exitcode` (default `refresh_mode`) in rounds, each round once with pacing off "+
		"(API unlimited, `max_requests_per_minute = %d`) and once paced at ngrok's own limit (emulator %d per rolling %s in a fresh window, `max_requests_per_minute = %d`, the window file emptied). "+
		"Ratio of the medians; target: within %.1f×, at most %d requests, no 429.", UnpacedLimit, RealLimit, fmtDur(RealWindow), RealLimit, TargetPlanRatio, TargetRefreshRequests), "rllrrrlrl", "N", "paced walls", "unpaced walls", "paced median", "unpaced median", "paced / unpaced", "requests per paced plan", "429s", "within?")
	for _, pp := range plans {
		var requests []int
		limited := 0
		for _, p := range pp.Paced {
			requests = append(requests, p.Total)
			limited += p.RateLimited
		}
		w("| %s | %s | %s | %s | %s | %s | %s | %d | %s |\n", comma(pp.N), walls(pp.Paced), walls(pp.Unpaced), fmtSec(medianWall(pp.Paced)),
			fmtSec(medianWall(pp.Unpaced)), fmtRatio(pp.Ratio()), span(requests), limited, verdict(true, pp.Met()))
		if pp.Err != "" {
			failedRow(w, 9, comma(pp.N), "**failed**", oneLine(pp.Err))
		}
	}
	w("\n")
}

// medianWall is the median wall time of phases (the mean of the middle two
// for an even count), or 0 for none.
func medianWall(phases []Phase) time.Duration {
	if len(phases) == 0 {
		return 0
	}
	ws := make([]time.Duration, len(phases))
	for i, p := range phases {
		ws[i] = p.Wall
	}
	slices.Sort(ws)
	m := len(ws) / 2
	if len(ws)%2 == 0 {
		return (ws[m-1] + ws[m]) / 2
	}
	return ws[m]
}

func walls(phases []Phase) string {
	var out []string
	for _, p := range phases {
		out = append(out, fmtSec(p.Wall))
	}
	return strings.Join(out, ", ")
}

// span is the range of ns: "12–13", or "12" when they are all 12.
func span(ns []int) string {
	if len(ns) == 0 {
		return "—"
	}
	lo, hi := slices.Min(ns), slices.Max(ns)
	if lo == hi {
		return comma(lo)
	}
	return comma(lo) + "–" + comma(hi)
}
