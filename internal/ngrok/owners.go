package ngrok

import "strings"

// A user created as a bot user has two IDs that differ only in prefix:
// "bot_X" under /bot_users and "service_X" under /service_users. A
// credential's owner_id may be given, and reported, in either spelling.

// SameUser reports whether two user IDs name one user.
func SameUser(a, b string) bool {
	if a == b {
		return true
	}
	ka, okA := serviceUserKey(a)
	kb, okB := serviceUserKey(b)
	return okA && okB && ka == kb
}

// OwnerFilter is a CEL expression that selects the objects owned by owner,
// whichever spelling of a service user's ID the API reports.
func OwnerFilter(owner string) string {
	if key, ok := serviceUserKey(owner); ok {
		return "(obj.owner_id == " + CELString("service_"+key) + " || obj.owner_id == " + CELString("bot_"+key) + ")"
	}
	return "obj.owner_id == " + CELString(owner)
}

// UserKey is the same for the two IDs of one user (see SameUser): what
// follows the prefix of a service or bot user ID, or the ID itself.
func UserKey(id string) string {
	if key, ok := serviceUserKey(id); ok {
		return key
	}
	return id
}

// serviceUserKey is what follows the prefix of a service or bot user ID.
func serviceUserKey(id string) (string, bool) {
	for _, p := range []string{"service_", "bot_"} {
		if rest, ok := strings.CutPrefix(id, p); ok && rest != "" {
			return rest, true
		}
	}
	return "", false
}
