package provider

import (
	"context"
	"iter"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// credentialFilter is how the credential data sources (ngrok_api_keys, …)
// and the credential list resources select credentials; the attributes mean
// the same in each.
type credentialFilter struct {
	OwnerID types.String `tfsdk:"owner_id"`
	Filter  types.String `tfsdk:"filter"`
}

// credentialFilterDocs are the descriptions of credentialFilter's
// attributes, for each schema that has them.
func credentialFilterDocs(k credentialKind) map[string]string {
	return map[string]string{
		"owner_id": "Only the " + k.noun + "s of this user (`service_…`, `bot_…` or `usr_…`), such as `ngrok_service_user.ci.id`; " +
			"either spelling of a service user's ID finds them all.",
		"filter": "A [CEL](https://ngrok.com/docs/api/#filtering) expression over `obj` that the API evaluates, " +
			"such as `obj.description.startsWith(\"ci-\")`. Combines with `owner_id` with *and*.",
	}
}

// validate reports a filter that is empty or does not compile, naming the
// attribute, before any request; owner_id has its own validator.
func (f *credentialFilter) validate(noun string, diags *diag.Diagnostics) {
	checkFilter(f.Filter, noun, `obj.description == "ci"`, diags)
}

// celFilter combines the filters into one CEL expression for the API.
func (f *credentialFilter) celFilter() string {
	var terms []string
	if !f.Filter.IsNull() {
		terms = append(terms, celGroup(f.Filter.ValueString()))
	}
	if !f.OwnerID.IsNull() {
		terms = append(terms, ngrok.OwnerFilter(f.OwnerID.ValueString()))
	}
	return strings.Join(terms, " && ")
}

// credentials yields the matching credentials of col, newest first, as the
// pages of pageSize (100 for 0) arrive; a caller that stops reading fetches
// no further page. An error is the last thing yielded, in the user's terms.
func (f *credentialFilter) credentials(ctx context.Context, client *ngrok.Client, col ngrok.Collection, pageSize int) iter.Seq2[ngrok.Credential, error] {
	return func(yield func(ngrok.Credential, error) bool) {
		for cred, err := range client.Credentials(col).List(ctx, ngrok.ListOptions{Filter: f.celFilter(), Limit: pageSize}) {
			if err != nil {
				yield(ngrok.Credential{}, inFilterTerms(err, f.Filter))
				return
			}
			// The API filtered already; checking the owner again costs
			// nothing and keeps the result right if a server ignores the filter.
			if !f.OwnerID.IsNull() && !ngrok.SameUser(f.OwnerID.ValueString(), cred.OwnerID) {
				continue
			}
			if !yield(cred, nil) {
				return
			}
		}
	}
}
