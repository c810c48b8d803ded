package ngrok

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Pacer keeps an account within its rate limit (ngrok: 120 requests in any
// rolling minute, then 429 with no Retry-After) by being the limit's own
// shape: it holds a slot for every request and admits one whenever fewer
// than limit slots are held, so up to limit requests go at once and n go in
// floor((n-1)/limit) windows, the least the API allows.
//
// The API counts a request at some instant between its sending and its
// reply, so a slot is held from the sending until one window after the reply
// (or the failure): only then has the API certainly stopped counting it.
// A 429 tells the pacer that other clients hold the rest of the window,
// until a window from then (see window.refused).
//
// Pacers of one account in several processes share their slots through a
// file (see SharedPacer).
type Pacer struct {
	limit  int
	window time.Duration
	clock  clock

	mu    sync.Mutex
	store store
	// fallback says why the shared file was given up for this process's
	// own window; empty while it is used, or when there is none.
	fallback string
	// changed is closed, and replaced, whenever a slot of this process
	// changes, so waiters look again at once.
	changed chan struct{}
}

// store keeps the window. update runs f on it with every other user of the
// store excluded, then keeps what f left. It may fail with ctx's error if ctx
// ends while it waits for the others.
type store interface {
	update(ctx context.Context, f func(*window)) error
	// shared reports whether other processes change the window too, so that
	// waiters must look again now and then instead of waiting for a signal.
	shared() bool
}

// NewPacer returns a pacer of this process alone for at most limit requests
// in any rolling window (ngrok: 120 a minute); a limit of zero or less means
// unpaced.
func NewPacer(limit int, window time.Duration) *Pacer {
	return newPacer(limit, window, &memStore{}, realClock{})
}

func newPacer(limit int, window time.Duration, s store, c clock) *Pacer {
	if window <= 0 {
		limit = 0
	}
	return &Pacer{limit: limit, window: window, clock: c, store: s, changed: make(chan struct{})}
}

// Slot is a request's place in the window. Exactly one of Release and
// RateLimited must be called, when the reply (or the failure) arrives.
// A nil Slot, from an unpaced Pacer, does nothing.
type Slot struct {
	p  *Pacer
	id uint64
}

// Acquire waits until the window has room for one more request and takes a
// slot for it, or returns ctx's error.
func (p *Pacer) Acquire(ctx context.Context) (*Slot, error) {
	if p.limit <= 0 {
		return nil, nil
	}
	id := rand.Uint64()
	for {
		changed := p.signal()
		var (
			now      time.Time
			admitted bool
			next     time.Time
		)
		shared, err := p.update(ctx, func(w *window) {
			now = p.clock.Now()
			w.prune(now, p.longest())
			if w.used() < p.limit {
				w.hold(id, now.Add(inFlightHold+p.window))
				admitted = true
				return
			}
			next = w.next()
		})
		if err != nil {
			return nil, err
		}
		if admitted {
			return &Slot{p: p, id: id}, nil
		}
		wait := next.Sub(now)
		if shared {
			// Another process's reply shortens its slot without telling us.
			wait = min(wait, p.window/10)
		}
		timer, stop := p.clock.After(max(wait, time.Millisecond))
		select {
		case <-timer:
		case <-changed:
			stop()
		case <-ctx.Done():
			stop()
			return nil, ctx.Err()
		}
	}
}

// Release frees the slot one window after now, when its reply has come (or
// its attempt failed).
func (s *Slot) Release() {
	if s == nil {
		return
	}
	p := s.p
	_, _ = p.update(context.Background(), func(w *window) { w.hold(s.id, p.clock.Now().Add(p.window)) })
	p.notify()
}

// RateLimited records that the API refused the slot's request with a 429:
// the window is full, and others hold what we do not.
func (s *Slot) RateLimited() {
	if s == nil {
		return
	}
	p := s.p
	_, _ = p.update(context.Background(), func(w *window) { w.refused(s.id, p.clock.Now(), p.limit, p.window) })
	p.notify()
}

// longest is the longest a slot can rightly be held, by this pacer or by
// another process's on the same file, whose window may be ngrok's minute
// while a test's is shorter.
func (p *Pacer) longest() time.Duration { return inFlightHold + max(p.window, time.Minute) }

// Fallback says why the pacer stopped sharing its window through a file and
// kept one for this process alone; empty when it did not.
func (p *Pacer) Fallback() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fallback
}

