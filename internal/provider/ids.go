package provider

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// userIDPrefixes are the prefixes of user IDs: service users are
// "service_…", and users created as bot users keep their "bot_…" IDs.
var userIDPrefixes = []string{"service_", "bot_"}

// parseUserID checks that s looks like a service or bot user ID, so that a
// typo in an import is refused before any API call. It checks the shape
// only; whether the user exists is for the API to say.
func parseUserID(s string) (string, error) {
	id := strings.TrimSpace(s)
	if id == "" {
		return "", fmt.Errorf("the ID is empty; give a service user ID such as service_32ELIFubEAAGUeRtreNW6kr94Od")
	}
	for _, p := range userIDPrefixes {
		rest, ok := strings.CutPrefix(id, p)
		if !ok {
			continue
		}
		if rest == "" {
			return "", fmt.Errorf("%s has nothing after %q; a service user ID looks like service_32ELIFubEAAGUeRtreNW6kr94Od", quoteShort(id), p)
		}
		for _, r := range rest {
			if !isBase62(r) {
				return "", fmt.Errorf("%s contains %q, which never appears in an ngrok ID (letters and digits only after the prefix)", quoteShort(id), r)
			}
		}
		return id, nil
	}
	return "", fmt.Errorf("%s is not a service user ID: those start with \"service_\" (or \"bot_\" for users created as bot users), "+
		"for example service_32ELIFubEAAGUeRtreNW6kr94Od; the ngrok dashboard and the ngrok_users data source show them", quoteShort(id))
}

func isBase62(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// maxEcho is how many characters of a name or ID from configuration or
// import a diagnostic repeats: enough to recognise it, too few to bury the
// message under a pasted file.
const maxEcho = 80

// quoteShort quotes a name or ID from configuration or import for a
// diagnostic, as %q does, but keeps only its first maxEcho characters and
// then says how long it is, so that a 10,000-character name still makes a
// short message. Every diagnostic that repeats such a value uses it.
func quoteShort(s string) string {
	if short := truncate(s, maxEcho); short != s {
		return fmt.Sprintf("%q (%d characters)", short, utf8.RuneCountInString(s))
	}
	return strconv.Quote(s)
}
