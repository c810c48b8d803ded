package emulator

import (
	"fmt"
	"net/http"
	"time"
)

// defaultRateWindow is the window used when a rate limit is set without one.
const defaultRateWindow = 60 * time.Second

// SetRateLimit changes the rate limit (n per window; n 0 = unlimited, window
// 0 = 60s) and forgets the requests already logged, so the new limit starts
// from a fresh window.
func (s *Server) SetRateLimit(n int, window time.Duration) {
	if window <= 0 {
		window = defaultRateWindow
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit, s.rateWindow = n, window
	s.rateLog = nil
}

// allowLocked records a request of the account at now and reports whether it
// fits in the sliding window: one window for the account, whichever of its
// keys is used. Refused requests are not recorded, so a client that keeps
// retrying does not extend its own lockout. s.mu must be held.
func (s *Server) allowLocked(now time.Time) bool {
	if s.rateLimit <= 0 {
		return true
	}
	cutoff := now.Add(-s.rateWindow)
	i := 0
	for i < len(s.rateLog) && !s.rateLog[i].After(cutoff) {
		i++
	}
	s.rateLog = s.rateLog[i:]
	if len(s.rateLog) >= s.rateLimit {
		return false
	}
	s.rateLog = append(s.rateLog, now)
	return true
}

// replyRateLimited sends ngrok's 429. Like the real API it sends no
// Retry-After and no X-RateLimit-* headers: clients must back off blind.
func (s *Server) replyRateLimited(c *call, limit int, window time.Duration) {
	s.mu.Lock()
	s.rateLimited++
	s.mu.Unlock()
	c.fail(http.StatusTooManyRequests, "ERR_NGROK_226", fmt.Sprintf("Your account is rate limited to %d API requests per %s.", limit, window))
}
