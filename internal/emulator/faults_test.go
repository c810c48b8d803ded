package emulator

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFaultMatching(t *testing.T) {
	c := newTest(t, Options{})
	// FIFO: the first matching fault is used up first.
	c.s.AddFault(Fault{Method: "get", Route: "*", Kind: FaultStatus, Status: 500, Times: 1})
	c.s.AddFault(Fault{Method: "*", Kind: FaultStatus, Status: 503, Times: 1})
	c.s.AddFault(Fault{Route: "/service_users", Kind: FaultStatus, Status: 502, Times: 0})
	want := []int{500, 503, 502, 502, 502}
	for i, status := range want {
		if r := c.do("GET", "/service_users", ""); r.status != status {
			t.Fatalf("request %d: %d, want %d", i, r.status, status)
		}
	}
	if r := c.do("GET", "/bot_users", ""); r.status != 200 {
		t.Fatalf("forever fault is route-scoped: %d", r.status)
	}
	// Faults act in front of the API, before authentication.
	c.do("GET", "/service_users", "", "Authorization", "").wantError(t, 502, "", "")
	// Processing faults still authenticate, and spoil the error reply.
	c.s.ClearFaults()
	c.s.AddFault(Fault{Kind: FaultTruncated})
	if r := c.do("GET", "/service_users", "", "Authorization", ""); r.status != 401 || json.Valid(r.body) {
		t.Fatalf("truncated 401: %d %s", r.status, r.body)
	}
	// 404 and 405 are decided before faults.
	c.s.ClearFaults()
	c.s.AddFault(Fault{Kind: FaultStatus, Status: 503})
	c.do("GET", "/nowhere", "").wantError(t, 404, "", "")
	c.do("PUT", "/service_users", "").wantError(t, 405, "", "")
}

func TestFaultKindString(t *testing.T) {
	for k := FaultKind(0); int(k) < len(faultKindNames); k++ {
		name := k.String()
		if strings.HasPrefix(name, "FaultKind(") {
			t.Errorf("kind %d has no name", k)
		}
		// Every name round-trips through the grammar (status needs a code).
		spec := name
		switch k {
		case FaultStatus:
			spec = "status=500"
		case FaultLatency, FaultSlowCommit:
			spec = name + "=1s"
		}
		if f, err := ParseFault(spec); err != nil || f.Kind != k {
			t.Errorf("ParseFault(%q) = %v, %v", spec, f.Kind, err)
		}
		if !strings.Contains(FaultGrammar, name) {
			t.Errorf("FaultGrammar does not mention %s", name)
		}
	}
	if got := FaultKind(42).String(); got != "FaultKind(42)" {
		t.Errorf("unknown kind = %q", got)
	}
}

func TestFaultsOnCredentialRoutes(t *testing.T) {
	c := newTest(t, Options{})
	c.s.AddFault(Fault{Method: "POST", Route: "/api_keys", Kind: FaultStatus, Status: 503, Times: 1})
	c.s.AddFault(Fault{Method: "POST", Route: "/credentials", Kind: FaultDropAfterProcess, Times: 1})
	c.do("POST", "/api_keys", `{}`).wantError(t, 503, "", "Service Unavailable")
	if n := len(c.s.Credentials("api_keys")); n != 0 {
		t.Fatal("a faulted create was processed")
	}
	if _, err := c.try("POST", "/credentials", `{}`); err == nil {
		t.Fatal("want a dropped connection")
	}
	if n := len(c.s.Credentials("credentials")); n != 1 {
		t.Fatalf("drop-after: %d authtokens, want 1", n)
	}
	// Route-scoped: the other routes are untouched.
	if r := c.do("POST", "/api_keys", `{}`); r.status != 201 {
		t.Fatalf("after the fault: %d", r.status)
	}

	ssh, err := c.s.SeedCredentials("ssh_credentials", 2, "s")
	if err != nil {
		t.Fatal(err)
	}
	c.s.AddFault(Fault{Route: "/ssh_credentials/{id}", Kind: FaultWrongTypes, Times: 1})
	m := c.do("GET", "/ssh_credentials/"+ssh[0].ID, "").obj(t)
	if m["id"] != float64(123) || m["description"] != float64(7) || m["acl"] != "*" || m["public_key"] != false || m["owner_id"] != true {
		t.Fatalf("wrong types: %v", m)
	}
	if _, has := m["name"]; has {
		t.Fatalf("wrong-types added user fields: %v", m)
	}
	c.s.AddFault(Fault{Method: "GET", Route: "/api_keys", Kind: FaultMissingID, Times: 1})
	m = c.do("GET", "/api_keys", "").obj(t)
	for _, it := range items(t, m, "keys") {
		if _, has := it["id"]; has {
			t.Fatalf("list item keeps its id: %v", it)
		}
	}
	c.s.AddFault(Fault{Route: "/ssh_credentials", Kind: FaultRateLimit, Times: 1})
	c.do("GET", "/ssh_credentials", "").wantError(t, 429, "ERR_NGROK_226", "")

	want := map[string]int{
		"POST /api_keys":            2,
		"GET /api_keys":             1,
		"POST /credentials":         1,
		"GET /ssh_credentials/{id}": 1,
		"GET /ssh_credentials":      1,
	}
	for k, v := range want {
		if got := c.s.RequestCounts()[k]; got != v {
			t.Errorf("RequestCounts[%s] = %d, want %d", k, got, v)
		}
	}
	for _, spec := range []string{"503:GET /api_keys/{id}", "drop-after:POST /credentials", "html:* /ssh_credentials/{id}:0"} {
		if _, err := ParseFault(spec); err != nil {
			t.Errorf("ParseFault(%q): %v", spec, err)
		}
	}
	if _, err := ParseFault("503:/keys"); err == nil {
		t.Error("ParseFault accepted the list key as a route")
	}
}
