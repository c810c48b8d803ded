// Package emulator is an in-memory HTTP server that speaks ngrok's REST API
// for Service Users (and their legacy name, Bot Users) and the credentials
// they own (API keys, agent authtokens, SSH keys) as faithfully as we can
// make it, so that the Terraform provider can be tried and tested offline over
// real HTTP.
//
// It is part of the product, not a test fake: the offline quickstart runs it
// through the ngrok-emulator command and the acceptance tests run the real
// terraform binary against it. It therefore reproduces the parts of the API a
// client can trip over: authentication and Ngrok-Version checks with ngrok's
// error codes, the error body shape and the Ngrok-Operation-Id header, paging
// with limit/before_id/next_page_uri, CEL filters, the 120-per-rolling-minute
// rate limit (429 without Retry-After) and a concurrency limit. Faults
// (AddFault) inject the failures the real network produces: 5xx replies, proxy
// HTML pages, dropped connections, slow and malformed replies.
//
// /service_users and /bot_users are two views of one collection, because the
// API documents the latter as the old name of the former. The emulator never
// imports the provider or its client: it speaks HTTP only, so the client is
// exercised exactly as it would be against api.ngrok.com.
//
// The account has one human user (AccountUserID), who owns the configured API
// key. A created API key's token authenticates like the configured key, for
// the same account, as its owner. A credential created without owner_id goes
// to the user the request authenticated as. A service user's roles limit what
// its API keys may change (permissions.go); the account user is an admin and
// is never limited.
package emulator

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configure a Server. The zero value is usable: it generates an API
// key and applies no rate limit; DefaultOptions gives ngrok's published limits.
type Options struct {
	// APIKey is the only bearer token accepted. New generates one
	// ("emu_" + random) when it is empty; read it back with Server.APIKey.
	APIKey string
	// AgentAuthtoken is the account's agent authtoken, the credential the
	// ngrok agent logs in with. The API refuses it as a key with 401
	// ERR_NGROK_207 rather than the generic 203, so a client can tell someone
	// pasted the wrong credential; empty means no token is recognised.
	AgentAuthtoken string
	// RateLimit is the number of requests allowed for the account in any
	// RateWindow, whichever of its API keys they use; 0 means unlimited.
	RateLimit int
	// RateWindow is the rolling window of RateLimit; 60s when zero.
	RateWindow time.Duration
	// MaxConcurrent is the number of requests that may be in flight at once
	// (ERR_NGROK_225 beyond it); 0 means unlimited.
	MaxConcurrent int
	// SeparateCollections makes /service_users and /bot_users two views
	// again: each serves and lists only the users whose IDs carry its own
	// prefix. ngrok does not document which way the real API goes, so
	// clients can be tested against both.
	SeparateCollections bool
	// RefuseInactiveOwner makes creating a credential for an inactive owner
	// fail with ERR_NGROK_636. By default it succeeds and the credential
	// does not work until the owner is active again, which is how ngrok's
	// user management describes deactivation; ngrok does not say which way
	// creation goes.
	RefuseInactiveOwner bool
	// KeepOrphanedCredentials keeps a deleted user's credentials (still
	// listed, still working) instead of deleting them with the user, which
	// is what ngrok's user management documents for users.
	KeepOrphanedCredentials bool
	// ServiceUserRolesInReplies, when nil or true, shows a service user's
	// roles in every /service_users reply ("roles": [] when it has none);
	// false leaves the field out of every reply. ngrok's newest reference
	// takes roles in requests but shows no reply, so clients can be tested
	// against both readings. Roles are stored and enforced either way.
	// Set it with new(false).
	ServiceUserRolesInReplies *bool
	// Latency and LatencyJitter delay every authenticated request by Latency
	// plus a uniformly random duration in [0, LatencyJitter].
	Latency       time.Duration
	LatencyJitter time.Duration
	// Now is the clock for created_at, IDs and the rate window; time.Now when
	// nil. Tests inject a fake clock to slide the rate window without sleeping.
	Now func() time.Time
}

// DefaultOptions returns the limits of the real API: 120 requests per rolling
// 60 seconds, no concurrency limit and no added latency.
func DefaultOptions() Options {
	return Options{RateLimit: 120, RateWindow: defaultRateWindow}
}

// ErrNotFound is returned (wrapped) by the out-of-band hooks for an unknown ID
// or collection.
var ErrNotFound = errors.New("not found")

