package ngrok_test

import (
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// A key with a character no API key has would make net/http refuse every
// request (after every retry); it is refused at once, and the error says
// what and where without repeating the key.
func TestCheckAPIKey(t *testing.T) {
	const key = "2abcDEFghiJKLmnoPQRstu_5vwxYZ0123456789aBcDeF"
	for _, tc := range []struct {
		name, key, want string
	}{
		{"a fine key", key, ""},
		{"a one-letter test key", "k", ""},
		{"empty", "", "an API key is required"},
		{"blank", " \n", "an API key is required"},
		{"a line break at the end", key + "\n", "a line break at the end"},
		{"CRLF at the end", key + "\r\n", "a line break at the end"},
		{"spaces at the end", key + "  ", "a space at the end"},
		{"a space at the start", " " + key, "a space at the start"},
		{"a tab inside", key[:10] + "\t" + key[10:], "a tab in the middle (character 11)"},
		{"a space inside", key[:4] + " " + key[4:], "a space in the middle (character 5)"},
		{"a NUL inside", key[:4] + "\x00" + key[4:], "a NUL character in the middle (character 5)"},
		{"an escape", key + "\x1b[0m", "a control character (U+001B) in the middle"},
		{"DEL", key + "\x7f", "a control character (U+007F) at the end"},
		{"a byte order mark", "\ufeff" + key, "a byte order mark (U+FEFF) at the start"},
		{"a no-break space", key + "\u00a0", "a non-ASCII space (U+00A0) at the end"},
		{"a zero-width space", key[:3] + "\u200b" + key[3:], "an invisible control character (U+200B) in the middle (character 4)"},
		{"a non-ASCII letter", key[:3] + "é" + key[3:], "a character outside ASCII in the middle (character 4)"},
		{"invalid UTF-8", key + "\xff", "a character outside ASCII at the end"},
	} {
		err := ngrok.CheckAPIKey(tc.key)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
		if err != nil {
			for _, part := range []string{key[:8], key[len(key)-8:], "é"} {
				if strings.Contains(err.Error(), part) {
					t.Errorf("%s: the error repeats part of the key (%q): %v", tc.name, part, err)
				}
			}
		}
	}
}
