package emulator

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// Credential is the emulator's record of an API key, an agent authtoken or an
// SSH key, as the out-of-band hooks see it. The API adds the uri, and shows
// Token only in the reply to the create.
type Credential struct {
	ID          string
	Description string
	Metadata    string
	OwnerID     string   // the owner's ID as it was created: usr_, service_ or bot_
	ACL         []string // authtokens and SSH keys; nil for API keys
	PublicKey   string   // SSH keys only
	Token       string   // API keys and authtokens; a secret
	CreatedAt   time.Time
}

// credKind is what sets one credential collection apart from the others.
type credKind struct {
	token        bool // has a token, returned once
	apiKey       bool // the token authenticates against this API
	acl          bool
	publicKey    bool
	reassignCode string // the error for a PATCH that names another owner
	reassignNoun string // how that error names the credential: "API key"
}

// The collection names the hooks take are the URL segments.
var (
	apiKeys = &collection{path: "api_keys", listKey: "keys", idPrefix: "ak_",
		cred:      &credKind{token: true, apiKey: true, reassignCode: "ERR_NGROK_628", reassignNoun: "API key"},
		filterEnv: sync.OnceValues(newFilterEnv[apiKeyObj])}
	authtokens = &collection{path: "credentials", listKey: "credentials", idPrefix: "cr_",
		cred:      &credKind{token: true, acl: true, reassignCode: "ERR_NGROK_627", reassignNoun: "auth token"},
		filterEnv: sync.OnceValues(newFilterEnv[authtokenObj])}
	sshCredentials = &collection{path: "ssh_credentials", listKey: "ssh_credentials", idPrefix: "sshcr_",
		cred:      &credKind{acl: true, publicKey: true, reassignCode: "ERR_NGROK_629", reassignNoun: "SSH key"},
		filterEnv: sync.OnceValues(newFilterEnv[sshCredentialObj])}
)

// credCollection returns the credential collection named col, or nil.
func credCollection(col string) *collection {
	for _, c := range collections {
		if c.cred != nil && c.path == col {
			return c
		}
	}
	return nil
}

// tokenRef finds the credential a token belongs to.
type tokenRef struct {
	coll *collection
	id   string
}

// ownerLocked resolves owner_id to the ID of an existing user, as that user
// was created: the account user, or a service user by either spelling
// (service_X and bot_X are one user here). s.mu must be held.
func (s *Server) ownerLocked(id string) (string, bool) {
	if id == s.accountUserID {
		return id, true
	}
	if !validUserID(id) {
		return "", false
	}
	for _, c := range []*collection{serviceUsers, botUsers} {
		if u, ok := s.users.byID[c.idPrefix+idSuffix(id)]; ok {
			return u.ID, true
		}
	}
	return "", false
}

// ownerActiveLocked reports whether the owner may use its credentials. A
// kept orphan's owner is gone, and its credentials work as if nothing had
// happened: that is what keeping them models. s.mu must be held.
func (s *Server) ownerActiveLocked(ownerID string) bool {
	u, ok := s.users.byID[ownerID]
	return !ok || u.Active // the account user is not in users, and always active
}

// createCredentialLocked stores a new credential in coll and returns it with
// its token. s.mu must be held.
func (s *Server) createCredentialLocked(coll *collection, cr Credential) Credential {
	cr.ID, cr.CreatedAt = s.newIDLocked(coll.idPrefix)
	if coll.cred.acl && cr.ACL == nil {
		cr.ACL = []string{}
	}
	if coll.cred.token {
		// Shaped like ngrok's: the ID's KSUID, "_", then a random part.
		cr.Token = idSuffix(cr.ID) + "_" + randomBase62(21)
		s.tokens[cr.Token] = tokenRef{coll: coll, id: cr.ID}
	}
	s.creds[coll].add(&cr)
	return cr
}

// deleteCredentialLocked removes a credential and its token. s.mu must be held.
func (s *Server) deleteCredentialLocked(coll *collection, id string) bool {
	cr, ok := s.creds[coll].byID[id]
	if !ok {
		return false
	}
	delete(s.tokens, cr.Token)
	return s.creds[coll].remove(id)
}

// deleteOwnedLocked deletes every credential ownerID owns. The IDs are
// collected first: deleting shifts the order being walked. s.mu must be held.
func (s *Server) deleteOwnedLocked(ownerID string) {
	for coll, recs := range s.creds {
		var owned []string
		for _, cr := range recs.order {
			if cr.OwnerID == ownerID {
				owned = append(owned, cr.ID)
			}
		}
		for _, id := range owned {
			s.deleteCredentialLocked(coll, id)
		}
	}
}

// randomBase62 returns n random base62 digits.
func randomBase62(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read cannot fail
	for i := range b {
		b[i] = base62Alphabet[int(b[i])%len(base62Alphabet)]
	}
	return string(b)
}

