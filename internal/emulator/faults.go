package emulator

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FaultKind is what a Fault does to the requests it matches.
type FaultKind int

// The fault kinds. "Not processed" means the API never sees the request (no
// user is created, no rate quota is used); "process" means it is handled
// normally, state changes included, and only the reply is spoiled.
const (
	FaultStatus            FaultKind = iota // reply Status (e.g. 500/502/503) with an ngrok error body; not processed
	FaultRateLimit                          // reply 429 ERR_NGROK_226; not processed
	FaultLatency                            // sleep Delay, then process normally
	FaultDropBeforeProcess                  // close the connection without processing or replying
	FaultDropAfterProcess                   // process (e.g. create the user), then close the connection without replying
	FaultHTML                               // reply Status (default 502) with a proxy's HTML page; not processed
	FaultGarbage                            // process, reply the normal status with a non-JSON body
	FaultTruncated                          // process, reply the normal status with the JSON cut in half
	FaultHuge                               // process, reply a valid JSON object padded to ~HugeBytes (default 8 MiB)
	FaultWrongTypes                         // process, reply with the object's fields as JSON values of the wrong types
	FaultMissingID                          // process, reply with the object(s) minus "id"
	FaultSlowCommit                         // sleep Delay even if the client hangs up, then process: an API still working after the client gave up
)

// faultKindNames are the names ParseFault accepts and String returns.
var faultKindNames = [...]string{
	FaultStatus:            "status",
	FaultRateLimit:         "ratelimit",
	FaultLatency:           "latency",
	FaultDropBeforeProcess: "drop-before",
	FaultDropAfterProcess:  "drop-after",
	FaultHTML:              "html",
	FaultGarbage:           "garbage",
	FaultTruncated:         "truncated",
	FaultHuge:              "huge",
	FaultWrongTypes:        "wrong-types",
	FaultMissingID:         "missing-id",
	FaultSlowCommit:        "slow-commit",
}

