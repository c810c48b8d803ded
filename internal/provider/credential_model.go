package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// credentialCommon is what every kind of credential's state holds.
type credentialCommon struct {
	ID             types.String   `tfsdk:"id"`
	URI            types.String   `tfsdk:"uri"`
	CreatedAt      types.String   `tfsdk:"created_at"`
	OwnerID        types.String   `tfsdk:"owner_id"`
	Description    types.String   `tfsdk:"description"`
	Metadata       types.String   `tfsdk:"metadata"`
	RotateTriggers types.Map      `tfsdk:"rotate_triggers"`
	RotateAfter    types.String   `tfsdk:"rotate_after"`
	RotationDueAt  types.String   `tfsdk:"rotation_due_at"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// The state of each kind: the common part and what the kind adds, read and
// written whole with Get and Set, so that the schema and the struct must
// agree attribute for attribute.
type (
	apiKeyState struct {
		credentialCommon
		Token types.String `tfsdk:"token"`
	}
	authtokenState struct {
		credentialCommon
		Token types.String `tfsdk:"token"`
		ACL   types.Set    `tfsdk:"acl"`
	}
	sshCredentialState struct {
		credentialCommon
		ACL       types.Set    `tfsdk:"acl"`
		PublicKey types.String `tfsdk:"public_key"`
	}
)

// credentialModel is what the lifecycle of every kind works on: each
// attribute any kind has. A kind's state converts to and from it; what the
// kind lacks stays null.
type credentialModel struct {
	credentialCommon
	Token     types.String
	ACL       types.Set
	PublicKey types.String
}

func (s *apiKeyState) toModel() credentialModel {
	return credentialModel{credentialCommon: s.credentialCommon, Token: s.Token}
}

func (s *apiKeyState) fromModel(m *credentialModel) {
	s.credentialCommon, s.Token = m.credentialCommon, m.Token
}

func (s *authtokenState) toModel() credentialModel {
	return credentialModel{credentialCommon: s.credentialCommon, Token: s.Token, ACL: s.ACL}
}

func (s *authtokenState) fromModel(m *credentialModel) {
	s.credentialCommon, s.Token, s.ACL = m.credentialCommon, m.Token, m.ACL
}

func (s *sshCredentialState) toModel() credentialModel {
	return credentialModel{credentialCommon: s.credentialCommon, ACL: s.ACL, PublicKey: s.PublicKey}
}

func (s *sshCredentialState) fromModel(m *credentialModel) {
	s.credentialCommon, s.ACL, s.PublicKey = m.credentialCommon, m.ACL, m.PublicKey
}

// modelCodec reads a credentialModel from a plan, state or configuration,
// and writes one to a state or an ephemeral result, through a kind's struct.
type modelCodec interface {
	load(ctx context.Context, from modelGetter, m *credentialModel) diag.Diagnostics
	store(ctx context.Context, to modelSetter, m *credentialModel) diag.Diagnostics
}

// kindState is a pointer to a kind's struct S that converts to and from the model.
type kindState[S any] interface {
	*S
	toModel() credentialModel
	fromModel(*credentialModel)
}

// codec is the modelCodec of the struct S.
type codec[S any, P kindState[S]] struct{}

func (codec[S, P]) load(ctx context.Context, from modelGetter, m *credentialModel) diag.Diagnostics {
	var s S
	diags := from.Get(ctx, &s)
	*m = P(&s).toModel()
	return diags
}

func (codec[S, P]) store(ctx context.Context, to modelSetter, m *credentialModel) diag.Diagnostics {
	var s S
	P(&s).fromModel(m)
	return to.Set(ctx, &s)
}