// Server is the emulator. It implements http.Handler, so it can be mounted in
// an httptest.Server, or it can listen by itself with Start. All methods are
// safe for concurrent use with in-flight requests.
type Server struct {
	apiKey              string
	authtoken           string
	accountUserID       string // "usr_…": owns apiKey
	now                 func() time.Time
	logger              *log.Logger // one line per request when non-nil; set by Run before Start
	refuseInactiveOwner bool
	keepOrphans         bool
	rolesInReplies      bool

	// mu guards everything below. It is never held while sleeping or while
	// evaluating filters, so hooks stay responsive during slow requests.
	mu            sync.Mutex
	rateLimit     int
	rateWindow    time.Duration
	rateLog       []time.Time // the account's admitted requests in the window, oldest first
	maxConcurrent int
	separate      bool
	inFlight      int
	latency       time.Duration
	jitter        time.Duration

	users  *records[User]
	creds  map[*collection]*records[Credential]
	tokens map[string]tokenRef // the tokens of live API keys and authtokens
	lastTS uint32              // last KSUID timestamp handed out, so IDs never go backwards
	seq    uint64              // KSUID sequence, orders IDs created within one second

	counts      map[string]int
	total       int
	rateLimited int
	faults      []*Fault // FIFO; Times counts down, 0 means forever

	httpServer *http.Server
	listener   net.Listener
}

// New returns a Server configured by opts. It does not listen; use Start or
// mount it as an http.Handler.
func New(opts Options) *Server {
	if opts.APIKey == "" {
		opts.APIKey = "emu_" + newKSUID(time.Now(), 0)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RateWindow <= 0 {
		opts.RateWindow = defaultRateWindow
	}
	for _, c := range collections {
		if _, err := c.filterEnv(); err != nil {
			// The environments are constant declarations; failing here is a
			// programming error that every test would catch, not a runtime state.
			panic(fmt.Sprintf("emulator: building the CEL environment of /%s: %v", c.path, err))
		}
	}
	s := &Server{
		apiKey:              opts.APIKey,
		authtoken:           opts.AgentAuthtoken,
		accountUserID:       "usr_" + newKSUID(opts.Now(), 0),
		now:                 opts.Now,
		refuseInactiveOwner: opts.RefuseInactiveOwner,
		keepOrphans:         opts.KeepOrphanedCredentials,
		rolesInReplies:      opts.ServiceUserRolesInReplies == nil || *opts.ServiceUserRolesInReplies,
		rateLimit:           opts.RateLimit,
		rateWindow:          opts.RateWindow,
		maxConcurrent:       opts.MaxConcurrent,
		separate:            opts.SeparateCollections,
		latency:             opts.Latency,
		jitter:              opts.LatencyJitter,
		users:               newRecords(func(u *User) string { return u.ID }),
		creds:               map[*collection]*records[Credential]{},
		tokens:              map[string]tokenRef{},
		counts:              map[string]int{},
	}
	for _, c := range collections {
		if c.cred != nil {
			s.creds[c] = newRecords(func(cr *Credential) string { return cr.ID })
		}
	}
	return s
}

// APIKey returns the bearer token the server is configured with. API keys
// created through the API are accepted too, while they exist.
func (s *Server) APIKey() string { return s.apiKey }

// AccountUserID returns the ID ("usr_" + KSUID) of the account's user: the
// owner of APIKey, and so of every credential created with it and without an
// owner_id.
func (s *Server) AccountUserID() string { return s.accountUserID }

// Start listens on addr ("127.0.0.1:0" when empty) and serves in a goroutine.
// It returns once the listener is open, so URL is valid as soon as it returns.
func (s *Server) Start(addr string) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpServer != nil {
		return errors.New("emulator: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("emulator: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	s.httpServer, s.listener = srv, ln
	go func() { _ = srv.Serve(ln) }() // returns ErrServerClosed on Close
	return nil
}

// URL returns the base URL clients should use, e.g. "http://127.0.0.1:43127",
// or "" before Start. A wildcard listen address is reported as loopback,
// which is where a local client can reach it.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return ""
	}
	host, port, _ := net.SplitHostPort(s.listener.Addr().String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Close stops a server started with Start at once, closing open connections
// (which cancels requests sleeping for latency). It is a no-op otherwise.
func (s *Server) Close() error {
	s.mu.Lock()
	srv := s.httpServer
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Close()
}

// shutdown stops a started server gracefully, letting in-flight requests end.
func (s *Server) shutdown(ctx context.Context) error {
	s.mu.Lock()
	srv := s.httpServer
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Shutdown(ctx)
}
