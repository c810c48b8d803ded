package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// apiUser is a user as the API shows it. It is also the type of `obj` in
// filters, so a filter sees exactly the fields and values a client reads.
type apiUser struct {
	ID        string `json:"id"`
	URI       string `json:"uri"`
	Name      string `json:"name"`
	Active    bool   `json:"active"`
	CreatedAt string `json:"created_at"`
}

func (v apiUser) itemID() string { return v.ID }
func (v apiUser) filterObj() any { return v }

// apiError is ngrok's error body. ErrorCode is omitted where ngrok omits it
// (plain 404s); it is a string because newer codes are not numeric.
type apiError struct {
	ErrorCode  string            `json:"error_code,omitempty"`
	StatusCode int               `json:"status_code"`
	Msg        string            `json:"msg"`
	Details    map[string]string `json:"details"`
}

const maxBodyBytes = 1 << 20

// operations are the handlers of one kind of collection.
type operations struct {
	create, list, get, update, remove func(*Server, *call)
}

var userOperations = operations{create: (*Server).create, list: (*Server).list, get: (*Server).get, update: (*Server).update, remove: (*Server).delete}

// dispatch runs the operation of an authenticated, admitted request, once
// the caller's roles allow it.
func (s *Server) dispatch(c *call) {
	if !s.permitted(c) {
		return
	}
	ops := userOperations
	if c.coll.cred != nil {
		ops = credentialOperations
	}
	if c.id == "" {
		if c.r.Method == http.MethodPost {
			ops.create(s, c)
		} else {
			ops.list(s, c)
		}
		return
	}
	if !c.coll.validID(c.id) {
		c.fail(http.StatusNotFound, "ERR_NGROK_222", fmt.Sprintf("%q is not a valid identifier.", c.id))
		return
	}
	switch c.r.Method {
	case http.MethodGet:
		ops.get(s, c)
	case http.MethodPatch:
		ops.update(s, c)
	case http.MethodDelete:
		ops.remove(s, c)
	}
}

func (s *Server) create(c *call) {
	var in userFields
	if !c.decodeBody(&in) {
		return
	}
	roles, _, ok := c.rolesFor(in)
	if !ok {
		return
	}
	active := true // the API's default when "active" is not sent
	if in.Active != nil {
		active = *in.Active
	}
	s.mu.Lock()
	u := s.createLocked(c.coll.idPrefix, deref(in.Name), active)
	s.users.byID[u.ID].Roles = roles
	u.Roles = roles
	s.mu.Unlock()
	c.reply(http.StatusCreated, s.view(c, u))
}

// sees reports whether the route serves the user with this ID: always, unless
// the collections are separate.
func (s *Server) sees(c *call, id string) bool {
	return !s.separate || strings.HasPrefix(id, c.coll.idPrefix)
}

func (s *Server) get(c *call) {
	u, ok := s.GetUser(c.id)
	if !ok || !s.sees(c, c.id) {
		c.notFound()
		return
	}
	c.reply(http.StatusOK, s.view(c, u))
}

// update changes only the fields present in the body, as PATCH promises.
func (s *Server) update(c *call) {
	var in userFields
	if !c.decodeBody(&in) {
		return
	}
	roles, setRoles, ok := c.rolesFor(in)
	if !ok {
		return
	}
	var u User
	s.mu.Lock()
	p, found := s.users.byID[c.id]
	found = found && s.sees(c, c.id)
	if found {
		if in.Name != nil {
			p.Name = *in.Name
		}
		if in.Active != nil {
			p.Active = *in.Active
		}
		if setRoles {
			p.Roles = roles
		}
		u = *p
	}
	s.mu.Unlock()
	if !found {
		c.notFound()
		return
	}
	c.reply(http.StatusOK, s.view(c, u))
}

func (s *Server) delete(c *call) {
	s.mu.Lock()
	found := s.sees(c, c.id) && s.deleteUserLocked(c.id)
	s.mu.Unlock()
	c.replyDeleted(found)
}

