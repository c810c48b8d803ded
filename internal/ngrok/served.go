package ngrok

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sync/singleflight"
)

// servedCollections remembers, for a client's lifetime (one Terraform
// operation), whether the API serves each collection, so that 404s for single
// objects are vetted once per collection, not once per object.
type servedCollections struct {
	mu       sync.Mutex
	served   map[Collection]bool  // a list page succeeded
	unserved map[Collection]error // the list's own 404: the collection is not served
	checks   singleflight.Group   // one list in flight per collection
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

// markUnserved records list, the 404 of a list of col: col is not served.
func (s *servedCollections) markUnserved(col Collection, list error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unserved == nil {
		s.unserved = map[Collection]error{}
	}
	s.unserved[col] = list
}

// state is what is known of col: served, or the 404 that says it is not, or
// neither yet.
func (s *servedCollections) state(col Collection) (served bool, unserved error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served[col], s.unserved[col]
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
		switch served, unserved := vet.state(k.col); {
		case served:
			return err
		case unserved != nil:
			return &UnservedCollectionError{NotFound: err, List: unserved, BaseURL: k.c.base.String(), Source: k.c.baseURLSource, Collection: k.col}
		}
		// The list runs under the context of whoever started it; the others
		// wait with their own.
		check := vet.checks.DoChan(string(k.col), func() (any, error) { return nil, k.checkServed(ctx) })
		select {
		case res := <-check:
			if res.Err == nil {
				continue // settled: the state says which way
			}
			if ctx.Err() == nil && isContextError(res.Err) {
				continue // the caller that ran it gave up; ask again with this deadline
			}
			// Only the list's error is wrapped: this is not a not-found error.
			return fmt.Errorf("%s; telling a deleted %s from a wrong base URL takes a list of /%s, which failed: %w", err, k.col.noun(), k.col, res.Err)
		case <-ctx.Done():
			// Only ctx's error is wrapped: this is not a not-found error.
			return fmt.Errorf("%s; checking that the API serves /%s did not finish: %w", err, k.col, ctx.Err())
		}
	}
}

// checkServed lists one object of the collection and records the answer: a
// page marks it served; its own 404 marks it unserved. Any other failure
// records nothing.
func (k *collection[T]) checkServed(ctx context.Context) error {
	_, _, err := k.pageBefore(ctx, "", 1)
	var unserved *UnservedCollectionError
	if !errors.As(err, &unserved) {
		return err
	}
	k.c.collections.markUnserved(k.col, unserved.List)
	return nil
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// unservedIfNotFound is the error of a request for the collection itself (a
// create or a list page): ngrok serves every collection the client calls, so
// its 404 means that the base URL is wrong.
func (k *collection[T]) unservedIfNotFound(err error) error {
	if !IsNotFound(err) {
		return err
	}
	if served, _ := k.c.collections.state(k.col); served {
		return err
	}
	return &UnservedCollectionError{List: err, BaseURL: k.c.base.String(), Source: k.c.baseURLSource, Collection: k.col}
}
