package provider

import (
	"context"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// An ephemeral credential lives for one run. Terraform closes each at the end
// of a run that succeeds; a run that fails after opening one, or is
// interrupted, ends without closing it, and Terraform then stops (or, killed
// itself, abandons) this process. So the provider keeps here every ephemeral
// credential it opened and Terraform has not closed, and revokes them:
//   - when its server stops (Serve), which Terraform does at the end of
//     every run; Terraform kills the process 2 seconds later, so the
//     revocations go in parallel within shutdownRevokeTimeout;
//   - when Terraform is gone (watchParent), killed outright;
//   - when this process is killed outright too: each is recorded in the
//     account's journal on this machine (ngrok.Leases), and the next run of
//     the account here revokes it in Configure, one DELETE each.
//
// What remains possible: a process killed between a create's request and
// its reply leaves that one credential unrecorded; and a journal left on a
// machine no run of the account comes back to (a CI runner thrown away) is
// never swept.

// openEphemeral is one open ephemeral credential and how to revoke it.
type openEphemeral struct {
	client *ngrok.Client
	col    ngrok.Collection
	leases *ngrok.Leases // nil without a journal
}

var openEphemerals = struct {
	mu   sync.Mutex
	byID map[string]openEphemeral
}{byID: map[string]openEphemeral{}}

// shutdownRevokeTimeout bounds the revocations when the server stops:
// Terraform (go-plugin) kills a provider 2 seconds after asking it to stop.
// What is not revoked by then stays in the journal.
const shutdownRevokeTimeout = 1500 * time.Millisecond

// trackEphemeral records an opened ephemeral credential, in this process and
// in the journal. A journal that cannot be written is reported, not fatal:
// the process still revokes the credential itself.
func trackEphemeral(id string, e openEphemeral) error {
	openEphemerals.mu.Lock()
	openEphemerals.byID[id] = e
	openEphemerals.mu.Unlock()
	if e.leases == nil {
		return nil
	}
	return e.leases.Take(e.col, id)
}

// untrackEphemeral forgets a credential that is revoked (or gone).
func untrackEphemeral(id string) error {
	openEphemerals.mu.Lock()
	e, ok := openEphemerals.byID[id]
	delete(openEphemerals.byID, id)
	openEphemerals.mu.Unlock()
	if !ok || e.leases == nil {
		return nil
	}
	return e.leases.Release(id)
}

// revokeOpenEphemerals revokes every ephemeral credential still open, in
// parallel, within timeout. What it cannot revoke stays in the journal.
func revokeOpenEphemerals(timeout time.Duration) {
	openEphemerals.mu.Lock()
	open := make(map[string]openEphemeral, len(openEphemerals.byID))
	for id, e := range openEphemerals.byID {
		open[id] = e
	}
	openEphemerals.mu.Unlock()
	if len(open) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var wg sync.WaitGroup
	for id, e := range open {
		wg.Go(func() {
			err := e.client.Credentials(e.col).Delete(ctx, id)
			if err != nil && !ngrok.IsNotFound(err) {
				log.Printf("[WARN] the ephemeral credential %s could not be revoked as the provider stopped (the next run on this machine revokes it): %v", id, err)
				return
			}
			log.Printf("[INFO] revoked the ephemeral credential %s, which the run had not closed", id)
			if err := untrackEphemeral(id); err != nil {
				log.Printf("[WARN] %v", err)
			}
		})
	}
	wg.Wait()
}

// watchParent revokes the open ephemeral credentials and ends the process
// once its parent, Terraform, is gone: a Terraform killed outright never
// stops its providers, and nothing else would ever close what they opened.
// A process whose parent exits is given another (init, or a subreaper), so
// its parent's ID changes.
func watchParent(parent int, every time.Duration) {
	for range time.Tick(every) {
		if os.Getppid() != parent {
			// Terraform held the other end of stderr: a write to it now
			// would end the process (SIGPIPE) before it revoked anything.
			signal.Ignore(syscall.SIGPIPE)
			log.Printf("[WARN] Terraform (process %d) is gone: revoking the ephemeral credentials still open, and exiting", parent)
			revokeOpenEphemerals(shutdownRevokeTimeout)
			os.Exit(1)
		}
	}
}
