package ngrok_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

func TestUsers_CRUD(t *testing.T) {
	srv := startEmulator(t)
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	ctx := t.Context()

	created, err := users.Create(ctx, ngrok.UserCreate{Name: "ci"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.ID, "service_") || created.Name != "ci" || !created.Active || created.URI != srv.URL()+"/service_users/"+created.ID {
		t.Fatalf("created %+v", created)
	}
	if _, err := time.Parse(time.RFC3339, created.CreatedAt); err != nil {
		t.Errorf("created_at: %v", err)
	}

	got, err := users.Get(ctx, created.ID)
	if err != nil || !reflect.DeepEqual(got, created) {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, created)
	}

	// Only the fields sent change.
	updated, err := users.Update(ctx, created.ID, ngrok.UserUpdate{Active: new(false)})
	if err != nil || updated.Active || updated.Name != "ci" {
		t.Fatalf("Update(active=false) = %+v, %v", updated, err)
	}
	updated, err = users.Update(ctx, created.ID, ngrok.UserUpdate{Name: new("ci-2")})
	if err != nil || updated.Active || updated.Name != "ci-2" {
		t.Fatalf("Update(name) = %+v, %v", updated, err)
	}

	if err := users.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	_, err = users.Get(ctx, created.ID)
	if !ngrok.IsNotFound(err) {
		t.Fatalf("Get after Delete: %v, want not found", err)
	}
	if err := users.Delete(ctx, created.ID); !ngrok.IsNotFound(err) {
		t.Fatalf("second Delete: %v, want not found", err)
	}
}

func TestUsers_BotUsersAreTheSameCollection(t *testing.T) {
	srv := startEmulator(t)
	c := newClient(t, srv.URL(), srv.APIKey())
	bot, err := c.Users(ngrok.BotUsers).Create(t.Context(), ngrok.UserCreate{Name: "legacy", Active: new(false)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(bot.ID, "bot_") || bot.Active {
		t.Fatalf("bot user %+v", bot)
	}
	// A legacy ID read through the new path.
	got, err := c.Users(ngrok.ServiceUsers).Get(t.Context(), bot.ID)
	if err != nil || got.Name != "legacy" {
		t.Fatalf("service_users GET of a bot id = %+v, %v", got, err)
	}
}

// If /service_users turns out not to serve users created as bot users, a
// bot_ ID is read, updated and deleted through /bot_users instead of being
// taken for deleted.
func TestUsers_BotIDsFallBackToTheLegacyPath(t *testing.T) {
	srv := startEmulator(t)
	bot := srv.AddBotUser("legacy", true)
	split := withoutPath(t, srv, "/service_users/bot_")
	users := newClient(t, split.URL, srv.APIKey()).Users(ngrok.ServiceUsers)
	ctx := t.Context()
	if got, err := users.Get(ctx, bot.ID); err != nil || got.Name != "legacy" {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if got, err := users.Update(ctx, bot.ID, ngrok.UserUpdate{Name: new("renamed")}); err != nil || got.Name != "renamed" {
		t.Fatalf("Update = %+v, %v", got, err)
	}
	if err := users.Delete(ctx, bot.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, ok := srv.GetUser(bot.ID); ok {
		t.Fatal("the bot user survived its delete")
	}
	if _, err := users.Get(ctx, bot.ID); !ngrok.IsNotFound(err) {
		t.Fatalf("Get after delete: %v, want not found", err)
	}
}

// /bot_users has no roles: a PATCH there would succeed and drop them. Roles
// for a user only /bot_users serves fail, naming the user, and nothing is
// sent there; without roles, the same update goes through. A gone user is
// still not found.
func TestUsers_RolesAreNeverSentToTheLegacyPath(t *testing.T) {
	srv := startEmulator(t, func(o *emulator.Options) { o.SeparateCollections = true })
	bot := srv.AddBotUser("legacy", true)
	users := newClient(t, srv.URL(), srv.APIKey()).Users(ngrok.ServiceUsers)
	ctx := t.Context()
	readonly := &[]string{"developer-readonly"}
	_, err := users.Update(ctx, bot.ID, ngrok.UserUpdate{Name: new("renamed"), Roles: readonly})
	if lre, ok := errors.AsType[*ngrok.LegacyRolesError](err); !ok || lre.ID != bot.ID {
		t.Fatalf("Update with roles: err = %v; want a LegacyRolesError for %s", err, bot.ID)
	}
	if n := srv.RequestCounts()["PATCH /bot_users/{id}"]; n != 0 {
		t.Errorf("%d PATCHes sent to /bot_users, want none", n)
	}
	if got, _ := srv.GetUser(bot.ID); got.Name != "legacy" {
		t.Errorf("the user was renamed to %q: want nothing changed", got.Name)
	}
	if got, err := users.Update(ctx, bot.ID, ngrok.UserUpdate{Name: new("renamed")}); err != nil || got.Name != "renamed" {
		t.Fatalf("Update without roles = %+v, %v", got, err)
	}
	if _, err := users.Update(ctx, "bot_2deleted", ngrok.UserUpdate{Roles: readonly}); !ngrok.IsNotFound(err) {
		t.Fatalf("Update of a gone user: err = %v; want not found", err)
	}
}

// If ngrok stops serving /bot_users while /service_users works, a deleted
// bot_ user is still deleted, not a wrong base URL.
func TestUsers_DeletedBotUserWithoutTheLegacyPath(t *testing.T) {
	srv := startEmulator(t)
	noLegacy := withoutPath(t, srv, "/bot_users")
	users := newClient(t, noLegacy.URL, srv.APIKey()).Users(ngrok.ServiceUsers)
	if _, err := users.Get(t.Context(), "bot_2deleted"); !ngrok.IsNotFound(err) {
		t.Fatalf("Get: err = %v; want not found", err)
	}
	if err := users.Delete(t.Context(), "bot_2deleted"); !ngrok.IsNotFound(err) {
		t.Fatalf("Delete: err = %v; want not found", err)
	}
}
