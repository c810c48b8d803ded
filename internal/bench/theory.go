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

// ngrok's published limit: RealLimit requests in any rolling RealWindow.
// Every scenario and every bound in the report derives from these.
const (
	RealLimit  = ngrok.DefaultRequestsPerMinute
	RealWindow = time.Minute
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

// Ratio is a/b, or NaN when b is zero.
func Ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}
