package ngrok

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ParseBaseURL checks an API base URL: absolute, http or https, no query, and
// plain http only for a loopback host such as the emulator, because the API
// key would otherwise cross the network in clear text. Its errors show the URL
// as redactURL does, so a password or token in it is never repeated, and do
// not show a value that has no scheme or does not parse at all.
func ParseBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultBaseURL
	}
	// A value without a scheme may be anything (an API key pasted into the
	// wrong variable, say), and url.Parse's reasons quote the part they
	// stopped at (a password, a port that is a key): neither is repeated.
	const example = "; it should look like " + DefaultBaseURL
	if !strings.Contains(raw, "://") {
		return nil, errors.New("the value is not an http or https URL: it has no scheme" + example)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("the value is not a valid URL" + example)
	}
	shown := redactURL(raw)
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("%q is not an http or https URL", shown)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%q has no host", shown)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%q carries credentials; give the API key as the API key instead", shown)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q must not have a query or fragment", shown)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%q uses plain http to a host that is not loopback: the API key would cross the network unencrypted; use https (plain http is accepted only for 127.0.0.1, ::1 or localhost, where the emulator runs)", shown)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// redactURL is raw, a URL with a scheme, as an error may show it: user
// information replaced by REDACTED and a query or fragment by an ellipsis. It
// works on the text, not on the parsed URL, so that nothing url.Parse took
// apart differently from what a reader sees can slip through. It takes
// everything after the scheme up to the last "@" as user information, even
// past a "/", "?" or "#": a password holding one of those is malformed, but
// must not be shown either. (A path or query with an "@" in it is hidden
// more than it needs to be; an error message can afford that.)
func redactURL(raw string) string {
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 && !strings.ContainsAny(raw[:i], "/?#@") {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = "REDACTED" + rest[i:]
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i+1] + "…"
	}
	return prefix + rest
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
