package ngrok_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// Behind a wrong path every operation says the collection is not served, with
// the full URL it called: creates and lists (whose own 404 says so) as well
// as reads, updates and deletes (whose 404 a list confirms).
func TestClient_WrongPathIsNamedOnEveryOperation(t *testing.T) {
	srv := startEmulator(t)
	user := srv.SeedUsers(1, "kept")[0]
	base := srv.URL() + "/v1"
	client := newClient(t, base, srv.APIKey(), func(c *ngrok.Config) { c.BaseURLSource = "api_base_url" })
	ctx := t.Context()

	check := func(what string, err error, url string) {
		t.Helper()
		var unserved *ngrok.UnservedCollectionError
		if !errors.As(err, &unserved) || ngrok.IsNotFound(err) {
			t.Fatalf("%s: err = %v; want an UnservedCollectionError that is not not-found", what, err)
		}
		for _, want := range []string{"the URL called was " + url + ",", "the API at " + base + " (from api_base_url) does not serve /"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not say %q", what, err, want)
			}
		}
	}
	users := client.Users(ngrok.ServiceUsers)
	_, err := users.Create(ctx, ngrok.UserCreate{Name: "ci"})
	check("Create", err, base+"/service_users")
	for _, err := range users.List(ctx, ngrok.ListOptions{Filter: "obj.active"}) {
		check("List", err, base+"/service_users")
	}
	_, err = users.Get(ctx, user.ID)
	check("Get", err, base+"/service_users/"+user.ID)
	_, err = users.Update(ctx, user.ID, ngrok.UserUpdate{Active: new(false)})
	check("Update", err, base+"/service_users/"+user.ID)
	check("Delete", users.Delete(ctx, user.ID), base+"/service_users/"+user.ID)

	keys := client.Credentials(ngrok.APIKeys)
	_, err = keys.Create(ctx, ngrok.CredentialCreate{Description: "ci"})
	check("Create API key", err, base+"/api_keys")
	for _, err := range keys.List(ctx, ngrok.ListOptions{}) {
		check("List API keys", err, base+"/api_keys")
	}
	_, err = keys.Get(ctx, "ak_2missing")
	check("Get API key", err, base+"/api_keys/ak_2missing")

	if n := len(srv.Users()); n != 1 {
		t.Errorf("%d users after calls through a wrong path, want 1", n)
	}
}
