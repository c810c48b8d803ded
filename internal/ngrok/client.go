// Package ngrok is a client for the part of the ngrok REST API that manages
// service users (and their legacy name, bot users) and the credentials they
// own: API keys, agent authtokens and SSH credentials.
//
// It knows nothing of Terraform: it takes a context, returns typed errors
// (*Error), paces itself to the account's rate limit, retries what is safe to
// retry, and never logs or returns the API key.
package ngrok

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

const (
	// DefaultBaseURL is the ngrok API.
	DefaultBaseURL = "https://api.ngrok.com"
	// APIVersion is the Ngrok-Version header every request carries.
	APIVersion = "2"
	// DefaultRequestsPerMinute is ngrok's documented account limit.
	DefaultRequestsPerMinute = 120
	// DefaultMaxRetries bounds the retries of one request.
	DefaultMaxRetries = 8

	// maxReplyBytes caps what is read of a reply: a page of 100 users is
	// about 25 KiB, so anything near this is not the API talking.
	maxReplyBytes = 2 << 20
)

// maxCreateResends is how often a create is sent again after its outcome
// stayed unknown (a 5xx, a lost reply) and a full settle time found nothing
// it made. Inside each send, only what the API certainly did not act on is
// retried (429s, refused connections), up to max_retries; tying resends to
// max_retries as well would let one create cost max_retries² requests and as
// many settle times. Three resends ride out a burst of three 5xx replies.
// max_retries = 0 means no resend either.
const maxCreateResends = 3

// Config configures a Client. Only APIKey is required.
type Config struct {
	// BaseURL of the API; DefaultBaseURL when empty. Plain http is refused
	// unless the host is a loopback address (see ParseBaseURL).
	BaseURL string
	// APIKey is sent as a bearer token and nowhere else.
	APIKey string
	// UserAgent identifies the caller, e.g. "terraform-provider-ngrok/1.0.0 terraform/1.11.4".
	UserAgent string
	// MaxRetries bounds the retries of one request; 0 means DefaultMaxRetries
	// and a negative value means none.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the backoff between retries
	// (defaults 1s and 30s).
	RetryWaitMin, RetryWaitMax time.Duration
	// AttemptTimeout bounds one attempt, so a hung connection is retried
	// instead of waiting for the operation's deadline (default 60s).
	AttemptTimeout time.Duration
	// SettleTime is how long Create keeps looking for the object a create of
	// unknown outcome may still be making, before it concludes the API did
	// not act and sends it again (default 15s).
	SettleTime time.Duration
	// Pacer spaces requests to the account's rate limit. Clients of one
	// account should share one (see SharedPacer); nil means a pacer of
	// DefaultRequestsPerMinute for this client alone.
	Pacer *Pacer
	// Transport carries the requests; a pooled transport when nil.
	Transport http.RoundTripper
	// Logger receives one line per attempt; nil discards them.
	Logger Logger
	// APIKeySource and BaseURLSource say where the key and the base URL
	// came from ("api_key", say), for errors that blame one of them.
	APIKeySource, BaseURLSource string
}

// Client calls the ngrok API. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	apiKey    string
	userAgent string
	http      *retryablehttp.Client
	pacer     *Pacer
	log       Logger
	// createResends bounds how often a create whose outcome stayed unknown
	// is sent again (each send already has its own retries).
	createResends int
	settle        time.Duration
	// clock tracks the API's time, to tell which objects a lost create made.
	clock serverClock
	// collections vets 404s for single objects (see collection.vetNotFound).
	collections servedCollections
	// contact is whether the API answers and takes the key (see contact).
	contact                  contact
	keySource, baseURLSource string
}

