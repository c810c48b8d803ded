package bench

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

func TestMinSendTime(t *testing.T) {
	for _, tc := range []struct {
		n, limit int
		want     time.Duration
	}{
		{0, 120, 0},
		{1, 120, 0},
		{120, 120, 0},
		{121, 120, time.Minute},
		{240, 120, time.Minute},
		{241, 120, 2 * time.Minute},
		{1000, 120, 8 * time.Minute},
		{1000, 960, time.Minute},
		{1000, 1200, 0},
	} {
		if got := MinSendTime(tc.n, tc.limit, time.Minute); got != tc.want {
			t.Errorf("MinSendTime(%d, %d) = %s, want %s", tc.n, tc.limit, got, tc.want)
		}
	}
}

func TestParseReattachLine(t *testing.T) {
	line := "\tTF_REATTACH_PROVIDERS='{\"registry.terraform.io/seed-66e0ccfd/ngrok\":{\"Protocol\":\"grpc\",\"ProtocolVersion\":6,\"Pid\":4242,\"Test\":true,\"Addr\":{\"Network\":\"unix\",\"String\":\"/tmp/plugin1\"}}}'"
	v, pid, ok, err := ParseReattachLine(line)
	if !ok || err != nil || pid != 4242 || !strings.HasPrefix(v, "{\"registry") {
		t.Fatalf("got %q %d %v %v", v, pid, ok, err)
	}
	if _, _, ok, _ := ParseReattachLine("Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable"); ok {
		t.Error("the announcement line was taken for the value")
	}
	if _, _, ok, err := ParseReattachLine("TF_REATTACH_PROVIDERS='{}'"); !ok || err == nil {
		t.Errorf("an empty value: ok %v, err %v; want an error", ok, err)
	}
}

func TestParseProc(t *testing.T) {
	m, err := parseStatus([]byte("Name:\tx\nVmPeak:\t 9 kB\nVmHWM:\t   17388 kB\nVmRSS:\t   12000 kB\n"))
	if err != nil || m.HWMKiB != 17388 || m.RSSKiB != 12000 {
		t.Errorf("parseStatus = %+v, %v", m, err)
	}
	if _, err := parseStatus([]byte("Name:\tx\n")); err == nil {
		t.Error("parseStatus accepted a status without memory lines")
	}
	stat := "123 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0"
	if d, err := parseStat([]byte(stat)); err != nil || d != 3*time.Second {
		t.Errorf("parseStat = %s, %v; want 3s", d, err)
	}
}

