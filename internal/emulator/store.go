package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"cel.dev/cel-go/cel"
)

// User is the emulator's record of a service user, as the out-of-band hooks
// see it. The API adds the uri, which depends on the route it is read through.
type User struct {
	ID        string
	Name      string
	Active    bool
	CreatedAt time.Time
	// Roles are a service user's roles, nil when it has none. Users and
	// GetUser hand out copies of them, so a test changing its snapshot
	// changes nothing on the server.
	Roles []string
}

// snapshot is u with roles of its own.
func (u User) snapshot() User {
	u.Roles = slices.Clone(u.Roles)
	return u
}

// collection is one URL prefix of the API. The two user prefixes are views of
// one store: they differ in the prefix of the IDs they create, the uri they
// report and the key of their list body. Each credential prefix has a store
// of its own, and cred describes its kind.
type collection struct {
	path     string    // URL segment: "service_users"
	listKey  string    // key of the list body: "service_users", "keys"
	idPrefix string    // prefix of the IDs created through it: "service_"
	cred     *credKind // nil for the user routes
	// filterEnv builds the CEL environment of the route's filter once per
	// process: NewEnv is costly, Compile per request is not.
	filterEnv func() (*cel.Env, error)
}

var (
	serviceUsers = &collection{path: "service_users", listKey: "service_users", idPrefix: "service_", filterEnv: sync.OnceValues(newFilterEnv[apiUser])}
	botUsers     = &collection{path: "bot_users", listKey: "bot_users", idPrefix: "bot_", filterEnv: serviceUsers.filterEnv}
)

// collections are every route of the API, in the order route tries them.
var collections = []*collection{serviceUsers, botUsers, apiKeys, authtokens, sshCredentials}

// route maps a request path to its collection, its {id} segment ("" for the
// collection itself) and its template for accounting and faults. The
// collection is nil for a path the API does not have.
func route(path string) (*collection, string, string) {
	for _, c := range collections {
		rest, ok := strings.CutPrefix(path, "/"+c.path)
		if !ok {
			continue
		}
		if rest == "" {
			return c, "", "/" + c.path
		}
		if id, ok := strings.CutPrefix(rest, "/"); ok && id != "" && !strings.Contains(id, "/") {
			return c, id, "/" + c.path + "/{id}"
		}
	}
	return nil, "", ""
}

// validID reports whether id is well formed for the route: its own prefix
// then a KSUID. Either user prefix is valid on either user route (one store).
func (c *collection) validID(id string) bool {
	if c.cred == nil {
		return validUserID(id)
	}
	suffix, ok := strings.CutPrefix(id, c.idPrefix)
	return ok && validKSUID(suffix)
}

// IDs follow the KSUID layout ngrok's IDs appear to use: 20 bytes, a 4-byte
// big-endian timestamp (seconds since 2014-05-13) then 16 bytes of payload,
// written as 27 base62 digits in an alphabet sorted like ASCII. Fixed width
// and ASCII order make string order equal numeric order, so for user IDs,
// whose payload starts with a sequence number, string order is creation
// order: listing newest first and honouring before_id (even for a deleted
// ID) are plain string comparisons of the part after the prefix.
const (
	base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	ksuidEpoch     = 1400000000
	ksuidLen       = 27
)

// maxKSUID is the largest 20-byte value; a longer-looking suffix that sorts
// above it cannot be a KSUID.
var maxKSUID = encodeBase62(bytes.Repeat([]byte{0xff}, 20))

// encodeBase62 writes b, a big-endian number, as ksuidLen base62 digits by
// repeated long division.
func encodeBase62(b []byte) string {
	num := bytes.Clone(b)
	var out [ksuidLen]byte
	for i := ksuidLen - 1; i >= 0; i-- {
		var rem uint32
		for j, d := range num {
			acc := rem<<8 | uint32(d)
			num[j] = byte(acc / 62)
			rem = acc % 62
		}
		out[i] = base62Alphabet[rem]
	}
	return string(out[:])
}

// ksuidSeconds converts t to a KSUID timestamp, clamped to its range.
func ksuidSeconds(t time.Time) uint32 {
	sec := t.Unix() - ksuidEpoch
	switch {
	case sec < 0:
		return 0
	case sec > 1<<32-1:
		return 1<<32 - 1
	}
	return uint32(sec)
}

// newKSUID returns a KSUID for time t whose payload starts with seq; with seq
// 0 the whole payload is random (operation IDs and API keys need no order).
func newKSUID(t time.Time, seq uint64) string {
	var b [20]byte
	binary.BigEndian.PutUint32(b[:4], ksuidSeconds(t))
	// crypto/rand.Read cannot fail (it crashes the program instead).
	_, _ = rand.Read(b[4:])
	if seq != 0 {
		binary.BigEndian.PutUint64(b[4:12], seq)
	}
	return encodeBase62(b[:])
}

