package ngrok_test

import (
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

func TestParseBaseURL(t *testing.T) {
	for raw, want := range map[string]string{
		"":                          "",
		"https://api.ngrok.com":     "",
		"https://api.ngrok.com/":    "",
		"http://127.0.0.1:8080":     "",
		"http://localhost:1":        "",
		"http://[::1]:9":            "",
		"http://api.ngrok.com":      "not loopback",
		"http://10.0.0.1":           "not loopback",
		"ftp://api.ngrok.com":       "not an http or https URL",
		"api.ngrok.com":             "not an http or https URL",
		"https://":                  "has no host",
		"https://u:p@api.ngrok.com": "carries credentials",
		"https://api.ngrok.com?x=1": "query",
		"::":                        "no scheme",
		"https://api.ngrok.com:x":   "not a valid URL",
	} {
		_, err := ngrok.ParseBaseURL(raw)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", raw, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: err = %v, want %q", raw, err, want)
		}
		if err != nil && strings.Contains(err.Error(), ":p@") {
			t.Errorf("%q: the error repeats a password: %v", raw, err)
		}
	}
}

// A base URL may come from NGROK_API_BASE_URL with a password or a token in
// it. No error of ParseBaseURL repeats them, whether the URL parses or not;
// the errors show where they were (REDACTED@, ?…) and still say what is wrong.
func TestParseBaseURL_neverRepeatsSecrets(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want []string // in the error
	}{
		// Parses, then refused: for its scheme before its credentials are looked at.
		{"ftp://bobuser:hunter2secret@host", []string{`"ftp://REDACTED@host"`, "not an http or https URL"}},
		{"https://bobuser:hunter2secret@", []string{`"https://REDACTED@"`, "no host"}},
		{"https://bobuser:hunter2secret@api.ngrok.com", []string{`"https://REDACTED@api.ngrok.com"`, "carries credentials"}},
		{"http://bobuser:hunter2secret@example.com", []string{"REDACTED@example.com", "carries credentials"}},
		{"https://bobuser:hunter2secret@api.ngrok.com/?token=tok3secret", []string{`"https://REDACTED@api.ngrok.com/?…"`, "carries credentials"}},
		{"https://api.ngrok.com/?token=tok3secret", []string{`"https://api.ngrok.com/?…"`, "query or fragment"}},
		{"https://api.ngrok.com?token=tok3secret&x=1", []string{`"https://api.ngrok.com?…"`, "query or fragment"}},
		{"https://api.ngrok.com/#tok3secret", []string{`"https://api.ngrok.com/#…"`, "query or fragment"}},
		{"http://example.com/?token=tok3secret", []string{`"http://example.com/?…"`, "query"}},
		// Does not parse at all: url.Parse's reason and the value, either of
		// which may quote the secret, are not given.
		{"https://bobuser:hunter2secret@api.ngrok.com/%zz", []string{"not a valid URL"}},
		{"https://api.ngrok.com/%zz?token=tok3secret", []string{"not a valid URL"}},
		{"https://bobuser:hunter2%zzsecret@api.ngrok.com", []string{"not a valid URL"}},
		{"https://bobuser:hunter2secret@[::1", []string{"not a valid URL"}},
		{"https://bobuser:hunter2/secret@api.ngrok.com", []string{"not a valid URL"}},
		{"https://bobuser:hunter2?secret@api.ngrok.com", []string{"not a valid URL"}},
		{"https://bobuser:hunter2#secret@api.ngrok.com", []string{"not a valid URL"}},
		{"https://bobuser:hunter2 secret@api.ngrok.com", []string{"not a valid URL"}},
		{"https://api.ngrok.com:hunter2secret", []string{"not a valid URL"}}, // a key pasted as the port
		// No scheme: the value may be anything, an API key in the wrong variable say.
		{"bobuser:hunter2secret@api.ngrok.com", []string{"no scheme"}},
		{"//bobuser:hunter2secret@api.ngrok.com", []string{"no scheme"}},
		{"hunter2secret_2abcDEFghiJKLmnoPQRstu", []string{"no scheme"}},
		{"api.ngrok.com?next=https://bobuser:hunter2secret@x", []string{`"REDACTED@x"`}},
	} {
		_, err := ngrok.ParseBaseURL(tc.raw)
		if err == nil {
			t.Errorf("%q: accepted", tc.raw)
			continue
		}
		msg := err.Error()
		for _, s := range []string{"bobuser", "hunter2", "secret", "tok3", "token"} {
			if strings.Contains(msg, s) {
				t.Errorf("%q: the error repeats %q: %s", tc.raw, s, msg)
			}
		}
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%q: the error %s does not say %s", tc.raw, msg, w)
			}
		}
	}
}
