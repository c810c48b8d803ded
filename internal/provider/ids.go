package provider

import (
	"fmt"
	"strings"
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
			return "", fmt.Errorf("%q has nothing after %q; a service user ID looks like service_32ELIFubEAAGUeRtreNW6kr94Od", id, p)
		}
		for _, r := range rest {
			if !isBase62(r) {
				return "", fmt.Errorf("%q contains %q, which never appears in an ngrok ID (letters and digits only after the prefix)", id, r)
			}
		}
		return id, nil
	}
	return "", fmt.Errorf("%q is not a service user ID: those start with \"service_\" (or \"bot_\" for users created as bot users), "+
		"for example service_32ELIFubEAAGUeRtreNW6kr94Od; the ngrok dashboard and the ngrok_users data source show them", truncate(id, 80))
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
