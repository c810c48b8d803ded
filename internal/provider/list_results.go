package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// What every list resource of this provider does alike: it streams the
// objects its filter selects, as the pages of the account arrive, each with
// its identity { id } and a name a person recognises, and, when asked for,
// the resource as a read of it would store it.

// excludeIDsDoc describes exclude_ids, which every list resource takes.
const excludeIDsDoc = "IDs to leave out of the results, such as those of every resource the configuration manages " +
	"(`[for u in ngrok_service_user.ci : u.id]`), so that the query finds what nobody manages. The provider leaves them " +
	"out as the pages arrive, so a long list costs nothing more; a service user's ID leaves out both its spellings."

// excluded is the set of IDs exclude_ids names, by ngrok.UserKey (either
// spelling of a service user's ID; any other ID as it is).
func excluded(ids types.List) map[string]bool {
	out := map[string]bool{}
	for _, e := range ids.Elements() {
		if id, ok := e.(types.String); ok && !id.IsNull() && !id.IsUnknown() {
			out[ngrok.UserKey(id.ValueString())] = true
		}
	}
	return out
}

// listPageSize is the size of the pages a list of at most limit results
// asks for: no bigger than it needs (a query with limit = 5 is one request
// for five), and 100, the fewest requests, otherwise.
func listPageSize(limit int64) int {
	if limit > 0 && limit < 100 {
		return int(limit)
	}
	return 0
}

// listed is one object a list resource found: its ID, its display name, and
// store, which writes the resource a read would store into a list result's
// resource.
type listed struct {
	id, name string
	store    func(ctx context.Context, to modelSetter) diag.Diagnostics
}

// streamListed turns objects into list results: at most req.Limit of them,
// and none after the first error, which is the last result. Terraform
// reading no more stops the objects, and with them the pages.
func streamListed(ctx context.Context, req list.ListRequest, objects iter.Seq2[listed, error], summary string) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		var n int64
		for obj, err := range objects {
			if err != nil {
				var diags diag.Diagnostics
				addAPIError(&diags, summary, err)
				push(list.ListResult{Diagnostics: diags})
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = obj.name
			result.Diagnostics.Append(result.Identity.SetAttribute(ctx, path.Root(idIdentityAttr), obj.id)...)
			if req.IncludeResource {
				result.Diagnostics.Append(obj.store(ctx, result.Resource)...)
			}
			if !push(result) {
				return
			}
			if n++; req.Limit > 0 && n >= req.Limit {
				return
			}
		}
	}
}

// listUnconfigured is the stream of a list resource whose provider block is
// not known yet.
func listUnconfigured(what string) iter.Seq[list.ListResult] {
	var diags diag.Diagnostics
	addNotConfigured(&diags, what)
	return list.ListResultsStreamDiagnostics(diags)
}
