package ngrok

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Collection is the API path of a kind of user. Service users were called
// bot users; ngrok still serves the legacy path.
type Collection string

const (
	ServiceUsers Collection = "service_users"
	BotUsers     Collection = "bot_users"
)

// User is a service user (or bot user) as the API returns it.
type User struct {
	ID        string `json:"id"`
	URI       string `json:"uri"`
	Name      string `json:"name"`
	Active    bool   `json:"active"`
	CreatedAt string `json:"created_at"`
}

// UserCreate is the body of a create. Active nil leaves the API's default (true).
type UserCreate struct {
	Name   string `json:"name"`
	Active *bool  `json:"active,omitempty"`
}

// UserUpdate is the body of a PATCH: only non-nil fields are sent, so only
// they change.
type UserUpdate struct {
	Name   *string `json:"name,omitempty"`
	Active *bool   `json:"active,omitempty"`
}

// ListOptions narrows a list.
type ListOptions struct {
	// Filter is a CEL expression over obj, evaluated by the API, e.g.
	// `obj.name == "ci" && obj.active`. ngrok documents it for service users.
	Filter string
	// Limit is the page size, 1–100; 0 means 100, the fewest requests.
	Limit int
}

// Users calls the API for one collection of users.
type Users struct {
	c   *Client
	col Collection
}

// Users returns the API of a collection.
func (c *Client) Users(col Collection) *Users { return &Users{c: c, col: col} }

// Collection is the collection these calls address.
func (u *Users) Collection() Collection { return u.col }

func (u *Users) itemPath(id string) string {
	return "/" + string(u.col) + "/" + url.PathEscape(id)
}

// Get reads one user.
func (u *Users) Get(ctx context.Context, id string) (*User, error) {
	r, err := u.c.do(ctx, http.MethodGet, u.itemPath(id), nil)
	if legacy := u.legacy(id); legacy != nil && IsNotFound(err) {
		user, legacyErr := legacy.Get(ctx, id)
		return user, u.afterLegacy(ctx, err, legacyErr)
	}
	if err != nil {
		return nil, u.vetNotFound(ctx, err)
	}
	return r.user()
}

// legacy returns the bot users API for a bot_ ID read as a service user.
// Whether /service_users serves users created as bot users is not
// documented; if it answers 404 for one, the legacy path has the last word
// before anyone concludes the user is gone.
func (u *Users) legacy(id string) *Users {
	if u.col == ServiceUsers && strings.HasPrefix(id, "bot_") {
		return u.c.Users(BotUsers)
	}
	return nil
}

// afterLegacy is the outcome of a call that got notFound from this
// collection and legacyErr from the legacy one. If the API no longer serves
// the legacy collection at all, this collection's 404 has the last word.
func (u *Users) afterLegacy(ctx context.Context, notFound, legacyErr error) error {
	if _, unserved := errors.AsType[*UnservedCollectionError](legacyErr); unserved {
		return u.vetNotFound(ctx, notFound)
	}
	return legacyErr
}

// Update changes the fields set in upd and returns the user as it now is.
func (u *Users) Update(ctx context.Context, id string, upd UserUpdate) (*User, error) {
	r, err := u.c.do(ctx, http.MethodPatch, u.itemPath(id), upd)
	if legacy := u.legacy(id); legacy != nil && IsNotFound(err) {
		user, legacyErr := legacy.Update(ctx, id, upd)
		return user, u.afterLegacy(ctx, err, legacyErr)
	}
	if err != nil {
		return nil, u.vetNotFound(ctx, err)
	}
	return r.user()
}

// Delete removes a user. A user that is already gone is reported as a
// not-found *Error; callers that want "gone" to be success check IsNotFound.
func (u *Users) Delete(ctx context.Context, id string) error {
	_, err := u.c.do(ctx, http.MethodDelete, u.itemPath(id), nil)
	if legacy := u.legacy(id); legacy != nil && IsNotFound(err) {
		return u.afterLegacy(ctx, err, legacy.Delete(ctx, id))
	}
	return u.vetNotFound(ctx, err)
}

