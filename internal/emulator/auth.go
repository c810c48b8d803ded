package emulator

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// authenticate checks the Authorization header and replies 401 when it is
// not one of the account's API keys: ERR_NGROK_207 for an agent authtoken,
// 636 for the key of an inactive user, 203 for any other well-formed token.
//
// ngrok distinguishes three failures before "wrong key": no header (200), a
// header that is not "<scheme> <credentials>" for a scheme it takes (201),
// and credentials that cannot be a key at all (202). We take only Bearer, so
// any other scheme or a scheme with nothing after it is 201; a Bearer token
// with whitespace or control characters inside is 202. The token is never
// echoed back, unlike ngrok's messages, so it cannot end up in a log.
func (s *Server) authenticate(c *call) bool {
	h := strings.TrimSpace(c.r.Header.Get("Authorization"))
	if h == "" {
		c.fail(http.StatusUnauthorized, "ERR_NGROK_200", "The ngrok API requires that you set the Authorization header for authentication. Your API keys and instructions are available on your dashboard: https://dashboard.ngrok.com/api")
		return false
	}
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !ok || token == "" || !strings.EqualFold(scheme, "Bearer") {
		c.fail(http.StatusUnauthorized, "ERR_NGROK_201", "The ngrok API requires that you use Bearer authentication via the Authorization header. It could not parse the header in this request. API keys and instructions are available on your dashboard: https://dashboard.ngrok.com/api")
		return false
	}
	if strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r > '~' }) {
		c.fail(http.StatusUnauthorized, "ERR_NGROK_202", "The API authentication you specified does not look like a valid credential. API keys and instructions are available on your dashboard: https://dashboard.ngrok.com/api")
		return false
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.apiKey)) == 1 {
		c.caller = s.accountUserID
		return true
	}
	verdict, owner := s.classifyToken(token)
	if s.authtoken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.authtoken)) == 1 {
		verdict = tokenIsAuthtoken
	}
	switch verdict {
	case tokenIsAPIKey:
		c.caller = owner
		return true
	case tokenIsAuthtoken:
		c.fail(http.StatusUnauthorized, "ERR_NGROK_207", "The authentication you specified is actually an authtoken, not an API key token. Check your records for an API key with the form FIRSTPART_SECONDPART. API keys and instructions are available on your dashboard: https://dashboard.ngrok.com/api-keys")
		return false
	case tokenOwnerInactive:
		c.fail(http.StatusUnauthorized, "ERR_NGROK_636", "The credential owner is marked as inactive on the account. Reactivate the user who owns this API key, or use another key.")
		return false
	}
	c.fail(http.StatusUnauthorized, "ERR_NGROK_203", "The API authentication you specified is properly formed, but it is invalid. API keys and instructions are available on your dashboard: https://dashboard.ngrok.com/api")
	return false
}

// tokenVerdict is what a bearer token that is not the configured key is.
type tokenVerdict int

const (
	tokenUnknown       tokenVerdict = iota
	tokenIsAPIKey                   // a live API key whose owner is active
	tokenIsAuthtoken                // an agent authtoken, not an API key
	tokenOwnerInactive              // a live API key whose owner is inactive
)

// classifyToken looks a bearer token up among the credentials' tokens and,
// for an API key, returns its owner too. The map lookup is not constant-time,
// unlike the comparisons above; the emulator serves loopback, where nobody
// times it.
func (s *Server) classifyToken(token string) (tokenVerdict, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref, ok := s.tokens[token]
	switch {
	case !ok:
		return tokenUnknown, ""
	case !ref.coll.cred.apiKey:
		return tokenIsAuthtoken, ""
	}
	cr := s.creds[ref.coll].byID[ref.id]
	if !s.ownerActiveLocked(cr.OwnerID) {
		return tokenOwnerInactive, cr.OwnerID
	}
	return tokenIsAPIKey, cr.OwnerID
}
