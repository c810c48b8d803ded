package provider

import (
	"strings"
	"testing"
)

func TestOwnerIDValidator(t *testing.T) {
	for in, want := range map[string]string{
		"service_32ELIFubEAAGUeRtreNW6kr94Od": "",
		"bot_2ygJibwcJwup7ws8ityPxrDm2Y7":     "",
		"usr_2dXQmW5bstjaMfD4ritQIwxSZgv":     "",
		"ci@example.com":                      "not by email",
		"ak_34NYmJRqqmpUW8gJRSKPlOeL5CT":      "is not a user ID",
		" usr_2dXQmW5bstjaMfD4ritQIwxSZgv":    "white space", //nolint:gocritic // pasted with a space, on purpose
		"":                                    "The ID is empty",
	} {
		got := validate(idValidator(ownerIDs), in)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("owner_id %q: %q, want %q", in, got, want)
		}
	}
}

func TestACLRuleValidator(t *testing.T) {
	for in, want := range map[string]string{
		"*":                         "",
		"bind:example.ngrok.app":    "",
		"bind:*.example.com":        "",
		"bind:1.tcp.ngrok.io:20002": "",
		"example.ngrok.app":         "is not an ngrok acl rule",
		"bind:":                     "binds nothing",
		"bind: x":                   "binds nothing",
		"BIND:x":                    "is not an ngrok acl rule",
	} {
		got := validate(aclRuleValidator(), in)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("acl %q: %q, want %q", in, got, want)
		}
	}
}

// ngrok's limits are in bytes, and so are the messages: with the character
// count beside it where the two differ.
func TestMaxBytesValidator(t *testing.T) {
	for in, want := range map[string]string{
		strings.Repeat("a", 255): "",
		strings.Repeat("a", 256): "x is 256 bytes long; ngrok allows at most 255 bytes (UTF-8).",
		strings.Repeat("漢", 85):  "",
		strings.Repeat("漢", 86):  "x is 258 bytes (86 characters) long; ngrok allows at most 255 bytes (UTF-8).",
		strings.Repeat("é", 128): "x is 256 bytes (128 characters) long",
	} {
		got := validate(maxBytesValidator(255), in)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("%d bytes: %q, want %q", len(in), got, want)
		}
	}
}
