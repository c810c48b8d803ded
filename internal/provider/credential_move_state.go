package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// MoveState adopts the same credential from ngrok's own provider (v0.7 and
// v0.8 both write schema version 0), without re-creating it: a moved block
// from ngrok_api_key, ngrok_credential or ngrok_ssh_credential keeps the
// credential, and its token when the source state holds it.
func (r *credentialResource) MoveState(context.Context) []resource.StateMover {
	src := moveSource{provider: ngrokProviderSource, typeName: r.kind.ngrokType, maxVersion: 0}
	return []resource.StateMover{{StateMover: moveStateFrom(src, r.kind.typeName(), r.adoptMoved)}}
}

// adoptMoved writes a moved credential into the target state. Only the ID is
// required; the refresh that follows every move reads the rest from the API,
// except the token, which only the source state can still hold.
func (r *credentialResource) adoptMoved(ctx context.Context, raw []byte, resp *resource.MoveStateResponse) (string, error) {
	if len(raw) == 0 {
		return "", fmt.Errorf("the state is empty")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return "", fmt.Errorf("the state is not a JSON object (%v)", err)
	}
	rawID := optionalField[string](ctx, fields, "id")
	if rawID == nil {
		return "", fmt.Errorf("it has no id, so there is no %s to adopt", r.kind.noun)
	}
	id, err := r.kind.ids.parse(*rawID)
	if err != nil {
		return "", err
	}
	str := func(name string) types.String {
		return types.StringPointerValue(optionalField[string](ctx, fields, name))
	}
	attrs := map[string]attr.Value{
		"id": types.StringValue(id), "uri": str("uri"), "created_at": str("created_at"), "owner_id": str("owner_id"),
		// Our defaults where the source left them unset.
		"description": orEmpty(str("description")), "metadata": orEmpty(str("metadata")),
	}
	if r.kind.hasToken {
		// ngrok/ngrok v0.7 never stored the token (it wrote ""), nor does
		// v0.8 after an import (null); v0.8 keeps it from the create.
		token := str("token")
		if token.ValueString() == "" {
			token = types.StringNull()
			resp.Diagnostics.AddWarning("The moved "+r.kind.noun+"'s token is unknown",
				"The state of "+r.kind.ngrokType+" holds no token (ngrok's provider before v0.8 did not keep it), and ngrok shows a token only once. "+
					"The "+r.kind.noun+" is adopted as it is; to get a token, replace it with terraform apply -replace=<address>.")
		}
		attrs["token"] = token
	}
	if r.kind.hasACL {
		var acl []string // unset in the source: no restriction
		if given := optionalField[[]string](ctx, fields, "acl"); given != nil {
			acl = *given
		}
		attrs["acl"] = stringSet(acl)
	}
	if r.kind.hasPublicKey {
		attrs["public_key"] = str("public_key")
	}
	for name, v := range attrs {
		resp.Diagnostics.Append(resp.TargetState.SetAttribute(ctx, path.Root(name), v)...)
	}
	return id, nil
}

func orEmpty(s types.String) types.String {
	if s.IsNull() {
		return types.StringValue("")
	}
	return s
}
