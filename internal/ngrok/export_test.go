package ngrok

import (
	"fmt"
	"sync"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// CreateUsersUnderTheLimit creates perClient users through each client at
// once and checks that every create succeeds, that srv refused none as over
// its rate limit, and that srv holds exactly those users. It is exported
// here so that the tests of several pacers on one file, which need the
// package's insides, and those of the public API share it.
func CreateUsersUnderTheLimit(t *testing.T, srv *emulator.Server, perClient int, clients ...*Client) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, perClient*len(clients))
	for c, client := range clients {
		for i := range perClient {
			wg.Go(func() {
				_, err := client.Users(ServiceUsers).Create(t.Context(), UserCreate{Name: fmt.Sprint("c", c, "u", i)})
				errs <- err
			})
		}
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
	if n, want := len(srv.Users()), perClient*len(clients); n != want {
		t.Errorf("%d users, want %d", n, want)
	}
}
