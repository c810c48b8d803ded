package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// A resource kind keeps one model type M for its lifecycle (credentialModel,
// userResourceModel) and, for each Terraform type, a struct S that is that
// type's schema field for field (tfsdk tags), read and written whole with
// Get and Set, so that the schema and the struct must agree: a field the
// schema lacks, or an attribute the struct lacks, fails at once.

// modelCodec reads a model M from a plan, state or configuration, and writes
// one to a state or an ephemeral result, through a type's struct.
type modelCodec[M any] interface {
	load(ctx context.Context, from modelGetter, m *M) diag.Diagnostics
	store(ctx context.Context, to modelSetter, m *M) diag.Diagnostics
}

// kindState is a pointer to a type's struct S that converts to and from the
// model M.
type kindState[M, S any] interface {
	*S
	toModel() M
	fromModel(*M)
}

// codec is the modelCodec of the struct S.
type codec[M, S any, P kindState[M, S]] struct{}

func (codec[M, S, P]) load(ctx context.Context, from modelGetter, m *M) diag.Diagnostics {
	var s S
	diags := from.Get(ctx, &s)
	*m = P(&s).toModel()
	return diags
}

func (codec[M, S, P]) store(ctx context.Context, to modelSetter, m *M) diag.Diagnostics {
	var s S
	P(&s).fromModel(m)
	return to.Set(ctx, &s)
}