// New returns a Client for cfg, or an error naming what is wrong with it.
func New(cfg Config) (*Client, error) {
	if err := CheckAPIKey(cfg.APIKey); err != nil {
		return nil, err
	}
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:      base,
		apiKey:    cfg.APIKey,
		userAgent: cfg.UserAgent,
		pacer:     cfg.Pacer,
		log:       cfg.Logger,

		keySource:     cfg.APIKeySource,
		baseURLSource: cfg.BaseURLSource,
	}
	if c.userAgent == "" {
		c.userAgent = "terraform-provider-ngrok"
	}
	if c.pacer == nil {
		c.pacer = NewPacer(DefaultRequestsPerMinute, time.Minute)
	}
	if c.log == nil {
		c.log = nopLogger{}
	}
	retries := cfg.MaxRetries
	switch {
	case retries == 0:
		retries = DefaultMaxRetries
	case retries < 0:
		retries = 0
	}
	c.createResends = min(maxCreateResends, retries)
	c.settle = cmp.Or(cfg.SettleTime, 15*time.Second)
	waitMin, waitMax := cfg.RetryWaitMin, cfg.RetryWaitMax
	if waitMin <= 0 {
		waitMin = time.Second
	}
	if waitMax < waitMin {
		waitMax = max(30*time.Second, waitMin)
	}
	attemptTimeout := cfg.AttemptTimeout
	if attemptTimeout <= 0 {
		attemptTimeout = 60 * time.Second
	}
	transport := cfg.Transport
	if transport == nil {
		transport = cleanhttp.DefaultPooledTransport()
	}
	c.http = &retryablehttp.Client{
		HTTPClient: &http.Client{
			// The attempt's clock starts once the pacer lets it go: time spent
			// queueing for the rate limit is not the API being slow.
			Transport: &pacedTransport{next: transport, pacer: c.pacer, attemptTimeout: attemptTimeout, log: c.log},
			// The API does not redirect; following one could carry the key elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		RetryWaitMin:   waitMin,
		RetryWaitMax:   waitMax,
		RetryMax:       retries,
		CheckRetry:     c.checkRetry,
		Backoff:        backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: c.logAttempt,
	}
	return c, nil
}

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

// BaseURL is the API base URL the client calls.
func (c *Client) BaseURL() string { return c.base.String() }

// idempotentKey marks a request's context as safe to retry after its outcome
// became unknown (a dropped connection, a 5xx). checkRetry sees only the
// context, the reply and the error, so the request says it this way.
type idempotentKey struct{}

// do sends one API request, retrying as policy allows, and returns the
// reply of a success. path is relative to the base URL and may carry a query.
func (c *Client) do(ctx context.Context, method, path string, body any) (reply, error) {
	target, err := c.resolve(path)
	if err != nil {
		return reply{}, err
	}
	return c.doURL(ctx, method, target, body)
}

// reply is a successful call's answer, for decoding.
type reply struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
}

// malformed reports that the reply's body is not what the API documents.
func (r reply) malformed(format string, args ...any) *Error {
	return malformed(r.method, r.path, r.status, r.header, format, args...)
}

