package bench

import (
	"fmt"
	"strings"
	"time"
)

// UnpacedLimit is max_requests_per_minute with pacing off in effect: the most
// the provider accepts, far above any N here.
const UnpacedLimit = 100000

// PacedCreate is one apply creating N users at ngrok's real limit (120
// requests in any rolling minute, uncompressed), and the same apply with
// pacing off against an API without a limit: what the pacer costs beyond
// what the limit itself forces.
type PacedCreate struct {
	N       int    `json:"n"`
	Paced   Phase  `json:"paced"`
	Unpaced Phase  `json:"unpaced"`
	Err     string `json:"error,omitempty"`
}

// PacedBound is the most a paced create of n users may take, given the same
// apply unpaced: within 1.5× of it while the limit forces no wait (n ≤ 120),
// else 1.10 × T_min(n) more.
func PacedBound(n int, unpaced time.Duration) time.Duration {
	if n <= RealLimit {
		return unpaced * 3 / 2
	}
	return time.Duration(1.10*float64(MinSendTime(n, RealLimit, RealWindow))) + unpaced
}

func writePacing(b *strings.Builder, r *Results) {
	if len(r.Pacing) == 0 {
		return
	}
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	head(w, "Pacing at the real limit", fmt.Sprintf("Each N: one `terraform apply` creating N users against the emulator at ngrok's own limit (%d requests in any rolling 60 s, no compression) "+
		"with `max_requests_per_minute = %d`, then the same apply with the API unlimited and the provider at `max_requests_per_minute = 100000` (pacing off). "+
		"T_min = floor((N−1)/120) × 60 s. "+
		"Bound: paced wall ≤ 1.5 × unpaced wall for N ≤ 120, else ≤ 1.10 × T_min + unpaced wall; and no 429.", RealLimit, RealLimit), "rrrrrrrl", "N", "T_min", "paced wall", "unpaced wall", "paced / unpaced", "429s", "bound", "within?")
	for _, pc := range r.Pacing {
		tmin := MinSendTime(pc.N, RealLimit, RealWindow)
		ok := pc.Err == "" && pc.Paced.RateLimited == 0 && pc.Paced.Wall <= PacedBound(pc.N, pc.Unpaced.Wall)
		w("| %s | %s | %s | %s | %s | %d | %s | %s |\n", comma(pc.N), fmtSec(tmin), fmtSec(pc.Paced.Wall), fmtSec(pc.Unpaced.Wall),
			fmtRatio(Ratio(pc.Paced.Wall, pc.Unpaced.Wall)), pc.Paced.RateLimited, fmtSec(PacedBound(pc.N, pc.Unpaced.Wall)), verdict(true, ok))
	}
	w("\n![Create wall time against N](%s)\n\n", PacingPlotFile)
}
