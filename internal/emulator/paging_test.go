package emulator

import (
	"net/url"
	"strings"
	"testing"
)

func TestPaging(t *testing.T) {
	c := newTest(t, Options{})
	seeded := c.s.SeedUsers(250, "ci")
	if seeded[0].Name != "ci-0001" || seeded[249].Name != "ci-0250" {
		t.Fatalf("seed names %q..%q", seeded[0].Name, seeded[249].Name)
	}

	var got []apiUser
	next := c.url + "/service_users?limit=100"
	pages := 0
	for next != "" {
		p := c.list(next)
		pages++
		got = append(got, p.Users...)
		if p.URI != c.url+"/service_users" {
			t.Fatalf("uri %q", p.URI)
		}
		next = ""
		if p.Next != nil {
			next = *p.Next
			want := c.url + "/service_users?before_id=" + p.Users[len(p.Users)-1].ID + "&limit=100"
			if next != want {
				t.Fatalf("next_page_uri = %q, want %q", next, want)
			}
		}
		if pages == 3 && len(p.Users) != 50 {
			t.Fatalf("last page has %d users", len(p.Users))
		}
	}
	if pages != 3 || len(got) != 250 {
		t.Fatalf("%d pages, %d users", pages, len(got))
	}
	for i, u := range got {
		if want := seeded[249-i]; u.ID != want.ID || u.Name != want.Name {
			t.Fatalf("item %d = %s %s, want %s %s (newest first)", i, u.ID, u.Name, want.ID, want.Name)
		}
	}

	// Default limit is 100; a page that ends exactly at the oldest user has
	// no next page.
	if p := c.list("/service_users"); len(p.Users) != 100 || p.Next == nil {
		t.Fatalf("default limit: %d users, next %v", len(p.Users), p.Next)
	}
	p := c.list("/service_users?limit=50&before_id=" + seeded[50].ID)
	if len(p.Users) != 50 || p.Users[49].ID != seeded[0].ID || p.Next != nil {
		t.Fatalf("exact last page: %d users, next %v", len(p.Users), p.Next)
	}
	if p := c.list("/service_users?before_id=" + seeded[0].ID); len(p.Users) != 0 || p.Next != nil {
		t.Fatalf("before the oldest: %+v", p)
	}

	// before_id may name a deleted user: its position still orders.
	if err := c.s.DeleteUser(seeded[100].ID); err != nil {
		t.Fatal(err)
	}
	p = c.list("/bot_users?limit=3&before_id=" + seeded[100].ID)
	if len(p.Users) != 3 || p.Users[0].ID != seeded[99].ID || p.Users[2].ID != seeded[97].ID {
		t.Fatalf("before deleted id: %+v", p.Users)
	}
	if p.Next == nil || *p.Next != c.url+"/bot_users?before_id="+seeded[97].ID+"&limit=3" {
		t.Fatalf("bot next_page_uri %v", p.Next)
	}
	// A before_id with the other prefix orders the same.
	p = c.list("/service_users?limit=1&before_id=bot_" + idSuffix(seeded[100].ID))
	if len(p.Users) != 1 || p.Users[0].ID != seeded[99].ID {
		t.Fatalf("bot_ before_id: %+v", p.Users)
	}
	c.do("GET", "/service_users?before_id=garbage", "").wantError(t, 400, "ERR_NGROK_215", "before_id")
}

func TestLimitOutOfRange(t *testing.T) {
	c := newTest(t, Options{})
	for _, limit := range []string{"0", "101", "abc", "-1", "1.5", "1e2"} {
		c.do("GET", "/service_users?limit="+limit, "").wantError(t, 400, "ERR_NGROK_233", "between 1 and 100")
		c.do("GET", "/bot_users?limit="+limit, "").wantError(t, 400, "ERR_NGROK_233", "")
	}
	for _, limit := range []string{"1", "100"} {
		if r := c.do("GET", "/service_users?limit="+limit, ""); r.status != 200 {
			t.Fatalf("limit %s: %d", limit, r.status)
		}
	}
}

