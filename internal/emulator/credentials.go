package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// The objects of the credential routes as the API shows them. They are also
// the types of `obj` in filters, so a filter reads exactly the fields a
// client reads, and a field the kind lacks (obj.acl on an API key) is a
// compile error. The token is not filterable: it is a secret, and null
// outside the create reply anyway.
type apiKeyObj struct {
	ID          string `json:"id"`
	URI         string `json:"uri"`
	CreatedAt   string `json:"created_at"`
	Description string `json:"description"`
	Metadata    string `json:"metadata"`
	OwnerID     string `json:"owner_id"`
}

type authtokenObj struct {
	apiKeyObj
	ACL []string `json:"acl"`
}

type sshCredentialObj struct {
	authtokenObj
	PublicKey string `json:"public_key"`
}

// apiKeyReply and authtokenReply add the token, null except on create.
type apiKeyReply struct {
	apiKeyObj
	Token *string `json:"token"`
}

type authtokenReply struct {
	authtokenObj
	Token *string `json:"token"`
}

func (v apiKeyReply) itemID() string      { return v.ID }
func (v apiKeyReply) filterObj() any      { return v.apiKeyObj }
func (v authtokenReply) itemID() string   { return v.ID }
func (v authtokenReply) filterObj() any   { return v.authtokenObj }
func (v sshCredentialObj) itemID() string { return v.ID }
func (v sshCredentialObj) filterObj() any { return v }

// Limits ngrok documents for every credential kind.
const (
	maxDescriptionBytes = 255
	maxMetadataBytes    = 4096
)

// credFields is a create or update body of any credential kind; fields the
// kind lacks are ignored, like any unknown field. owner_email and
// scim_user_id are read only to refuse them together with owner_id.
type credFields struct {
	Description *string   `json:"description"`
	Metadata    *string   `json:"metadata"`
	ACL         *[]string `json:"acl"`
	PublicKey   *string   `json:"public_key"`
	OwnerID     *string   `json:"owner_id"`
	OwnerEmail  *string   `json:"owner_email"`
	SCIMUserID  *string   `json:"scim_user_id"`
}

var credentialOperations = operations{
	create: (*Server).createCredential,
	list:   (*Server).listCredentials,
	get:    (*Server).getCredential,
	update: (*Server).updateCredential,
	remove: (*Server).deleteCredential,
}

func (s *Server) getCredential(c *call) {
	cr, ok := s.GetCredential(c.coll.path, c.id)
	if !ok {
		c.notFound()
		return
	}
	c.reply(http.StatusOK, c.credView(cr, false))
}

func (s *Server) deleteCredential(c *call) {
	s.mu.Lock()
	found := s.deleteCredentialLocked(c.coll, c.id)
	s.mu.Unlock()
	c.replyDeleted(found)
}

func (s *Server) createCredential(c *call) {
	var in credFields
	if !c.decodeBody(&in) || !s.mayNameOwner(c, deref(in.OwnerID)) || !c.checkCredFields(in) || !c.checkOwnerFields(in) {
		return
	}
	kind := c.coll.cred
	var cr Credential
	if in.Description != nil {
		cr.Description = *in.Description
	}
	if in.Metadata != nil {
		cr.Metadata = *in.Metadata
	}
	if kind.acl && in.ACL != nil {
		cr.ACL = slices.Clone(*in.ACL)
	}
	if kind.publicKey {
		if strings.TrimSpace(deref(in.PublicKey)) == "" {
			c.badParam("public_key", "a public key is required.")
			return
		}
		if !c.checkPublicKey(*in.PublicKey) {
			return
		}
		cr.PublicKey = *in.PublicKey
	}

	s.mu.Lock()
	owner := c.caller // ngrok: "Defaults to the authenticated User or Bot"
	if id := deref(in.OwnerID); id != "" {
		var ok bool
		if owner, ok = s.ownerLocked(id); !ok {
			s.mu.Unlock()
			c.fail(http.StatusBadRequest, "ERR_NGROK_634", fmt.Sprintf("No credential owner could be determined: owner_id %q names no user of this account.", id))
			return
		}
	}
	if !s.ownerActiveLocked(owner) && s.refuseInactiveOwner {
		s.mu.Unlock()
		c.fail(http.StatusBadRequest, "ERR_NGROK_636", "The credential owner is marked as inactive on the account.")
		return
	}
	cr.OwnerID = owner
	cr = s.createCredentialLocked(c.coll, cr)
	s.mu.Unlock()
	c.reply(http.StatusCreated, c.credView(cr, true))
}

// updateCredential changes only the fields present in the body. owner_id is
// not in ngrok's update schemas; a body that carries one naming another user
// is refused, as re-assigning an owner is.
func (s *Server) updateCredential(c *call) {
	var in credFields
	if !c.decodeBody(&in) || !c.checkCredFields(in) || !c.checkOwnerFields(in) {
		return
	}
	kind := c.coll.cred
	s.mu.Lock()
	p, found := s.creds[c.coll].byID[c.id]
	if !found {
		s.mu.Unlock()
		c.notFound()
		return
	}
	// A kept orphan's owner no longer resolves, but naming it is no change.
	if id := deref(in.OwnerID); id != "" && id != p.OwnerID {
		if owner, ok := s.ownerLocked(id); !ok || owner != p.OwnerID {
			s.mu.Unlock()
			c.fail(http.StatusBadRequest, kind.reassignCode, fmt.Sprintf("The %s is already owned by a user and cannot be re-assigned ownership.", kind.reassignNoun))
			return
		}
	}
	if in.Description != nil {
		p.Description = *in.Description
	}
	if in.Metadata != nil {
		p.Metadata = *in.Metadata
	}
	if kind.acl && in.ACL != nil {
		p.ACL = slices.Clone(*in.ACL) // a new slice: copies handed out keep theirs
	}
	cr := *p
	s.mu.Unlock()
	c.reply(http.StatusOK, c.credView(cr, false))
}

