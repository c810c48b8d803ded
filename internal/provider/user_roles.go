package provider

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// A service user's roles limit what its credentials may do. ngrok's newest
// API reference takes `roles` on create and update, and its error catalogue
// names the roles a service user may hold (developer, developer-readonly,
// team-manager); its IAM page still says service users have full developer
// rights, and no published reply shows `roles`. So the provider manages
// roles only where the configuration sets them, takes what a reply says
// where a reply says it, and lets ngrok say which roles exist.

// rolesDoc describes ngrok_service_user's roles.
const rolesDoc = "The roles the service user holds, which limit what its API keys may do, such as " +
	"`[\"developer-readonly\"]` for a key that may read but not change anything. Unset (the default), roles are not " +
	"managed: never sent, never compared, and nothing ngrok reports about them shows as a change; the user keeps " +
	"whatever roles it has (ngrok gives a new one full developer rights). Set, they are sent on create and, when " +
	"they change, in the update; `[]` means no roles. Which roles exist is ngrok's to say (its documents name " +
	"`developer`, `developer-readonly` and `team-manager`): a role it refuses fails the apply, naming the roles it " +
	"allows. When ngrok's replies carry roles, a change made outside Terraform shows as drift; ngrok's documents " +
	"disagree on whether they do, and where they do not, such drift cannot be seen. Removing `roles` from the " +
	"configuration stops managing them and changes nothing at ngrok. A legacy bot user that ngrok serves only at " +
	"`/bot_users`, which has no roles, cannot be given any: setting them fails the apply and changes nothing."

// rolesReadDoc describes roles where the data sources report them.
const rolesReadDoc = "The roles the service user holds, as ngrok reports them; null where ngrok's reply has no " +
	"roles (its documents disagree on whether replies carry them), and for users read through `/bot_users`."

// rolesAttribute is ngrok_service_user's roles.
func rolesAttribute() schema.SetAttribute {
	return schema.SetAttribute{
		MarkdownDescription: rolesDoc,
		ElementType:         types.StringType,
		Optional:            true,
		Validators:          []validator.Set{setvalidator.ValueStringsAre(roleValidator())},
	}
}

// roleValidator checks a role's shape only: not empty, no white space.
// Which roles exist is for ngrok to say.
func roleValidator() validator.String {
	return stringCheck{
		description: "must not be empty or contain white space",
		summary:     "Invalid role",
		check: func(_ path.Path, role string) string {
			switch {
			case role == "":
				return "A role is empty; give a role such as \"developer-readonly\", or remove it."
			case strings.IndexFunc(role, unicode.IsSpace) >= 0:
				return fmt.Sprintf("The role %s contains white space; ngrok's roles have none (\"developer-readonly\").", quoteShort(role))
			}
			return ""
		},
	}
}

// rolesToSend is what a create or update sends of the configured roles: nil
// (nothing) when they are not managed, and [] for an empty set.
func rolesToSend(roles types.Set) *[]string {
	if roles.IsNull() || roles.IsUnknown() {
		return nil
	}
	list := stringsOf(roles)
	return &list
}

// roleRefusalCodes begins the error codes of ngrok refusing the roles sent
// (ERR_NGROK_IAM_SERVICE_USER_ROLE_NOT_ALLOWED, say).
const roleRefusalCodes = "ERR_NGROK_IAM_SERVICE_USER_ROLE_"

// isRoleError reports an error about the roles a create or update sent:
// the API's, or roles for a user only /bot_users serves, which has none.
func isRoleError(err error) bool {
	var apiErr *ngrok.Error
	if _, legacy := errors.AsType[*ngrok.LegacyRolesError](err); legacy {
		return true
	}
	return errors.As(err, &apiErr) && strings.HasPrefix(apiErr.ErrorCode, roleRefusalCodes)
}
