package ngrok

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// RefreshMode says how a BulkReader answers reads of single objects.
type RefreshMode string

const (
	// RefreshAuto serves reads from list pages shared between them, and
	// never sends more requests than one GET per read.
	RefreshAuto RefreshMode = "auto"
	// RefreshGet sends one GET per read: the naive way, and the baseline.
	RefreshGet RefreshMode = "get"
	// RefreshList pages through the account from the newest user until every
	// read is answered: fewest requests when nearly every user is read, most
	// when few are. Like auto, it confirms with a GET any object the pages
	// omit before it calls the object gone.
	RefreshList RefreshMode = "list"
)

// RefreshModes lists the modes, for validation and documentation.
var RefreshModes = []RefreshMode{RefreshAuto, RefreshGet, RefreshList}

// BulkReader answers many reads of single objects of one collection (users,
// credentials), made concurrently within one operation (a Terraform refresh),
// from list pages of 100 objects fetched once and shared, instead of one GET
// each. The rest of this comment says users; it holds for any collection.
//
// Pages are fetched with before_id, which lists the users whose IDs sort
// before it, newest first; IDs sort in creation order. A page therefore covers
// a known interval of IDs completely, and a user whose ID falls in a covered
// interval but who is not on the page does not exist (deleted out of band).
//
// In auto mode every read brings one request's worth of budget, and the
// reader never spends more than the reads brought: a read whose user is not
// covered yet either continues the scan below the nearest covered interval
// (paid from the budget of reads that were answered for free) or, when there
// is no such surplus, fetches the page that starts at its own ID — which is
// sure to answer it. So requests never exceed reads, and when most users of
// the account are read, the pages are contiguous: about ceil(M/100) requests
// for M users. The one exception is a user the list says is gone: auto mode
// confirms that with a GET before anyone concludes it was deleted, because
// a wrong "deleted" would make Terraform create a duplicate.
//
// Pages are checked before they are believed: if the API ever answers a page
// with IDs out of order or outside the interval asked for, the reader stops
// paging and reads one by one.
//
// A BulkReader must not outlive the operation it serves: what it fetched is
// only as fresh as that operation.
type BulkReader[T Object] struct {
	from *collection[T]
	read func(context.Context, string) (*T, error) // one GET, as the collection's Get
	mode RefreshMode
	log  Logger

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever a fetch ends
	cache    map[string]T
	gone     map[string]bool // deleted by this operation
	covered  []span          // disjoint, sorted by lo
	fetching bool
	// Budget: reads seen, requests sent, and reads waiting that still hold
	// their own request's worth.
	seen, spent, waiting int
	// paging is off once the API refuses a page: reads then use GET.
	pagingOff bool
	// anchorsOff is set once the API refuses a before_id that names no user.
	anchorsOff bool
	stats      BulkStats
}

// BulkStats counts what a BulkReader did.
type BulkStats struct {
	Reads, Pages, Gets, FromCache, Absent int
}

// span is an interval of ID keys [lo, hi) that a page listed completely.
// lo "" is the beginning; top means no upper bound. loID is the user whose
// key is lo, from which the scan continues downward.
type span struct {
	lo, hi string
	top    bool
	loID   string
}

func (s span) contains(key string) bool { return key >= s.lo && (s.top || key < s.hi) }

// NewBulkReader returns a reader of this collection's users.
func (u *Users) NewBulkReader(mode RefreshMode) *BulkReader[User] {
	return newBulkReader(&u.collection, mode, u.Get)
}

func newBulkReader[T Object](col *collection[T], mode RefreshMode, read func(context.Context, string) (*T, error)) *BulkReader[T] {
	if !slices.Contains(RefreshModes, mode) {
		mode = RefreshAuto
	}
	return &BulkReader[T]{from: col, read: read, mode: mode, gone: map[string]bool{}, log: col.c.log, changed: make(chan struct{}), cache: map[string]T{}}
}

