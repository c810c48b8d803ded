package ngrok

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

func TestWindow_EncodeDecode(t *testing.T) {
	at := time.Unix(1_700_000_000, 123)
	w := window{others: 3, othersUntil: at, slots: []slot{{id: 1, until: at}, {id: 1<<64 - 1, until: at.Add(time.Second)}}}
	data := w.encode()
	got, err := decodeWindow(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.others != 3 || !got.othersUntil.Equal(at) || len(got.slots) != 2 || got.slots[1].id != 1<<64-1 || !got.slots[1].until.Equal(at.Add(time.Second)) {
		t.Errorf("decoded %+v, want %+v", got, w)
	}
	for name, bad := range map[string][]byte{
		"empty":           nil,
		"cut short":       data[:len(data)-4],
		"another version": bytes.Replace(data, []byte(" v1"), []byte(" v2"), 1),
		"garbage":         []byte("\x00\xff{}"),
		"bad number":      bytes.Replace(data, []byte("slot 1 "), []byte("slot x "), 1),
		"after the end":   append(bytes.Clone(data), "slot 2 3\n"...),
		"negative others": bytes.Replace(data, []byte("others 3"), []byte("others -3"), 1),
	} {
		if _, err := decodeWindow(bad); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

// A slot that claims to outlast any request (a damaged file, a clock set
// back) is dropped rather than blocking the account.
func TestWindow_PruneDropsTheImpossible(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	w := window{others: 5, othersUntil: now.Add(time.Hour), slots: []slot{{1, now.Add(time.Hour)}, {2, now}, {3, now.Add(time.Second)}}}
	w.prune(now, time.Minute)
	if w.used() != 1 || w.slots[0].id != 3 {
		t.Errorf("kept %+v", w)
	}
}

func filePacer(t *testing.T, dir string, limit int, win time.Duration, clk clock) *Pacer {
	t.Helper()
	s, err := newFileStore(t.Context(), dir, accountID("http://127.0.0.1:1", "key"))
	if err != nil {
		t.Fatal(err)
	}
	return newPacer(limit, win, s, clk)
}

// Two pacers on one file (two processes of one account) share one window.
func TestFileStore_SharesTheWindow(t *testing.T) {
	dir := t.TempDir()
	clk := newFakeClock()
	a, b := filePacer(t, dir, 4, time.Minute, clk), filePacer(t, dir, 4, time.Minute, clk)
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range 4 {
		p := []*Pacer{a, b}[i%2]
		s, err := p.Acquire(ended)
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		s.Release()
	}
	if _, err := b.Acquire(ended); err == nil {
		t.Fatal("a fifth request went within the window of 4 shared by two pacers")
	}
	clk.mu.Lock()
	clk.now = clk.now.Add(time.Minute)
	clk.mu.Unlock()
	if _, err := a.Acquire(ended); err != nil {
		t.Fatalf("the window has freed, yet: %v", err)
	}
	if a.Fallback() != "" || b.Fallback() != "" {
		t.Errorf("fell back: %q, %q", a.Fallback(), b.Fallback())
	}
}

// A file that is not a window is read as an empty one, and then rewritten.
func TestFileStore_DamagedFileIsEmpty(t *testing.T) {
	dir := t.TempDir()
	p := filePacer(t, dir, 3, time.Minute, newFakeClock())
	path := p.store.(*fileStore).path
	for _, junk := range []string{"", "garbage\x00", windowFileHeader + "\nslot 1 99999999999999999999\nend\n", windowFileHeader + "\nslot 1 5\n"} {
		if err := os.WriteFile(path, []byte(junk), 0o600); err != nil {
			t.Fatal(err)
		}
		ended, cancel := context.WithCancel(context.Background())
		cancel()
		for i := range 3 {
			s, err := p.Acquire(ended)
			if err != nil {
				t.Fatalf("after %q, request %d waited: %v", junk, i+1, err)
			}
			_ = s // held: the next junk starts over anyway
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeWindow(data); err != nil {
			t.Errorf("the file was not rewritten whole: %v", err)
		}
		if p.Fallback() != "" {
			t.Errorf("a damaged file made the pacer fall back: %s", p.Fallback())
		}
	}
}

func TestSharedPacer_OnePerAccount(t *testing.T) {
	dir := t.TempDir()
	const key = "2abcdefghijklmnop_SECRETKEYSECRETKEY"
	a := SharedPacer(t.Context(), "https://api.ngrok.com", key, 120, time.Minute, dir)
	if SharedPacer(t.Context(), "", key, 120, time.Minute, dir) != a || SharedPacer(t.Context(), "https://api.ngrok.com/", key, 120, time.Minute, dir) != a {
		t.Error("the same account got two pacers")
	}
	if SharedPacer(t.Context(), "https://api.ngrok.com", key+"2", 120, time.Minute, dir) == a {
		t.Error("two accounts share a pacer")
	}
	if a.Fallback() != "" {
		t.Fatalf("fell back: %s", a.Fallback())
	}
	if _, err := a.Acquire(t.Context()); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	windows := 0
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(e.Name(), "SECRET") || bytes.Contains(data, []byte("SECRET")) {
			t.Errorf("%s holds the key", e.Name())
		}
		if strings.HasPrefix(e.Name(), rateLimitFilePrefix) && !strings.HasSuffix(e.Name(), ".lock") {
			windows++
		}
	}
	if windows != 2 {
		t.Errorf("%d window files for two accounts: %v", windows, entries)
	}
}

// Where the file cannot be kept, the pacer says why and paces in the process.
func TestSharedPacer_FallsBackToTheProcess(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p := SharedPacer(t.Context(), "http://127.0.0.1:1", "fallback-key", 2, time.Minute, notADir)
	if !strings.Contains(p.Fallback(), notADir) || strings.Contains(p.Fallback(), "fallback-key") {
		t.Errorf("Fallback() = %q, want the directory named and no key", p.Fallback())
	}
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	for range 2 {
		if _, err := p.Acquire(ended); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Acquire(ended); err == nil {
		t.Error("the fallback does not pace")
	}

	off := SharedPacer(t.Context(), "http://127.0.0.1:1", "off-key", 2, time.Minute, RateLimitDirOff)
	if _, ok := off.store.(*memStore); !ok || off.Fallback() != "" {
		t.Errorf("%q: store %T, fallback %q", RateLimitDirOff, off.store, off.Fallback())
	}
}

// Two clients of one account with a pacer each on one file (two provider
// processes, as a plan and an apply, or parallel applies) never make the
// API refuse a request between them.
func TestPacer_TwoProcessesOnOneAccountStayUnderTheLimit(t *testing.T) {
	opts := emulator.DefaultOptions()
	opts.RateLimit, opts.RateWindow = 10, 300*time.Millisecond
	srv := emulator.New(opts)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	dir := t.TempDir()
	clients := make([]*Client, 2)
	for c := range clients {
		s, err := newFileStore(t.Context(), dir, accountID(srv.URL(), srv.APIKey()))
		if err != nil {
			t.Fatal(err)
		}
		if clients[c], err = New(Config{BaseURL: srv.URL(), APIKey: srv.APIKey(), Pacer: newPacer(10, 300*time.Millisecond, s, realClock{})}); err != nil {
			t.Fatal(err)
		}
	}
	CreateUsersUnderTheLimit(t, srv, 20, clients...)
}

const (
	hammerDirEnv   = "NGROK_PACER_HAMMER_DIR"
	hammerLimit    = 5
	hammerWindow   = 200 * time.Millisecond
	hammerRequests = 10
)

// Several processes hammer one window file: no rolling window over all the
// requests they admitted holds more than the limit, and the file is whole
// at the end. The bound is on the admission times the processes recorded,
// so it holds however slowly they run.
func TestFileStore_ProcessesShareTheWindow(t *testing.T) {
	if os.Getenv(hammerDirEnv) != "" {
		t.Skip("inside a helper process")
	}
	dir := t.TempDir()
	// The path is read before the helpers start: opening a store rewrites a
	// damaged file, which would hide the damage checked for at the end.
	path := filePacer(t, dir, hammerLimit, hammerWindow, realClock{}).store.(*fileStore).path
	const processes = 4
	outputs := make([]bytes.Buffer, processes)
	cmds := make([]*exec.Cmd, processes)
	for i := range cmds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPacerProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), hammerDirEnv+"="+dir)
		cmd.Stdout, cmd.Stderr = &outputs[i], &outputs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	var times []time.Time
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper %d: %v\n%s", i, err, outputs[i].String())
		}
		sc := bufio.NewScanner(&outputs[i])
		n := 0
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "admitted "); ok {
				ns, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				times = append(times, time.Unix(0, ns))
				n++
			}
		}
		if n != hammerRequests {
			t.Fatalf("helper %d admitted %d requests, want %d:\n%s", i, n, hammerRequests, outputs[i].String())
		}
	}
	assertRollingBound(t, times, hammerLimit, hammerWindow)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeWindow(data); err != nil {
		t.Errorf("the window file is damaged: %v", err)
	}
}

