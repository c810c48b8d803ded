package bench

import (
	"fmt"
	"strings"
)

// ListRoute is the route of a page of service users, as the emulator
// counts it.
const ListRoute = "GET /service_users"

// ListRequests is how many list requests read m ≥ 1 users: pages of 100.
func ListRequests(m int) int { return (m + 99) / 100 }

// OnlyListRequests reports a phase that sent anything but the
// ListRequests(m) list requests that read m users (a 429 is a request too).
func OnlyListRequests(p *Phase, m int) error {
	if want := ListRequests(m); p.Total != want || p.Counts[ListRoute] != want {
		return fmt.Errorf("sent %d requests (%s), want %d, all %s", p.Total, routes(p.Counts), want, ListRoute)
	}
	return nil
}

// Query is one terraform query over an account of Users seeded users: a
// list "ngrok_service_user" block with limit = Users.
type Query struct {
	SeededRead
	IncludeResource bool `json:"include_resource"`
	Found           int  `json:"found"` // list_resource_found messages
	Total           int  `json:"total"` // list_complete's total
}

// writeQueries writes the section of terraform query: its table, or why it
// did not run.
func writeQueries(b *strings.Builder, r *Results) {
	w := md(b)
	const title = "`terraform query` over a seeded account"
	switch {
	case r.QuerySkip != "":
		w("### %s\n\nNot run: %s.\n\n", title, r.QuerySkip)
		return
	case len(r.Queries) == 0:
		return
	}
	head(w, title, fmt.Sprintf("`terraform query -json` (%s) of one `list \"ngrok_service_user\"` block with `limit` = the users seeded, `include_resource` false and then true, "+
		"in a fresh emulator and a fresh provider process per run. Found is the `list_resource_found` messages; `list_complete`'s total must equal it, "+
		"and the requests must be one list request per 100 users and nothing else. Provider memory is VmHWM (peak resident set) from /proc, after `terraform init` and after the query.", r.QueryCLI),
		"rlr"+readAlign, append([]string{"users", "include_resource", "found"}, readColumns...)...)
	for _, q := range r.Queries {
		w("| %s | %t | %s | %s |\n", comma(q.Users), q.IncludeResource, comma(q.Found), readCells(&q.SeededRead))
		if q.Err != "" {
			failedRow(w, 3+len(readColumns), comma(q.Users), fmt.Sprint(q.IncludeResource), "**failed**", oneLine(q.Err))
		}
	}
	w("\n")
}
