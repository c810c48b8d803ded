package emulator

import "net/http"

// RequestCounts returns how many requests reached routing, keyed by
// "METHOD /template" with templates such as "/service_users",
// "/service_users/{id}" or "/api_keys/{id}" (routeTemplates lists them all).
// Requests for any other path are counted
// under "METHOD (unknown)". Rejected, rate-limited and faulted requests count.
func (s *Server) RequestCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// RouteKey is the key RequestCounts counts r under.
func RouteKey(r *http.Request) string {
	coll, _, template := route(r.URL.Path)
	return routeKey(r.Method, coll, template)
}

// routeKey is RouteKey for a path already routed.
func routeKey(method string, coll *collection, template string) string {
	if coll == nil {
		return method + " (unknown)"
	}
	return method + " " + template
}

// TotalRequests is the sum of RequestCounts.
func (s *Server) TotalRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// RateLimited returns how many 429 ERR_NGROK_226 replies were sent, whether
// from the rate limit or from a FaultRateLimit.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

// ResetCounts zeroes RequestCounts, TotalRequests and RateLimited. It leaves
// the rate-limit window alone: that is the world's state, not accounting.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[string]int{}
	s.total = 0
	s.rateLimited = 0
}