// newPublicKey returns a fresh ed25519 public key as an authorized_keys line,
// for seeded SSH credentials.
func newPublicKey() string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(fmt.Sprintf("emulator: generating an SSH key: %v", err))
	}
	key, err := ssh.NewPublicKey(pub)
	if err != nil {
		panic(fmt.Sprintf("emulator: encoding an SSH key: %v", err))
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
}

// SeedCredentials creates n credentials in the collection col ("api_keys",
// "credentials" or "ssh_credentials") owned by the account user, described
// descPrefix-0001, descPrefix-0002, …, oldest first, and returns them in that
// order, tokens included. SSH keys get a fresh public key each.
func (s *Server) SeedCredentials(col string, n int, descPrefix string) ([]Credential, error) {
	coll := credCollection(col)
	if coll == nil {
		return nil, fmt.Errorf("emulator: collection %q: %w", col, ErrNotFound)
	}
	out := make([]Credential, 0, max(n, 0))
	for i := 1; i <= n; i++ {
		cr := Credential{Description: fmt.Sprintf("%s-%04d", descPrefix, i)}
		if coll.cred.publicKey {
			cr.PublicKey = newPublicKey()
		}
		s.mu.Lock()
		cr.OwnerID = s.accountUserID
		out = append(out, s.createCredentialLocked(coll, cr))
		s.mu.Unlock()
	}
	return out, nil
}

// AddCredential creates a credential in col owned by ownerID (the account user
// when ""; either spelling of a service user), as a POST would, without
// touching the request counts or the rate limit. An SSH key without a
// PublicKey gets a fresh one.
func (s *Server) AddCredential(col, ownerID string, cr Credential) (Credential, error) {
	coll := credCollection(col)
	if coll == nil {
		return Credential{}, fmt.Errorf("emulator: collection %q: %w", col, ErrNotFound)
	}
	if coll.cred.publicKey && cr.PublicKey == "" {
		cr.PublicKey = newPublicKey()
	}
	cr.ACL = slices.Clone(cr.ACL)
	s.mu.Lock()
	defer s.mu.Unlock()
	if ownerID == "" {
		ownerID = s.accountUserID
	}
	owner, ok := s.ownerLocked(ownerID)
	if !ok {
		return Credential{}, fmt.Errorf("emulator: owner %s: %w", ownerID, ErrNotFound)
	}
	cr.OwnerID = owner
	return s.createCredentialLocked(coll, cr), nil
}

// Credentials returns every credential of col, newest first (nil for an
// unknown collection).
func (s *Server) Credentials(col string) []Credential {
	coll := credCollection(col)
	if coll == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.creds[coll].older("")
}

// GetCredential returns the credential of col with the given ID.
func (s *Server) GetCredential(col, id string) (Credential, bool) {
	coll := credCollection(col)
	if coll == nil {
		return Credential{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cr, ok := s.creds[coll].byID[id]
	if !ok {
		return Credential{}, false
	}
	return *cr, true
}

// SetCredentialDescription changes a credential's description behind the
// API's back (drift). It returns an error wrapping ErrNotFound for an unknown
// collection or ID.
func (s *Server) SetCredentialDescription(col, id, description string) error {
	return s.modifyCredential(col, id, func(cr *Credential) { cr.Description = description })
}

// SetCredentialMetadata changes a credential's metadata behind the API's back.
func (s *Server) SetCredentialMetadata(col, id, metadata string) error {
	return s.modifyCredential(col, id, func(cr *Credential) { cr.Metadata = metadata })
}

// SetCredentialACL changes the acl of an authtoken or SSH key behind the
// API's back; nil is stored as an empty list, as the API reports it.
func (s *Server) SetCredentialACL(col, id string, acl []string) error {
	acl = slices.Clone(acl)
	if acl == nil {
		acl = []string{}
	}
	return s.modifyCredential(col, id, func(cr *Credential) { cr.ACL = acl })
}

func (s *Server) modifyCredential(col, id string, change func(*Credential)) error {
	coll := credCollection(col)
	if coll == nil {
		return fmt.Errorf("emulator: collection %q: %w", col, ErrNotFound)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cr, ok := s.creds[coll].byID[id]
	if !ok {
		return fmt.Errorf("emulator: %s: %w", id, ErrNotFound)
	}
	change(cr)
	return nil
}

// DeleteCredential deletes a credential behind the API's back; an API key's
// token stops working at once.
func (s *Server) DeleteCredential(col, id string) error {
	coll := credCollection(col)
	if coll == nil {
		return fmt.Errorf("emulator: collection %q: %w", col, ErrNotFound)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.deleteCredentialLocked(coll, id) {
		return fmt.Errorf("emulator: %s: %w", id, ErrNotFound)
	}
	return nil
}
