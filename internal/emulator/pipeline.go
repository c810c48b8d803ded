package emulator

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"
)

// call carries one request through the pipeline. w may be a recorder when a
// fault rewrites the reply after processing.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	op   string      // operation id, echoed in the header and error bodies
	base string      // scheme://host the request came in on, for uri fields
	coll *collection // nil for an unknown route
	id   string      // the {id} segment, "" on collection routes
	// caller is the user the request authenticated as: the account user for
	// the configured key, the owner for a created API key. A credential
	// created without owner_id goes to it.
	caller string

	body    []byte // the request body, read up front
	bodyErr error  // why it could not be read in full
}

// ServeHTTP handles one API request. The order of the checks is the contract:
// routing (404/405), faults, authentication (401), Ngrok-Version (400), the
// concurrency limit (225), the rate limit (226), latency, the caller's roles
// (403 for a write they do not allow), then the operation.
// Authentication comes before any limit so that rejected requests never use
// up quota, as with the real API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.logger != nil {
		var done func()
		w, done = s.logRequest(w, r)
		defer done()
	}

	c := &call{w: w, r: r, op: "op_" + newKSUID(time.Now(), 0), base: baseURL(r)}
	w.Header().Set("Ngrok-Operation-Id", c.op)
	// Date is the emulator's clock, the one created_at is stamped by (an
	// injected clock included), as the API's replies and objects share one.
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))

	coll, id, template := route(r.URL.Path)
	c.coll, c.id = coll, id
	s.mu.Lock()
	s.counts[routeKey(r.Method, coll, template)]++
	s.total++
	s.mu.Unlock()

	if coll == nil {
		c.notFound() // the same 404 as an unknown ID, like ngrok's
		return
	}
	if allow := allowedMethods(id); !slices.Contains(allow, r.Method) {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		c.fail(http.StatusMethodNotAllowed, "", "Method not allowed")
		return
	}

	// Read the body before anything slow happens: net/http only notices a
	// client hanging up (and cancels the request context, which ends latency
	// sleeps) once the body has been consumed.
	c.body, c.bodyErr = io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))

	f := s.takeFault(r.Method, template)
	if f == nil {
		s.serveAPI(c)
		return
	}
	s.serveFault(c, *f)
}

// allowedMethods lists the methods of a route, for 405 and its Allow header.
func allowedMethods(id string) []string {
	if id == "" {
		return []string{http.MethodGet, http.MethodPost}
	}
	return []string{http.MethodGet, http.MethodPatch, http.MethodDelete}
}

// serveAPI authenticates, applies the limits and latency, then runs the
// operation.
func (s *Server) serveAPI(c *call) {
	if !s.authenticate(c) {
		return
	}
	switch v := strings.TrimSpace(c.r.Header.Get("Ngrok-Version")); v {
	case "2":
	case "":
		c.fail(http.StatusBadRequest, "ERR_NGROK_218", "Your request has not specified an API version. Please include the version you wish to use in the Ngrok-Version header. Supported versions: 2.")
		return
	default:
		c.fail(http.StatusBadRequest, "ERR_NGROK_217", fmt.Sprintf("The provided API version %q is invalid or unsupported. Supported versions: 2. Please check your API client implementation.", v))
		return
	}

	s.mu.Lock()
	if s.maxConcurrent > 0 && s.inFlight >= s.maxConcurrent {
		limit := s.maxConcurrent
		s.mu.Unlock()
		c.fail(http.StatusTooManyRequests, "ERR_NGROK_225", fmt.Sprintf("Your account is limited to %d simultaneous API requests.", limit))
		return
	}
	// The slot is taken before the rate check and held through the latency
	// sleep: latency is what makes requests overlap, so it must count.
	s.inFlight++
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	allowed := s.allowLocked(s.now())
	limit, window, latency, jitter := s.rateLimit, s.rateWindow, s.latency, s.jitter
	s.mu.Unlock()
	if !allowed {
		s.replyRateLimited(c, limit, window)
		return
	}

	if jitter > 0 {
		latency += rand.N(jitter + 1)
	}
	if !sleep(c.r.Context(), latency) {
		return // the client has gone; there is nobody to answer
	}
	s.dispatch(c)
}

// baseURL is the scheme and host the request came in on: uri fields and
// next_page_uri are absolute, and must point back at whatever address the
// client used (127.0.0.1, localhost or a forwarded port).
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
