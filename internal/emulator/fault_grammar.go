package emulator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

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
