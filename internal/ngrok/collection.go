package ngrok

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// Collection is the API path of a kind of object. Service users were called
// bot users; ngrok still serves the legacy path.
type Collection string

const (
	ServiceUsers   Collection = "service_users"
	BotUsers       Collection = "bot_users"
	APIKeys        Collection = "api_keys"
	Authtokens     Collection = "credentials"
	SSHCredentials Collection = "ssh_credentials"
)

// knownCollections are the paths the client calls.
var knownCollections = []Collection{ServiceUsers, BotUsers, APIKeys, Authtokens, SSHCredentials}

// kind is the collection that stands for every path serving col's kind of
// object: a service user and a bot user are one kind, since /service_users
// may list the users created at /bot_users.
func (col Collection) kind() Collection {
	if col == BotUsers {
		return ServiceUsers
	}
	return col
}

// listKey is the field of a list reply that holds the collection's objects.
func (col Collection) listKey() string {
	if col == APIKeys {
		return "keys"
	}
	return string(col)
}

// noun names one object of the collection in messages.
func (col Collection) noun() string {
	switch col {
	case ServiceUsers, BotUsers:
		return "user"
	case APIKeys:
		return "API key"
	case Authtokens:
		return "authtoken"
	case SSHCredentials:
		return "SSH credential"
	}
	return "object"
}

// nouns names several objects of the collection.
func (col Collection) nouns() string { return col.noun() + "s" }

// hasToken reports whether a create reply of the collection carries a
// secret the API never shows again.
func (col Collection) hasToken() bool { return col == APIKeys || col == Authtokens }

// Object is what a collection holds: a user or a credential. It is the type
// constraint of BulkReader.
type Object interface {
	User | Credential
	itemID() string
	itemCreatedAt() string
}

// ListOptions narrows a list.
type ListOptions struct {
	// Filter is a CEL expression over obj, evaluated by the API, e.g.
	// `obj.name == "ci" && obj.active`. ngrok documents it for service users
	// and credentials.
	Filter string
	// Limit is the page size, 1–100; 0 means 100, the fewest requests.
	Limit int
}

// collection calls the API of one collection whose objects are T: what
// every collection does alike. Users and Credentials add their own on top.
type collection[T Object] struct {
	c   *Client
	col Collection
	// legacy, when set, names the older collection that may still serve an
	// ID this one answers 404 for, or nil if none may (see Client.Users).
	legacy func(id string) *collection[T]
}

func (k *collection[T]) itemPath(id string) string {
	return "/" + string(k.col) + "/" + url.PathEscape(id)
}

// get and update read and change one object, which therefore belongs to a
// resource: the ledger claims it.
func (k *collection[T]) get(ctx context.Context, id string) (*T, error) {
	r, err := k.item(ctx, http.MethodGet, id, nil)
	if err != nil {
		return nil, err
	}
	return k.claimed(k.decode(r))
}

func (k *collection[T]) update(ctx context.Context, id string, upd any) (*T, error) {
	r, err := k.item(ctx, http.MethodPatch, id, upd)
	if err != nil {
		return nil, err
	}
	return k.claimed(k.decode(r))
}

func (k *collection[T]) claimed(obj *T, err error) (*T, error) {
	if err == nil {
		k.c.ledger.claim((*obj).itemID())
	}
	return obj, err
}

func (k *collection[T]) delete(ctx context.Context, id string) error {
	_, err := k.item(ctx, http.MethodDelete, id, nil)
	return err
}

// item sends a request for one object. Its 404 is asked of the legacy
// collection, if any, and otherwise vetted (see vetNotFound). If the API no
// longer serves the legacy collection at all, this collection's 404 has the
// last word.
func (k *collection[T]) item(ctx context.Context, method, id string, body any) (reply, error) {
	r, err := k.c.do(ctx, method, k.itemPath(id), body)
	if !IsNotFound(err) {
		return r, err
	}
	if k.legacy != nil {
		if legacy := k.legacy(id); legacy != nil {
			lr, legacyErr := legacy.item(ctx, method, id, body)
			if _, unserved := errors.AsType[*UnservedCollectionError](legacyErr); !unserved {
				return lr, legacyErr
			}
		}
	}
	return r, k.vetNotFound(ctx, err)
}