// Stats reports the reader's work so far.
func (b *BulkReader[T]) Stats() BulkStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stats
}

// Get reads one object. One that does not exist is a not-found *Error, as
// from the collection's Get. What it reads belongs to a resource: the
// ledger claims it.
func (b *BulkReader[T]) Get(ctx context.Context, id string) (*T, error) {
	obj, err := b.lookup(ctx, id)
	if err == nil {
		b.from.c.ledger.claim(id)
	}
	return obj, err
}

func (b *BulkReader[T]) lookup(ctx context.Context, id string) (*T, error) {
	b.mu.Lock()
	gone := b.gone[id]
	b.mu.Unlock()
	if gone {
		return nil, &Error{Method: http.MethodGet, Path: "/" + string(b.from.col), StatusCode: http.StatusNotFound,
			Message: id + " was deleted by this operation", fromNgrok: true}
	}
	key, ok := idKey(id)
	if b.mode == RefreshGet || !ok {
		return b.get(ctx, id, false)
	}

	b.mu.Lock()
	b.seen++
	b.stats.Reads++
	ownToken := true // this read has not yet spent its request
	for {
		if u, ok := b.cache[id]; ok {
			b.stats.FromCache++
			b.mu.Unlock()
			return &u, nil
		}
		if b.isCovered(key) {
			// Not where the list says it would be. A wrong "gone" makes
			// Terraform create a duplicate, so the API's own GET decides (it
			// also knows where else a bot_ user may be, under /bot_users).
			b.stats.Absent++
			b.mu.Unlock()
			return b.get(ctx, id, true)
		}
		if b.pagingOff {
			b.mu.Unlock()
			return b.get(ctx, id, true)
		}
		if b.fetching {
			// Another read is fetching a page that may answer this one.
			ch := b.changed
			if ownToken {
				b.waiting++
			}
			b.mu.Unlock()
			select {
			case <-ch:
			case <-ctx.Done():
				b.mu.Lock()
				if ownToken {
					b.waiting--
				}
				b.mu.Unlock()
				return nil, ctx.Err()
			}
			b.mu.Lock()
			if ownToken {
				b.waiting--
			}
			continue
		}

		// This read fetches the next page.
		var before string
		anchored := false
		switch {
		case b.mode == RefreshList || b.surplus(ownToken) >= 1:
			before = b.continueAbove(key)
		case b.anchorsOff:
			b.mu.Unlock()
			return b.get(ctx, id, true)
		default:
			// A before_id just above this read's own ID names no user; the
			// page it asks for starts at this user, if it exists.
			before = strings.TrimSuffix(id, key) + successor(key)
			ownToken, anchored = false, true
		}
		b.spent++
		b.stats.Pages++
		b.fetching = true
		b.mu.Unlock()

		page, more, err := b.from.pageBefore(ctx, before, 100)

		b.mu.Lock()
		b.fetching = false
		close(b.changed)
		b.changed = make(chan struct{})
		if err != nil {
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode < 400 || apiErr.StatusCode >= 500 || apiErr.IsRateLimited() || apiErr.IsUnauthorized() {
				b.mu.Unlock()
				return nil, err
			}
			// The API refused the page itself. If it was a page anchored on
			// an ID that names no user, stop anchoring and keep paging from
			// real IDs; otherwise read one by one from now on.
			if anchored {
				b.anchorsOff = true
				b.log.Warn(ctx, "the API refused a page anchored between "+b.from.col.noun()+" IDs; paging from listed IDs only", map[string]any{"error": err.Error()})
			} else {
				b.pagingOff = true
				b.log.Warn(ctx, "listing "+b.from.col.noun()+"s by page failed; reading them one by one", map[string]any{"error": err.Error()})
			}
			continue
		}
		if !b.record(before, page, more) {
			b.pagingOff = true
			b.log.Warn(ctx, "the API listed "+b.from.col.noun()+"s out of the order paging relies on; reading them one by one", nil)
		}
	}
}

