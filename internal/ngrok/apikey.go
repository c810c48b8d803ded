package ngrok

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckAPIKey reports a key that cannot be an ngrok API key: an empty one, or
// one with a character no API key has (whitespace, a control character,
// anything outside ASCII). Such a key, typically read from a file with its
// final line break, would fail every request before it left this process.
// The error says which kind of character and where, never what the key is.
func CheckAPIKey(key string) error {
	if strings.TrimSpace(key) == "" {
		return errors.New("an API key is required")
	}
	for i, r := range key {
		if isKeyChar(r) {
			continue
		}
		return fmt.Errorf("the API key has %s %s; an API key never holds whitespace, control characters or characters outside ASCII",
			describeKeyRune(r), whereInKey(key, i))
	}
	return nil
}

// isKeyChar reports whether r may appear in an API key: printable ASCII
// other than the space.
func isKeyChar(r rune) bool { return r > ' ' && r < 0x7f }

// describeKeyRune names a character a key may not hold. Only invisible
// characters are named by their code point: a visible one may be a character
// of a secret.
func describeKeyRune(r rune) string {
	switch {
	case r == '\n' || r == '\r':
		return "a line break"
	case r == '\t':
		return "a tab"
	case r == ' ':
		return "a space"
	case r == 0:
		return "a NUL character"
	case r < utf8.RuneSelf:
		return fmt.Sprintf("a control character (%U)", r)
	case r == 0xfeff:
		return "a byte order mark (U+FEFF)"
	case unicode.IsSpace(r):
		return fmt.Sprintf("a non-ASCII space (%U)", r)
	case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
		return fmt.Sprintf("an invisible control character (%U)", r)
	default:
		// Invalid UTF-8 lands here too, as utf8.RuneError.
		return "a character outside ASCII"
	}
}

// whereInKey says where the bad character at byte i is: at the end (it and
// everything after it bad, as with a final line break), at the start, or in
// the middle, and then which character it is.
func whereInKey(key string, i int) string {
	if strings.IndexFunc(key[i:], isKeyChar) < 0 {
		return "at the end"
	}
	if i == 0 {
		return "at the start"
	}
	return fmt.Sprintf("in the middle (character %d)", utf8.RuneCountInString(key[:i])+1)
}

// scrubError removes the API key from an error's text, in case a transport
// ever quotes a header back.
func scrubError(err error, key string) error {
	if msg := Scrub(err.Error(), key); msg != err.Error() {
		return scrubbed{msg: msg, err: err}
	}
	return err
}

// Scrub replaces the key in s. Keys too short to be real ngrok API keys
// (tests use one letter) are left alone rather than mangle every word that
// happens to contain them.
func Scrub(s, key string) string {
	if len(key) < 8 {
		return s
	}
	return strings.ReplaceAll(s, key, "***")
}

type scrubbed struct {
	msg string
	err error
}

func (s scrubbed) Error() string { return s.msg }
func (s scrubbed) Unwrap() error { return s.err }
