package bench

import (
	"strings"
	"testing"
	"time"
)

func TestOnlyListRequests(t *testing.T) {
	if got := []int{ListRequests(1), ListRequests(100), ListRequests(101), ListRequests(10000)}; got[0] != 1 || got[1] != 1 || got[2] != 2 || got[3] != 100 {
		t.Errorf("ListRequests(1, 100, 101, 10000) = %v", got)
	}
	ok := &Phase{Total: 100, Counts: map[string]int{ListRoute: 100}}
	if err := OnlyListRequests(ok, 10000); err != nil {
		t.Errorf("100 list requests for 10,000 users: %v", err)
	}
	for name, p := range map[string]*Phase{
		"one list request too many": {Total: 101, Counts: map[string]int{ListRoute: 101}},
		"a read of one user":        {Total: 101, Counts: map[string]int{ListRoute: 100, "GET /service_users/{id}": 1}},
		"a 429 among them":          {Total: 100, Counts: map[string]int{ListRoute: 99, "GET (unknown)": 1}},
		"none":                      {},
	} {
		if err := OnlyListRequests(p, 10000); err == nil {
			t.Errorf("%s passes as the list requests of 10,000 users", name)
		}
	}
}

func TestQueryReport(t *testing.T) {
	read := func(users int, err string) SeededRead {
		return SeededRead{Users: users, Err: err, Before: Memory{HWMKiB: 17 << 10}, After: Memory{HWMKiB: 17<<10 + 20000},
			Phase: Phase{Total: ListRequests(users), Counts: map[string]int{ListRoute: ListRequests(users)}, Wall: 2 * time.Second}}
	}
	r := &Results{QuerySizes: []int{1000}, QueryCLI: "Terraform v1.16.4", Queries: []Query{
		{SeededRead: read(1000, ""), Found: 1000, Total: 1000},
		{SeededRead: read(1000, "sent 11 requests"), IncludeResource: true, Found: 1000, Total: 1000},
	}}
	var b strings.Builder
	writeQueries(&b, r)
	for _, want := range []string{
		"`terraform query -json` (Terraform v1.16.4)",
		"| 1,000 | false | 1,000 | 10 | GET list 10 | 0 | 2.00 s | 0.00 s | 0.00 s | 17.0 MiB | 36.5 MiB | 19.5 MiB | 20.00 KiB |",
		"| 1,000 | true | **failed** | sent 11 requests |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the query section lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	writeTargets(&b, r)
	if want := "2 terraform commands measured, 1 exited non-zero or failed a check"; !strings.Contains(b.String(), want) {
		t.Errorf("the targets lack %q:\n%s", want, b.String())
	}

	b.Reset()
	writeQueries(&b, &Results{QuerySizes: []int{1000}, QuerySkip: "no Terraform with terraform query given"})
	if want := "Not run: no Terraform with terraform query given."; !strings.Contains(b.String(), want) || strings.Contains(b.String(), "|") {
		t.Errorf("a skipped query's section is not %q alone:\n%s", want, b.String())
	}
	b.Reset()
	writeQueries(&b, &Results{})
	if b.Len() != 0 {
		t.Errorf("a run without queries has a query section:\n%s", b.String())
	}
}
