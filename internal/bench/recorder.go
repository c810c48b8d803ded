package bench

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Event is one request the API answered, as seen at the server.
type Event struct {
	Route      string // "POST /service_users", "GET /service_users/{id}", …
	Start, End time.Time
	Status     int
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
	sw := &statusWriter{ResponseWriter: w}
	start := time.Now()
	r.Next.ServeHTTP(sw, req)
	ev := Event{Route: req.Method + " " + routeTemplate(req.URL.Path), Start: start, End: time.Now(), Status: sw.status}
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

// routeTemplate names a path the way the emulator's RequestCounts does.
func routeTemplate(path string) string {
	for _, col := range []string{"/service_users", "/bot_users"} {
		rest, ok := strings.CutPrefix(path, col)
		if !ok {
			continue
		}
		if rest == "" {
			return col
		}
		if strings.HasPrefix(rest, "/") && len(rest) > 1 {
			return col + "/{id}"
		}
	}
	return "(unknown)"
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

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
