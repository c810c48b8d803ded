package ngrok

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/gofrs/flock"
)

// DefaultRateLimitDir is where SharedPacer keeps account windows by default:
// terraform-provider-ngrok in the user's cache directory.
func DefaultRateLimitDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for the shared rate-limit window: %w", err)
	}
	return filepath.Join(cache, "terraform-provider-ngrok"), nil
}

// fileStore is a window shared by every process on the machine that uses the
// account: a small file, replaced whole under a lock held on a file beside
// it, so that a reader never sees half a write and a writer never loses
// another's. A file that cannot be read as a window is taken as empty.
type fileStore struct {
	path string
	// mu excludes the process's own goroutines: a flock.Flock that holds
	// the lock lets every caller through.
	mu   sync.Mutex
	lock *flock.Flock
}

// newFileStore opens the window of an account in dir, creating dir if need
// be, and checks that it can be locked, read and written.
func newFileStore(dir string, account [sha256.Size]byte) (*fileStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("the shared rate-limit window cannot be kept in %s: %w", dir, err)
	}
	path := filepath.Join(dir, rateLimitFilePrefix+hex.EncodeToString(account[:16]))
	s := &fileStore{path: path, lock: flock.New(path + ".lock")}
	if err := s.update(func(*window) {}); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *fileStore) shared() bool { return true }

func (s *fileStore) update(f func(*window)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.lock.Lock(); err != nil {
		return fmt.Errorf("the shared rate-limit window %s cannot be locked: %w", s.path, err)
	}
	defer func() { _ = s.lock.Unlock() }()
	var w window
	data, err := os.ReadFile(s.path)
	switch {
	case err == nil:
		// A damaged or foreign file holds nothing we can trust: start empty.
		w, _ = decodeWindow(data)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the shared rate-limit window %s cannot be read: %w", s.path, err)
	}
	f(&w)
	// Written beside it and renamed over it: the file is always whole.
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, w.encode(), 0o600); err != nil {
		return fmt.Errorf("the shared rate-limit window %s cannot be written: %w", s.path, err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("the shared rate-limit window %s cannot be written: %w", s.path, err)
	}
	return nil
}