func (k FaultKind) String() string {
	if k >= 0 && int(k) < len(faultKindNames) {
		return faultKindNames[k]
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault makes the server misbehave for matching requests, as the network
// between a client and api.ngrok.com sometimes does.
type Fault struct {
	Method    string        // HTTP method to match; "" or "*" matches any
	Route     string        // route template as in RequestCounts ("/service_users/{id}", "/api_keys"); "" or "*" matches any
	Kind      FaultKind     // what to do
	Status    int           // reply status for FaultStatus (default 500) and FaultHTML (default 502)
	Delay     time.Duration // sleep for FaultLatency
	Times     int           // matching requests affected; 0 (or less) means every one until ClearFaults
	HugeBytes int           // reply size for FaultHuge; default 8 MiB
}

const defaultHugeBytes = 8 << 20

// FaultGrammar is the one description of the fault specs ParseFault
// accepts: the command prints it in its -help, and the README and the
// docs point there rather than repeat it.
const FaultGrammar = `A fault spec is KIND[:TARGET[:TIMES]].

KIND is one of:
  NNN or status=NNN  reply HTTP status NNN (400-599) with an ngrok error body; not processed
  ratelimit          reply 429 ERR_NGROK_226; not processed
  latency=DURATION   wait DURATION (200ms, 2s, ...), then process normally; a client
                     that hangs up meanwhile is never processed
  slow-commit=DURATION  wait DURATION, then process even if the client has hung up
  drop-before        close the connection without processing or replying (alias: drop)
  drop-after         process the request, then close the connection without replying
  html[=NNN]         reply NNN (default 502) with a proxy's HTML error page; not processed
  garbage            process, then reply the normal status with a non-JSON body
  truncated          process, then reply the normal status with the JSON cut in half
  huge[=SIZE]        process, then reply the JSON padded to SIZE bytes (default 8MiB; N, NKiB or NMiB)
  wrong-types        process, then reply with every field of the object(s) as a JSON value of the wrong type
  missing-id         process, then reply with the object(s) minus "id"

TARGET selects the requests: empty or "*" for any, else "[METHOD] [ROUTE]"
(space separated) where METHOD is GET, POST, PATCH, DELETE or "*" and ROUTE
is "*" or one of /service_users, /bot_users, /api_keys, /credentials and
/ssh_credentials, alone or followed by /{id}.

TIMES is how many matching requests the fault affects (default 1); 0 means
every matching request for as long as the emulator runs.

Faults are kept in the order given; a request is affected by the first one
that matches it. Examples:
  503:GET /service_users/{id}:3   drop-after:POST /service_users:1
  latency=200ms:*:0               html               garbage:GET *:2`

// ParseFault parses a fault spec, as FaultGrammar describes, for the
// command line.
func ParseFault(spec string) (Fault, error) {
	parts := strings.Split(spec, ":")
	if len(parts) > 3 {
		return Fault{}, fmt.Errorf("fault %q: want KIND[:TARGET[:TIMES]]", spec)
	}
	f := Fault{Times: 1}
	if err := parseFaultKind(&f, strings.TrimSpace(parts[0])); err != nil {
		return Fault{}, fmt.Errorf("fault %q: %w", spec, err)
	}
	if len(parts) > 1 {
		if err := parseFaultTarget(&f, parts[1]); err != nil {
			return Fault{}, fmt.Errorf("fault %q: %w", spec, err)
		}
	}
	if len(parts) > 2 {
		n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
		if err != nil || n < 0 {
			return Fault{}, fmt.Errorf("fault %q: TIMES must be an integer >= 0, not %q", spec, parts[2])
		}
		f.Times = n
	}
	return f, nil
}

func parseFaultKind(f *Fault, s string) error {
	name, arg, hasArg := strings.Cut(strings.ToLower(s), "=")
	if n, err := strconv.Atoi(name); err == nil && !hasArg {
		name, arg, hasArg = "status", strconv.Itoa(n), true
	}
	switch name {
	case "drop":
		name = "drop-before"
	case "rate-limit":
		name = "ratelimit"
	}
	kind := FaultKind(slices.Index(faultKindNames[:], name))
	if kind < 0 {
		return fmt.Errorf("unknown kind %q", name)
	}
	f.Kind = kind
	switch kind {
	case FaultStatus, FaultHTML:
		if !hasArg {
			if kind == FaultStatus {
				return fmt.Errorf("status needs a code: NNN or status=NNN")
			}
			return nil
		}
		n, err := strconv.Atoi(arg)
		if err != nil || n < 400 || n > 599 {
			return fmt.Errorf("status must be 400-599, not %q", arg)
		}
		f.Status = n
	case FaultLatency, FaultSlowCommit:
		d, err := time.ParseDuration(arg)
		if !hasArg || err != nil || d < 0 {
			return fmt.Errorf("%s needs a duration: %s=200ms", name, name)
		}
		f.Delay = d
	case FaultHuge:
		if !hasArg {
			return nil
		}
		n, err := parseSize(arg)
		if err != nil {
			return err
		}
		f.HugeBytes = n
	default:
		if hasArg {
			return fmt.Errorf("%s takes no =value", name)
		}
	}
	return nil
}

// parseSize reads N, NKiB or NMiB (K and M also accepted) as bytes.
func parseSize(s string) (int, error) {
	mult := 1
	for _, u := range []struct {
		suffix string
		mult   int
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"k", 1 << 10}, {"m", 1 << 20}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = v, u.mult
			break
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 1<<30/mult {
		return 0, fmt.Errorf("size must be a positive N, NKiB or NMiB up to 1GiB")
	}
	return n * mult, nil
}

func parseFaultTarget(f *Fault, s string) error {
	for _, field := range strings.Fields(s) {
		switch {
		case field == "*" && f.Method == "" && f.Route == "":
			// "*" alone, or "* ROUTE": any method.
		case strings.HasPrefix(field, "/") || field == "*":
			if field != "*" && !slices.Contains(routeTemplates, field) {
				return fmt.Errorf("unknown route %q; routes are %s", field, strings.Join(routeTemplates, ", "))
			}
			if f.Route != "" {
				return fmt.Errorf("target %q names two routes", s)
			}
			f.Route = strings.TrimPrefix(field, "*")
		default:
			m := strings.ToUpper(field)
			if f.Method != "" || f.Route != "" || !slices.Contains([]string{"GET", "POST", "PATCH", "DELETE"}, m) {
				return fmt.Errorf("target %q: want [METHOD] [ROUTE]", s)
			}
			f.Method = m
		}
	}
	return nil
}

// routeTemplates are the routes faults and RequestCounts refer to.
var routeTemplates = func() []string {
	var out []string
	for _, c := range collections {
		out = append(out, "/"+c.path, "/"+c.path+"/{id}")
	}
	return out
}()

// AddFault appends f to the fault list. Each request that matches it uses up
// one of its Times; when several match, the oldest applies.
func (s *Server) AddFault(f Fault) {
	f.Method = strings.TrimPrefix(strings.ToUpper(f.Method), "*")
	f.Route = strings.TrimPrefix(f.Route, "*")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the first fault matching the request, using up one of
// its Times, or nil.
func (s *Server) takeFault(method, template string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method != "" && f.Method != method) || (f.Route != "" && f.Route != template) {
			continue
		}
		taken := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
		}
		return &taken
	}
	return nil
}

