package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// QueryOutput is what terraform query -json reported, over all its list
// blocks.
type QueryOutput struct {
	Found     int      // list_resource_found messages: one per result
	Completes int      // list_complete messages: one per list block that finished
	Total     int      // the sum of their totals
	Errors    []string // error diagnostics, as "summary: detail"
}

// ParseQueryOutput reads the output of terraform query -json: one JSON
// message a line, each with its "type". Lines that do not begin with "{"
// are skipped (the command's standard error shares the stream); a line
// that does but is not JSON is an error.
func ParseQueryOutput(out string) (QueryOutput, error) {
	var o QueryOutput
	for i, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var msg struct {
			Type     string `json:"type"`
			Complete struct {
				Total int `json:"total"`
			} `json:"list_complete"`
			Diagnostic struct {
				Severity string `json:"severity"`
				Summary  string `json:"summary"`
				Detail   string `json:"detail"`
			} `json:"diagnostic"`
		}
		if err := json.Unmarshal([]byte(line), &msg); err != nil {
			return o, fmt.Errorf("terraform query -json, line %d: %w", i+1, err)
		}
		switch msg.Type {
		case "list_resource_found":
			o.Found++
		case "list_complete":
			o.Completes++
			o.Total += msg.Complete.Total
		case "diagnostic":
			if d := msg.Diagnostic; d.Severity == "error" {
				o.Errors = append(o.Errors, strings.TrimSuffix(d.Summary+": "+d.Detail, ": "))
			}
		}
	}
	return o, nil
}

// Check reports how o differs from one list block that found want results:
// no error, one list_complete, and as many results found as it totals.
func (o QueryOutput) Check(want int) error {
	var errs []error
	for _, e := range o.Errors {
		errs = append(errs, fmt.Errorf("terraform query reported an error: %s", e))
	}
	if o.Completes != 1 {
		errs = append(errs, fmt.Errorf("%d list_complete messages, want 1", o.Completes))
	}
	if o.Found != want || o.Total != want {
		errs = append(errs, fmt.Errorf("%d results found, %d in list_complete's total, want %d", o.Found, o.Total, want))
	}
	return errors.Join(errs...)
}
