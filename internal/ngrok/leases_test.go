package ngrok

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// A journal whose process is gone (its lock free) is swept by the next
// client of the account: one DELETE per credential, then no journal and no
// request. A journal whose process lives, and another account's, are left.
func TestLeases_AJournalLeftBehindIsSwept(t *testing.T) {
	srv := emulator.New(emulator.Options{})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	dir := t.TempDir()
	key, err := srv.AddCredential("api_keys", "", emulator.Credential{Description: "run"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := srv.AddCredential("credentials", "", emulator.Credential{Description: "agent"})
	if err != nil {
		t.Fatal(err)
	}
	dead := OpenLeases(dir, srv.URL(), srv.APIKey())
	for col, id := range map[Collection]string{APIKeys: key.ID, Authtokens: token.ID} {
		if err := dead.Take(col, id); err != nil {
			t.Fatal(err)
		}
	}
	// Another account's journal, left behind too: not this client's to sweep.
	other := OpenLeases(dir, srv.URL(), "another key")
	if err := other.Take(APIKeys, "ak_other"); err != nil {
		t.Fatal(err)
	}
	_ = other.lock.Unlock()

	c, err := New(Config{BaseURL: srv.URL(), APIKey: srv.APIKey(), Pacer: NewPacer(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := c.SweepLeases(t.Context(), dir); n != 0 || err != nil || srv.TotalRequests() != 0 {
		t.Fatalf("sweeping the journal of a live process: %d, %v, %d requests", n, err, srv.TotalRequests())
	}
	_ = dead.lock.Unlock() // the process is gone
	if n, err := c.SweepLeases(t.Context(), dir); n != 2 || err != nil {
		t.Fatalf("sweep = %d, %v; want both revoked", n, err)
	}
	if live := len(srv.Credentials("api_keys")) + len(srv.Credentials("credentials")); live != 0 {
		t.Errorf("%d credentials left live", live)
	}
	counts := srv.RequestCounts()
	if counts["DELETE /api_keys/{id}"] != 1 || counts["DELETE /credentials/{id}"] != 1 || srv.TotalRequests() != 2 {
		t.Errorf("requests %v; want one DELETE of each", counts)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 2 || !strings.Contains(files[0], accountLeasesPrefix(srv.URL(), "another key")) {
		t.Errorf("files left %q; want the other account's journal and lock alone", files)
	}
	if n, err := c.SweepLeases(t.Context(), dir); n != 0 || err != nil || srv.TotalRequests() != 2 {
		t.Errorf("a second sweep: %d, %v, %d requests in all", n, err, srv.TotalRequests())
	}
}

// Releasing every lease removes the journal and its lock; what a sweep
// cannot revoke stays listed for the next.
func TestLeases_ReleaseAndRetry(t *testing.T) {
	srv := emulator.New(emulator.Options{})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	dir := t.TempDir()
	l := OpenLeases(dir, srv.URL(), srv.APIKey())
	if err := l.Take(APIKeys, "ak_1"); err != nil {
		t.Fatal(err)
	}
	if err := l.Release("ak_1"); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Fatalf("files left after the last release: %q", files)
	}

	key, err := srv.AddCredential("api_keys", "", emulator.Credential{Description: "run"})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Take(APIKeys, key.ID); err != nil {
		t.Fatal(err)
	}
	_ = l.lock.Unlock()
	srv.AddFault(emulator.Fault{Method: "DELETE", Kind: emulator.FaultStatus, Status: 400, Times: 1})
	c, err := New(Config{BaseURL: srv.URL(), APIKey: srv.APIKey(), Pacer: NewPacer(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := c.SweepLeases(t.Context(), dir); n != 0 || err == nil {
		t.Fatalf("sweep = %d, %v; want the refusal", n, err)
	}
	data, err := os.ReadFile(filepath.Join(dir, l.name+".json"))
	if err != nil || !strings.Contains(string(data), key.ID) {
		t.Fatalf("the journal after a refused revocation: %s, %v", data, err)
	}
	if n, err := c.SweepLeases(t.Context(), dir); n != 1 || err != nil || len(srv.Credentials("api_keys")) != 0 {
		t.Errorf("the next sweep: %d, %v", n, err)
	}
}

// A sweep that comes to a journal another sweep has just removed (it listed
// the directory before the other removed it) leaves no lock file behind.
func TestLeases_AJournalSweptMeanwhileLeavesNoLock(t *testing.T) {
	dir := t.TempDir()
	c, err := New(Config{BaseURL: "http://127.0.0.1:1", APIKey: "key", Pacer: NewPacer(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(dir, accountLeasesPrefix(c.base.String(), "key")+"1-00")
	if n, err := c.sweepJournal(t.Context(), gone); n != 0 || err != nil {
		t.Fatalf("sweepJournal = %d, %v; want nothing to do", n, err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Errorf("files left %q; want none", files)
	}
}
