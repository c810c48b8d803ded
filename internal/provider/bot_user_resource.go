package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// botUserKind is the legacy ngrok_bot_user: the same resource as
// ngrok_service_user over the /bot_users API, kept so that configurations
// written for bot users keep working while they move to service users.
var botUserKind = userKind{
	typeSuffix: "bot_user",
	collection: ngrok.BotUsers,
	noun:       "bot user",
	description: "Manages a legacy ngrok bot user through the `/bot_users` API. Bot users are now called service users, " +
		"and `ngrok_service_user` manages them too, `bot_…` IDs included: move existing bot users to it with a `moved` " +
		"block, as the guide \"From bot users to service users\" shows. Every attribute updates in place.",
	deprecation: "ngrok_bot_user is deprecated: ngrok has renamed bot users to service users and says the /bot_users API will be deprecated. " +
		"Manage the same users with ngrok_service_user: replace the resource type in the configuration and add a moved block " +
		"(from = ngrok_bot_user.NAME, to = ngrok_service_user.NAME); the user and its credentials are kept. " +
		"See the guide \"From bot users to service users\" in this provider's documentation.",
	moveSources: botUserMoveSources,
	state:       codec[userResourceModel, botUserState, *botUserState]{},
}

// NewBotUserResource is the deprecated ngrok_bot_user resource.
func NewBotUserResource() resource.Resource { return newUserResource(botUserKind) }
