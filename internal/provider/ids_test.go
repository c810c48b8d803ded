package provider

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseUserID(t *testing.T) {
	for in, want := range map[string]string{
		"service_32ELIFubEAAGUeRtreNW6kr94Od":   "service_32ELIFubEAAGUeRtreNW6kr94Od",
		" service_32ELIFubEAAGUeRtreNW6kr94Od ": "service_32ELIFubEAAGUeRtreNW6kr94Od", //nolint:gocritic // pasted with spaces, on purpose
		"bot_1a2B3c":                            "bot_1a2B3c",
	} {
		if got, err := parseUserID(in); err != nil || got != want {
			t.Errorf("parseUserID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"":                                      "the ID is empty",
		"service_":                              "has nothing after",
		"service_abc-def":                       `contains '-'`,
		"usr_123":                               "is not a service user ID",
		"SERVICE_abc":                           "is not a service user ID",
		"https://api.ngrok.com/service_users/x": "is not a service user ID",
	} {
		if got, err := parseUserID(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseUserID(%q) = %q, %v; want an error saying %q", in, got, err, want)
		}
	}
}

// FuzzParseUserID: whatever an import is given, parsing never panics, an
// accepted ID has a known prefix and only base62 after it, and a refusal is
// a readable message that does not grow with the input. The bound allows
// for the worst quoted echo: maxEcho characters that each need a 10-byte
// \U escape.
func FuzzParseUserID(f *testing.F) {
	for _, s := range []string{"service_32ELIFubEAAGUeRtreNW6kr94Od", "bot_x", "", "service_", "service_é", "\x00", strings.Repeat("a", 500)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := parseUserID(s)
		if err != nil {
			if !utf8.ValidString(err.Error()) && utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", err)
			}
			if len(err.Error()) > 1200 {
				t.Fatalf("a %d-byte message for a %d-byte input", len(err.Error()), len(s))
			}
			return
		}
		rest, ok := strings.CutPrefix(id, "service_")
		if !ok {
			rest, ok = strings.CutPrefix(id, "bot_")
		}
		if !ok || rest == "" {
			t.Fatalf("accepted %q", id)
		}
		for _, r := range rest {
			if !isBase62(r) {
				t.Fatalf("accepted %q with %q", id, r)
			}
		}
	})
}

func TestQuoteShort(t *testing.T) {
	for in, want := range map[string]string{
		"ci-deploy":                    `"ci-deploy"`,
		"":                             `""`,
		"a\tb":                         `"a\tb"`,
		"名前":                           `"名前"`,
		strings.Repeat("x", maxEcho):   `"` + strings.Repeat("x", maxEcho) + `"`,
		strings.Repeat("x", maxEcho+1): `"` + strings.Repeat("x", maxEcho) + `…" (81 characters)`,
		strings.Repeat("é", 10000):     `"` + strings.Repeat("é", maxEcho) + `…" (10000 characters)`,
	} {
		if got := quoteShort(in); got != want {
			t.Errorf("quoteShort(%.20q…) = %q, want %q", in, got, want)
		}
	}
}

// A name or ID of 10,000 characters makes a message of a few hundred bytes,
// whichever check refuses it.
func TestLongValuesMakeShortMessages(t *testing.T) {
	long := strings.Repeat("n", 10000)
	const limit = 400
	for _, name := range []string{" " + long, long + "\n", long + "\x00"} {
		msg := checkUserName(name)
		if msg == "" || len(msg) > limit || !strings.Contains(msg, "(10001 characters)") {
			t.Errorf("checkUserName of a 10,001-character name: %d bytes: %.200s", len(msg), msg)
		}
	}
	for _, id := range []string{"service_" + long + "-", "bot_-" + long, "user_" + long} {
		_, err := parseUserID(id)
		if err == nil || len(err.Error()) > limit || !strings.Contains(err.Error(), "characters)") {
			t.Errorf("parseUserID of a %d-character ID: %v", len(id), err)
		}
	}
}
