package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// fullCredential is a model with every attribute of kind k set.
func fullCredential(k credentialKind) credentialModel {
	s := types.StringValue
	m := credentialModel{credentialCommon: credentialCommon{
		ID: s("ak_1"), URI: s("https://api.ngrok.com/x/ak_1"), CreatedAt: s("2026-12-07T01:02:03Z"),
		OwnerID: s("service_1"), Description: s("d"), Metadata: s("m"),
		RotateTriggers: types.MapValueMust(types.StringType, map[string]attr.Value{"v": s("1")}),
		RotateAfter:    s("90d"), RotationDueAt: s("2027-03-07T01:02:03Z"),
		Timeouts: timeoutsValue(map[string]string{"create": "1m", "read": "2m", "update": "3m", "delete": "4m"}),
	}}
	if k.hasToken {
		m.Token = s("secret")
	}
	if k.hasACL {
		m.ACL = types.SetValueMust(types.StringType, []attr.Value{s("bind:a.example.com"), s("*")})
	}
	if k.hasPublicKey {
		m.PublicKey = s(testPublicKey)
	}
	return m
}

// Each kind's model goes into its schema's state and comes back whole: the
// struct of the kind and its schema agree attribute for attribute.
func TestCredentialModel_roundTripsThroughEachSchema(t *testing.T) {
	ctx := context.Background()
	for _, k := range credentialKinds {
		t.Run(k.typeName(), func(t *testing.T) {
			var sr resource.SchemaResponse
			newCredentialResource(k).Schema(ctx, resource.SchemaRequest{}, &sr)
			state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
			want := fullCredential(k)
			if diags := k.state.store(ctx, &state, &want); diags.HasError() {
				t.Fatal(diagText(diags))
			}
			var got credentialModel
			if diags := k.state.load(ctx, state, &got); diags.HasError() {
				t.Fatal(diagText(diags))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}
