package ngrok

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
)

// User is a service user (or bot user) as the API returns it.
type User struct {
	ID        string `json:"id"`
	URI       string `json:"uri"`
	Name      string `json:"name"`
	Active    bool   `json:"active"`
	CreatedAt string `json:"created_at"`
	// Roles are the service user's roles; nil when the reply has no roles
	// field (ngrok's documents disagree on whether replies carry it, and
	// /bot_users has none).
	Roles *[]string `json:"roles"`
}

func (u User) itemID() string        { return u.ID }
func (u User) itemCreatedAt() string { return u.CreatedAt }

// UserCreate is the body of a create. Active nil leaves the API's default
// (true); Roles nil sends none, and a pointer to an empty slice sends [].
type UserCreate struct {
	Name   string    `json:"name"`
	Active *bool     `json:"active,omitempty"`
	Roles  *[]string `json:"roles,omitempty"`
}

// UserUpdate is the body of a PATCH: only non-nil fields are sent, so only
// they change.
type UserUpdate struct {
	Name   *string   `json:"name,omitempty"`
	Active *bool     `json:"active,omitempty"`
	Roles  *[]string `json:"roles,omitempty"`
}

// Users calls the API for one collection of users.
type Users struct {
	collection[User]
}

// Users returns the API of a collection of users: ServiceUsers or BotUsers.
func (c *Client) Users(col Collection) *Users {
	u := &Users{collection[User]{c: c, col: col}}
	if col == ServiceUsers {
		u.legacy = c.legacyUsers
	}
	return u
}

// legacyUsers is the bot users collection for a bot_ ID read as a service
// user. Whether /service_users serves users created as bot users is not
// documented; if it answers 404 for one, the legacy path has the last word
// before anyone concludes the user is gone.
func (c *Client) legacyUsers(id string) *collection[User] {
	if strings.HasPrefix(id, "bot_") {
		return &c.Users(BotUsers).collection
	}
	return nil
}

// Get reads one user.
func (u *Users) Get(ctx context.Context, id string) (*User, error) {
	return u.get(ctx, id)
}

// Update changes the fields set in upd and returns the user as it now is.
//
// /bot_users has no roles: a PATCH there that sends some succeeds and drops
// them. So roles are never sent to the legacy path. A user that only it
// serves fails with *LegacyRolesError, and nothing is changed.
func (u *Users) Update(ctx context.Context, id string, upd UserUpdate) (*User, error) {
	if upd.Roles == nil || u.legacy == nil || u.legacy(id) == nil {
		return u.update(ctx, id, upd)
	}
	here := u.collection
	here.legacy = nil
	user, err := here.update(ctx, id, upd)
	if !IsNotFound(err) {
		return user, err
	}
	switch _, getErr := u.legacy(id).get(ctx, id); {
	case getErr == nil:
		return nil, &LegacyRolesError{ID: id, Collection: u.col}
	case IsNotFound(getErr):
		return nil, err
	default:
		if _, unserved := errors.AsType[*UnservedCollectionError](getErr); unserved {
			return nil, err
		}
		return nil, fmt.Errorf("%w; asking /%s whether it serves the user failed: %w", err, BotUsers, getErr)
	}
}

// LegacyRolesError is an update that would give roles to a user the API
// serves only at /bot_users, which has no roles. Nothing was sent there.
type LegacyRolesError struct {
	ID         string
	Collection Collection
}

func (e *LegacyRolesError) Error() string {
	return fmt.Sprintf("user %s is served at /%s but not at /%s, and /%s has no roles: a change sent there would "+
		"succeed and drop them, so nothing was changed. Leave roles unset for this user, or give the roles to a "+
		"service user created at /%s", e.ID, BotUsers, e.Collection, BotUsers, e.Collection)
}

// Delete removes a user. A user that is already gone is reported as a
// not-found *Error; callers that want "gone" to be success check IsNotFound.
func (u *Users) Delete(ctx context.Context, id string) error {
	return u.delete(ctx, id)
}

// Create makes a user. When the outcome is unknown (see collection.create),
// the one user of that name created since the request began is adopted: it
// holds no secret, so it is as good as the lost reply.
func (u *Users) Create(ctx context.Context, in UserCreate) (*User, error) {
	cr := creation[User]{
		body:   in,
		name:   in.Name,
		decode: u.decode,
		made:   func(user User) bool { return user.Name == in.Name },
	}
	if u.col == ServiceUsers {
		// ngrok documents filters for service users only.
		cr.filter = "obj.name == " + CELString(in.Name)
	}
	return u.create(ctx, cr)
}

// List yields every user of the collection, newest first, following
// next_page_uri until the API says there is no further page. Pages are
// fetched as the caller iterates; stopping early fetches no more.
func (u *Users) List(ctx context.Context, opts ListOptions) iter.Seq2[User, error] {
	return u.list(ctx, opts)
}

// Pages yields the collection a page at a time.
func (u *Users) Pages(ctx context.Context, opts ListOptions) iter.Seq2[[]User, error] {
	return u.pages(ctx, opts)
}

// PageBefore fetches one page of up to limit users (100 when 0 or less),
// newest first, of those whose IDs sort before beforeID ("" means from the
// newest), and reports whether older users remain.
func (u *Users) PageBefore(ctx context.Context, beforeID string, limit int) ([]User, bool, error) {
	return u.pageBefore(ctx, beforeID, limit)
}
