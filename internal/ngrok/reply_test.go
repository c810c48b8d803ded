package ngrok_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// Every kind of reply the API does not document is a clear error carrying
// the operation ID, never a panic and never a half-decoded user.
func TestClient_HostileReplies(t *testing.T) {
	cases := []struct {
		kind emulator.FaultKind
		want string
	}{
		{emulator.FaultGarbage, "the body is not JSON"},
		{emulator.FaultTruncated, "truncated"},
		{emulator.FaultHuge, "larger than"},
		{emulator.FaultWrongTypes, "is a JSON"},
		{emulator.FaultMissingID, "no id"},
		{emulator.FaultHTML, "not an ngrok error"},
	}
	for _, tc := range cases {
		t.Run(tc.kind.String(), func(t *testing.T) {
			srv := startEmulator(t)
			u := srv.AddUser("x", true)
			users := newClient(t, srv.URL(), srv.APIKey(), func(c *ngrok.Config) { c.MaxRetries = -1 }).Users(ngrok.ServiceUsers)
			for _, op := range []struct {
				method, route string
				call          func() error
			}{
				{"GET", "/service_users/{id}", func() error { _, err := users.Get(t.Context(), u.ID); return err }},
				{"PATCH", "/service_users/{id}", func() error {
					_, err := users.Update(t.Context(), u.ID, ngrok.UserUpdate{Name: new("y")})
					return err
				}},
				{"GET", "/service_users", func() error {
					for _, err := range users.List(t.Context(), ngrok.ListOptions{}) {
						if err != nil {
							return err
						}
					}
					return nil
				}},
			} {
				srv.AddFault(emulator.Fault{Method: op.method, Route: op.route, Kind: tc.kind, Times: 1})
				err := op.call()
				var apiErr *ngrok.Error
				if !errors.As(err, &apiErr) {
					t.Fatalf("%s %s: err = %#v, want *ngrok.Error", op.method, op.route, err)
				}
				if !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s %s: %q does not say %q", op.method, op.route, err, tc.want)
				}
				if tc.kind != emulator.FaultHTML && apiErr.OperationID == "" {
					t.Errorf("%s %s: no operation ID in %q", op.method, op.route, err)
				}
			}
		})
	}
}
