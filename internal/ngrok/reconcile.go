package ngrok

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
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
// does not blindly resend it. It looks for an object cr.made created since
// the request was sent, several times over the settle time (the API may
// still be working on the request). If there is exactly one, it adopts it,
// or, when cr.discard is set, removes it and sends the create again; it
// resends also if none appeared and the API cannot have acted; and it gives
// up, naming them, if there are several, or if one may predate the request.
// Never a duplicate, never an orphan, and never another's object: what this
// process created or read for other resources is never a candidate (see
// ledger), and a request that was never sent is not reconciled at all.
func (k *collection[T]) create(ctx context.Context, cr creation[T]) (*T, error) {
	var began time.Time          // when the first request the API may have acted on was sent
	removed := map[string]bool{} // made by this create and deleted: not candidates
	for attempt := 0; ; attempt++ {
		obj, sentAt, err := k.post(ctx, cr)
		if err == nil {
			return obj, nil
		}
		unknown, acted := createOutcome(err)
		if !unknown {
			return nil, k.unservedIfNotFound(err)
		}
		if began.IsZero() {
			began = sentAt
		}
		lookCtx, cancel := lookContext(ctx, k.c.settle)
		found, findErr := k.settle(lookCtx, cr, began, removed)
		cancel()
		if findErr != nil {
			return nil, fmt.Errorf("%w; looking for the %s it may have created also failed: %v", err, k.col.noun(), findErr)
		}
		switch {
		case len(found.earlier) > 0 || len(found.made) > 1:
			return nil, &AmbiguousCreateError{Collection: k.col, Name: cr.name, IDs: itemIDs(found.made), Earlier: itemIDs(found.earlier), Cause: err}
		case len(found.made) == 1 && cr.discard == nil:
			return k.adopt(ctx, found.made[0]), nil
		case len(found.made) == 1:
			lookCtx, cancel := lookContext(ctx, k.c.settle)
			discardErr := cr.discard(lookCtx, found.made[0], err)
			cancel()
			if discardErr != nil {
				return nil, discardErr
			}
			id := found.made[0].itemID()
			removed[id] = true
			if attempt >= k.c.createResends || ctx.Err() != nil {
				return nil, fmt.Errorf("%w; the %s it made (%s) was deleted, and no attempt is left to create another", err, k.col.noun(), id)
			}
			continue
		case acted, attempt >= k.c.createResends, ctx.Err() != nil:
			return nil, err
		}
		// Nothing appeared in the settle time: the API did not act on it,
		// and sending it again cannot duplicate.
	}
}

// post sends the create once and decodes its reply. It reports when the
// request was sent, if the API may have acted on it. What it made is claimed
// before the ledger hears that it landed, so that a sibling waiting for it
// never mistakes it for its own.
func (k *collection[T]) post(ctx context.Context, cr creation[T]) (*T, time.Time, error) {
	var f *flight
	state := &sendState{onSend: func() { f = k.c.ledger.depart(k.col) }}
	r, err := k.c.do(withSendState(ctx, state), http.MethodPost, "/"+string(k.col), cr.body)
	var obj *T
	if err == nil {
		if obj, err = cr.decode(r); err == nil {
			k.c.ledger.claim((*obj).itemID())
		}
	}
	k.c.ledger.land(k.col, f)
	_, sentAt, _ := state.outcome()
	return obj, sentAt, err
}

// lookContext is the context of a look for what a create made. Once the
// operation is out of time with the outcome unknown, the object may exist,
// and an error now would orphan it: a look outlives the operation's context
// by a grace period, short after an interrupt (Ctrl-C), so that the run
// still ends within seconds. That holds whether the context ended before the
// look began or during it.
func lookContext(ctx context.Context, settle time.Duration) (context.Context, context.CancelFunc) {
	look, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var grace atomic.Pointer[time.Timer]
	stop := context.AfterFunc(ctx, func() {
		d := max(reconcileGrace, 2*settle)
		if errors.Is(ctx.Err(), context.Canceled) {
			d = interruptGrace
		}
		grace.Store(time.AfterFunc(d, cancel))
	})
	return look, func() {
		stop()
		if t := grace.Load(); t != nil {
			t.Stop()
		}
		cancel()
	}
}

// adopt takes an object that holds no secret, made by a create whose reply
// was lost, as that create's result: it is as good as the reply.
func (k *collection[T]) adopt(ctx context.Context, obj T) *T {
	k.c.ledger.claim(obj.itemID())
	k.c.log.Warn(ctx, "adopted the "+k.col.noun()+" created by a request whose reply was lost", map[string]any{"id": obj.itemID()})
	return &obj
}

// looked is what a look for the objects a lost create made found, besides
// what belongs to others: made, those created since the request was sent;
// earlier, those created about when it was sent, which may predate it.
type looked[T Object] struct {
	made, earlier []T
}

func (l looked[T]) empty() bool { return len(l.made) == 0 && len(l.earlier) == 0 }

