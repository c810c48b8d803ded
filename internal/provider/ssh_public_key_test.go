package provider

import (
	"strings"
	"testing"
)

func TestSamePublicKey(t *testing.T) {
	base, _, _ := strings.Cut(testPublicKey, " me@")
	for _, same := range []string{testPublicKey + "\n", base, base + " another comment", "  " + testPublicKey + "\r\n"} {
		if !samePublicKey(testPublicKey, same) {
			t.Errorf("%q is the same key as %q", same, testPublicKey)
		}
	}
	if samePublicKey(testPublicKey, otherTestPublicKey) {
		t.Error("two different keys compared equal")
	}
}

func TestPublicKeyValidator(t *testing.T) {
	for in, want := range map[string]string{
		testPublicKey:                        "",
		testPublicKey + "\n":                 "",
		testPrivateKey:                       "this is a private key",
		"ssh-ed25519 not-base64":             "not an SSH public key",
		testPublicKey + "\n" + testPublicKey: "more than one line",
	} {
		got := validate(publicKeyValidator(), in)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("public_key %.30q: %q, want %q", in, got, want)
		}
		if strings.Contains(got, "b3BlbnNzaC1rZXkt") {
			t.Errorf("the message repeats the private key: %s", got)
		}
	}
}
