package contract

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// TestContract_BotUserReadableAsServiceUser: a user created through
// /bot_users has a bot_ ID, and the client reads, updates and deletes it as
// a service user whichever way the API goes. Whether /service_users serves
// a bot_ ID itself is not documented and is recorded; when it does not, the
// fallback to /bot_users in Users.Get/Update/Delete is what makes this work.
func TestContract_BotUserReadableAsServiceUser(t *testing.T) {
	eachOption(t, "SeparateCollections", func(t *testing.T, separate bool) {
		tg := open(t, emulator.Options{SeparateCollections: separate})
		b := tg.user(ngrok.BotUsers, "bot", true)
		if !strings.HasPrefix(b.ID, "bot_") {
			t.Errorf("a user created through /bot_users has ID %s; the fallback for bot_ IDs assumes bot_", b.ID)
		}
		r := tg.get("/service_users/" + b.ID)
		tg.observe("GET /service_users/{bot_ id} serves the bot user", r.status == http.StatusOK, !separate)

		users := tg.client.Users(ngrok.ServiceUsers)
		if got, err := users.Get(tg.ctx(), b.ID); err != nil || got.ID != b.ID || got.Name != b.Name {
			t.Errorf("reading bot user %s as a service user: %+v, %v", b.ID, got, err)
		}
		inactive := false
		if got, err := users.Update(tg.ctx(), b.ID, ngrok.UserUpdate{Active: &inactive}); err != nil || got.Active {
			t.Errorf("updating bot user %s as a service user: %+v, %v", b.ID, got, err)
		}
		if err := users.Delete(tg.ctx(), b.ID); err != nil {
			t.Errorf("deleting bot user %s as a service user: %v", b.ID, err)
		}
		if _, err := tg.client.Users(ngrok.BotUsers).Get(tg.ctx(), b.ID); !ngrok.IsNotFound(err) {
			t.Errorf("bot user %s after its delete as a service user: %v; want not found", b.ID, err)
		}
	})
}

// TestContract_UserCollectionsListSameUsers records whether /service_users
// and /bot_users list the same users. Nothing depends on it: the provider
// lists /service_users only, and its bulk reader reads a bot_ ID it does not
// find in that list with a GET rather than call it deleted.
func TestContract_UserCollectionsListSameUsers(t *testing.T) {
	eachOption(t, "SeparateCollections", func(t *testing.T, separate bool) {
		tg := open(t, emulator.Options{SeparateCollections: separate})
		s := tg.user(ngrok.ServiceUsers, "both", true)
		b := tg.user(ngrok.BotUsers, "both", true)
		services, bots := listAll(t, tg, ngrok.ServiceUsers), listAll(t, tg, ngrok.BotUsers)
		tg.observe("/service_users lists users created as bot users", slices.Contains(services, b.ID), !separate)
		tg.observe("/bot_users lists users created as service users", slices.Contains(bots, s.ID), !separate)
		if !slices.Contains(services, s.ID) || !slices.Contains(bots, b.ID) {
			t.Errorf("a collection does not list its own users: %s in %v, %s in %v", s.ID, services, b.ID, bots)
		}
	})
}

// TestContract_BotUsersFilter records whether /bot_users applies a filter:
// ngrok documents filter for /service_users only, so the provider sends none
// to /bot_users (a lost create there is looked for without one). The
// emulator applies it on both.
func TestContract_BotUsersFilter(t *testing.T) {
	tg := open(t, emulator.Options{})
	b := tg.user(ngrok.BotUsers, "botfilter", true)
	tg.user(ngrok.BotUsers, "botfilter", true)
	r := tg.get("/bot_users?filter=" + url.QueryEscape("obj.name == "+ngrok.CELString(b.Name)))
	var listed []string
	if r.status == http.StatusOK {
		for _, it := range items(t, r.object(t), "bot_users") {
			id, _ := it["id"].(string)
			listed = append(listed, id)
		}
	}
	tg.observe("/bot_users?filter= (status, users listed)", []any{r.status, listed}, []any{http.StatusOK, []string{b.ID}})
}

// TestContract_DuplicateNamesAccepted records whether two users may share a
// name: ngrok documents no rule. The provider does not rely on it either
// way: the ngrok_service_user data source reports an ambiguous name, and a
// lost create adopts only a user made since it began.
func TestContract_DuplicateNamesAccepted(t *testing.T) {
	tg := open(t, emulator.Options{})
	u := tg.user(ngrok.ServiceUsers, "twin", true)
	r := tg.do(request{method: http.MethodPost, path: "/service_users", body: map[string]any{"name": u.Name}})
	if r.status == http.StatusCreated {
		if id, _ := r.object(t)["id"].(string); id != "" {
			tg.deleteLater(ngrok.ServiceUsers, id)
		}
	}
	tg.observe("status of a create with a name already taken", r.status, http.StatusCreated)
}

func listAll(t *testing.T, tg *target, col ngrok.Collection) []string {
	t.Helper()
	return ids(collect(t, tg.client.Users(col).List(tg.ctx(), ngrok.ListOptions{})))
}