// list yields every object of the collection, newest first, following
// next_page_uri until the API says there is no further page. Pages are
// fetched as the caller iterates; stopping early fetches no more.
func (k *collection[T]) list(ctx context.Context, opts ListOptions) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page, err := range k.pages(ctx, opts) {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, obj := range page {
				if !yield(obj, nil) {
					return
				}
			}
		}
	}
}

// pages yields the collection a page at a time.
func (k *collection[T]) pages(ctx context.Context, opts ListOptions) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		next := k.listURL(opts.Limit, opts.Filter, "")
		seen := map[string]bool{}
		for {
			page, nextURI, r, err := k.page(ctx, next)
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
			if next, err = k.c.sameOrigin(nextURI); err != nil {
				yield(nil, r.malformed("next_page_uri %q is not a URL", nextURI))
				return
			}
		}
	}
}

// pageBefore fetches one page of up to limit objects (100 when 0 or less),
// newest first, of those whose IDs sort before beforeID ("" means from the
// newest), and reports whether older ones remain.
func (k *collection[T]) pageBefore(ctx context.Context, beforeID string, limit int) ([]T, bool, error) {
	page, next, _, err := k.page(ctx, k.listURL(limit, "", beforeID))
	return page, next != "", err
}

// listURL is the URL of the collection's first list page: limit objects a
// page (100, the fewest requests, when 0 or less), narrowed by filter (CEL)
// and to the IDs that sort before beforeID, each left out when "".
func (k *collection[T]) listURL(limit int, filter, beforeID string) *url.URL {
	if limit <= 0 {
		limit = 100
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if filter != "" {
		q.Set("filter", filter)
	}
	if beforeID != "" {
		q.Set("before_id", beforeID)
	}
	return k.c.onBase("/"+string(k.col), q.Encode())
}

// page fetches one list page.
func (k *collection[T]) page(ctx context.Context, target *url.URL) ([]T, string, reply, error) {
	r, err := k.c.doURL(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, "", r, k.unservedIfNotFound(err)
	}
	page, next, err := decodePage[T](k.col, r.body)
	if err != nil {
		return nil, "", r, r.malformed("%s", err)
	}
	k.c.collections.markServed(k.col)
	return page, next, r, nil
}

// pageBody is a list reply. The objects sit under the collection's list key;
// one field per key lets one struct decode any collection in one pass. The
// pointers tell a missing field from an empty or null one.
type pageBody[T any] struct {
	ServiceUsers   *[]T    `json:"service_users"`
	BotUsers       *[]T    `json:"bot_users"`
	Keys           *[]T    `json:"keys"`
	Credentials    *[]T    `json:"credentials"`
	SSHCredentials *[]T    `json:"ssh_credentials"`
	NextPageURI    *string `json:"next_page_uri"`
}

func (p *pageBody[T]) items(col Collection) *[]T {
	switch col {
	case ServiceUsers:
		return p.ServiceUsers
	case BotUsers:
		return p.BotUsers
	case APIKeys:
		return p.Keys
	case Authtokens:
		return p.Credentials
	case SSHCredentials:
		return p.SSHCredentials
	}
	return nil
}

// decodePage decodes a list reply, in one pass: the objects under the
// collection's key and next_page_uri, "" when null. Unknown fields are ignored.
func decodePage[T Object](col Collection, body []byte) ([]T, string, error) {
	var page pageBody[T]
	if err := decodeJSON(body, &page); err != nil {
		return nil, "", errors.New(describeDecodeError(err, body))
	}
	items := page.items(col)
	if items == nil {
		return nil, "", fmt.Errorf("the list has no %q field", col.listKey())
	}
	for i := range *items {
		if (*items)[i].itemID() == "" {
			return nil, "", fmt.Errorf("%s %d of the page has no id", col.noun(), i)
		}
	}
	if page.NextPageURI == nil {
		return *items, "", nil
	}
	return *items, *page.NextPageURI, nil
}

// decode decodes a reply that describes one object.
func (k *collection[T]) decode(r reply) (*T, error) {
	obj, err := decodeItem[T](k.col, r.body)
	if err != nil {
		return nil, r.malformed("%s", err)
	}
	return obj, nil
}

// decodeItem decodes one object, refusing one without an id.
func decodeItem[T Object](col Collection, body []byte) (*T, error) {
	var obj T
	if err := decodeJSON(body, &obj); err != nil {
		return nil, errors.New(describeDecodeError(err, body))
	}
	if obj.itemID() == "" {
		return nil, fmt.Errorf("the %s in the reply has no id", col.noun())
	}
	return &obj, nil
}