// servedCollections remembers, for a client's lifetime (one Terraform
// operation), whether the API serves each collection, so that 404s for single
// users are vetted once per collection, not once per user.
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

// vetNotFound checks a 404 for one user before anyone takes it to mean that
// the user is gone. ngrok answers a path it does not serve with the same 404
// as an ID it does not know, so with a wrong api_base_url path (a stray
// "/v2", say) every user would look deleted: a plan would recreate them all
// and a destroy would forget them while they live on. One list request tells
// the two apart: if the collection answers, the 404 is about the user; if it
// is not there either, the URL is wrong. The answer, either way, is kept for
// the client's lifetime and shared by concurrent callers; a list page that
// succeeded for any other reason answers it for free. A check that fails
// (a 5xx, a timeout) teaches nothing and is not kept, and meanwhile the 404
// is not trusted: unsure is not gone.
func (u *Users) vetNotFound(ctx context.Context, err error) error {
	if !IsNotFound(err) {
		return err
	}
	vet := &u.c.collections
	for {
		vet.mu.Lock()
		if vet.served[u.col] {
			vet.mu.Unlock()
			return err
		}
		check, inFlight := vet.known[u.col]
		if !inFlight {
			check = &collectionCheck{done: make(chan struct{})}
			if vet.known == nil {
				vet.known = map[Collection]*collectionCheck{}
			}
			vet.known[u.col] = check
		}
		vet.mu.Unlock()

		if !inFlight {
			u.runCheck(ctx, check)
		} else {
			select {
			case <-check.done:
			case <-ctx.Done():
				// Only ctx's error is wrapped: this is not a not-found error.
				return fmt.Errorf("%s; checking that the API serves /%s did not finish: %w", err, u.col, ctx.Err())
			}
		}
		switch {
		case check.unserved != nil:
			return &UnservedCollectionError{NotFound: err, List: check.unserved, BaseURL: u.c.base.String(), Collection: u.col}
		case check.failed == nil:
			return err
		case !inFlight:
			// Only the list's error is wrapped: this is not a not-found error.
			return fmt.Errorf("%s; telling a deleted user from a wrong base URL takes a list of /%s, which failed: %w", err, u.col, check.failed)
		}
		// Someone else's check failed, perhaps only because its caller gave
		// up; ask again with this caller's own deadline.
	}
}

// runCheck lists one user of the collection and settles check.
func (u *Users) runCheck(ctx context.Context, check *collectionCheck) {
	_, _, listErr := u.PageBefore(ctx, "", 1)
	vet := &u.c.collections
	vet.mu.Lock()
	switch {
	case listErr == nil:
		// page has marked the collection served.
	case IsNotFound(listErr):
		check.unserved = listErr
	default:
		check.failed = listErr
		delete(vet.known, u.col)
	}
	vet.mu.Unlock()
	close(check.done)
}