// validKSUID reports whether s is 27 base62 digits that fit in 20 bytes.
func validKSUID(s string) bool {
	if len(s) != ksuidLen || s > maxKSUID {
		return false
	}
	for i := range len(s) {
		if strings.IndexByte(base62Alphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

// validUserID reports whether id is well formed: "service_" or "bot_" then a
// KSUID. Either prefix is valid on either route (one collection).
func validUserID(id string) bool {
	for _, c := range []*collection{serviceUsers, botUsers} {
		if suffix, ok := strings.CutPrefix(id, c.idPrefix); ok {
			return validKSUID(suffix)
		}
	}
	return false
}

// idSuffix is the ordered part of an ID, after its prefix.
func idSuffix(id string) string {
	_, suffix, _ := strings.Cut(id, "_")
	return suffix
}

// records is one store of objects, kept in ID order. IDs are handed out in
// creation order, so appending keeps the order and the newest is last.
type records[T any] struct {
	byID  map[string]*T
	order []*T // ascending by ID suffix, which is creation order
	idOf  func(*T) string
}

func newRecords[T any](idOf func(*T) string) *records[T] {
	return &records[T]{byID: map[string]*T{}, idOf: idOf}
}

func (r *records[T]) add(p *T) {
	r.byID[r.idOf(p)] = p
	r.order = append(r.order, p)
}

// position is the index of the first record whose ID suffix sorts at or
// after that of id, which need not exist.
func (r *records[T]) position(id string) int {
	suffix := idSuffix(id)
	return sort.Search(len(r.order), func(i int) bool { return idSuffix(r.idOf(r.order[i])) >= suffix })
}

// remove deletes id and reports whether it existed.
func (r *records[T]) remove(id string) bool {
	if _, ok := r.byID[id]; !ok {
		return false
	}
	delete(r.byID, id)
	i := r.position(id)
	r.order = append(r.order[:i], r.order[i+1:]...)
	return true
}

// older returns copies of the records whose ID suffix sorts strictly before
// the suffix of beforeID (all of them when it is ""), newest first.
func (r *records[T]) older(beforeID string) []T {
	end := len(r.order)
	if beforeID != "" {
		end = r.position(beforeID)
	}
	out := make([]T, 0, end)
	for i := end - 1; i >= 0; i-- {
		out = append(out, *r.order[i])
	}
	return out
}

// newIDLocked returns a new ID in prefix and the creation time to record
// with it. The timestamp never goes backwards (an injected clock may) and the
// sequence always advances, so each new ID sorts after every earlier one,
// whatever its prefix. s.mu must be held.
func (s *Server) newIDLocked(prefix string) (string, time.Time) {
	now := s.now()
	ts := max(ksuidSeconds(now), s.lastTS)
	s.lastTS = ts
	s.seq++
	return prefix + newKSUID(time.Unix(int64(ts)+ksuidEpoch, 0), s.seq), now.UTC().Truncate(time.Second)
}

// createLocked stores a new user with an ID in prefix. s.mu must be held.
func (s *Server) createLocked(prefix, name string, active bool) User {
	u := &User{Name: name, Active: active}
	u.ID, u.CreatedAt = s.newIDLocked(prefix)
	s.users.add(u)
	return *u
}

// deleteUserLocked removes a user and, unless orphans are kept, the
// credentials it owns, as ngrok's user management documents for users.
// It reports whether the user existed. s.mu must be held.
func (s *Server) deleteUserLocked(id string) bool {
	if !s.users.remove(id) {
		return false
	}
	if !s.keepOrphans {
		s.deleteOwnedLocked(id)
	}
	return true
}

// SeedUsers creates n active users named namePrefix-0001, namePrefix-0002, …
// with service_ IDs, oldest first, and returns them in that order.
func (s *Server) SeedUsers(n int, namePrefix string) []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, max(n, 0))
	for i := 1; i <= n; i++ {
		out = append(out, s.createLocked(serviceUsers.idPrefix, fmt.Sprintf("%s-%04d", namePrefix, i), true))
	}
	return out
}

// AddUser creates a user with a service_ ID, as POST /service_users would,
// without touching the request counts or the rate limit.
func (s *Server) AddUser(name string, active bool) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createLocked(serviceUsers.idPrefix, name, active)
}

// AddBotUser creates a user with a bot_ ID, as POST /bot_users would.
func (s *Server) AddBotUser(name string, active bool) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createLocked(botUsers.idPrefix, name, active)
}

// Rename changes a user's name behind the API's back (drift, as if someone
// used the dashboard). It returns an error wrapping ErrNotFound for an
// unknown id.
func (s *Server) Rename(id, name string) error {
	return s.modify(id, func(u *User) { u.Name = name })
}

// SetActive changes a user's active flag behind the API's back.
func (s *Server) SetActive(id string, active bool) error {
	return s.modify(id, func(u *User) { u.Active = active })
}

func (s *Server) modify(id string, change func(*User)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users.byID[id]
	if !ok {
		return fmt.Errorf("emulator: %s: %w", id, ErrNotFound)
	}
	change(u)
	return nil
}

// DeleteUser deletes a user behind the API's back.
func (s *Server) DeleteUser(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.deleteUserLocked(id) {
		return fmt.Errorf("emulator: %s: %w", id, ErrNotFound)
	}
	return nil
}

// Users returns every user, newest first.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	users := s.users.older("")
	for i := range users {
		users[i] = users[i].snapshot()
	}
	return users
}

// GetUser returns the user with the given ID.
func (s *Server) GetUser(id string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users.byID[id]
	if !ok {
		return User{}, false
	}
	return u.snapshot(), true
}
