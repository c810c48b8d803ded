package provider

import (
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// Each kind is the Terraform type, API collection, ID prefix, ngrok's own
// type and attributes the docs give it.
func TestCredentialKinds(t *testing.T) {
	for _, tc := range []struct {
		kind                         credentialKind
		typeName, prefix, ngrokType  string
		collection                   ngrok.Collection
		token, acl, publicKey, ephem bool
		noun, aNoun                  string
	}{
		{apiKeyKind, "ngrok_api_key", "ak_", "ngrok_api_key", ngrok.APIKeys, true, false, false, true, "API key", "an API key"},
		{authtokenKind, "ngrok_authtoken", "cr_", "ngrok_credential", ngrok.Authtokens, true, true, false, true, "authtoken", "an authtoken"},
		{sshCredentialKind, "ngrok_ssh_credential", "sshcr_", "ngrok_ssh_credential", ngrok.SSHCredentials, false, true, true, false,
			"SSH credential", "an SSH credential"},
	} {
		k := tc.kind
		if k.typeName() != tc.typeName || k.ngrokType != tc.ngrokType || k.collection != tc.collection ||
			len(k.ids.prefixes) != 1 || k.ids.prefixes[0] != tc.prefix {
			t.Errorf("%s: type %s, ngrok's %s, collection %s, ID prefixes %q; want %s, %s, %s, [%s]", tc.typeName,
				k.typeName(), k.ngrokType, k.collection, k.ids.prefixes, tc.typeName, tc.ngrokType, tc.collection, tc.prefix)
		}
		if k.hasToken != tc.token || k.hasACL != tc.acl || k.hasPublicKey != tc.publicKey || (k.ephemeral != nil) != tc.ephem {
			t.Errorf("%s: token %t, acl %t, public_key %t, ephemeral %t; want %t, %t, %t, %t", tc.typeName,
				k.hasToken, k.hasACL, k.hasPublicKey, k.ephemeral != nil, tc.token, tc.acl, tc.publicKey, tc.ephem)
		}
		if k.noun != tc.noun || k.aNoun != tc.aNoun || k.ids.noun != tc.aNoun+" ID" {
			t.Errorf("%s: %q, %q, %q; want %q, %q, %q", tc.typeName, k.noun, k.aNoun, k.ids.noun, tc.noun, tc.aNoun, tc.aNoun+" ID")
		}
		// The docs say what the secret is for, and which API collection
		// the resource manages.
		if (k.usage != "") != k.hasToken {
			t.Errorf("%s: usage %q, but a token: %t", tc.typeName, k.usage, k.hasToken)
		}
		if !strings.Contains(k.description, "`/"+string(k.collection)+"`") {
			t.Errorf("%s: the description names no `/%s`: %s", tc.typeName, k.collection, k.description)
		}
	}
}

// No two kinds share what tells them apart: a Terraform type, an API
// collection, an ID prefix (nor one that begins another's), ngrok's own
// type, a noun or an example ID.
func TestCredentialKinds_differ(t *testing.T) {
	if len(credentialKinds) != 3 {
		t.Fatalf("%d kinds, want 3", len(credentialKinds))
	}
	for i, a := range credentialKinds {
		for _, b := range credentialKinds[i+1:] {
			for what, same := range map[string]bool{
				"type suffix":   a.typeSuffix == b.typeSuffix,
				"collection":    a.collection == b.collection,
				"ngrok's type":  a.ngrokType == b.ngrokType,
				"noun":          a.noun == b.noun,
				"example ID":    a.ids.example == b.ids.example,
				"description":   a.description == b.description,
				"ID prefix":     strings.HasPrefix(a.ids.prefixes[0], b.ids.prefixes[0]) || strings.HasPrefix(b.ids.prefixes[0], a.ids.prefixes[0]),
				"state codec":   a.state == b.state,
				"identity noun": a.ids.noun == b.ids.noun,
			} {
				if same {
					t.Errorf("%s and %s share their %s", a.typeName(), b.typeName(), what)
				}
			}
		}
	}
}

// A kind recognises its own IDs, trimmed, and refuses every other kind's,
// saying which prefix its IDs have.
func TestCredentialKinds_recogniseTheirIDs(t *testing.T) {
	for _, k := range credentialKinds {
		if id, err := k.ids.parse(" " + k.ids.example + "\n"); err != nil || id != k.ids.example {
			t.Errorf("%s: its example %s parses as %q, %v", k.typeName(), k.ids.example, id, err)
		}
		if !strings.HasPrefix(k.ids.example, k.ids.prefixes[0]) {
			t.Errorf("%s: the example %s lacks the prefix %s", k.typeName(), k.ids.example, k.ids.prefixes[0])
		}
		for _, other := range credentialKinds {
			if other.typeSuffix == k.typeSuffix {
				continue
			}
			_, err := k.ids.parse(other.ids.example)
			want := "is not " + k.aNoun + " ID: those start with \"" + k.ids.prefixes[0] + "\""
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s takes %s's ID %s: %v; want %q", k.typeName(), other.typeName(), other.ids.example, err, want)
			}
		}
	}
}