// settle looks for the objects a lost create made, first at once, then at
// growing intervals until the settle time has passed or one turns up.
func (k *collection[T]) settle(ctx context.Context, cr creation[T], began time.Time, removed map[string]bool) (looked[T], error) {
	deadline := time.Now().Add(k.c.settle)
	wait := k.c.settle / 8
	for {
		found, err := k.findCreated(ctx, cr, began, removed)
		if err != nil || !found.empty() || !time.Now().Before(deadline) {
			return found, err
		}
		if err := sleepCtx(ctx, min(wait, time.Until(deadline))); err != nil {
			return looked[T]{}, nil //nolint:nilerr // out of time: nothing found
		}
		wait *= 2
	}
}

// findCreated lists the objects cr could have made that the API created in
// the second the request was sent, or later. ngrok stamps created_at to the
// second, by its own clock: an object of a second the request may or may not
// have been sent in (the clock's bounds straddle a tick) may predate it, and
// is reported as earlier, never as made. Objects this process claimed, or
// that creates still on their way may have made (they are waited for), are
// not candidates at all.
func (k *collection[T]) findCreated(ctx context.Context, cr creation[T], began time.Time, removed map[string]bool) (looked[T], error) {
	var like []T
	var first, last time.Time
	for obj, err := range k.list(ctx, ListOptions{Filter: cr.filter}) {
		if err != nil {
			return looked[T]{}, err
		}
		if first.IsZero() {
			// The first list reply has just narrowed the clock's bounds.
			first, last = k.c.clock.seconds(began)
		}
		created, perr := time.Parse(time.RFC3339, obj.itemCreatedAt())
		if perr == nil && created.Before(first) {
			// Newest first: nothing further can be recent enough.
			break
		}
		if cr.made(obj) && !removed[obj.itemID()] {
			like = append(like, obj)
		}
	}
	if len(like) == 0 {
		return looked[T]{}, nil
	}
	waiting := func(n int) {
		k.c.log.Debug(ctx, "waiting for creates on their way before telling whose an object is", map[string]any{"creates": n})
	}
	if err := k.c.ledger.awaitFlights(ctx, k.col, waiting); err != nil {
		return looked[T]{}, err
	}
	var found looked[T]
	for _, obj := range like {
		if k.c.ledger.isClaimed(obj.itemID()) {
			continue
		}
		if created, err := time.Parse(time.RFC3339, obj.itemCreatedAt()); err != nil || created.Before(last) {
			found.earlier = append(found.earlier, obj)
		} else {
			found.made = append(found.made, obj)
		}
	}
	return found, nil
}

func itemIDs[T Object](objs []T) []string {
	ids := make([]string, len(objs))
	for i, o := range objs {
		ids[i] = o.itemID()
	}
	return ids
}

// reconcileGrace bounds the look for a created object after the operation's
// own deadline has passed; interruptGrace, after an interrupt.
const (
	reconcileGrace = 30 * time.Second
	interruptGrace = 5 * time.Second
)

// AmbiguousCreateError is a create whose reply was lost, after which the
// objects like it that turned up do not say which one it made: more than one
// was created since the request was sent, or one was created about when it
// was sent and may be someone else's, made just before. Nothing was adopted
// or deleted.
type AmbiguousCreateError struct {
	Collection Collection
	// Name is what the create asked for: a user's name, a credential's description.
	Name string
	// IDs were created since the request was sent.
	IDs []string
	// Earlier were created in a second the request may not yet have been
	// sent in (ngrok's created_at has one-second resolution).
	Earlier []string
	Cause   error
}

func (e *AmbiguousCreateError) Error() string {
	noun, nouns := e.Collection.noun(), e.Collection.nouns()
	var b strings.Builder
	fmt.Fprintf(&b, "creating %s %q: the reply was lost (%v)", noun, e.Name, e.Cause)
	if len(e.IDs) > 0 {
		fmt.Fprintf(&b, "; %s like it created since the request was sent: %s", countOf(len(e.IDs), noun, nouns), strings.Join(e.IDs, ", "))
	}
	if len(e.Earlier) > 0 {
		fmt.Fprintf(&b, "; %s like it created about when the request was sent, maybe just before it by someone else "+
			"(ngrok's created_at, to the second, cannot tell): %s", countOf(len(e.Earlier), noun, nouns), strings.Join(e.Earlier, ", "))
	}
	b.WriteString(". Nothing was adopted or deleted. ")
	if e.Collection.hasToken() {
		fmt.Fprintf(&b, "The token of the %s this create made, if it made one, was lost with the reply: delete that one "+
			"(those that are no one else's) and try again; a new request is told apart from them", noun)
	} else {
		fmt.Fprintf(&b, "Import the %s this create made, if it is among them, or try again: a new request is told apart from them", noun)
	}
	return b.String()
}

func (e *AmbiguousCreateError) Unwrap() error { return e.Cause }

// countOf is "1 user" or "2 users".
func countOf(n int, noun, nouns string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %s", n, nouns)
}

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
