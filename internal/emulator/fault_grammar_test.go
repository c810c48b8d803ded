package emulator

import (
	"testing"
	"time"
)

func TestParseFault(t *testing.T) {
	for spec, want := range map[string]Fault{
		"503:GET /service_users/{id}:3":    {Kind: FaultStatus, Status: 503, Method: "GET", Route: "/service_users/{id}", Times: 3},
		"status=500":                       {Kind: FaultStatus, Status: 500, Times: 1},
		"drop-after:POST /service_users:1": {Kind: FaultDropAfterProcess, Method: "POST", Route: "/service_users", Times: 1},
		"latency=200ms:*:0":                {Kind: FaultLatency, Delay: 200 * time.Millisecond, Times: 0},
		"html":                             {Kind: FaultHTML, Times: 1},
		"html=504:/bot_users":              {Kind: FaultHTML, Status: 504, Route: "/bot_users", Times: 1},
		"garbage:GET *:2":                  {Kind: FaultGarbage, Method: "GET", Times: 2},
		"ratelimit:* /bot_users/{id}":      {Kind: FaultRateLimit, Route: "/bot_users/{id}", Times: 1},
		"rate-limit":                       {Kind: FaultRateLimit, Times: 1},
		"drop":                             {Kind: FaultDropBeforeProcess, Times: 1},
		"drop-before:delete":               {Kind: FaultDropBeforeProcess, Method: "DELETE", Times: 1},
		"truncated::5":                     {Kind: FaultTruncated, Times: 5},
		"huge":                             {Kind: FaultHuge, Times: 1},
		"huge=2MiB":                        {Kind: FaultHuge, HugeBytes: 2 << 20, Times: 1},
		"huge=512k":                        {Kind: FaultHuge, HugeBytes: 512 << 10, Times: 1},
		"huge=1000":                        {Kind: FaultHuge, HugeBytes: 1000, Times: 1},
		"WRONG-TYPES:PATCH":                {Kind: FaultWrongTypes, Method: "PATCH", Times: 1},
		"missing-id:*":                     {Kind: FaultMissingID, Times: 1},
	} {
		got, err := ParseFault(spec)
		if err != nil || got != want {
			t.Errorf("ParseFault(%q) = %+v, %v; want %+v", spec, got, err, want)
		}
	}
	for _, spec := range []string{
		"", "boom", "200", "600", "status", "status=abc", "latency", "latency=fast", "latency=-1s",
		"html=200", "garbage=1", "huge=0", "huge=2GiB", "huge=x",
		"503:PUT", "503:GET POST", "503:/nope", "503:/service_users /bot_users", "503:/service_users GET",
		"503:GET:x", "503:GET:-1", "503:GET:1:extra",
	} {
		if f, err := ParseFault(spec); err == nil {
			t.Errorf("ParseFault(%q) = %+v, want an error", spec, f)
		}
	}
}