// Create makes a user. A POST is not idempotent, so when its outcome is
// unknown — the connection dropped after sending, the attempt timed out, the
// API answered 5xx, or it answered 2xx with a body that is not a user — Create
// does not blindly resend it. It looks for a user of that name created since
// the request began, several times over the settle time (the API may still
// be working on the request), and adopts it if there is exactly one; resends
// only if none appeared and the API cannot have acted; and gives up, naming
// the candidates, if there are several. Never a duplicate, never an orphan.
func (u *Users) Create(ctx context.Context, in UserCreate) (*User, error) {
	path := "/" + string(u.col)
	began := time.Now()
	for attempt := 0; ; attempt++ {
		r, err := u.c.do(ctx, http.MethodPost, path, in)
		if err == nil {
			var user *User
			if user, err = r.user(); err == nil {
				return user, nil
			}
		}
		unknown, acted := createOutcome(err)
		if !unknown && ctx.Err() == nil {
			return nil, err
		}
		lookCtx := ctx
		if ctx.Err() != nil {
			// Out of time with the outcome unknown: the user may exist, and
			// an error now would orphan it. Take a short grace period to look.
			var cancel context.CancelFunc
			lookCtx, cancel = context.WithTimeout(context.WithoutCancel(ctx), max(reconcileGrace, 2*u.c.settle))
			defer cancel()
		}

		found, findErr := u.settle(lookCtx, in.Name, began)
		if findErr != nil {
			return nil, fmt.Errorf("%w; looking for a user it may have created also failed: %v", err, findErr)
		}
		switch {
		case len(found) == 1:
			u.c.log.Warn(ctx, "adopted the user created by a request whose reply was lost", map[string]any{"id": found[0].ID})
			return &found[0], nil
		case len(found) > 1:
			ids := make([]string, len(found))
			for i, f := range found {
				ids[i] = f.ID
			}
			return nil, &AmbiguousCreateError{Name: in.Name, IDs: ids, Cause: err}
		case acted, attempt >= u.c.createRetries, ctx.Err() != nil:
			return nil, err
		}
		// Nothing appeared in the settle time: the API did not act on it,
		// and sending it again cannot duplicate.
	}
}

// settle looks for the users a lost create made, first at once, then at
// growing intervals until the settle time has passed or one turns up.
func (u *Users) settle(ctx context.Context, name string, began time.Time) ([]User, error) {
	deadline := time.Now().Add(u.c.settle)
	wait := u.c.settle / 8
	for {
		found, err := u.findCreated(ctx, name, began)
		if err != nil || len(found) > 0 || !time.Now().Before(deadline) {
			return found, err
		}
		if err := sleepCtx(ctx, min(wait, time.Until(deadline))); err != nil {
			return nil, nil //nolint:nilerr // out of time: nothing found
		}
		wait *= 2
	}
}

// reconcileGrace bounds the look for a created user after the operation's
// own deadline has passed.
const reconcileGrace = 30 * time.Second

// AmbiguousCreateError is a create whose reply was lost, after which more
// than one user of its name turned up: Create cannot tell which is its own.
type AmbiguousCreateError struct {
	Name  string
	IDs   []string
	Cause error
}

func (e *AmbiguousCreateError) Error() string {
	return fmt.Sprintf("creating %q: the reply was lost (%v), and %d users of that name were created since the request began (%s); "+
		"import the one to keep and delete the others", e.Name, e.Cause, len(e.IDs), strings.Join(e.IDs, ", "))
}

func (e *AmbiguousCreateError) Unwrap() error { return e.Cause }

// createOutcome classifies a failed POST: unknown if the API may have acted
// on it nonetheless, acted if it certainly did (a 2xx whose body was not a
// user).
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

// findCreated lists users named name that the API created at or after the
// local time began. A user of the same name made by someone else within a
// second or two before it is indistinguishable; Create then refuses to guess.
func (u *Users) findCreated(ctx context.Context, name string, began time.Time) ([]User, error) {
	opts := ListOptions{}
	if u.col == ServiceUsers {
		opts.Filter = "obj.name == " + CELString(name)
	}
	var found []User
	for user, err := range u.List(ctx, opts) {
		if err != nil {
			return nil, err
		}
		// The list reply has just updated the clock estimate.
		since := u.c.clock.at(began)
		created, perr := time.Parse(time.RFC3339, user.CreatedAt)
		if perr == nil && created.Before(since) {
			// Newest first: nothing further can be recent enough.
			break
		}
		if user.Name == name {
			found = append(found, user)
		}
	}
	return found, nil
}

// CELString quotes s as a CEL string literal.
func CELString(s string) string {
	return strconv.Quote(s)
}

// List yields every user of the collection, newest first, following
// next_page_uri until the API says there is no further page. Pages are
// fetched as the caller iterates; stopping early fetches no more.
func (u *Users) List(ctx context.Context, opts ListOptions) iter.Seq2[User, error] {
	return func(yield func(User, error) bool) {
		for page, err := range u.Pages(ctx, opts) {
			if err != nil {
				yield(User{}, err)
				return
			}
			for _, user := range page {
				if !yield(user, nil) {
					return
				}
			}
		}
	}
}

