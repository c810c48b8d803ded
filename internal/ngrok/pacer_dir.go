package ngrok

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// rateLimitFilePrefix begins the name of each account's window file in a
// rate-limit directory (see newFileStore); its lock and its temporary file
// add an extension to that name.
const rateLimitFilePrefix = "ratelimit-"

// ClearRateLimitWindows empties the window of every account kept in dir (see
// SharedPacer) by removing its file, and returns how many it removed. The
// lock files stay, since a process may hold one. Meant for a directory whose
// pacers have no request in flight: a pacer that is mid-update writes its
// window back.
func ClearRateLimitWindows(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("the rate-limit windows in %s cannot be listed: %w", dir, err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, rateLimitFilePrefix) || filepath.Ext(name) != "" || !e.Type().IsRegular() {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, fmt.Errorf("the rate-limit window %s cannot be removed: %w", name, err)
		}
		n++
	}
	return n, nil
}