// TestHelperPacerProcess is one process of the hammer test above.
func TestHelperPacerProcess(t *testing.T) {
	dir := os.Getenv(hammerDirEnv)
	if dir == "" {
		t.Skip("run by TestFileStore_ProcessesShareTheWindow")
	}
	clk := &recordingClock{}
	p := filePacer(t, dir, hammerLimit, hammerWindow, clk)
	for i := range hammerRequests {
		s, err := p.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("admitted %d\n", clk.last().UnixNano())
		if i%3 == 0 {
			time.Sleep(5 * time.Millisecond) // a reply that takes a while
		}
		s.Release()
	}
	if p.Fallback() != "" {
		t.Fatal(errors.New(p.Fallback()))
	}
}

// recordingClock is the real clock, keeping the last time read: the time a
// request was admitted at, read under the file's lock.
type recordingClock struct {
	realClock
	mu sync.Mutex
	t  time.Time
}

func (c *recordingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = time.Now()
	return c.t
}

func (c *recordingClock) last() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Another process that holds the window's lock for long (stuck, or a
// `flock … sleep 100`) does not hold this one up: after lockWait the pacer
// gives up the file for a window of its own, and says why. A wait for the
// lock also ends with the caller's context.
func TestFileStore_AStuckLockHolderIsNotWaitedFor(t *testing.T) {
	defer func(w time.Duration) { lockWait = w }(lockWait)
	lockWait = 50 * time.Millisecond
	dir := t.TempDir()
	p := filePacer(t, dir, 3, time.Minute, newFakeClock())
	holder := flock.New(p.store.(*fileStore).path + ".lock")
	if ok, err := holder.TryLock(); !ok || err != nil {
		t.Fatalf("locking: %v, %v", ok, err)
	}
	defer func() { _ = holder.Unlock() }()

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := p.Acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Acquire with an ended context = %v; want it to end", err)
	}
	if p.Fallback() != "" {
		t.Fatalf("fell back after a wait the caller ended: %q", p.Fallback())
	}
	if _, err := p.Acquire(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Fallback(), "locked by another process") {
		t.Errorf("Fallback() = %q; want the held lock named", p.Fallback())
	}
}
