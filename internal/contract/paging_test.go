package contract

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// TestContract_IDsSortInCreationOrder: lists are newest first, in ID order,
// and IDs sort as created_at does. The bulk reader (ngrok.BulkReader) takes a
// page as a complete interval of IDs, and a lost create's reconciliation stops
// reading at the first object older than the request: both rest on this.
// Within one second the order is not claimed (ngrok's IDs look like KSUIDs,
// whose tail is random).
func TestContract_IDsSortInCreationOrder(t *testing.T) {
	tg := open(t, emulator.Options{})
	owner := tg.user(ngrok.ServiceUsers, "order", true)
	users := []ngrok.User{owner, tg.user(ngrok.ServiceUsers, "order", true), tg.user(ngrok.ServiceUsers, "order", true)}
	checkNewestFirst(t, collect(t, tg.client.Users(ngrok.ServiceUsers).List(tg.ctx(), ngrok.ListOptions{})), users)

	keys := []ngrok.Credential{
		tg.credential(ngrok.APIKeys, "order", ngrok.CredentialCreate{OwnerID: owner.ID}),
		tg.credential(ngrok.APIKeys, "order", ngrok.CredentialCreate{OwnerID: owner.ID}),
	}
	checkNewestFirst(t, collect(t, tg.client.Credentials(ngrok.APIKeys).List(tg.ctx(), ngrok.ListOptions{})), keys)
}

// checkNewestFirst checks that listed is in strictly descending ID order
// with created_at never rising, and that every one of created, made in that
// order, is listed, later ones first unless made in the same second.
func checkNewestFirst[T ngrok.User | ngrok.Credential](t *testing.T, listed, created []T) {
	t.Helper()
	listedIDs, times := idsAndTimes(listed)
	for i := 1; i < len(listedIDs); i++ {
		if key(listedIDs[i]) >= key(listedIDs[i-1]) {
			t.Errorf("listed %s after %s: not newest first by ID", listedIDs[i], listedIDs[i-1])
		}
		if parseTime(times[i]).After(parseTime(times[i-1])) {
			t.Errorf("listed %s (created %s) after %s (created %s)", listedIDs[i], times[i], listedIDs[i-1], times[i-1])
		}
	}
	ours, ourTimes := idsAndTimes(created)
	for i, id := range ours {
		if !slices.Contains(listedIDs, id) {
			t.Errorf("%s is not listed", id)
		}
		if i > 0 && parseTime(ourTimes[i]).After(parseTime(ourTimes[i-1])) && key(id) <= key(ours[i-1]) {
			t.Errorf("%s, created a second or more after %s, sorts before it", id, ours[i-1])
		}
	}
}

// TestContract_BeforeIDListsOlderObjects: before_id lists the objects whose
// IDs sort before it, newest first, without the object it names: what
// next_page_uri and the bulk reader's continued scans send.
func TestContract_BeforeIDListsOlderObjects(t *testing.T) {
	tg := open(t, emulator.Options{})
	a := tg.user(ngrok.ServiceUsers, "before", true)
	b := tg.user(ngrok.ServiceUsers, "before", true)
	c := tg.user(ngrok.ServiceUsers, "before", true)
	page := listIDs(t, tg, "/service_users?limit=100&before_id="+url.QueryEscape(c.ID))
	checkBelow(t, page, c.ID)
	ia, ib := slices.Index(page, a.ID), slices.Index(page, b.ID)
	if ia < 0 || ib < 0 || ib > ia {
		t.Errorf("before_id=%s listed %v; want %s, then %s, among them", c.ID, page, b.ID, a.ID)
	}
}

// TestContract_BeforeIDNamingNoObject: a before_id that names no object is a
// position in the list, not an error. The bulk reader's default refresh
// anchors each page on an ID that names no object (the successor of a user's
// own ID, so that the page starts at that user); ngrok documents before_id
// only as "an ID". If the API refused it, the reader would notice and read
// one by one (correct, up to a GET per object): Gets below would be 1.
func TestContract_BeforeIDNamingNoObject(t *testing.T) {
	tg := open(t, emulator.Options{})
	a := tg.user(ngrok.ServiceUsers, "anchor", true)
	b := tg.user(ngrok.ServiceUsers, "anchor", true)
	c := tg.user(ngrok.ServiceUsers, "anchor", true)

	// The ID of a deleted user.
	if err := tg.client.Users(ngrok.ServiceUsers).Delete(tg.ctx(), b.ID); err != nil {
		t.Fatal(err)
	}
	page := listIDs(t, tg, "/service_users?limit=100&before_id="+url.QueryEscape(b.ID))
	checkBelow(t, page, b.ID)
	if !slices.Contains(page, a.ID) || slices.Contains(page, c.ID) {
		t.Errorf("before_id=%s (deleted) listed %v; want %s and not %s", b.ID, page, a.ID, c.ID)
	}

	// The bulk reader's own anchors, for users and for credentials. A client
	// of its own, so that nothing is cached.
	fresh, err := tg.with(tg.baseURL, tg.apiKey)
	if err != nil {
		t.Fatal(err)
	}
	users := fresh.client.Users(ngrok.ServiceUsers).NewBulkReader(ngrok.RefreshAuto)
	if got, err := users.Get(tg.ctx(), a.ID); err != nil || got.ID != a.ID {
		t.Fatalf("bulk read of %s: %v, %v", a.ID, got, err)
	}
	checkAnchored(t, users.Stats())

	k := tg.credential(ngrok.APIKeys, "anchor", ngrok.CredentialCreate{OwnerID: c.ID})
	keys := fresh.client.Credentials(ngrok.APIKeys).NewBulkReader(ngrok.RefreshAuto)
	if got, err := keys.Get(tg.ctx(), k.ID); err != nil || got.ID != k.ID {
		t.Fatalf("bulk read of %s: %v, %v", k.ID, got, err)
	}
	checkAnchored(t, keys.Stats())
}

