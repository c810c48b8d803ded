package emulator

import (
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