// replyDeleted answers a DELETE: 204 without a body, or the API's 404.
func (c *call) replyDeleted(found bool) {
	if !found {
		c.notFound()
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}

// list serves one page of users, newest first.
func (s *Server) list(c *call) {
	p, ok := c.parsePage()
	if !ok {
		return
	}
	s.mu.Lock()
	candidates := s.users.older(p.beforeID)
	s.mu.Unlock()
	replyPage(c, p, candidates, func(u User) (userReply, bool) {
		if !s.sees(c, u.ID) {
			return userReply{}, false
		}
		return s.view(c, u), true
	})
}

// userFields is a create or update body. Pointers tell "absent" (or null)
// from a zero value, which PATCH needs: a PATCH without roles keeps them,
// and roles [] clears them. Unknown fields are ignored: the real API grows
// fields and clients must stay compatible both ways.
type userFields struct {
	Name   *string   `json:"name"`
	Active *bool     `json:"active"`
	Roles  *[]string `json:"roles"`
}

// decodeBody checks the content type and decodes the body into in, replying
// with the API's error when either is wrong. An empty body is an empty object.
func (c *call) decodeBody(in any) bool {
	// A body sent without any Content-Type is read as JSON: what the check
	// exists to catch is a body declared as something else (curl -d sends
	// application/x-www-form-urlencoded), not a client that omitted it.
	if ct := c.r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			c.fail(http.StatusUnsupportedMediaType, "ERR_NGROK_210", fmt.Sprintf("The content type you specified %q is not supported by the API. Please check your API client implementation and see the list of supported content types: https://ngrok.com/docs/ngrok-link#service-api-content-type", ct))
			return false
		}
	}
	if c.bodyErr != nil {
		c.fail(http.StatusBadRequest, "ERR_NGROK_212", fmt.Sprintf("The server was unable to read the complete request body: %v.", c.bodyErr))
		return false
	}
	if len(bytes.TrimSpace(c.body)) == 0 {
		return true
	}
	if err := json.Unmarshal(c.body, in); err != nil {
		c.fail(http.StatusBadRequest, "ERR_NGROK_215", bodyErrorMessage(err))
		return false
	}
	return true
}

// badParam is the API's 400 for a request parameter with a value it refuses.
func (c *call) badParam(name, why string) {
	c.fail(http.StatusBadRequest, "ERR_NGROK_215", fmt.Sprintf("The value provided for the request parameter `%s` is invalid: %s", name, why))
}

// bodyErrorMessage names the offending field when the JSON is well formed
// but a value has the wrong type, which is what a client author needs.
func bodyErrorMessage(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field == "" {
			return fmt.Sprintf("The request body must be a JSON object, not %s.", typeErr.Value)
		}
		return fmt.Sprintf("The value provided for the request parameter `%s` is invalid: expected %s, got %s.", typeErr.Field, typeErr.Type, typeErr.Value)
	}
	return fmt.Sprintf("The request body is not valid JSON: %v.", err)
}

// notFound is the API's 404 for a well-formed ID that does not exist and for
// a path the API does not have: unlike most errors it has no error_code.
func (c *call) notFound() {
	c.fail(http.StatusNotFound, "", "Resource not found")
}

// fail sends an error body in ngrok's shape.
func (c *call) fail(status int, code, msg string) {
	c.reply(status, apiError{
		ErrorCode:  code,
		StatusCode: status,
		Msg:        msg,
		Details:    map[string]string{"operation_id": c.op},
	})
}

// reply sends v as JSON. HTML escaping is off so that next_page_uri keeps
// its literal '&' rather than \u0026 (both decode the same).
func (c *call) reply(status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only our own fixed types are encoded; this cannot happen.
		panic(fmt.Sprintf("emulator: encoding a reply: %v", err))
	}
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(status)
	_, _ = c.w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
