package emulator

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"time"
)

// logRequest wraps w so that the request is logged once, with its status and
// duration, when done is called; a dropped connection is logged before it
// closes, so that whoever sees the drop finds it in the log.
func (s *Server) logRequest(w http.ResponseWriter, r *http.Request) (_ http.ResponseWriter, done func()) {
	start := time.Now()
	logged := false
	logLine := func(status string) {
		logged = true
		s.logger.Printf("%s %s %s %s", r.Method, r.URL.RequestURI(), status, time.Since(start).Round(time.Microsecond))
	}
	lw := &loggingWriter{ResponseWriter: w, onHijack: func() { logLine("dropped") }}
	return lw, func() {
		if logged {
			return
		}
		status := fmt.Sprint(lw.status)
		if lw.status == 0 {
			status = "dropped"
		}
		logLine(status)
	}
}

// loggingWriter remembers the status for the request log. Unwrap lets
// http.ResponseController reach the connection to hijack it for drop faults.
type loggingWriter struct {
	http.ResponseWriter
	status   int
	onHijack func() // called once, before the connection is taken over
}

// Hijack lets onHijack log the request before the connection is dropped.
func (w *loggingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.onHijack != nil {
		w.onHijack()
		w.onHijack = nil
	}
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

func (w *loggingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *loggingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *loggingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