func TestSplice(t *testing.T) {
	old := "# Title\n\nhand-written\n\n" + BeginMarker + "\nold\n" + EndMarker + "\n\ntrailer\n"
	out, err := splice([]byte(old), BeginMarker+"\nnew\n"+EndMarker+"\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "# Title\n\nhand-written\n\n" + BeginMarker + "\nnew\n" + EndMarker + "\n\ntrailer\n"
	if string(out) != want {
		t.Errorf("splice:\n%s\nwant:\n%s", out, want)
	}
	if _, err := splice([]byte("no markers"), "x"); err == nil {
		t.Error("splice accepted a file without markers")
	}
}

func TestRoutesAndSpan(t *testing.T) {
	srv := emulator.New(emulator.Options{APIKey: "emu_test"})
	rec := &Recorder{Next: srv}
	for _, path := range []string{"/service_users/service_abc", "/nowhere"} {
		rec.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	ev := rec.Take()
	if len(ev) != 2 || ev[0].Route != "GET /service_users/{id}" || ev[1].Route != "GET (unknown)" {
		t.Errorf("recorded %+v", ev)
	}
	for _, e := range ev {
		if srv.RequestCounts()[e.Route] != 1 {
			t.Errorf("the emulator counts %v, not %q", srv.RequestCounts(), e.Route)
		}
	}
	if rest := rec.Take(); len(rest) != 0 {
		t.Errorf("a second Take returned %d events", len(rest))
	}
	if got := routes(map[string]int{"POST /service_users": 1000, "GET /service_users": 12, "GET /service_users/{id}": 3}); got != "GET list 12, GET one 3, POST 1,000" {
		t.Errorf("routes = %q", got)
	}
	t0 := time.Unix(0, 0)
	ev = []Event{
		{Route: "POST /service_users", Start: t0.Add(time.Second), End: t0.Add(2 * time.Second)},
		{Route: "GET /service_users", Start: t0, End: t0.Add(5 * time.Second)},
	}
	if d, n := Span(ev, nil); d != 5*time.Second || n != 2 {
		t.Errorf("Span = %s, %d", d, n)
	}
	if d, n := Span(ev, func(e Event) bool { return strings.HasPrefix(e.Route, "POST") }); d != time.Second || n != 1 {
		t.Errorf("Span of POSTs = %s, %d", d, n)
	}
}

func TestPacingReport(t *testing.T) {
	r := &Results{Pacing: []PacedCreate{
		{N: 40, Paced: Phase{Wall: 3 * time.Second}, Unpaced: Phase{Wall: 2 * time.Second}},
		{N: 100, Paced: Phase{Wall: 2 * time.Second, RateLimited: 1}, Unpaced: Phase{Wall: 2 * time.Second}},
		{N: 200, Paced: Phase{Wall: 80 * time.Second, RateLimited: 1}, Unpaced: Phase{Wall: 4 * time.Second}},
	}}
	var b strings.Builder
	writePacing(&b, r)
	md := b.String()
	for _, want := range []string{"| 40 | 0.00 s | 3.00 s | 2.00 s | 1.50× | 0 | 3.00 s | yes |", "| 200 | 60.0 s | 80.0 s |", PacingPlotFile} {
		if !strings.Contains(md, want) {
			t.Errorf("the pacing section lacks %q:\n%s", want, md)
		}
	}
	// 200 drew a 429 and exceeded 1.10 × 60 s + 4 s; 100 kept to its time
	// bound but drew a 429: neither is within the bound.
	lines := strings.Split(md, "\n")
	for _, n := range []string{"200", "100"} {
		if i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "| "+n+" ") }); i < 0 || !strings.HasSuffix(lines[i], "| "+verdict(true, false)+" |") {
			t.Errorf("N = %s is not marked outside the bound:\n%s", n, md)
		}
	}
	svg := string(PacingSVG(r))
	if n := strings.Count(svg, "<polyline"); n != 3 {
		t.Errorf("%d lines in the plot, want 3", n)
	}
	for _, name := range []string{"this pacer", "T_min", "pacing off"} {
		if !strings.Contains(svg, name) {
			t.Errorf("the plot's legend lacks %q", name)
		}
	}
}

func TestPacedPlanReport(t *testing.T) {
	plan := func(wall time.Duration, requests, limited int) Phase {
		return Phase{Wall: wall, Total: requests, RateLimited: limited, Counts: map[string]int{"GET /service_users": requests}}
	}
	s := time.Second
	r := &Results{Plans: []PacedPlan{{N: 1000,
		Paced:   []Phase{plan(5*s, 13, 0), plan(3*s, 13, 0), plan(4*s, 13, 0)},
		Unpaced: []Phase{plan(4*s, 13, 0), plan(2*s, 13, 0), plan(9*s, 13, 0), plan(6*s, 13, 0)},
	}}}
	pp := &r.Plans[0]
	if got := span([]int{13, 12, 13}); got != "12–13" {
		t.Errorf("span of 13, 12, 13 = %q", got)
	}
	if got := medianWall(pp.Paced); got != 4*s {
		t.Errorf("median of 5, 3, 4 s = %s", got)
	}
	if got := medianWall(pp.Unpaced); got != 5*s {
		t.Errorf("median of 4, 2, 9, 6 s = %s", got)
	}
	if !pp.Met() {
		t.Error("4 s against 5 s in 13 requests is not within the target")
	}
	var b strings.Builder
	writePacedPlans(md(&b), r.Plans)
	if want := "| 1,000 | 5.00 s, 3.00 s, 4.00 s | 4.00 s, 2.00 s, 9.00 s, 6.00 s | 4.00 s | 5.00 s | 0.80× | 13 | 0 | yes |"; !strings.Contains(b.String(), want) {
		t.Errorf("the plan section lacks %q:\n%s", want, b.String())
	}
	for name, change := range map[string]func(){
		"over 1.2×":     func() { pp.Paced[2].Wall = 7 * s; pp.Paced[1].Wall = 7 * s },
		"16 requests":   func() { pp.Paced[0].Total = TargetRefreshRequests + 1 },
		"a 429":         func() { pp.Paced[1].RateLimited = 1 },
		"a failed plan": func() { pp.Err = "exited 1" },
	} {
		saved := slices.Clone(pp.Paced)
		change()
		if pp.Met() {
			t.Errorf("with %s the plan meets its target", name)
		}
		pp.Paced, pp.Err = saved, ""
	}
}