// send is doURL's request, sent without regard to the client's contact.
func (c *Client) send(ctx context.Context, method string, target *url.URL, body any) (reply, error) {
	reqPath := target.EscapedPath()
	if target.RawQuery != "" {
		reqPath += "?" + target.RawQuery
	}
	displayPath := strings.TrimPrefix(target.Path, c.base.Path)

	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return reply{}, fmt.Errorf("encoding the %s %s request: %w", method, displayPath, err)
		}
	}
	if method != http.MethodPost {
		ctx = context.WithValue(ctx, idempotentKey{}, true)
	}
	var rawBody any
	if payload != nil {
		rawBody = payload
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, target.String(), rawBody)
	if err != nil {
		return reply{}, fmt.Errorf("building the %s %s request: %w", method, displayPath, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Ngrok-Version", APIVersion)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	resp, err := c.http.Do(req)
	if err == nil {
		c.clock.observe(resp.Header.Get("Date"), time.Now())
	}
	if err != nil {
		return reply{}, &TransportError{Method: method, Path: displayPath, Err: scrubError(err, c.apiKey), Sent: !isDialError(err)}
	}
	defer func() { _ = resp.Body.Close() }()
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes+1))
	c.log.Debug(ctx, "ngrok API call", map[string]any{
		"method":       method,
		"path":         reqPath,
		"status":       resp.StatusCode,
		"operation_id": resp.Header.Get("Ngrok-Operation-Id"),
		"duration_ms":  time.Since(start).Milliseconds(),
	})
	if readErr != nil {
		return reply{}, &TransportError{Method: method, Path: displayPath, Err: readErr, Sent: true}
	}
	if len(data) > maxReplyBytes {
		return reply{}, malformed(method, displayPath, resp.StatusCode, resp.Header, "the reply is larger than %d MiB", maxReplyBytes>>20)
	}
	if resp.StatusCode >= 400 {
		e := apiError(method, displayPath, resp.StatusCode, resp.Header, data)
		// A gateway that echoes request headers into its error page must
		// not carry the key into a diagnostic.
		e.Message = Scrub(e.Message, c.apiKey)
		return reply{}, e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return reply{}, malformed(method, displayPath, resp.StatusCode, resp.Header, "unexpected HTTP status %d", resp.StatusCode)
	}
	return reply{method: method, path: displayPath, status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// resolve joins a path (with an optional query) to the base URL.
func (c *Client) resolve(path string) (*url.URL, error) {
	rel, err := url.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("building a request for %q: %w", path, err)
	}
	u := *c.base
	u.Path = c.base.Path + rel.Path
	u.RawPath = ""
	u.RawQuery = rel.RawQuery
	return &u, nil
}

// sameOrigin turns a URL the API handed back (a next_page_uri) into one on the
// configured base: the key is only ever sent to the host the user configured,
// even if a reply names another.
func (c *Client) sameOrigin(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	path := u.Path
	if u.Host != "" && u.Host != c.base.Host {
		// Keep the API path only: everything after the origin's own prefix.
		for _, col := range knownCollections {
			if i := strings.Index(path, "/"+string(col)); i >= 0 {
				path = path[i:]
				break
			}
		}
	} else {
		path = strings.TrimPrefix(path, c.base.Path)
	}
	out := *c.base
	out.Path = c.base.Path + path
	out.RawPath = ""
	out.RawQuery = u.RawQuery
	return &out, nil
}

// serverClock estimates the API's clock from the Date headers of its replies,
// because created_at is stamped by the API's clock, not ours.
type serverClock struct {
	mu     sync.Mutex
	offset time.Duration // server minus local
	known  bool
}

func (s *serverClock) observe(date string, local time.Time) {
	t, err := http.ParseTime(date)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.offset, s.known = t.Sub(local), true
	s.mu.Unlock()
}

// at returns the earliest API time that local time t could be. Date has one
// second resolution and arrives after the API stamped it, so the estimate
// only errs early; with no Date seen, it allows two minutes of skew.
func (s *serverClock) at(t time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.known {
		return t.Add(-2 * time.Minute)
	}
	return t.Add(s.offset).Truncate(time.Second)
}

// TransportError is a request that got no usable reply: the connection was
// refused, dropped, or timed out.
type TransportError struct {
	Method, Path string
	Err          error
	// Sent is false when the request certainly never reached the API (the
	// connection was refused), so the API cannot have acted on it.
	Sent bool
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("%s %s: no reply from the API: %v", e.Method, e.Path, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// isDialError reports whether err happened while connecting, before any byte
// of the request was sent.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
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

// decodeJSON decodes one JSON value strictly enough to notice a body that is
// cut short or followed by junk, and leniently about unknown fields.
func decodeJSON(data []byte, out any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(out); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

func describeDecodeError(err error, body []byte) string {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Sprintf("field %q is a JSON %s, not a %s", typeErr.Field, typeErr.Value, typeErr.Type)
	case len(bytes.TrimSpace(body)) == 0:
		return "the body is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON body ends early (a truncated reply)"
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return "the body is not JSON: " + bodySnippet(nil, body)
	}
	return err.Error()
}
