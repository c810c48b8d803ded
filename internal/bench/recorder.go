package bench

import (
	"net/http"
	"sync"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// Event is one request the API answered, as seen at the server.
type Event struct {
	Route      string // as emulator.RequestCounts keys it: "POST /service_users", …
	Start, End time.Time
}

// Recorder wraps an http.Handler (the emulator) and records when each
// request arrived and was answered, so a phase's API-side time span can be
// told apart from Terraform's own work around it.
type Recorder struct {
	Next http.Handler

	mu     sync.Mutex
	events []Event
}

// ServeHTTP serves the request through Next and records it.
func (r *Recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	start := time.Now()
	r.Next.ServeHTTP(w, req)
	ev := Event{Route: emulator.RouteKey(req), Start: start, End: time.Now()}
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.mu.Unlock()
}

// Take returns the events recorded since the last Take and forgets them.
func (r *Recorder) Take() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	ev := r.events
	r.events = nil
	return ev
}

// Span is the time from the first matching request's arrival to the last
// one's reply, and how many matched; match nil matches every event.
func Span(events []Event, match func(Event) bool) (time.Duration, int) {
	var first, last time.Time
	n := 0
	for _, e := range events {
		if match != nil && !match(e) {
			continue
		}
		if n == 0 || e.Start.Before(first) {
			first = e.Start
		}
		if n == 0 || e.End.After(last) {
			last = e.End
		}
		n++
	}
	if n == 0 {
		return 0, 0
	}
	return last.Sub(first), n
}
