package ngrok_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// The pacer keeps a client under the emulator's rolling-window limit: no 429
// ever reaches the emulator's counter. It holds however loaded the machine:
// the pacer frees a slot a window after the client saw the reply, and the
// emulator counted the request before sending that reply.
func TestPacer_StaysUnderTheRollingLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("paces for a few seconds")
	}
	opts := emulator.DefaultOptions()
	opts.RateLimit, opts.RateWindow = 20, time.Second
	srv := emulator.New(opts)
	if err := srv.Start(""); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) {
		c.Pacer = ngrok.NewPacer(20, time.Second)
	}).Users(ngrok.ServiceUsers)
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := users.Create(t.Context(), ngrok.UserCreate{Name: fmt.Sprint("u", i)})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.RateLimited(); n != 0 {
		t.Errorf("the emulator refused %d requests as over the limit", n)
	}
	if n := len(srv.Users()); n != 60 {
		t.Errorf("%d users, want 60", n)
	}
}
