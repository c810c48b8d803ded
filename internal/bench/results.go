package bench

import (
	"fmt"
	"time"
)

// Results is everything one run of the end-to-end benchmark measured.
type Results struct {
	Quick       bool              `json:"quick"`
	Scale       int               `json:"scale"`        // S
	Limit       int               `json:"limit"`        // requests per Window, 120×S, for both emulator and provider
	Window      time.Duration     `json:"window"`       // the rolling window, 60 s
	Latency     time.Duration     `json:"latency"`      // emulator latency per request ...
	Jitter      time.Duration     `json:"jitter"`       // ... plus up to this much
	Parallelism int               `json:"parallelism"`  // terraform -parallelism
	Sizes       []int             `json:"sizes"`        // N: managed users
	Modes       []string          `json:"modes"`        // refresh_mode values
	DataSizes   []int             `json:"data_sizes"`   // users seeded for ngrok_users
	Command     string            `json:"command"`      // how to reproduce
	Started     time.Time         `json:"started"`      //
	Finished    time.Time         `json:"finished"`     //
	Machine     Machine           `json:"machine"`      //
	Scenarios   []Scenario        `json:"scenarios"`    //
	DataSources []DataSource      `json:"data_sources"` //
	QuerySizes  []int             `json:"query_sizes"`  // users seeded for terraform query
	QueryCLI    string            `json:"query_cli"`    // the Terraform that ran it: "Terraform v1.16.4"
	QuerySkip   string            `json:"query_skip"`   // why terraform query did not run ("" if it ran or had no sizes)
	Queries     []Query           `json:"queries"`      //
	Pacing      []PacedCreate     `json:"pacing"`       // creates at the real limit, paced and not
	Plans       []PacedPlan       `json:"plans"`        // plans at the real limit, paced and not
	Parallel    []ParallelApplies `json:"parallel"`     // applies at once on one account
	GoBench     string            `json:"go_bench"`     // go test -bench output
	Failures    []string          `json:"failures"`     // checks that failed
}

// Machine describes where the run happened.
type Machine struct {
	CPUs        int     `json:"cpus"`
	CPUModel    string  `json:"cpu_model"`
	MemTotalKiB int64   `json:"mem_total_kib"`
	OS          string  `json:"os"`
	GoVersion   string  `json:"go_version"`
	Terraform   string  `json:"terraform"`
	Commit      string  `json:"commit"`
	LoadStart   float64 `json:"load_start"` // 1-minute load average
	LoadEnd     float64 `json:"load_end"`
	LoadMax     float64 `json:"load_max"` // highest seen at a phase boundary
}

// Scenario is N managed users under one refresh_mode, in a fresh emulator
// and a fresh provider process.
type Scenario struct {
	N        int     `json:"n"`
	Mode     string  `json:"mode"`
	Phases   []Phase `json:"phases"`
	Provider Memory  `json:"provider_memory"` // at the end of the scenario
	Err      string  `json:"error,omitempty"`
}

// Phase is one terraform command.
type Phase struct {
	Name        string         `json:"name"` // apply, plan, no-op apply, destroy
	Command     string         `json:"command"`
	ExitCode    int            `json:"exit_code"`
	Wall        time.Duration  `json:"wall"`
	Counts      map[string]int `json:"counts"` // emulator RequestCounts
	Total       int            `json:"total"`
	RateLimited int            `json:"rate_limited"` // 429 replies
	APISpan     time.Duration  `json:"api_span"`     // first request in to last reply out
	POSTSpan    time.Duration  `json:"post_span"`    // the same over POSTs only
	TFCPU       time.Duration  `json:"terraform_cpu"`
	TFMaxRSSKiB int64          `json:"terraform_max_rss_kib"`
	ProviderCPU time.Duration  `json:"provider_cpu"`
	Provider    Memory         `json:"provider_memory"` // after the command; VmHWM is the process's peak so far
	Load        float64        `json:"load"`            // 1-minute load average when the phase ended
	Err         string         `json:"error,omitempty"`
}

// SeededRead is one terraform command that reads an account of seeded
// users, in a fresh emulator and a provider process of its own.
type SeededRead struct {
	Users  int    `json:"users"` // seeded
	Phase  Phase  `json:"phase"`
	Before Memory `json:"before"` // provider memory after init, before the read
	After  Memory `json:"after"`
	Err    string `json:"error,omitempty"`
}

// DataSource is one read of ngrok_users over a seeded account.
type DataSource struct {
	SeededRead
	Listed int `json:"listed"` // length(ids) as Terraform saw it
}

// Phase returns the named phase of a scenario, or nil.
func (s *Scenario) Phase(name string) *Phase {
	for i := range s.Phases {
		if s.Phases[i].Name == name {
			return &s.Phases[i]
		}
	}
	return nil
}

// Scenario returns the scenario of n users in a mode, or nil.
func (r *Results) Scenario(n int, mode string) *Scenario {
	for i := range r.Scenarios {
		if r.Scenarios[i].N == n && r.Scenarios[i].Mode == mode {
			return &r.Scenarios[i]
		}
	}
	return nil
}

// CollectFailures lists the scenarios that failed, each with its error.
func (r *Results) CollectFailures() []string {
	var out []string
	add := func(err, format string, args ...any) {
		if err != "" {
			out = append(out, fmt.Sprintf(format, args...)+": "+err)
		}
	}
	for _, sc := range r.Scenarios {
		add(sc.Err, "N=%d refresh_mode=%s", sc.N, sc.Mode)
	}
	for _, pc := range r.Pacing {
		add(pc.Err, "pacing N=%d", pc.N)
	}
	for _, pp := range r.Plans {
		add(pp.Err, "plan of %d users", pp.N)
	}
	for _, pa := range r.Parallel {
		add(pa.Err, "%d parallel applies", len(pa.Applies))
	}
	for _, ds := range r.DataSources {
		add(ds.Err, "ngrok_users over %d users", ds.Users)
	}
	for _, q := range r.Queries {
		add(q.Err, "terraform query of %d users, include_resource = %t", q.Users, q.IncludeResource)
	}
	return out
}

// seededReads are the reads of seeded accounts: of ngrok_users, then of
// terraform query.
func (r *Results) seededReads() []*SeededRead {
	out := make([]*SeededRead, 0, len(r.DataSources)+len(r.Queries))
	for i := range r.DataSources {
		out = append(out, &r.DataSources[i].SeededRead)
	}
	for i := range r.Queries {
		out = append(out, &r.Queries[i].SeededRead)
	}
	return out
}

// Phase names.
const (
	PhaseApply = "apply (create)"
	PhasePlan  = "plan (refresh)"
	// PhasePlanReal is the same plan at ngrok's real limit (S = 1).
	PhasePlanReal = "plan at 120/min"
	PhaseNoop     = "no-op apply"
	PhaseDestroy  = "destroy"
	PhaseRead     = "apply (read)"
	PhaseQuery    = "query"
)