// checkAnchored checks that one read was answered by one anchored page.
func checkAnchored(t *testing.T, s ngrok.BulkStats) {
	t.Helper()
	if s.Pages != 1 || s.Gets != 0 || s.Absent != 0 {
		t.Errorf("bulk reader %+v; want the one page anchored just above the ID, no GET", s)
	}
}

// TestContract_NextPageURIOnLastPageIsNull: a page with more after it has an
// absolute next_page_uri on the API's own host (one on another host is
// rebased on the configured one, so the key never leaves it); the last has
// null, as documented. The client stops at null, and also at "" or a missing
// field, and refuses a next_page_uri that repeats.
func TestContract_NextPageURIOnLastPageIsNull(t *testing.T) {
	tg := open(t, emulator.Options{})
	tg.user(ngrok.ServiceUsers, "pages", true)
	tg.user(ngrok.ServiceUsers, "pages", true)

	first := tg.read("/service_users?limit=1")
	next, ok := first["next_page_uri"].(string)
	if !ok || !strings.HasPrefix(next, tg.baseURL+"/service_users?") {
		t.Errorf("next_page_uri of a page with more after it = %v; want an absolute URL under %s/service_users", first["next_page_uri"], tg.baseURL)
	}

	path := "/service_users?limit=100"
	for pages := 1; ; pages++ {
		m := tg.read(path)
		v, present := m["next_page_uri"]
		if !present {
			t.Fatalf("page %d has no next_page_uri field: %v", pages, m)
		}
		if v == nil {
			break
		}
		if path, ok = v.(string); !ok || path == "" || pages > 50 {
			t.Fatalf("page %d: next_page_uri = %#v", pages, v)
		}
	}
}

// TestContract_NextPageURIKeepsFilter: next_page_uri carries the filter and
// the limit, since the client follows it as it is. Whether a last page that
// is exactly full has a null next_page_uri (as the emulator's do) or one to
// an empty page is recorded: the client handles both.
func TestContract_NextPageURIKeepsFilter(t *testing.T) {
	tg := open(t, emulator.Options{})
	x := tg.user(ngrok.ServiceUsers, "filtered", true)
	y := tg.user(ngrok.ServiceUsers, "filtered", true)
	filter := "obj.name == " + ngrok.CELString(x.Name) + " || obj.name == " + ngrok.CELString(y.Name)
	first := tg.read("/service_users?limit=1&filter=" + url.QueryEscape(filter))
	if got := ids(usersOf(t, first)); !slices.Equal(got, []string{y.ID}) {
		t.Fatalf("first page of one %v; want [%s]", got, y.ID)
	}
	next, ok := first["next_page_uri"].(string)
	if !ok {
		t.Fatalf("next_page_uri = %v; want the second page", first["next_page_uri"])
	}
	second := tg.read(next)
	if got := ids(usersOf(t, second)); !slices.Equal(got, []string{x.ID}) {
		t.Fatalf("second page %v; want [%s] (is the filter or the limit lost?)", got, x.ID)
	}
	tg.observe("next_page_uri after an exactly full last page", second["next_page_uri"], nil)
}

// listIDs lists one page of users by a raw request.
func listIDs(t *testing.T, tg *target, path string) []string {
	t.Helper()
	return ids(usersOf(t, tg.read(path)))
}

func usersOf(t *testing.T, m map[string]any) []ngrok.User {
	t.Helper()
	var out []ngrok.User
	for _, it := range items(t, m, "service_users") {
		id, _ := it["id"].(string)
		created, _ := it["created_at"].(string)
		out = append(out, ngrok.User{ID: id, CreatedAt: created})
	}
	return out
}

// checkBelow checks that every listed ID sorts below before, newest first.
func checkBelow(t *testing.T, listed []string, before string) {
	t.Helper()
	prev := key(before)
	for _, id := range listed {
		if key(id) >= prev {
			t.Errorf("before_id=%s listed %s out of order (listed %v)", before, id, listed)
			return
		}
		prev = key(id)
	}
}