// proxyPage is what a load balancer in front of an API sends when the API
// is unreachable: HTML, whatever the client asked for.
const proxyPage = `<html>
<head><title>%[1]d %[2]s</title></head>
<body>
<center><h1>%[1]d %[2]s</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

// serveFault answers a request that matched f.
func (s *Server) serveFault(c *call, f Fault) {
	switch f.Kind {
	case FaultStatus:
		status := cmp.Or(f.Status, http.StatusInternalServerError)
		c.fail(status, "", http.StatusText(status)+" (fault injected by the ngrok emulator)")
		return
	case FaultRateLimit:
		s.mu.Lock()
		limit, window := cmp.Or(s.rateLimit, DefaultOptions().RateLimit), s.rateWindow
		s.mu.Unlock()
		s.replyRateLimited(c, limit, window)
		return
	case FaultHTML:
		status := cmp.Or(f.Status, http.StatusBadGateway)
		// The page comes from a proxy, not from the API, so it carries no
		// operation id.
		c.w.Header().Del("Ngrok-Operation-Id")
		c.w.Header().Set("Content-Type", "text/html")
		c.w.WriteHeader(status)
		_, _ = fmt.Fprintf(c.w, proxyPage, status, http.StatusText(status))
		return
	case FaultDropBeforeProcess:
		drop(c.w)
		return
	case FaultLatency:
		if sleep(c.r.Context(), f.Delay) {
			s.serveAPI(c)
		}
		return
	case FaultSlowCommit:
		// The request is already the API's: it commits whether or not the
		// client waits for the reply (a write to a departed client fails
		// harmlessly).
		time.Sleep(f.Delay)
		c.r = c.r.WithContext(context.WithoutCancel(c.r.Context()))
		s.serveAPI(c)
		return
	}

	// The remaining kinds process the request into a recorder, then send a
	// spoiled version of the reply (or none).
	w := c.w
	rec := &recorder{header: http.Header{}}
	c.w = rec
	s.serveAPI(c)
	if rec.status == 0 {
		return // the client went away during latency
	}
	if f.Kind == FaultDropAfterProcess {
		drop(w)
		return
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	// A 204 cannot carry a body; net/http refuses the write, which is right.
	_, _ = w.Write(spoil(f, c.coll, rec.body.Bytes()))
}

// spoil rewrites a reply body for the post-processing fault kinds.
func spoil(f Fault, coll *collection, body []byte) []byte {
	switch f.Kind {
	case FaultGarbage:
		return []byte("\x00\x1b<<ngrok emulator: this is not JSON>>\xff\xfe")
	case FaultTruncated:
		return body[:len(body)/2]
	case FaultHuge:
		return pad(body, cmp.Or(f.HugeBytes, defaultHugeBytes))
	case FaultWrongTypes:
		return rewriteObjects(body, coll, wrongTypes)
	case FaultMissingID:
		return rewriteObjects(body, coll, func(m map[string]any) { delete(m, "id") })
	}
	return body
}

// pad inserts a string field at the start of a JSON object so that the
// whole body is about size bytes: still valid JSON, and an unknown field
// a lenient client ignores, but large enough to trip response size limits.
func pad(body []byte, size int) []byte {
	if !bytes.HasPrefix(body, []byte("{")) {
		return body
	}
	const field = `"emulator_padding":""`
	comma := ""
	if !bytes.HasPrefix(bytes.TrimSpace(body[1:]), []byte("}")) {
		comma = ","
	}
	n := max(size-len(body)-len(field)-len(comma), 0)
	out := make([]byte, 0, len(body)+len(field)+len(comma)+n)
	out = append(out, `{"emulator_padding":"`...)
	out = append(out, bytes.Repeat([]byte("x"), n)...)
	out = append(out, '"')
	out = append(out, comma...)
	return append(out, body[1:]...)
}

// wrongTypes gives each field of an object a JSON value of another type;
// fields the object lacks stay absent.
func wrongTypes(m map[string]any) {
	for k, v := range map[string]any{
		"id": 123, "uri": false, "created_at": 1.5,
		"name": true, "active": "yes",
		"description": 7, "metadata": []any{}, "owner_id": true, "token": 42, "acl": "*", "public_key": false,
	} {
		if _, ok := m[k]; ok {
			m[k] = v
		}
	}
}

// rewriteObjects applies change to the object of a single-object reply or
// to every object of a list reply; other bodies (errors) pass unchanged.
func rewriteObjects(body []byte, coll *collection, change func(map[string]any)) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return body
	}
	if _, ok := m["id"]; ok {
		change(m)
	}
	if list, ok := m[coll.listKey].([]any); ok {
		for _, item := range list {
			if u, ok := item.(map[string]any); ok {
				change(u)
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return body
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// drop closes the client's connection without a reply. When the connection
// cannot be hijacked (HTTP/2, or a handler test's recorder) it aborts the
// handler, which net/http turns into a reset stream or a closed connection.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// recorder captures a reply so that a fault can spoil it before sending.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
