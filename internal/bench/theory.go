// Package bench holds the pieces of the end-to-end benchmark (make bench,
// internal/bench/cmd/e2ebench): the rate-limit arithmetic its results are
// judged against, a request recorder for the in-process emulator, /proc
// readings of the provider process, and the report it writes into
// BENCHMARKS.md. Nothing here runs in go test beyond its own small tests.
package bench

import (
	"math"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// MinSendTime is the least time over which n requests can be sent to an API
// that admits at most limit requests in any rolling window: the first limit
// go at once (t = 0), the next limit exactly one window later, and so on, so
// request k (1-based) goes at floor((k-1)/limit) windows and the last at
//
//	floor((n-1)/limit) × window.
//
// It is 0 when n ≤ limit: such a batch is not bound by the rate limit at all
// (only by latency and concurrency), and a ratio to it is meaningless. The
// time for the last reply to arrive (one round trip) is not included.
func MinSendTime(n, limit int, window time.Duration) time.Duration {
	if n <= 0 || limit <= 0 {
		return 0
	}
	return time.Duration((n-1)/limit) * window
}

// PacerModel is the time the provider's pacer (internal/ngrok.Pacer) needs
// to let n requests through when it starts with a full bucket and the API
// answers instantly: a token bucket of burst b refilled at the steady rate r
// sends the first b at once and the rest at r, so (n-b)/r. Its steady rate is
// read from ngrok.NewPacer itself; the burst is what the pacer leaves of the
// window (b = limit - r×window), the invariant its documentation states.
func PacerModel(n, limit int, window time.Duration) time.Duration {
	if n <= 0 || limit <= 0 {
		return 0
	}
	r := ngrok.NewPacer(limit, window).Limit() // requests per second
	if r <= 0 || math.IsInf(r, 1) {
		return 0
	}
	b := max(1, int(math.Round(float64(limit)-r*window.Seconds())))
	if n <= b {
		return 0
	}
	return time.Duration(float64(n-b) / r * float64(time.Second))
}

// PacerBurst is the burst of the provider's pacer for a limit per window.
func PacerBurst(limit int, window time.Duration) int {
	r := ngrok.NewPacer(limit, window).Limit()
	if r <= 0 || math.IsInf(r, 1) {
		return 0
	}
	return max(1, int(math.Round(float64(limit)-r*window.Seconds())))
}

// Ratio is a/b, or NaN when b is zero.
func Ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}