func TestFilter(t *testing.T) {
	c := newTest(t, Options{})
	var ci []User
	for i := range 7 {
		ci = append(ci, c.s.AddUser("ci-"+string(rune('a'+i)), i%2 == 0))
		c.s.AddUser("other", true)
	}
	c.s.AddBotUser("ci", true)
	q := func(path, filter string) string { return path + "filter=" + url.QueryEscape(filter) }

	p := c.list(q("/service_users?", `obj.name == "ci" && obj.active`))
	if len(p.Users) != 1 || p.Users[0].Name != "ci" || !strings.HasPrefix(p.Users[0].ID, "bot_") {
		t.Fatalf("exact match: %+v", p.Users)
	}
	// Matches: ci-a, ci-c, ci-e, ci-g (active ones), newest first; paged by 2.
	filter := `obj.name.startsWith("ci-") && obj.active`
	p = c.list(q("/service_users?limit=2&", filter))
	if len(p.Users) != 2 || p.Users[0].ID != ci[6].ID || p.Users[1].ID != ci[4].ID {
		t.Fatalf("page 1: %+v", p.Users)
	}
	wantNext := c.url + "/service_users?before_id=" + ci[4].ID + "&limit=2&filter=" + url.QueryEscape(filter)
	if p.Next == nil || *p.Next != wantNext {
		t.Fatalf("next_page_uri = %v, want %s", p.Next, wantNext)
	}
	p = c.list(*p.Next)
	if len(p.Users) != 2 || p.Users[0].ID != ci[2].ID || p.Users[1].ID != ci[0].ID || p.Next != nil {
		t.Fatalf("page 2 (exactly the rest, so no next): %+v next %v", p.Users, p.Next)
	}
	// Fields a filter can read: uri (of the route), id, created_at as a string.
	p = c.list(q("/bot_users?", `obj.uri.contains("/bot_users/") && obj.id.startsWith("bot_") && obj.created_at.endsWith("Z")`))
	if len(p.Users) != 1 {
		t.Fatalf("uri/id/created_at filter: %+v", p.Users)
	}
	if p := c.list(q("/service_users?", `obj.name == "nobody"`)); len(p.Users) != 0 || p.Next != nil {
		t.Fatalf("no match: %+v", p)
	}

	for _, bad := range []struct{ filter, msgPart string }{
		{`obj.name ==`, "filter"},
		{`obj.nmae == "ci"`, "undefined field 'nmae'"},
		{`obj.name`, "bool"},
		{`obj.active + 1`, "filter"},
		{`size(obj.name) / 0 == 1`, "division by zero"},
		{`dyn(obj.name)`, "bool"},
	} {
		for _, prefix := range []string{"/service_users?", "/bot_users?"} {
			c.do("GET", q(prefix, bad.filter), "").wantError(t, 400, "ERR_NGROK_230", bad.msgPart)
		}
	}
	// Compile errors do not depend on data.
	empty := newTest(t, Options{})
	empty.do("GET", q("/service_users?", `obj.name`), "").wantError(t, 400, "ERR_NGROK_230", "bool")
}

func TestCredentialPagingAndFilter(t *testing.T) {
	c := newTest(t, Options{})
	seeded, err := c.s.SeedCredentials("credentials", 30, "ci")
	if err != nil {
		t.Fatal(err)
	}
	for i, cr := range seeded {
		if i%3 == 0 {
			if err := c.s.SetCredentialACL("credentials", cr.ID, []string{"bind:x.example.com"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Matches: seeded 27, 24, ..., 0 (ten of them), newest first, 4 a page.
	filter := `obj.acl.exists(r, r.startsWith("bind:")) && obj.description.startsWith("ci-")`
	next := c.url + "/credentials?limit=4&filter=" + url.QueryEscape(filter)
	var got []string
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("too many pages")
		}
		m := c.do("GET", next, "").obj(t)
		list := items(t, m, "credentials")
		if m["uri"] != c.url+"/credentials" {
			t.Fatalf("uri %v", m["uri"])
		}
		for _, it := range list {
			got = append(got, idOf(it))
			if v, has := it["token"]; !has || v != nil {
				t.Fatalf("listed token = %v, want null", v)
			}
		}
		next, _ = m["next_page_uri"].(string)
		if next != "" {
			want := c.url + "/credentials?before_id=" + idOf(list[len(list)-1]) + "&limit=4&filter=" + url.QueryEscape(filter)
			if next != want {
				t.Fatalf("next_page_uri = %q, want %q", next, want)
			}
		}
	}
	if len(got) != 10 {
		t.Fatalf("%d matches, want 10", len(got))
	}
	for i, id := range got {
		if want := seeded[27-3*i].ID; id != want {
			t.Fatalf("match %d = %s, want %s", i, id, want)
		}
	}

	// Unfiltered paging uses the list key of the kind, and before_id need not exist.
	m := c.do("GET", "/credentials?limit=2&before_id="+seeded[10].ID, "").obj(t)
	if list := items(t, m, "credentials"); len(list) != 2 || idOf(list[0]) != seeded[9].ID {
		t.Fatalf("before_id page: %v", list)
	}
	if _, err := c.s.SeedCredentials("api_keys", 3, "k"); err != nil {
		t.Fatal(err)
	}
	m = c.do("GET", "/api_keys?filter="+url.QueryEscape(`obj.owner_id.startsWith("usr_") && obj.uri.contains("/api_keys/ak_")`), "").obj(t)
	if len(items(t, m, "keys")) != 3 || m["next_page_uri"] != nil {
		t.Fatalf("api_keys list: %v", m)
	}
	pub, _ := testPublicKey(t)
	if _, err := c.s.AddCredential("ssh_credentials", "", Credential{PublicKey: pub}); err != nil {
		t.Fatal(err)
	}
	m = c.do("GET", "/ssh_credentials?filter="+url.QueryEscape(`obj.public_key.endsWith("ci@example") && size(obj.acl) == 0`), "").obj(t)
	if len(items(t, m, "ssh_credentials")) != 1 {
		t.Fatalf("ssh filter: %v", m)
	}

	c.do("GET", "/api_keys?filter="+url.QueryEscape(`size(obj.acl) == 0`), "").wantError(t, 400, "ERR_NGROK_230", "acl")
	c.do("GET", "/credentials?filter="+url.QueryEscape(`obj.public_key == ""`), "").wantError(t, 400, "ERR_NGROK_230", "public_key")
	c.do("GET", "/credentials?filter="+url.QueryEscape(`obj.token == ""`), "").wantError(t, 400, "ERR_NGROK_230", "token")
	c.do("GET", "/ssh_credentials?limit=0", "").wantError(t, 400, "ERR_NGROK_233", "between 1 and 100")
	c.do("GET", "/api_keys?limit=101", "").wantError(t, 400, "ERR_NGROK_233", "")
	c.do("GET", "/credentials?before_id="+"ak_"+idSuffix(seeded[0].ID), "").wantError(t, 400, "ERR_NGROK_215", "before_id")
}
