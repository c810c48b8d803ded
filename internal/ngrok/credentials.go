package ngrok

import (
	"context"
	"fmt"
	"iter"
	"strings"
)

// Credential is an API key, agent authtoken or SSH credential as the API returns it.
type Credential struct {
	ID          string   `json:"id"`
	URI         string   `json:"uri"`
	CreatedAt   string   `json:"created_at"`
	Description string   `json:"description"`
	Metadata    string   `json:"metadata"`
	OwnerID     string   `json:"owner_id"`
	Token       *string  `json:"token"`      // API keys and authtokens: in the create reply only, null afterwards
	ACL         []string `json:"acl"`        // authtokens and SSH credentials
	PublicKey   string   `json:"public_key"` // SSH credentials
}

func (k Credential) itemID() string        { return k.ID }
func (k Credential) itemCreatedAt() string { return k.CreatedAt }

// CredentialCreate is the body of a create.
type CredentialCreate struct {
	Description string   `json:"description,omitempty"`
	Metadata    string   `json:"metadata,omitempty"`
	OwnerID     string   `json:"owner_id,omitempty"` // "" = the owner of the API key making the request
	ACL         []string `json:"acl,omitempty"`
	PublicKey   string   `json:"public_key,omitempty"`
}

// CredentialUpdate is the body of a PATCH: only non-nil fields are sent, so
// only they change.
type CredentialUpdate struct {
	Description *string   `json:"description,omitempty"`
	Metadata    *string   `json:"metadata,omitempty"`
	ACL         *[]string `json:"acl,omitempty"` // non-nil is sent, even when empty
}

// Credentials calls the API for one collection of credentials.
type Credentials struct {
	collection[Credential]
}

// Credentials returns the API of a collection of credentials: APIKeys,
// Authtokens or SSHCredentials.
func (c *Client) Credentials(col Collection) *Credentials {
	return &Credentials{collection[Credential]{c: c, col: col}}
}

// Get reads one credential. Its token is null: the API shows it only once.
func (k *Credentials) Get(ctx context.Context, id string) (*Credential, error) {
	return k.get(ctx, id)
}

// Update changes the fields set in upd and returns the credential as it now is.
func (k *Credentials) Update(ctx context.Context, id string, upd CredentialUpdate) (*Credential, error) {
	return k.update(ctx, id, upd)
}

// Delete removes a credential, revoking it. One that is already gone is
// reported as a not-found *Error.
func (k *Credentials) Delete(ctx context.Context, id string) error {
	return k.delete(ctx, id)
}

// Create makes a credential; for API keys and authtokens the result holds
// the token, which the API never shows again.
//
// When the outcome is unknown (see collection.create), Create looks for a
// credential with in's description and metadata (and owner, and public key)
// made since the request began. An SSH credential holds no secret, so the
// one found is adopted. An API key or authtoken found is of no use: its token
// left with the lost reply, and nobody could ever use it. It is deleted, and
// the create sent again, so that no live credential is left whose secret
// nobody holds.
func (k *Credentials) Create(ctx context.Context, in CredentialCreate) (*Credential, error) {
	cr := creation[Credential]{
		body:   in,
		name:   in.Description,
		decode: k.decodeCreated,
		made:   func(cred Credential) bool { return k.couldHaveMade(in, cred) },
	}
	if in.OwnerID != "" {
		cr.filter = OwnerFilter(in.OwnerID)
	}
	if k.col.hasToken() {
		cr.discard = k.discard
	}
	return k.create(ctx, cr)
}

// decodeCreated decodes a create reply. A token kind's reply without its
// token is refused: the credential exists, but its secret is not in hand.
func (k *Credentials) decodeCreated(r reply) (*Credential, error) {
	cred, err := k.decode(r)
	if err == nil && k.col.hasToken() && (cred.Token == nil || *cred.Token == "") {
		return nil, r.malformed("the %s in the reply has no token", k.col.noun())
	}
	return cred, err
}

// couldHaveMade reports whether cred is what a create of in would have made.
func (k *Credentials) couldHaveMade(in CredentialCreate, cred Credential) bool {
	return cred.Description == in.Description && cred.Metadata == in.Metadata &&
		(in.OwnerID == "" || SameUser(cred.OwnerID, in.OwnerID)) &&
		(k.col != SSHCredentials || sameSSHKey(cred.PublicKey, in.PublicKey))
}

// sameSSHKey compares two authorized_keys lines by key type and key data:
// the API may drop the comment or the final line break.
func sameSSHKey(a, b string) bool {
	fa, fb := strings.Fields(a), strings.Fields(b)
	return (len(fa) >= 2 && len(fb) >= 2 && fa[0] == fb[0] && fa[1] == fb[1]) || strings.TrimSpace(a) == strings.TrimSpace(b)
}

// discard deletes a credential with a token made by a create whose reply,
// and with it the token, was lost. The log names the credential, never its
// token (which the list does not show anyway).
func (k *Credentials) discard(ctx context.Context, cred Credential, cause error) error {
	noun := k.col.noun()
	if err := k.Delete(ctx, cred.ID); err != nil && !IsNotFound(err) {
		return fmt.Errorf("%w; the %s it made (%s) holds a token lost with the reply, and deleting it failed: %v; delete it by hand",
			cause, noun, cred.ID, err)
	}
	k.c.log.Warn(ctx, "deleted the "+noun+" created by a request whose reply was lost, because its token was lost with the reply", map[string]any{"id": cred.ID})
	return nil
}

// List yields every credential of the collection, newest first, as
// Users.List does.
func (k *Credentials) List(ctx context.Context, opts ListOptions) iter.Seq2[Credential, error] {
	return k.list(ctx, opts)
}

// NewBulkReader returns a reader of this collection's credentials.
func (k *Credentials) NewBulkReader(mode RefreshMode) *BulkReader[Credential] {
	return newBulkReader(&k.collection, mode, k.Get)
}
