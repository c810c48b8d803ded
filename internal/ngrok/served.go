package ngrok

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// servedCollections remembers, for a client's lifetime (one Terraform
// operation), whether the API serves each collection, so that 404s for single
// objects are vetted once per collection, not once per object.
type servedCollections struct {
	mu     sync.Mutex
	known  map[Collection]*collectionCheck // settled or in flight; failed checks are dropped
	served map[Collection]bool             // also set by any list page that succeeds
}

// collectionCheck is one list request asking whether a collection is served.
type collectionCheck struct {
	done     chan struct{} // closed when the fields below are set
	unserved error         // the list's own 404 when the collection is not served
	failed   error         // the list failed otherwise: nothing learned
}

// markServed records that a list of col succeeded.
func (s *servedCollections) markServed(col Collection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.served == nil {
		s.served = map[Collection]bool{}
	}
	s.served[col] = true
}

// vetNotFound checks a 404 for one object before anyone takes it to mean
// that the object is gone. ngrok answers a path it does not serve with the
// same 404 as an ID it does not know, so with a wrong api_base_url path (a
// stray "/v2", say) every user would look deleted: a plan would recreate them
// all and a destroy would forget them while they live on. One list request
// tells the two apart: if the collection answers, the 404 is about the
// object; if it is not there either, the URL is wrong. The answer, either
// way, is kept for the client's lifetime and shared by concurrent callers; a
// list page that succeeded for any other reason answers it for free. A check
// that fails (a 5xx, a timeout) teaches nothing and is not kept, and
// meanwhile the 404 is not trusted: unsure is not gone.
func (k *collection[T]) vetNotFound(ctx context.Context, err error) error {
	if !IsNotFound(err) {
		return err
	}
	vet := &k.c.collections
	for {
		vet.mu.Lock()
		if vet.served[k.col] {
			vet.mu.Unlock()
			return err
		}
		check, inFlight := vet.known[k.col]
		if !inFlight {
			check = &collectionCheck{done: make(chan struct{})}
			if vet.known == nil {
				vet.known = map[Collection]*collectionCheck{}
			}
			vet.known[k.col] = check
		}
		vet.mu.Unlock()

		if !inFlight {
			k.runCheck(ctx, check)
		} else {
			select {
			case <-check.done:
			case <-ctx.Done():
				// Only ctx's error is wrapped: this is not a not-found error.
				return fmt.Errorf("%s; checking that the API serves /%s did not finish: %w", err, k.col, ctx.Err())
			}
		}
		switch {
		case check.unserved != nil:
			return &UnservedCollectionError{NotFound: err, List: check.unserved, BaseURL: k.c.base.String(), Source: k.c.baseURLSource, Collection: k.col}
		case check.failed == nil:
			return err
		case !inFlight:
			// Only the list's error is wrapped: this is not a not-found error.
			return fmt.Errorf("%s; telling a deleted %s from a wrong base URL takes a list of /%s, which failed: %w", err, k.col.noun(), k.col, check.failed)
		}
		// Someone else's check failed, perhaps only because its caller gave
		// up; ask again with this caller's own deadline.
	}
}

// unservedIfNotFound is the error of a request for the collection itself (a
// create or a list page): ngrok serves every collection the client calls, so
// its 404 means that the base URL is wrong.
func (k *collection[T]) unservedIfNotFound(err error) error {
	if !IsNotFound(err) {
		return err
	}
	k.c.collections.mu.Lock()
	served := k.c.collections.served[k.col]
	k.c.collections.mu.Unlock()
	if served {
		return err
	}
	return &UnservedCollectionError{List: err, BaseURL: k.c.base.String(), Source: k.c.baseURLSource, Collection: k.col}
}

// runCheck lists one object of the collection and settles check.
func (k *collection[T]) runCheck(ctx context.Context, check *collectionCheck) {
	_, _, listErr := k.pageBefore(ctx, "", 1)
	var unserved *UnservedCollectionError
	vet := &k.c.collections
	vet.mu.Lock()
	switch {
	case listErr == nil:
		// page has marked the collection served.
	case errors.As(listErr, &unserved):
		check.unserved = unserved.List
	default:
		check.failed = listErr
		delete(vet.known, k.col)
	}
	vet.mu.Unlock()
	close(check.done)
}
