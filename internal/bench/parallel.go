package bench

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// TargetParallelRatio bounds the wall time of parallel applies against
// T_min of all their creates.
const TargetParallelRatio = 1.3

// ParallelApplies is several terraform apply, each creating Users users in a
// working directory of its own, started at once on one account: one
// emulator, one API key, a provider process per apply, and the processes'
// windows in one shared directory. The limit is time-compressed, the same
// Limit per Window at the emulator and in the provider.
type ParallelApplies struct {
	Users       int            `json:"users"` // per apply
	Limit       int            `json:"limit"`
	Window      time.Duration  `json:"window"`
	Applies     []Phase        `json:"applies"` // one per apply
	Wall        time.Duration  `json:"wall"`    // first start to last exit
	Counts      map[string]int `json:"counts"`  // at the emulator, all applies together
	Total       int            `json:"total"`
	RateLimited int            `json:"rate_limited"`
	POSTSpan    time.Duration  `json:"post_span"`
	Err         string         `json:"error,omitempty"`
}

// MinTime is T_min of every create of every apply.
func (pa *ParallelApplies) MinTime() time.Duration {
	return MinSendTime(pa.Users*len(pa.Applies), pa.Limit, pa.Window)
}

// Met reports whether the applies meet their targets: all exit 0, no 429,
// wall within TargetParallelRatio of MinTime.
func (pa *ParallelApplies) Met() bool {
	failed := func(p Phase) bool { return p.ExitCode != 0 || p.Err != "" }
	return pa.Err == "" && len(pa.Applies) > 0 && pa.RateLimited == 0 && Ratio(pa.Wall, pa.MinTime()) <= TargetParallelRatio &&
		!slices.ContainsFunc(pa.Applies, failed)
}

// writeParallel writes the section of parallel applies, runs.
func writeParallel(w func(string, ...any), runs []ParallelApplies) {
	head(w, "Parallel applies on one account", fmt.Sprintf("`terraform apply` in several working directories at once, each creating its own users, against one emulator with one API key; a provider process per directory, "+
		"their rate-limit windows in one shared directory (as under the user's cache directory). The limit is time-compressed (the limit column), at the emulator and in the provider alike "+
		"(a provider binary built for the benchmark alone with a shorter window; releases keep ngrok's minute). "+
		"T_min = floor((total − 1) / L) × W; target: all exit 0, no 429, wall within %.1f× of T_min.", TargetParallelRatio), "llrrrlllrrl", "applies × users", "limit", "T_min", "wall (first start to last exit)", "wall / T_min", "each apply's wall", "exit codes", "requests", "POST span at API", "429s", "within?")
	for _, pa := range runs {
		w("| %d × %s | %d per %s | %s | %s | %s | %s | %s | %s (%s) | %s | %d | %s |\n", len(pa.Applies), comma(pa.Users), pa.Limit, fmtDur(pa.Window),
			fmtSec(pa.MinTime()), fmtSec(pa.Wall), fmtRatio(Ratio(pa.Wall, pa.MinTime())), walls(pa.Applies), ExitCodes(pa.Applies),
			comma(pa.Total), routes(pa.Counts), fmtSec(pa.POSTSpan), pa.RateLimited, verdict(true, pa.Met()))
		if pa.Err != "" {
			failedRow(w, 11, fmt.Sprintf("%d × %s", len(pa.Applies), comma(pa.Users)), "**failed**", oneLine(pa.Err))
		}
	}
	w("\n")
}

// ExitCodes is the exit codes of phases: "0, 0, 1".
func ExitCodes(phases []Phase) string {
	var out []string
	for _, p := range phases {
		out = append(out, fmt.Sprint(p.ExitCode))
	}
	return strings.Join(out, ", ")
}
