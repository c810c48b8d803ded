package provider

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// idKind is a kind of ngrok ID: the prefixes it may start with, what to
// call it, and an example, for messages that say what was expected.
type idKind struct {
	prefixes []string
	noun     string // with its article: "a service user ID"
	example  string
	hint     string // where to find one
}

var (
	// userIDs are service users, "service_…", and users created as bot users,
	// who keep their "bot_…" IDs.
	userIDs = idKind{
		prefixes: []string{"service_", "bot_"}, noun: "a service user ID", example: "service_32ELIFubEAAGUeRtreNW6kr94Od",
		hint: "those start with \"service_\" (or \"bot_\" for users created as bot users); the ngrok dashboard and the ngrok_users data source show them",
	}
	// ownerIDs are the users a credential may belong to: service users, and
	// the account's people ("usr_…"). An email address is refused: the API
	// reports the owner by ID, so a configuration holding an email would
	// show as drift on every plan.
	ownerIDs = idKind{
		prefixes: []string{"service_", "bot_", "usr_"}, noun: "a user ID", example: "service_32ELIFubEAAGUeRtreNW6kr94Od",
		hint: "an owner is a service user (\"service_…\" or \"bot_…\") or a user of the account (\"usr_…\"), named by ID, not by email; " +
			"use ngrok_service_user.<name>.id",
	}
)

// bareNoun is the noun without its article: "service user ID".
func (k idKind) bareNoun() string {
	_, noun, _ := strings.Cut(k.noun, " ")
	return noun
}

// parseUserID checks that s looks like a service or bot user ID, so that a
// typo in an import is refused before any API call. It checks the shape
// only; whether the user exists is for the API to say.
func parseUserID(s string) (string, error) { return userIDs.parse(s) }

// parse checks that s is an ID of this kind, returning it without
// surrounding white space.
func (k idKind) parse(s string) (string, error) {
	id := strings.TrimSpace(s)
	if id == "" {
		return "", fmt.Errorf("the ID is empty; give %s such as %s", k.noun, k.example)
	}
	for _, p := range k.prefixes {
		rest, ok := strings.CutPrefix(id, p)
		if !ok {
			continue
		}
		if rest == "" {
			return "", fmt.Errorf("%s has nothing after %q; %s looks like %s", quoteShort(id), p, k.noun, k.example)
		}
		for _, r := range rest {
			if !isBase62(r) {
				return "", fmt.Errorf("%s contains %q, which never appears in an ngrok ID (letters and digits only after the prefix)", quoteShort(id), r)
			}
		}
		return id, nil
	}
	return "", fmt.Errorf("%s is not %s: %s, for example %s", quoteShort(id), k.noun, k.hint, k.example)
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
