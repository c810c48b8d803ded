package ngrok_test

import (
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
	srv := startEmulator(t, func(o *emulator.Options) { o.RateLimit, o.RateWindow = 20, time.Second })
	client := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) {
		c.Pacer = ngrok.NewPacer(20, time.Second)
	})
	ngrok.CreateUsersUnderTheLimit(t, srv, 60, client)
}