// get sends a GET, counting it against the budget when counted.
func (b *BulkReader[T]) get(ctx context.Context, id string, counted bool) (*T, error) {
	b.mu.Lock()
	if counted {
		b.spent++
	} else {
		b.stats.Reads++
	}
	b.stats.Gets++
	b.mu.Unlock()
	return b.read(ctx, id)
}

// surplus is the budget left by reads answered without a request of their
// own, after every waiting read keeps one request for itself (self counts
// the calling read's own, when it still has it).
func (b *BulkReader[T]) surplus(self bool) int {
	n := b.seen - b.spent - b.waiting
	if self {
		n--
	}
	return n
}

func (b *BulkReader[T]) isCovered(key string) bool {
	for _, s := range b.covered {
		if s.contains(key) {
			return true
		}
	}
	return false
}

// continueAbove returns the before_id that continues the scan downward from
// the covered interval nearest above key ("" to start from the newest user).
// It is always the ID of a user the API listed, as in a next_page_uri.
func (b *BulkReader[T]) continueAbove(key string) string {
	for _, s := range b.covered { // sorted by lo
		if s.lo > key {
			return s.loID
		}
	}
	return ""
}

// record caches a page and marks the interval it listed completely: from
// its oldest user (or the beginning, if no older users remain) up to before.
// It refuses, recording nothing, a page that is not newest first below before.
func (b *BulkReader[T]) record(before string, page []T, more bool) bool {
	s := span{top: before == ""}
	if !s.top {
		s.hi, _ = idKey(before)
	}
	prev := s.hi
	for i, u := range page {
		key, ok := idKey(u.itemID())
		// Newest first, each below the last (the first only below before).
		first := s.top && i == 0
		if !ok || (!first && key >= prev) {
			return false
		}
		prev = key
	}
	for _, u := range page {
		b.cache[u.itemID()] = u
	}
	if more {
		if len(page) == 0 {
			return false // "more" after nothing: paging would not advance
		}
		s.loID = page[len(page)-1].itemID()
		s.lo, _ = idKey(s.loID)
	}
	b.covered = mergeSpans(append(b.covered, s))
	return true
}

func mergeSpans(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return strings.Compare(a.lo, b.lo) })
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && (out[n-1].top || s.lo <= out[n-1].hi) {
			last := &out[n-1]
			if s.top || (!last.top && s.hi > last.hi) {
				last.hi, last.top = s.hi, s.top
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// Remember records an object this operation wrote, so a later read sees it.
func (b *BulkReader[T]) Remember(obj T) {
	b.mu.Lock()
	b.cache[obj.itemID()] = obj
	delete(b.gone, obj.itemID())
	b.mu.Unlock()
}

// Forget records an object this operation deleted: a later read of it is
// not found, without a request.
func (b *BulkReader[T]) Forget(id string) {
	b.mu.Lock()
	delete(b.cache, id)
	b.gone[id] = true
	b.mu.Unlock()
}

// idKey is the part of an ID that orders it: what follows the type prefix
// ("service_", "bot_", "ak_", "cr_", "sshcr_"), if it is base62.
func idKey(id string) (string, bool) {
	_, key, ok := strings.Cut(id, "_")
	if !ok || key == "" {
		return "", false
	}
	for i := 0; i < len(key); i++ {
		if strings.IndexByte(base62, key[i]) < 0 {
			return "", false
		}
	}
	return key, true
}

// base62 in ASCII order, the order IDs sort in.
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// successor returns the smallest key of the same length greater than key,
// so that before_id=successor(key) lists key itself first. A key of all
// 'z' has none of the same length; a longer one sorts after it.
func successor(key string) string {
	b := []byte(key)
	for i := len(b) - 1; i >= 0; i-- {
		if j := strings.IndexByte(base62, b[i]); j < len(base62)-1 {
			b[i] = base62[j+1]
			return string(b)
		}
		b[i] = base62[0]
	}
	return key + "0"
}
