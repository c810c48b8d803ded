package provider

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// idValidator refuses a value that is not an ID of its kind, before any
// request: an owner given by email, say, which ngrok would report back as an
// ID, so that every plan would show a difference.
func idValidator(kind idKind) validator.String {
	return stringCheck{
		description: "must be " + kind.noun + " such as " + kind.example,
		summary:     "Invalid " + kind.bareNoun(),
		check: func(_ path.Path, value string) string {
			id, err := kind.parse(value)
			if err == nil && id != value {
				err = fmt.Errorf("%s has white space around it; remove it", quoteShort(value))
			}
			if err != nil {
				return capitalize(err.Error()) + "."
			}
			return ""
		},
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// maxBytesValidator refuses a value longer than limit bytes, ngrok's measure
// of its free-text fields. The message gives the length in bytes and, where
// it differs (anything beyond ASCII), in characters, so that 86 CJK
// characters over a 255-byte limit do not read as a miscount.
func maxBytesValidator(limit int) validator.String {
	return stringCheck{
		description: fmt.Sprintf("must be at most %d bytes long", limit),
		summary:     "Value too long",
		check: func(p path.Path, value string) string {
			if len(value) <= limit {
				return ""
			}
			size := fmt.Sprintf("%d bytes", len(value))
			if n := utf8.RuneCountInString(value); n != len(value) {
				size += fmt.Sprintf(" (%d characters)", n)
			}
			return fmt.Sprintf("%s is %s long; ngrok allows at most %d bytes (UTF-8).", p, size, limit)
		},
	}
}

// aclRuleValidator checks one bind rule: "*", or "bind:" and what to bind.
func aclRuleValidator() validator.String {
	return stringCheck{
		description: `must be "*" or a bind rule such as "bind:example.ngrok.app"`,
		summary:     "Invalid acl rule",
		check: func(_ path.Path, rule string) string {
			if rule == "*" {
				return ""
			}
			target, ok := strings.CutPrefix(rule, "bind:")
			switch {
			case !ok:
				return fmt.Sprintf("%s is not an ngrok acl rule: a rule is \"*\" (anything) or \"bind:\" and what may be bound, "+
					"such as \"bind:example.ngrok.app\", \"bind:*.example.com\" or \"bind:1.tcp.ngrok.io:20002\".", quoteShort(rule))
			case strings.TrimSpace(target) == "" || strings.TrimSpace(target) != target:
				return fmt.Sprintf("%s binds nothing: give a domain, wildcard domain or address after \"bind:\", without white space.", quoteShort(rule))
			}
			return ""
		},
	}
}

// ownerIDPlanModifier plans owner_id: an omitted owner keeps the one the API
// chose (removing owner_id later keeps the owner too); the other spelling of
// the same user (service_X for bot_X) is the same owner and plans no change
// at all; any other owner replaces the credential, since ngrok cannot
// re-assign one.
type ownerIDPlanModifier struct{}

var _ planmodifier.String = ownerIDPlanModifier{}

func (ownerIDPlanModifier) Description(context.Context) string {
	return "Keeps the owner the API chose when omitted; replaces the credential when the owner changes."
}

func (m ownerIDPlanModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (ownerIDPlanModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.StateValue.IsNull() {
		return // create, destroy, or no owner known yet
	}
	switch {
	case req.ConfigValue.IsNull():
		resp.PlanValue = req.StateValue
	case req.ConfigValue.IsUnknown():
		// The owner is being replaced itself, or is not known yet.
		resp.RequiresReplace = true
	case ngrok.SameUser(req.ConfigValue.ValueString(), req.StateValue.ValueString()):
		// Terraform accepts the prior value planned for a configured one
		// as the provider's word that they are equal.
		resp.PlanValue = req.StateValue
	default:
		resp.RequiresReplace = true
	}
}
