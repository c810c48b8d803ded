package ngrok

import (
	"context"
	"crypto/sha256"
	"sync"
)

// ledger is what this process knows to belong to someone: the objects its
// clients of one account created, adopted or read for a resource, and the
// creates whose requests are on their way. A create whose outcome is unknown
// looks for what it may have made among objects like the one it asked for;
// those of the ledger are never candidates, so that one resource can never
// take (or revoke) what a sibling made — two API keys of one owner with
// one description, say, created side by side by count = 2.
type ledger struct {
	mu      sync.Mutex
	claimed map[string]bool
	// flights are the creates of each kind of object whose request has
	// left and whose reply has not come: what they make is not claimed yet.
	flights map[Collection]map[*flight]bool // by Collection.kind
}

// flight is one create request on its way; done closes when it lands.
type flight struct{ done chan struct{} }

var (
	ledgersMu sync.Mutex
	ledgers   = map[[sha256.Size]byte]*ledger{}
)

// ledgerOf is the one ledger of an account in this process, shared by every
// client of it (aliased provider configurations included).
func ledgerOf(account [sha256.Size]byte) *ledger {
	ledgersMu.Lock()
	defer ledgersMu.Unlock()
	l, ok := ledgers[account]
	if !ok {
		l = &ledger{claimed: map[string]bool{}, flights: map[Collection]map[*flight]bool{}}
		ledgers[account] = l
	}
	return l
}

// claim records that id belongs to a resource of this process.
func (l *ledger) claim(id string) {
	if id == "" {
		return
	}
	l.mu.Lock()
	l.claimed[id] = true
	l.mu.Unlock()
}

func (l *ledger) isClaimed(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.claimed[id]
}

// depart records a create request of col leaving; land it when its reply
// (or failure) comes.
func (l *ledger) depart(col Collection) *flight {
	f := &flight{done: make(chan struct{})}
	kind := col.kind()
	l.mu.Lock()
	if l.flights[kind] == nil {
		l.flights[kind] = map[*flight]bool{}
	}
	l.flights[kind][f] = true
	l.mu.Unlock()
	return f
}

func (l *ledger) land(col Collection, f *flight) {
	if f == nil {
		return
	}
	kind := col.kind()
	l.mu.Lock()
	if l.flights[kind][f] {
		delete(l.flights[kind], f)
		close(f.done)
	}
	l.mu.Unlock()
}

// awaitFlights waits until every create of col's kind on its way now has landed,
// so that what they made is claimed (or known to be theirs to reconcile)
// before anyone judges whose an object is; waiting, when set, hears how many
// it waits for, if any. A request always lands: its attempts are bounded.
func (l *ledger) awaitFlights(ctx context.Context, col Collection, waiting func(n int)) error {
	l.mu.Lock()
	var waits []chan struct{}
	for f := range l.flights[col.kind()] {
		waits = append(waits, f.done)
	}
	l.mu.Unlock()
	if len(waits) > 0 && waiting != nil {
		waiting(len(waits))
	}
	for _, done := range waits {
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