// update runs f on the window, falling back for good to a window of this
// process alone when the shared one fails. It reports whether the window is
// shared with other processes, and fails only with ctx's error, when ctx
// ended while waiting for another process's hold on the shared window: that
// says nothing of the file.
func (p *Pacer) update(ctx context.Context, f func(*window)) (shared bool, err error) {
	p.mu.Lock()
	s := p.store
	p.mu.Unlock()
	err = s.update(ctx, f)
	if err == nil {
		return s.shared(), nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	p.mu.Lock()
	if p.store == s {
		p.store = &memStore{}
		p.fallback = err.Error()
	}
	s = p.store
	p.mu.Unlock()
	_ = s.update(ctx, f) // an in-memory window cannot fail
	return false, nil
}

func (p *Pacer) signal() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.changed
}

func (p *Pacer) notify() {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.changed)
	p.changed = make(chan struct{})
}

// memStore is a window kept in this process.
type memStore struct {
	mu sync.Mutex
	w  window
}

func (m *memStore) update(_ context.Context, f func(*window)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	f(&m.w)
	return nil
}

func (*memStore) shared() bool { return false }

// clock is the pacer's time, so that tests can run it on a fake one.
type clock interface {
	Now() time.Time
	// After is time.NewTimer's channel and Stop.
	After(d time.Duration) (<-chan time.Time, func())
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) After(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}

// RateLimitDirOff, as SharedPacer's dir, keeps the window in the process.
const RateLimitDirOff = "off"

var (
	sharedMu     sync.Mutex
	sharedPacers = map[[sha256.Size]byte]*Pacer{}
)

// SharedPacer returns the one pacer of this process for an account (an API
// key at a base URL), so that every resource and data source of a provider
// process — including aliased provider configurations — draws from one
// budget. Its window is kept in a file in dir, shared by every process on
// the machine that uses the account; an empty dir means the user's cache
// directory (see DefaultRateLimitDir) and RateLimitDirOff means no file.
// Where the file cannot be used the pacer keeps its window in the process
// (see Pacer.Fallback). The key is hashed, never kept or written.
//
// Checking the file waits for another process's hold on it no longer than
// ctx lasts (and at most a couple of seconds); the pacer falls back then.
func SharedPacer(ctx context.Context, baseURL, apiKey string, limit int, window time.Duration, dir string) *Pacer {
	account := accountID(baseURL, apiKey)
	id := sha256.Sum256(fmt.Appendf(nil, "%x\x00%d\x00%s\x00%s", account, limit, window, dir))
	sharedMu.Lock()
	defer sharedMu.Unlock()
	p, ok := sharedPacers[id]
	if ok {
		return p
	}
	p = NewPacer(limit, window)
	if p.limit > 0 && dir != RateLimitDirOff {
		var s store
		var err error
		if dir == "" {
			dir, err = DefaultRateLimitDir()
		}
		if err == nil {
			s, err = newFileStore(ctx, dir, account)
		}
		if err != nil {
			p.fallback = err.Error()
		} else {
			p.store = s
		}
	}
	sharedPacers[id] = p
	return p
}

// accountID names an account without its key: a base URL and a key hashed
// together. The base URL is taken as the client takes it (see ParseBaseURL),
// so that "" and the default, or a trailing slash, name the same API.
func accountID(baseURL, apiKey string) [sha256.Size]byte {
	if u, err := ParseBaseURL(baseURL); err == nil {
		baseURL = u.String()
	}
	return sha256.Sum256([]byte(baseURL + "\n" + apiKey))
}
