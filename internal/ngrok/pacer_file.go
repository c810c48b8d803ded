package ngrok

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

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
func newFileStore(ctx context.Context, dir string, account [sha256.Size]byte) (*fileStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("the shared rate-limit window cannot be kept in %s: %w", dir, err)
	}
	path := filepath.Join(dir, rateLimitFilePrefix+hex.EncodeToString(account[:16]))
	s := &fileStore{path: path, lock: flock.New(path + ".lock")}
	if err := s.update(ctx, func(*window) {}); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *fileStore) shared() bool { return true }

func (s *fileStore) update(ctx context.Context, f func(*window)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.takeLock(ctx); err != nil {
		return err
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
	if err := writeFileAtomic(s.path, w.encode()); err != nil {
		return fmt.Errorf("the shared rate-limit window %s cannot be written: %w", s.path, err)
	}
	return nil
}

// lockWait bounds the wait for another process's hold on the window. A hold
// lasts as long as reading and rewriting a small file; one that lasts longer
// is a process stuck while holding it, and every request of this process
// would wait behind it.
var lockWait = 2 * time.Second

// takeLock locks the window's file, waiting at most lockWait for another
// process to let go, and no longer than ctx lasts. A lock that is free is
// taken even when ctx has ended.
func (s *fileStore) takeLock(ctx context.Context) error {
	ok, err := s.lock.TryLock()
	if err == nil && !ok {
		wait, cancel := context.WithTimeout(ctx, lockWait)
		defer cancel()
		ok, err = s.lock.TryLockContext(wait, 5*time.Millisecond)
		if !ok && ctx.Err() != nil {
			return ctx.Err()
		}
		if !ok {
			return fmt.Errorf("the shared rate-limit window %s is locked by another process that has held it for over %s", s.path, lockWait)
		}
	}
	if err != nil {
		return fmt.Errorf("the shared rate-limit window %s cannot be locked: %w", s.path, err)
	}
	return nil
}
