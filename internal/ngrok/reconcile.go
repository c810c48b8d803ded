package ngrok

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// creation is one create, with what it takes to reconcile it when its
// outcome is unknown.
type creation[T Object] struct {
	body any
	// name is what the caller knows the object by: a user's name, a
	// credential's description.
	name string
	// decode turns a 2xx reply into the object created. Refusing one makes
	// the outcome unknown: the API acted, but what it made is not in hand.
	decode func(reply) (*T, error)
	// filter (CEL, "" for none) narrows the list searched for what a lost
	// create made; made tells whether a listed object is one it could have made.
	filter string
	made   func(T) bool
	// discard, when set, removes the one object a lost create made (which
	// holds a secret lost with the reply) so that the create is sent again;
	// when nil, that object is adopted.
	discard func(ctx context.Context, obj T, cause error) error
}

// create sends a create. A POST is not idempotent, so when its outcome is
// unknown — the connection dropped after sending, the attempt timed out, the
// API answered 5xx, or it answered 2xx with a body cr.decode refuses — create
// does not blindly resend it. It looks for an object cr.made created since the
// request began, several times over the settle time (the API may still be
// working on the request). If there is exactly one, it adopts it, or, when
// cr.discard is set, removes it and sends the create again; it resends also
// if none appeared and the API cannot have acted; and it gives up, naming the
// candidates, if there are several. Never a duplicate, never an orphan.
func (k *collection[T]) create(ctx context.Context, cr creation[T]) (*T, error) {
	path := "/" + string(k.col)
	began := time.Now()
	removed := map[string]bool{} // made by this create and deleted: not candidates
	for attempt := 0; ; attempt++ {
		r, err := k.c.do(ctx, http.MethodPost, path, cr.body)
		if err == nil {
			var obj *T
			if obj, err = cr.decode(r); err == nil {
				return obj, nil
			}
		}
		unknown, acted := createOutcome(err)
		if !unknown && ctx.Err() == nil {
			return nil, k.unservedIfNotFound(err)
		}
		lookCtx := ctx
		if ctx.Err() != nil {
			// Out of time with the outcome unknown: the object may exist, and
			// an error now would orphan it. Take a short grace period to look.
			var cancel context.CancelFunc
			lookCtx, cancel = context.WithTimeout(context.WithoutCancel(ctx), max(reconcileGrace, 2*k.c.settle))
			defer cancel()
		}

		found, findErr := k.settle(lookCtx, cr, began, removed)
		if findErr != nil {
			return nil, fmt.Errorf("%w; looking for the %s it may have created also failed: %v", err, k.col.noun(), findErr)
		}
		switch {
		case len(found) == 1 && cr.discard == nil:
			return k.adopt(ctx, found[0]), nil
		case len(found) == 1:
			if discardErr := cr.discard(lookCtx, found[0], err); discardErr != nil {
				return nil, discardErr
			}
			id := found[0].itemID()
			removed[id] = true
			if attempt >= k.c.createResends || ctx.Err() != nil {
				return nil, fmt.Errorf("%w; the %s it made (%s) was deleted, and no attempt is left to create another", err, k.col.noun(), id)
			}
			continue
		case len(found) > 1:
			ids := make([]string, len(found))
			for i, f := range found {
				ids[i] = f.itemID()
			}
			return nil, &AmbiguousCreateError{Collection: k.col, Name: cr.name, IDs: ids, Cause: err}
		case acted, attempt >= k.c.createResends, ctx.Err() != nil:
			return nil, err
		}
		// Nothing appeared in the settle time: the API did not act on it,
		// and sending it again cannot duplicate.
	}
}

// adopt takes an object that holds no secret, made by a create whose reply
// was lost, as that create's result: it is as good as the reply.
func (k *collection[T]) adopt(ctx context.Context, obj T) *T {
	k.c.log.Warn(ctx, "adopted the "+k.col.noun()+" created by a request whose reply was lost", map[string]any{"id": obj.itemID()})
	return &obj
}