func TestParallelReport(t *testing.T) {
	apply := func(wall time.Duration, exit int) Phase { return Phase{Wall: wall, ExitCode: exit} }
	pa := ParallelApplies{Users: 50, Limit: 120, Window: 6 * time.Second, Total: 150, Counts: map[string]int{"POST /service_users": 150},
		Applies: []Phase{apply(7*time.Second, 0), apply(7*time.Second, 0), apply(7500*time.Millisecond, 0)}, Wall: 7500 * time.Millisecond}
	if got := pa.MinTime(); got != 6*time.Second {
		t.Errorf("T_min(150) at 120 per 6 s = %s", got)
	}
	if !pa.Met() {
		t.Error("7.5 s against 6 s with no 429 is not within the target")
	}
	r := &Results{Parallel: []ParallelApplies{pa}}
	var b strings.Builder
	writeParallel(md(&b), r.Parallel)
	writeTargets(&b, r)
	for _, want := range []string{
		"| 3 × 50 | 120 per 6 s | 6.00 s | 7.50 s | 1.25× | 7.00 s, 7.00 s, 7.50 s | 0, 0, 0 | 150 (POST 150) |",
		"| 3 parallel applies of 50 users on one account: no 429, all exit 0, within 1.3× of T_min | 0 × 429, exits 0, 0, 0, 7.50 s / 6.00 s = **1.25×** | yes |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, b.String())
		}
	}
	for name, change := range map[string]func(p *ParallelApplies){
		"a 429":        func(p *ParallelApplies) { p.RateLimited = 1 },
		"exit 1":       func(p *ParallelApplies) { p.Applies = slices.Clone(p.Applies); p.Applies[2].ExitCode = 1 },
		"over 1.3×":    func(p *ParallelApplies) { p.Wall = 7900 * time.Millisecond },
		"a failed run": func(p *ParallelApplies) { p.Err = "boom" },
	} {
		p := pa
		change(&p)
		if p.Met() {
			t.Errorf("with %s the applies meet their target", name)
		}
	}
}

func TestCollectFailures(t *testing.T) {
	r := &Results{
		Scenarios:   []Scenario{{N: 100, Mode: "auto"}, {N: 100, Mode: "get", Err: "plan: exited 1"}},
		Pacing:      []PacedCreate{{N: 10}, {N: 40, Err: "paced: exited 1"}},
		Plans:       []PacedPlan{{N: 1000, Err: "create: boom"}},
		Parallel:    []ParallelApplies{{Applies: make([]Phase, 3), Err: "exited 1"}},
		DataSources: []DataSource{{SeededRead: SeededRead{Users: 10}}, {SeededRead: SeededRead{Users: 1000, Err: "listed 3"}}},
		Queries:     []Query{{SeededRead: SeededRead{Users: 1000}}, {SeededRead: SeededRead{Users: 1000, Err: "found 3"}, IncludeResource: true}},
	}
	want := []string{"N=100 refresh_mode=get: plan: exited 1", "pacing N=40: paced: exited 1", "plan of 1000 users: create: boom",
		"3 parallel applies: exited 1", "ngrok_users over 1000 users: listed 3", "terraform query of 1000 users, include_resource = true: found 3"}
	if got := r.CollectFailures(); !slices.Equal(got, want) {
		t.Errorf("CollectFailures = %q, want %q", got, want)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	path := t.TempDir() + "/results.json"
	in := &Results{Scale: 8, Plans: []PacedPlan{{N: 1000, Paced: []Phase{{Wall: time.Second, Total: 12}}}}, Parallel: []ParallelApplies{{Users: 50, Window: 6 * time.Second}},
		QuerySizes: []int{1000}, QueryCLI: "Terraform v1.16.4", Queries: []Query{{SeededRead: SeededRead{Users: 1000, After: Memory{HWMKiB: 40000}}, IncludeResource: true, Found: 1000, Total: 1000}}}
	if err := WriteJSON(path, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadJSON(path)
	if err != nil {
		t.Fatal(err)
	}
	// Every field survives, not only those the report shows.
	if !reflect.DeepEqual(out, in) {
		t.Errorf("the results read back differ:\n%+v\nwant:\n%+v", out, in)
	}
}
