package provider

import (
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// credentialKind is what differs between the three kinds of credential a
// user logs in with. One resource, one data source and one ephemeral
// resource implementation serve them all.
type credentialKind struct {
	typeSuffix string // "api_key": the type is ngrok_api_key
	collection ngrok.Collection
	noun       string // "API key"
	aNoun      string // with its article: "an API key"
	ids        idKind
	// hasToken: the create reply carries a secret (token), shown once.
	hasToken bool
	// hasACL: the credential takes bind rules (acl).
	hasACL bool
	// hasPublicKey: the credential is an SSH public key.
	hasPublicKey bool
	// ngrokType is the same resource in ngrok's own provider, which a moved
	// block may bring here.
	ngrokType   string
	description string
	usage       string // what the token or key is for, for the docs
	// state reads and writes the resource's model through the kind's own
	// struct; ephemeral, the ephemeral resource's (nil: the kind has none).
	state, ephemeral modelCodec[credentialModel]
}

var (
	apiKeyKind = credentialKind{
		typeSuffix: "api_key",
		collection: ngrok.APIKeys,
		noun:       "API key",
		aNoun:      "an API key",
		ids:        credentialIDs("ak_", "an API key ID", "ak_2Ym0JqvZKCkqbEDNIuCFxJkBZPu"),
		hasToken:   true,
		ngrokType:  "ngrok_api_key",
		description: "Manages an ngrok API key (`/api_keys`): the credential a program uses to call the ngrok API as its owner. " +
			"The key's secret, `token`, is shown by ngrok only once, when the key is created; this resource keeps it in state " +
			"(sensitive) so it can be handed to a CI secret store with `terraform output -raw`.",
		usage:     "Send it as `Authorization: Bearer <token>` to the ngrok API, or give it to this provider's `api_key`.",
		state:     codec[credentialModel, apiKeyState, *apiKeyState]{},
		ephemeral: codec[credentialModel, apiKeyEphemeral, *apiKeyEphemeral]{},
	}
	authtokenKind = credentialKind{
		typeSuffix: "authtoken",
		collection: ngrok.Authtokens,
		noun:       "authtoken",
		aNoun:      "an authtoken",
		ids:        credentialIDs("cr_", "an authtoken ID", "cr_2Ym0JqvZKCkqbEDNIuCFxJkBZPu"),
		hasToken:   true,
		hasACL:     true,
		ngrokType:  "ngrok_credential",
		description: "Manages an ngrok agent authtoken: the credential the ngrok agent logs in with (`ngrok config add-authtoken`). " +
			"ngrok's API calls these *credentials* (`/credentials`), and ngrok's own provider calls this resource `ngrok_credential`; " +
			"a `moved` block brings one from there without re-creating it. The token is shown by ngrok only once, when the " +
			"authtoken is created; this resource keeps it in state (sensitive).",
		usage:     "Give it to the ngrok agent: `ngrok config add-authtoken <token>`, or the `NGROK_AUTHTOKEN` environment variable.",
		state:     codec[credentialModel, authtokenState, *authtokenState]{},
		ephemeral: codec[credentialModel, authtokenEphemeral, *authtokenEphemeral]{},
	}
	sshCredentialKind = credentialKind{
		typeSuffix:   "ssh_credential",
		collection:   ngrok.SSHCredentials,
		noun:         "SSH credential",
		aNoun:        "an SSH credential",
		ids:          credentialIDs("sshcr_", "an SSH credential ID", "sshcr_2Ym0JqvZKCkqbEDNIuCFxJkBZPu"),
		hasACL:       true,
		hasPublicKey: true,
		ngrokType:    "ngrok_ssh_credential",
		description: "Manages an ngrok SSH credential (`/ssh_credentials`): an SSH public key with which its owner starts tunnels " +
			"over SSH (`ssh -R … v2@connect.ngrok-agent.com`) instead of running the ngrok agent. Only the public key is sent to ngrok.",
		state: codec[credentialModel, sshCredentialState, *sshCredentialState]{},
	}

	credentialKinds = []credentialKind{apiKeyKind, authtokenKind, sshCredentialKind}
)

func credentialIDs(prefix, noun, example string) idKind {
	return idKind{prefixes: []string{prefix}, noun: noun, example: example, hint: "those start with \"" + prefix + "\""}
}

// typeName is the Terraform type name, such as ngrok_api_key.
func (k credentialKind) typeName() string { return "ngrok_" + k.typeSuffix }
