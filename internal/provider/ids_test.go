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
		"":                                      "the ID is empty",
		"service_":                              "has nothing after",
		"service_abc-def":                       `contains '-'`,
		"usr_123":                               "is not a service user ID",
		"SERVICE_abc":                           "is not a service user ID",
		"https://api.ngrok.com/service_users/x": "is not a service user ID",
	} {
		got, err := parseUserID(in)
		if err != nil {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("parseUserID(%q) error %q, want it to say %q", in, err, want)
			}
			continue
		}
		if got != want {
			t.Errorf("parseUserID(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParseUserID: whatever an import is given, parsing never panics, an
// accepted ID has a known prefix and only base62 after it, and a refusal is
// a readable message that does not grow with the input.
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
			if len(err.Error()) > 600 {
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

func TestCheckUserName(t *testing.T) {
	for name, want := range map[string]string{
		"ci-deploy":        "",
		"CI Deploy (prod)": "",
		"名前":               "",
		"":                 "empty",
		"   ":              "empty",
		" x":               "white space",
		"x\n":              "white space",
		"a\tb":             "control character",
		"a\u0000b":         "control character",
	} {
		got := checkUserName(name)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("checkUserName(%q) = %q, want %q", name, got, want)
		}
	}
}
