package ngrok

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/gofrs/flock"
)

// Leases is a journal, on disk, of the credentials a process created that
// must not outlive it, such as the ephemeral credentials of one Terraform
// run. The process revokes them itself when it can (closing each, or all at
// its end); the journal is for when it cannot: a process killed outright
// leaves its journal behind, and the next client of the same account on the
// machine revokes what it lists (Client.SweepLeases). The process holds a
// lock on its journal for as long as it lives, so a journal whose lock is
// free is one whose process is gone. Tokens are never written.
type Leases struct {
	dir, name string // the journal is dir/name.json, its lock dir/name.lock

	mu   sync.Mutex
	lock *flock.Flock // held while the journal exists
	held map[string]Collection
}

// leasesFilePrefix begins the name of every journal; the account's key
// follows, so that a sweep reads only its own account's journals.
const leasesFilePrefix = "leases-"

// leaseFile is a journal's content.
type leaseFile struct {
	Credentials []leaseEntry `json:"credentials"`
}

type leaseEntry struct {
	Collection Collection `json:"collection"`
	ID         string     `json:"id"`
}

var (
	leasesMu sync.Mutex
	leasesOf = map[string]*Leases{}
)

// OpenLeases returns this process's journal for an account (an API key at a
// base URL) in dir. Nothing is written until a lease is taken.
func OpenLeases(dir, baseURL, apiKey string) *Leases {
	prefix := accountLeasesPrefix(baseURL, apiKey)
	key := filepath.Join(dir, prefix)
	leasesMu.Lock()
	defer leasesMu.Unlock()
	if l, ok := leasesOf[key]; ok {
		return l
	}
	var nonce [6]byte
	_, _ = rand.Read(nonce[:])
	l := &Leases{dir: dir, name: fmt.Sprintf("%s%d-%x", prefix, os.Getpid(), nonce), held: map[string]Collection{}}
	leasesOf[key] = l
	return l
}

// accountLeasesPrefix is the start of every journal name of an account.
func accountLeasesPrefix(baseURL, apiKey string) string {
	account := accountID(baseURL, apiKey)
	return leasesFilePrefix + hex.EncodeToString(account[:8]) + "-"
}

// Take records that the credential id of col must not outlive the process.
func (l *Leases) Take(col Collection, id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.held[id] = col
	return l.writeLocked()
}

// Release records that the credential id is revoked (or otherwise no longer
// the process's to revoke).
func (l *Leases) Release(id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.held[id]; !ok {
		return nil
	}
	delete(l.held, id)
	return l.writeLocked()
}

// writeLocked rewrites the journal whole, creating it (and taking its lock)
// for the first lease, and removing both once no lease is left.
func (l *Leases) writeLocked() error {
	path := filepath.Join(l.dir, l.name)
	if len(l.held) == 0 {
		if l.lock == nil {
			return nil
		}
		err := os.Remove(path + ".json")
		_ = os.Remove(path + ".lock")
		_ = l.lock.Unlock()
		l.lock = nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing the journal of credentials to revoke %s: %w", path+".json", err)
		}
		return nil
	}
	if l.lock == nil {
		if err := os.MkdirAll(l.dir, 0o700); err != nil {
			return fmt.Errorf("the journal of credentials to revoke cannot be kept in %s: %w", l.dir, err)
		}
		lock := flock.New(path + ".lock")
		if ok, err := lock.TryLock(); !ok || err != nil {
			return fmt.Errorf("the journal of credentials to revoke %s cannot be locked: %v", path+".lock", err)
		}
		l.lock = lock
	}
	var f leaseFile
	for id, col := range l.held {
		f.Credentials = append(f.Credentials, leaseEntry{Collection: col, ID: id})
	}
	slices.SortFunc(f.Credentials, func(a, b leaseEntry) int { return strings.Compare(a.ID, b.ID) })
	return writeWhole(path+".json", f)
}

// writeWhole writes the journal at path, whole (see writeFileAtomic).
func writeWhole(path string, v leaseFile) error {
	data, err := json.Marshal(v)
	if err == nil {
		err = writeFileAtomic(path, data)
	}
	if err != nil {
		return fmt.Errorf("writing the journal of credentials to revoke %s: %w", path, err)
	}
	return nil
}

// SweepLeases revokes the credentials listed in the journals that processes
// of this client's account left behind in dir (their locks are free), and
// removes those journals. It costs one DELETE per credential listed, and no
// request at all when nothing was left. A credential that cannot be revoked
// now stays in its journal for the next sweep. It returns how many it
// revoked (or found already gone).
func (c *Client) SweepLeases(ctx context.Context, dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("listing the journals of credentials to revoke in %s: %w", dir, err)
	}
	prefix := accountLeasesPrefix(c.base.String(), c.apiKey)
	revoked := 0
	var errs []error
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !strings.HasPrefix(name, prefix) {
			continue
		}
		n, err := c.sweepJournal(ctx, filepath.Join(dir, name))
		revoked += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return revoked, errors.Join(errs...)
}

// sweepJournal revokes what one journal lists, if its process is gone.
func (c *Client) sweepJournal(ctx context.Context, path string) (int, error) {
	lock := flock.New(path + ".lock")
	if ok, err := lock.TryLock(); !ok || err != nil {
		return 0, nil // its process lives, or another sweep has it
	}
	defer func() { _ = lock.Unlock() }()
	var f leaseFile
	data, err := os.ReadFile(path + ".json")
	if errors.Is(err, fs.ErrNotExist) {
		// Swept meanwhile, and its lock file with it, which TryLock
		// above has just made anew.
		_ = os.Remove(path + ".lock")
		return 0, nil
	}
	if err == nil {
		err = json.Unmarshal(data, &f)
	}
	if err != nil {
		return 0, fmt.Errorf("reading the journal of credentials to revoke %s: %w", path+".json", err)
	}
	var left leaseFile
	var errs []error
	revoked := 0
	for _, e := range f.Credentials {
		if !slices.Contains(knownCollections, e.Collection) || e.ID == "" {
			continue // not an entry this client wrote
		}
		if err := c.Credentials(e.Collection).Delete(ctx, e.ID); err != nil && !IsNotFound(err) {
			left.Credentials = append(left.Credentials, e)
			errs = append(errs, err)
			continue
		}
		revoked++
		c.log.Warn(ctx, "revoked the "+e.Collection.noun()+" that a process which ended without closing it had left open", map[string]any{"id": e.ID})
	}
	if len(left.Credentials) > 0 {
		return revoked, errors.Join(append(errs, writeWhole(path+".json", left))...)
	}
	_ = os.Remove(path + ".json")
	_ = os.Remove(path + ".lock")
	return revoked, nil
}
