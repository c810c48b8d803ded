package ngrok

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// The windows SharedPacer writes are the ones ClearRateLimitWindows finds,
// and the next request after it starts from an empty window.
func TestClearRateLimitWindows(t *testing.T) {
	dir := t.TempDir()
	p := SharedPacer(t.Context(), "http://127.0.0.1:1", "key", 1, time.Hour, dir)
	if p.Fallback() != "" {
		t.Fatalf("no window file: %s", p.Fallback())
	}
	SharedPacer(t.Context(), "http://127.0.0.1:1", "another key", 1, time.Hour, dir)
	if err := os.WriteFile(filepath.Join(dir, "notes"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s, err := p.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Release() // the one slot is held for an hour

	if n, err := ClearRateLimitWindows(dir); n != 2 || err != nil {
		t.Fatalf("ClearRateLimitWindows = %d, %v; want the 2 accounts' windows", n, err)
	}
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, filepath.Ext(e.Name()))
	}
	if slices.Sort(left); !slices.Equal(left, []string{"", ".lock", ".lock"}) {
		t.Errorf("left %q, want the two lock files and notes", left)
	}
	if n, err := ClearRateLimitWindows(dir); n != 0 || err != nil {
		t.Errorf("a second ClearRateLimitWindows = %d, %v; want 0", n, err)
	}
	// Within the hour only an emptied window admits a second request.
	if s, err := p.Acquire(ctx); err != nil {
		t.Fatalf("the window was not emptied: %v", err)
	} else {
		s.Release()
	}
	if n, err := ClearRateLimitWindows(dir); n != 1 || err != nil {
		t.Errorf("after a request ClearRateLimitWindows = %d, %v; want its window", n, err)
	}
	if _, err := ClearRateLimitWindows(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing directory cleared without error")
	}
}