func (s *Server) listCredentials(c *call) {
	p, ok := c.parsePage()
	if !ok {
		return
	}
	s.mu.Lock()
	candidates := s.creds[c.coll].older(p.beforeID)
	s.mu.Unlock()
	replyPage(c, p, candidates, func(cr Credential) (listItem, bool) { return c.credView(cr, false), true })
}

// credView renders one credential as read through c's route; the token only
// when withSecret (the create reply).
func (c *call) credView(cr Credential, withSecret bool) listItem {
	if c.coll.cred.publicKey {
		return c.sshCredentialObj(cr)
	}
	var token *string
	if withSecret {
		token = &cr.Token
	}
	if c.coll.cred.acl {
		v := c.authtokenReply(cr)
		v.Token = token
		return v
	}
	v := c.apiKeyReply(cr)
	v.Token = token
	return v
}

func (c *call) apiKeyReply(cr Credential) apiKeyReply {
	return apiKeyReply{apiKeyObj: apiKeyObj{
		ID:          cr.ID,
		URI:         c.base + "/" + c.coll.path + "/" + cr.ID,
		CreatedAt:   cr.CreatedAt.UTC().Format(time.RFC3339),
		Description: cr.Description,
		Metadata:    cr.Metadata,
		OwnerID:     cr.OwnerID,
	}}
}

func (c *call) authtokenReply(cr Credential) authtokenReply {
	return authtokenReply{authtokenObj: authtokenObj{apiKeyObj: c.apiKeyReply(cr).apiKeyObj, ACL: nonNil(cr.ACL)}}
}

func (c *call) sshCredentialObj(cr Credential) sshCredentialObj {
	return sshCredentialObj{authtokenObj: c.authtokenReply(cr).authtokenObj, PublicKey: cr.PublicKey}
}

// nonNil makes an unset acl the [] ngrok shows rather than null.
func nonNil(acl []string) []string {
	if acl == nil {
		return []string{}
	}
	return acl
}

// checkCredFields validates the fields a create or update may set.
func (c *call) checkCredFields(in credFields) bool {
	if in.Description != nil && len(*in.Description) > maxDescriptionBytes {
		c.badParam("description", fmt.Sprintf("it is %d bytes long, and the limit is %d bytes.", len(*in.Description), maxDescriptionBytes))
		return false
	}
	if in.Metadata != nil && len(*in.Metadata) > maxMetadataBytes {
		c.badParam("metadata", fmt.Sprintf("it is %d bytes long, and the limit is %d bytes.", len(*in.Metadata), maxMetadataBytes))
		return false
	}
	if c.coll.cred.acl && in.ACL != nil {
		for i, rule := range *in.ACL {
			if rule != "*" && (!strings.HasPrefix(rule, "bind:") || len(rule) == len("bind:")) {
				c.badParam("acl", fmt.Sprintf("rule %d, %q, is neither '*' nor a bind rule such as 'bind:example.ngrok.app'.", i, rule))
				return false
			}
		}
	}
	return true
}

// checkPublicKey accepts one authorized_keys line. The key is never echoed:
// what was pasted may be a private key.
func (c *call) checkPublicKey(key string) bool {
	if strings.Contains(key, "PRIVATE KEY") {
		c.badParam("public_key", "it holds a private key. Send the public half (the .pub file) and keep the private key secret.")
		return false
	}
	_, _, _, rest, err := ssh.ParseAuthorizedKey([]byte(key))
	if err != nil {
		c.badParam("public_key", "it is not an SSH public key in authorized_keys format (such as 'ssh-ed25519 AAAA… comment').")
		return false
	}
	if len(strings.TrimSpace(string(rest))) > 0 {
		c.badParam("public_key", "it holds more than one key; send exactly one.")
		return false
	}
	return true
}

// checkOwnerFields refuses owner_id, owner_email and scim_user_id together
// (ngrok's ERR_NGROK_631), and an owner named other than by ID: the
// emulator's users have no email or SCIM identity, so none can be found.
func (c *call) checkOwnerFields(in credFields) bool {
	given := 0
	for _, p := range []*string{in.OwnerID, in.OwnerEmail, in.SCIMUserID} {
		if deref(p) != "" {
			given++
		}
	}
	switch {
	case given > 1:
		c.fail(http.StatusBadRequest, "ERR_NGROK_631", "Only one of owner_id, owner_email and scim_user_id may be specified.")
		return false
	case deref(in.OwnerEmail) != "" || deref(in.SCIMUserID) != "":
		c.fail(http.StatusBadRequest, "ERR_NGROK_634", "No credential owner could be determined: the emulator's users have no email address or SCIM identity; use owner_id.")
		return false
	}
	return true
}
