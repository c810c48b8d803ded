package emulator

import (
	"bytes"
	"errors"
	"math/big"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestBase62MatchesKSUID(t *testing.T) {
	// The largest KSUID, as the reference implementation writes it.
	if maxKSUID != "aWgEPTl1tmebfsQzFP4bxwgy80V" {
		t.Fatalf("maxKSUID = %s", maxKSUID)
	}
	if got := encodeBase62(make([]byte, 20)); got != strings.Repeat("0", 27) {
		t.Fatalf("zero = %s", got)
	}
	// Cross-check the long division against math/big.
	b := bytes.Repeat([]byte{0x5a, 0xc3}, 10)
	n := new(big.Int).SetBytes(b)
	var want []byte
	for i := 0; i < 27; i++ {
		m := new(big.Int)
		n.DivMod(n, big.NewInt(62), m)
		want = append([]byte{base62Alphabet[m.Int64()]}, want...)
	}
	if got := encodeBase62(b); got != string(want) {
		t.Fatalf("encodeBase62 = %s, want %s", got, want)
	}
}

func TestIDsSortInCreationOrder(t *testing.T) {
	clock := newFakeClock()
	s := New(Options{Now: clock.Now})
	var ids []string
	for i := range 300 {
		switch {
		case i%100 == 50:
			clock.Advance(-48 * time.Hour) // a clock that jumps back
		case i%7 == 0:
			clock.Advance(time.Second)
		}
		var u User
		if i%3 == 0 {
			u = s.AddBotUser("b", true)
		} else {
			u = s.AddUser("s", true)
		}
		if !validUserID(u.ID) {
			t.Fatalf("invalid id %q", u.ID)
		}
		ids = append(ids, idSuffix(u.ID))
	}
	if !sort.StringsAreSorted(ids) {
		t.Fatal("ID suffixes do not sort in creation order")
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			t.Fatal("duplicate id")
		}
	}
}

func TestValidUserID(t *testing.T) {
	good := "service_" + newKSUID(time.Now(), 7)
	for id, want := range map[string]bool{
		good:                                  true,
		"bot_" + idSuffix(good):               true,
		"service_32ELIFubEAAGUeRtreNW6kr94Od": true, // from ngrok's docs
		"bot_" + maxKSUID:                     true,
		"service_aWgEPTl1tmebfsQzFP4bxwgy80W": false, // one above the maximum
		"service_32ELIFubEAAGUeRtreNW6kr94O":  false,
		"service_32ELIFubEAAGUeRtreNW6kr94O_": false,
		"key_32ELIFubEAAGUeRtreNW6kr94Od":     false,
		"32ELIFubEAAGUeRtreNW6kr94Od":         false,
	} {
		if got := validUserID(id); got != want {
			t.Errorf("validUserID(%q) = %v", id, got)
		}
	}
}

func TestHooks(t *testing.T) {
	clock := newFakeClock()
	c := newTest(t, Options{Now: clock.Now})
	seeded := c.s.SeedUsers(3, "seed")
	svc := c.s.AddUser("svc", false)
	clock.Advance(-time.Hour) // IDs stay ordered even if the clock goes back
	bot := c.s.AddBotUser("bot", true)
	if !strings.HasPrefix(svc.ID, "service_") || !strings.HasPrefix(bot.ID, "bot_") || svc.Active || !bot.Active {
		t.Fatalf("added %+v %+v", svc, bot)
	}
	for i, u := range seeded {
		if want := "seed-000" + string(rune('1'+i)); u.Name != want || !u.Active || !strings.HasPrefix(u.ID, "service_") {
			t.Fatalf("seeded[%d] = %+v", i, u)
		}
	}
	users := c.s.Users()
	wantOrder := []string{bot.ID, svc.ID, seeded[2].ID, seeded[1].ID, seeded[0].ID}
	if len(users) != len(wantOrder) {
		t.Fatalf("Users = %+v", users)
	}
	for i, id := range wantOrder {
		if users[i].ID != id {
			t.Fatalf("Users[%d] = %s, want %s", i, users[i].ID, id)
		}
	}

	if err := c.s.Rename(svc.ID, "drifted"); err != nil {
		t.Fatal(err)
	}
	if err := c.s.SetActive(svc.ID, true); err != nil {
		t.Fatal(err)
	}
	got := c.do("GET", "/service_users/"+svc.ID, "").obj(t)
	if got["name"] != "drifted" || got["active"] != true {
		t.Fatalf("drift not visible: %v", got)
	}
	if u, ok := c.s.GetUser(svc.ID); !ok || u.Name != "drifted" || !u.CreatedAt.Equal(time.Date(2025, 9, 4, 10, 11, 43, 0, time.UTC)) {
		t.Fatalf("GetUser = %+v %v", u, ok)
	}
	if err := c.s.DeleteUser(svc.ID); err != nil {
		t.Fatal(err)
	}
	c.do("GET", "/service_users/"+svc.ID, "").wantError(t, 404, "", "")
	for _, err := range []error{c.s.DeleteUser(svc.ID), c.s.Rename(svc.ID, "x"), c.s.SetActive("nope", true)} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	}
	if _, ok := c.s.GetUser(svc.ID); ok {
		t.Fatal("GetUser after delete")
	}
	if c.s.TotalRequests() != 2 {
		t.Fatalf("hooks were counted: %d", c.s.TotalRequests())
	}
}

// A test changing the roles of a snapshot changes nothing on the server.
func TestSnapshotsHaveTheirOwnRoles(t *testing.T) {
	c := newTest(t, Options{})
	u := c.s.AddUser("svc", true)
	if err := c.s.SetRoles(u.ID, []string{"team-manager"}); err != nil {
		t.Fatal(err)
	}
	got, _ := c.s.GetUser(u.ID)
	got.Roles[0] = "changed through GetUser"
	c.s.Users()[0].Roles[0] = "changed through Users"
	if again, _ := c.s.GetUser(u.ID); again.Roles[0] != "team-manager" {
		t.Errorf("roles changed through a snapshot: %v", again.Roles)
	}
}

func TestHooksConcurrentWithRequests(t *testing.T) {
	c := newTest(t, Options{Latency: time.Millisecond})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 50 {
			u := c.s.AddUser("h", true)
			_ = c.s.Rename(u.ID, "r")
			if i%2 == 0 {
				_ = c.s.DeleteUser(u.ID)
			}
			c.s.Users()
			c.s.SetLatency(time.Millisecond, time.Millisecond)
			c.s.AddFault(Fault{Kind: FaultLatency, Times: 1})
		}
	}()
	for range 30 {
		c.do("POST", "/service_users", `{"name":"api"}`)
		c.do("GET", "/service_users?filter="+url.QueryEscape(`obj.active`), "")
	}
	<-done
	if n := len(c.s.Users()); n != 25+30 {
		t.Fatalf("%d users", n)
	}
}
