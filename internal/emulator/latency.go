package emulator

import (
	"context"
	"time"
)

// SetLatency changes the delay added before handling each request.
func (s *Server) SetLatency(latency, jitter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency, s.jitter = latency, jitter
}

// sleep waits d or until ctx ends, and reports whether the full d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
