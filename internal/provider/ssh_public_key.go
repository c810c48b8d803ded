package provider

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"golang.org/x/crypto/ssh"
)

// canonicalPublicKey is the key itself of an authorized_keys line: its type
// and base64 blob, without options, comment or line break. Two lines with the
// same canonical key are the same credential to ngrok.
func canonicalPublicKey(line string) (string, error) {
	if looksLikePrivateKey(line) {
		return "", fmt.Errorf("this is a private key, which must never leave its machine: give the public key, " +
			"one line of the .pub file beside it (such as file(\"~/.ssh/id_ed25519.pub\"))")
	}
	key, _, _, rest, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return "", fmt.Errorf("it is not an SSH public key in authorized_keys format, such as \"ssh-ed25519 AAAAC3Nza… me@laptop\" (%v)", err)
	}
	if strings.TrimSpace(string(rest)) != "" {
		return "", fmt.Errorf("it holds more than one line; give one public key per ngrok_ssh_credential")
	}
	return key.Type() + " " + base64.StdEncoding.EncodeToString(key.Marshal()), nil
}

// looksLikePrivateKey spots the private keys people paste by mistake: PEM
// and OpenSSH armour, and PuTTY's format. The value is never echoed.
func looksLikePrivateKey(s string) bool {
	return strings.Contains(s, "PRIVATE KEY-----") || strings.HasPrefix(strings.TrimSpace(s), "PuTTY-User-Key-File")
}

// samePublicKey reports whether two authorized_keys lines hold one key.
func samePublicKey(a, b string) bool {
	ca, errA := canonicalPublicKey(a)
	cb, errB := canonicalPublicKey(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return ca == cb
}

// publicKeyValidator refuses what is not one SSH public key.
func publicKeyValidator() validator.String {
	return stringCheck{
		description: "must be one SSH public key in authorized_keys format",
		summary:     "Invalid SSH public key",
		check: func(_ path.Path, value string) string {
			if _, err := canonicalPublicKey(value); err != nil {
				// Never the value itself: it may be a private key.
				return "public_key cannot be used: " + err.Error() + "."
			}
			return ""
		},
	}
}

// publicKeyPlanModifier plans public_key: the same key (another comment, a
// line break more or less) is no change at all, planned as the prior value,
// which Terraform accepts as the provider's word that the two are equal;
// another key replaces the credential, since ngrok cannot change one's key.
type publicKeyPlanModifier struct{}

var _ planmodifier.String = publicKeyPlanModifier{}

func (publicKeyPlanModifier) Description(context.Context) string {
	return "Replaces the credential when the key changes; a new comment or line break changes nothing."
}

func (m publicKeyPlanModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (publicKeyPlanModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.StateValue.IsNull() || req.PlanValue.IsUnknown() {
		return // create, destroy, or a key not known yet (planned as a change)
	}
	if samePublicKey(req.StateValue.ValueString(), req.PlanValue.ValueString()) {
		resp.PlanValue = req.StateValue
		return
	}
	resp.RequiresReplace = true
}
