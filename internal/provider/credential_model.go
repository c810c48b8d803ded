package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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
