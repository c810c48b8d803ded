package emulator

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

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
