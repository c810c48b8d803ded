// Package ngrok is a client for the part of the ngrok REST API that manages
// service users (and their legacy name, bot users) and the credentials they
// own: API keys, agent authtokens and SSH credentials.
//
// It knows nothing of Terraform: it takes a context, returns typed errors
// (*Error), paces itself to the account's rate limit, retries what is safe to
// retry, and never logs or returns the API key.
package ngrok

import (
	"cmp"
	"net/http"
	"net/url"
	"time"

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
)

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
	// ledger is what this process's clients of the account created and read.
	ledger *ledger
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
	c.ledger = ledgerOf(accountID(cfg.BaseURL, cfg.APIKey))
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
			Transport: &pacedTransport{next: transport, pacer: c.pacer, attemptTimeout: attemptTimeout, log: c.log, observe: c.clock.observe},
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