// Pages yields the collection a page at a time.
func (u *Users) Pages(ctx context.Context, opts ListOptions) iter.Seq2[[]User, error] {
	return func(yield func([]User, error) bool) {
		q := url.Values{}
		if opts.Limit > 0 {
			q.Set("limit", strconv.Itoa(opts.Limit))
		} else {
			q.Set("limit", "100")
		}
		if opts.Filter != "" {
			q.Set("filter", opts.Filter)
		}
		next, err := u.c.resolve("/" + string(u.col) + "?" + q.Encode())
		if err != nil {
			yield(nil, err)
			return
		}
		seen := map[string]bool{}
		for {
			page, nextURI, r, err := u.page(ctx, next)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(page, nil) || nextURI == "" {
				return
			}
			// A next_page_uri that repeats would page forever.
			if seen[nextURI] {
				yield(nil, r.malformed("next_page_uri %q repeats a page already read", nextURI))
				return
			}
			seen[nextURI] = true
			if next, err = u.c.sameOrigin(nextURI); err != nil {
				yield(nil, r.malformed("next_page_uri %q is not a URL", nextURI))
				return
			}
		}
	}
}

// page fetches one list page.
func (u *Users) page(ctx context.Context, target *url.URL) ([]User, string, reply, error) {
	r, err := u.c.doURL(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, "", r, err
	}
	users, next, err := decodePage(u.col, r.body)
	if err != nil {
		return nil, "", r, r.malformed("%s", err)
	}
	u.c.collections.markServed(u.col)
	return users, next, r, nil
}

// pageBody is a list reply. The users sit under the collection's name; the
// pointers tell a missing field from an empty or null one.
type pageBody struct {
	ServiceUsers *[]User `json:"service_users"`
	BotUsers     *[]User `json:"bot_users"`
	NextPageURI  *string `json:"next_page_uri"`
}

// decodePage decodes a list reply, in one pass: the users under the
// collection's key and next_page_uri, "" when null. Unknown fields are ignored.
func decodePage(col Collection, body []byte) ([]User, string, error) {
	var page pageBody
	if err := decodeJSON(body, &page); err != nil {
		return nil, "", errors.New(describeDecodeError(err, body))
	}
	items := page.ServiceUsers
	if col == BotUsers {
		items = page.BotUsers
	}
	if items == nil {
		return nil, "", fmt.Errorf("the list has no %q field", col)
	}
	for i := range *items {
		if (*items)[i].ID == "" {
			return nil, "", fmt.Errorf("user %d of the page has no id", i)
		}
	}
	if page.NextPageURI == nil {
		return *items, "", nil
	}
	return *items, *page.NextPageURI, nil
}

// user decodes a reply that describes one user, refusing one without an id.
func (r reply) user() (*User, error) {
	u, err := decodeUser(r.body)
	if err != nil {
		return nil, r.malformed("%s", err)
	}
	return u, nil
}

func decodeUser(body []byte) (*User, error) {
	var u User
	if err := decodeJSON(body, &u); err != nil {
		return nil, errors.New(describeDecodeError(err, body))
	}
	if u.ID == "" {
		return nil, errors.New("the user in the reply has no id")
	}
	return &u, nil
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

// PageBefore fetches one page of up to limit users (100 when 0), newest first,
// of those whose IDs sort before beforeID ("" means from the newest), and
// reports whether older users remain.
func (u *Users) PageBefore(ctx context.Context, beforeID string, limit int) ([]User, bool, error) {
	q := url.Values{}
	q.Set("limit", strconv.Itoa(cmp.Or(limit, 100)))
	if beforeID != "" {
		q.Set("before_id", beforeID)
	}
	target, err := u.c.resolve("/" + string(u.col) + "?" + q.Encode())
	if err != nil {
		return nil, false, err
	}
	users, next, _, err := u.page(ctx, target)
	return users, next != "", err
}
