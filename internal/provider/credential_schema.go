package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ngrok's limits on a credential's free-text fields, in bytes.
const (
	maxDescriptionBytes = 255
	maxMetadataBytes    = 4096
)

func (r *credentialResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	k := r.kind
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The " + k.noun + "'s ID, such as `" + k.ids.example + "`.",
			Computed:            true,
			PlanModifiers:       stable,
		},
		"uri": schema.StringAttribute{
			MarkdownDescription: "The URI of the " + k.noun + " in the ngrok API.",
			Computed:            true,
			PlanModifiers:       stable,
		},
		"created_at": schema.StringAttribute{
			MarkdownDescription: "When the " + k.noun + " was created, in RFC 3339 format.",
			Computed:            true,
			PlanModifiers:       stable,
		},
		"owner_id": schema.StringAttribute{
			MarkdownDescription: "The ID of the user the " + k.noun + " belongs to and acts as: a service user (`service_…`, or `bot_…` " +
				"for users created as bot users), usually `ngrok_service_user.<name>.id`, or a user of the account (`usr_…`). " +
				"Omitted at create, it is the owner of the provider's API key, and shows as that user's ID; removed later, the " +
				k.noun + " keeps the owner it has (nothing changes). ngrok cannot move a credential to another owner, so naming " +
				"another replaces the " + k.noun + ". The `service_…` and `bot_…` spellings of one user are the same owner, and " +
				"changing one for the other changes nothing. An email address is refused: ngrok reports owners by ID.",
			Optional:      true,
			Computed:      true,
			Validators:    []validator.String{idValidator(ownerIDs)},
			PlanModifiers: []planmodifier.String{ownerIDPlanModifier{}},
		},
		"description": schema.StringAttribute{
			MarkdownDescription: "What the " + k.noun + " is for, at most 255 bytes. Updates in place.",
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(""),
			Validators:          []validator.String{maxBytesValidator(maxDescriptionBytes)},
		},
		"metadata": schema.StringAttribute{
			MarkdownDescription: "Arbitrary data for your own tools, at most 4,096 bytes, such as `jsonencode({ team = \"ci\" })`. Updates in place.",
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(""),
			Validators:          []validator.String{maxBytesValidator(maxMetadataBytes)},
		},
		"rotate_triggers": schema.MapAttribute{
			MarkdownDescription: "Arbitrary values that, when any of them changes, replace the " + k.noun + " with a new one. " +
				"Put a date or a version here to rotate on demand; with `create_before_destroy` the new one exists before the old one is revoked.",
			ElementType:   types.StringType,
			Optional:      true,
			PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
		},
		"rotate_after": schema.StringAttribute{
			MarkdownDescription: "How long the " + k.noun + " lives before it is due for rotation, such as `\"90d\"` or `\"720h\"` " +
				"(units `d`, `h`, `m`). Once it is older, the next plan replaces it, so a nightly `terraform plan -detailed-exitcode` " +
				"reports credentials due for rotation. Changing it never replaces the " + k.noun + " by itself.",
			Optional:   true,
			Validators: []validator.String{rotateAfterValidator()},
		},
		"rotation_due_at": schema.StringAttribute{
			MarkdownDescription: "When the " + k.noun + " is due for rotation (`created_at` plus `rotate_after`), in RFC 3339 format; " +
				"null without `rotate_after`.",
			Computed: true,
		},
	}
	if k.hasToken {
		attrs["token"] = schema.StringAttribute{
			MarkdownDescription: "The " + k.noun + "'s secret. ngrok shows it only in the reply to the create, so it is kept in state from " +
				"then on (sensitive: never shown in plans or logs). " + k.usage + " After an import it is null, because ngrok " +
				"cannot show it again; `terraform apply -replace` makes a new " + k.noun + " with a new token.",
			Computed:      true,
			Sensitive:     true,
			PlanModifiers: stable,
		}
	}
	if k.hasACL {
		attrs["acl"] = schema.SetAttribute{
			MarkdownDescription: "Bind rules that limit what the " + k.noun + " may do: `\"*\"` for anything, or rules such as " +
				"`\"bind:example.ngrok.app\"`, `\"bind:*.example.com\"`, `\"bind:1.tcp.ngrok.io:20002\"`. Empty (the default) " +
				"means no restriction. Unset and `[]` are the same. Updates in place.",
			ElementType: types.StringType,
			Optional:    true,
			Computed:    true,
			Default:     setdefault.StaticValue(types.SetValueMust(types.StringType, []attr.Value{})),
			Validators:  []validator.Set{setvalidator.ValueStringsAre(aclRuleValidator())},
		}
	}
	if k.hasPublicKey {
		attrs["public_key"] = schema.StringAttribute{
			MarkdownDescription: "The SSH public key, as one line of an `authorized_keys` file, such as " +
				"`file(\"~/.ssh/id_ed25519.pub\")`. Changing the key replaces the credential; a different comment or a " +
				"trailing line break is not a different key and changes nothing at ngrok. A private key is refused " +
				"(and never repeated in the message).",
			Required:      true,
			Validators:    []validator.String{publicKeyValidator()},
			PlanModifiers: []planmodifier.String{publicKeyPlanModifier{}},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: k.description,
		Attributes:          attrs,
		Blocks:              map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}