// TestContract_ServiceUsersFilter: /service_users applies a CEL filter over
// obj (name, active), before paging. The ngrok_users and ngrok_service_user
// data sources and a lost create's reconciliation send filters.
func TestContract_ServiceUsersFilter(t *testing.T) {
	tg := open(t, emulator.Options{})
	on := tg.user(ngrok.ServiceUsers, "cel", true)
	off := tg.user(ngrok.ServiceUsers, "cel", false)
	for _, c := range []struct {
		filter string
		want   []string
	}{
		{"obj.name == " + ngrok.CELString(on.Name) + " && obj.active", []string{on.ID}},
		{"obj.name == " + ngrok.CELString(off.Name) + " && obj.active", nil},
		{"obj.name == " + ngrok.CELString(off.Name) + " && !obj.active", []string{off.ID}},
		{"obj.name == " + ngrok.CELString(on.Name) + " || obj.name == " + ngrok.CELString(off.Name), []string{off.ID, on.ID}},
	} {
		got := ids(collect(t, tg.client.Users(ngrok.ServiceUsers).List(tg.ctx(), ngrok.ListOptions{Filter: c.filter, Limit: 1})))
		if !slices.Equal(got, c.want) {
			t.Errorf("filter %s listed %v; want %v", c.filter, got, c.want)
		}
	}
}

// TestContract_RepliesCarryDocumentedFields: replies carry every documented
// field with its documented type; fields beyond those (and roles, which has
// a case of its own) are recorded: the API grows fields, and the client
// ignores what it does not know. A create without active makes an active user, and replies carry a
// Date header, which the client uses to read created_at on the API's clock.
func TestContract_RepliesCarryDocumentedFields(t *testing.T) {
	tg := open(t, emulator.Options{})
	name := tg.name("fields")
	created := tg.do(request{method: http.MethodPost, path: "/service_users", body: map[string]any{"name": name}})
	if created.status != http.StatusCreated {
		t.Fatalf("POST /service_users: HTTP %d: %.300s", created.status, created.body)
	}
	u := created.object(t)
	id, _ := u["id"].(string)
	if id != "" {
		tg.deleteLater(ngrok.ServiceUsers, id)
	}
	checkUserFields(t, tg, u, name)
	if _, err := http.ParseTime(created.header.Get("Date")); err != nil {
		t.Errorf("the reply's Date header %q: %v", created.header.Get("Date"), err)
	}
	checkUserFields(t, tg, tg.read("/service_users/"+id), name)

	list := tg.read("/service_users?limit=1")
	for _, f := range []string{"service_users", "uri", "next_page_uri"} {
		if _, ok := list[f]; !ok {
			t.Errorf("the list has no %q: %v", f, list)
		}
	}
	tg.observe("fields of a list reply beyond the documented ones", extraFields(list, "service_users", "uri", "next_page_uri"), []string(nil))
}

func checkUserFields(t *testing.T, tg *target, u map[string]any, name string) {
	t.Helper()
	id, _ := u["id"].(string)
	if !strings.HasPrefix(id, "service_") {
		t.Errorf("id %v; want service_…", u["id"])
	}
	if uri, _ := u["uri"].(string); !strings.HasSuffix(uri, "/service_users/"+id) {
		t.Errorf("uri %v; want …/service_users/%s", u["uri"], id)
	}
	if u["name"] != name {
		t.Errorf("name %v; want %q", u["name"], name)
	}
	if u["active"] != true {
		t.Errorf("active %v; want true, the default when not sent", u["active"])
	}
	if s, _ := u["created_at"].(string); s == "" {
		t.Errorf("created_at %v; want RFC 3339", u["created_at"])
	} else if _, err := time.Parse(time.RFC3339, s); err != nil {
		t.Errorf("created_at: %v", err)
	}
	// roles has a case of its own: TestContract_ServiceUserRepliesCarryRoles.
	tg.observe("fields of a user beyond the documented ones and roles", extraFields(u, "id", "uri", "name", "active", "created_at", "roles"), []string(nil))
}

// extraFields lists the fields of m not among documented, sorted.
func extraFields(m map[string]any, documented ...string) []string {
	var out []string
	for f := range m {
		if !slices.Contains(documented, f) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// TestContract_PatchChangesOnlyFieldsSent: a PATCH changes the fields it
// carries and no other; the provider sends only what changed.
func TestContract_PatchChangesOnlyFieldsSent(t *testing.T) {
	tg := open(t, emulator.Options{})
	u := tg.user(ngrok.ServiceUsers, "patch", true)
	users := tg.client.Users(ngrok.ServiceUsers)
	inactive := false
	got, err := users.Update(tg.ctx(), u.ID, ngrok.UserUpdate{Active: &inactive})
	if err != nil || got.Name != u.Name || got.Active {
		t.Fatalf("PATCH {active: false}: %+v, %v; want name %q kept", got, err, u.Name)
	}
	renamed := tg.name("patched")
	got, err = users.Update(tg.ctx(), u.ID, ngrok.UserUpdate{Name: &renamed})
	if err != nil || got.Name != renamed || got.Active {
		t.Fatalf("PATCH {name}: %+v, %v; want active false kept", got, err)
	}
	if got, err := users.Get(tg.ctx(), u.ID); err != nil || got.Name != renamed || got.Active {
		t.Errorf("GET after the PATCHes: %+v, %v", got, err)
	}
}
