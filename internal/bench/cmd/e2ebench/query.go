package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/bench"
)

// queries runs terraform query over an account of each of -query-sizes
// seeded users, include_resource false and then true, with the Terraform of
// -terraform-latest; without one that has terraform query, the results say
// why they hold none.
func (h *harness) queries(ctx context.Context) error {
	if len(h.o.querySizes) == 0 {
		return nil
	}
	if h.res.QueryCLI, h.res.QuerySkip = queryCLI(ctx, h.o.root, h.o.terraformLatest); h.res.QuerySkip != "" {
		logf("terraform query: not run: %s", h.res.QuerySkip)
		return nil
	}
	for _, m := range h.o.querySizes {
		for _, include := range []bool{false, true} {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			h.res.Queries = append(h.res.Queries, h.query(ctx, m, include))
		}
	}
	return nil
}

// queryCLI returns the version of bin, or why terraform query cannot run
// with it: none given, none there, or one without terraform query (before
// Terraform 1.14).
func queryCLI(ctx context.Context, root, bin string) (version, skip string) {
	if bin == "" {
		return "", "no Terraform with `terraform query` (1.14 or later) was given to e2ebench (-terraform-latest PATH; `make bench` passes TF_LATEST, which `make terraform-latest` builds)"
	}
	if _, err := exec.LookPath(bin); err != nil {
		return "", fmt.Sprintf("-terraform-latest %s: %v", bin, err)
	}
	out, err := output(ctx, root, bin, "version")
	if err != nil {
		return "", fmt.Sprintf("`%s version`: %v", bin, err)
	}
	version = strings.TrimSpace(strings.SplitN(out, "\n", 2)[0])
	if _, err := output(ctx, root, bin, "query", "-help"); err != nil {
		return version, fmt.Sprintf("%s (%s) has no `terraform query`, which needs Terraform 1.14 or later", bin, version)
	}
	return version, ""
}

// query runs terraform query -json over an account of m seeded users: one
// list block with limit = m, its results with or without the resource. It
// fails unless the query found the m users, and sent the list requests that
// read them and nothing else.
func (h *harness) query(ctx context.Context, m int, includeResource bool) (q bench.Query) {
	q.IncludeResource = includeResource
	logf("terraform query of %d users, include_resource = %t", m, includeResource)
	s := h.scaled(fmt.Sprintf("query-%d-include-resource-%t", m, includeResource), "", "")
	s.cli, s.query = h.o.terraformLatest, queryFile(m, includeResource)
	defer s.Close()
	var r tfResult
	q.SeededRead, r = h.seededRead(ctx, s, m, bench.PhaseQuery, "query", "-json", "-no-color")
	out, err := bench.ParseQueryOutput(r.output)
	q.Found, q.Total = out.Found, out.Total
	if q.Err != "" {
		return q
	}
	if err = errors.Join(err, out.Check(m), bench.OnlyListRequests(&q.Phase, m)); err != nil {
		q.Err = err.Error()
	}
	return q
}

// queryFile is a .tfquery.hcl of one list block of at most m service users.
func queryFile(m int, includeResource bool) string {
	return fmt.Sprintf(`list "ngrok_service_user" "all" {
  provider         = ngrok
  limit            = %d
  include_resource = %t
}
`, m, includeResource)
}