// settle looks for the objects a lost create made, first at once, then at
// growing intervals until the settle time has passed or one turns up.
func (k *collection[T]) settle(ctx context.Context, cr creation[T], began time.Time, removed map[string]bool) ([]T, error) {
	deadline := time.Now().Add(k.c.settle)
	wait := k.c.settle / 8
	for {
		found, err := k.findCreated(ctx, cr, began, removed)
		if err != nil || len(found) > 0 || !time.Now().Before(deadline) {
			return found, err
		}
		if err := sleepCtx(ctx, min(wait, time.Until(deadline))); err != nil {
			return nil, nil //nolint:nilerr // out of time: nothing found
		}
		wait *= 2
	}
}

// findCreated lists the objects cr could have made that the API created at
// or after the local time began. A twin made by someone else within a second
// or two before it is indistinguishable; create then refuses to guess.
func (k *collection[T]) findCreated(ctx context.Context, cr creation[T], began time.Time, removed map[string]bool) ([]T, error) {
	var found []T
	var since time.Time
	for obj, err := range k.list(ctx, ListOptions{Filter: cr.filter}) {
		if err != nil {
			return nil, err
		}
		if since.IsZero() {
			// The first list reply has just updated the clock estimate.
			since = k.c.clock.at(began)
		}
		created, perr := time.Parse(time.RFC3339, obj.itemCreatedAt())
		if perr == nil && created.Before(since) {
			// Newest first: nothing further can be recent enough.
			break
		}
		if cr.made(obj) && !removed[obj.itemID()] {
			found = append(found, obj)
		}
	}
	return found, nil
}

// reconcileGrace bounds the look for a created object after the operation's
// own deadline has passed.
const reconcileGrace = 30 * time.Second

// AmbiguousCreateError is a create whose reply was lost, after which more
// than one object like it turned up: Create cannot tell which is its own.
type AmbiguousCreateError struct {
	Collection Collection
	// Name is what the create asked for: a user's name, a credential's description.
	Name  string
	IDs   []string
	Cause error
}

func (e *AmbiguousCreateError) Error() string {
	advice := "import the one to keep and delete the others"
	if e.Collection.hasToken() {
		advice = "their tokens are not known: delete the one that create made, and create it again"
	}
	return fmt.Sprintf("creating %s %q: the reply was lost (%v), and %d %s like it were created since the request began (%s); %s",
		e.Collection.noun(), e.Name, e.Cause, len(e.IDs), e.Collection.nouns(), strings.Join(e.IDs, ", "), advice)
}

func (e *AmbiguousCreateError) Unwrap() error { return e.Cause }

// createOutcome classifies a failed POST: unknown if the API may have acted
// on it nonetheless, acted if it certainly did (a 2xx whose body was not the
// object).
func createOutcome(err error) (unknown, acted bool) {
	var te *TransportError
	if errors.As(err, &te) {
		return te.Sent, false
	}
	var ae *Error
	if errors.As(err, &ae) {
		if ae.Malformed {
			ok := ae.StatusCode >= 200 && ae.StatusCode < 300
			return ok, ok
		}
		return ae.StatusCode >= 500 && ae.StatusCode != http.StatusNotImplemented, false
	}
	return false, false
}

// CELString quotes s as a CEL string literal.
func CELString(s string) string {
	return strconv.Quote(s)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// maxCreateResends is how often a create is sent again after its outcome
// stayed unknown (a 5xx, a lost reply) and a full settle time found nothing
// it made. Inside each send, only what the API certainly did not act on is
// retried (429s, refused connections), up to max_retries; tying resends to
// max_retries as well would let one create cost max_retries² requests and as
// many settle times. Three resends ride out a burst of three 5xx replies.
// max_retries = 0 means no resend either.
const maxCreateResends = 3

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
