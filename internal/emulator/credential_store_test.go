package emulator

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestInactiveOwnerCreate(t *testing.T) {
	for _, refuse := range []bool{false, true} {
		t.Run(fmt.Sprint("refuse=", refuse), func(t *testing.T) {
			c := newTest(t, Options{RefuseInactiveOwner: refuse})
			u := c.s.AddBotUser("off", false)
			for _, k := range credKinds {
				r := c.do("POST", "/"+k.col, credBody(t, k.col, fmt.Sprintf("%q:%q", "owner_id", u.ID)))
				if refuse {
					r.wantError(t, 400, "ERR_NGROK_636", "inactive")
					if n := len(c.s.Credentials(k.col)); n != 0 {
						t.Fatalf("%s: refused create stored %d", k.col, n)
					}
					continue
				}
				if r.status != 201 || r.obj(t)["owner_id"] != u.ID {
					t.Fatalf("%s: %d %s", k.col, r.status, r.body)
				}
				if k.col == "api_keys" {
					// It exists, but does not work until its owner is active.
					token := r.obj(t)["token"].(string)
					c.do("GET", "/api_keys", "", bearer(token)...).wantError(t, 401, "ERR_NGROK_636", "")
					_ = c.s.SetActive(u.ID, true)
					if r := c.do("GET", "/api_keys", "", bearer(token)...); r.status != 200 {
						t.Fatalf("after activation: %d", r.status)
					}
					_ = c.s.SetActive(u.ID, false)
				}
			}
		})
	}
}

func TestDeletingAUserDeletesItsCredentials(t *testing.T) {
	for _, keep := range []bool{false, true} {
		t.Run(fmt.Sprint("keep=", keep), func(t *testing.T) {
			c := newTest(t, Options{KeepOrphanedCredentials: keep})
			gone, stays := c.s.AddUser("gone", true), c.s.AddBotUser("stays", true)
			var tokens []string
			for _, k := range credKinds {
				for _, owner := range []string{gone.ID, stays.ID, ""} {
					m := c.create(k.col, credBody(t, k.col, fmt.Sprintf("%q:%q", "owner_id", owner)))
					if k.col == "api_keys" && owner == gone.ID {
						tokens = append(tokens, m["token"].(string))
					}
				}
				if _, err := c.s.AddCredential(k.col, "bot_"+idSuffix(gone.ID), Credential{Description: "hook"}); err != nil {
					t.Fatal(err)
				}
			}
			// One user goes through the API, and its credentials go with it unless
			// orphans are kept, whichever spelling named it as their owner.
			if r := c.do("DELETE", "/bot_users/"+gone.ID, ""); r.status != 204 {
				t.Fatalf("delete user: %d", r.status)
			}
			for _, k := range credKinds {
				left := c.s.Credentials(k.col)
				orphans := 0
				for _, cr := range left {
					if cr.OwnerID == gone.ID {
						orphans++
					}
				}
				want := map[bool]int{false: 0, true: 2}[keep]
				if orphans != want || len(left) != 2+want {
					t.Fatalf("%s: %d credentials, %d orphans; want %d orphans", k.col, len(left), orphans, want)
				}
				m := c.do("GET", "/"+k.col, "").obj(t)
				if got := len(items(t, m, k.listKey)); got != 2+want {
					t.Fatalf("%s lists %d", k.col, got)
				}
				for _, cr := range left {
					if cr.OwnerID == gone.ID {
						// An orphan still names its gone owner, which is no re-assignment.
						r := c.do("PATCH", "/"+k.col+"/"+cr.ID, fmt.Sprintf(`{"owner_id":%q,"description":"orphan"}`, gone.ID))
						if r.status != 200 || r.obj(t)["owner_id"] != gone.ID {
							t.Fatalf("%s: patch an orphan: %d %s", k.col, r.status, r.body)
						}
					}
				}
			}
			r := c.do("GET", "/service_users", "", bearer(tokens[0])...)
			if keep {
				if r.status != 200 {
					t.Fatalf("kept orphan key: %d", r.status)
				}
			} else {
				r.wantError(t, 401, "ERR_NGROK_203", "")
			}
			// The hook deletes the same way.
			if err := c.s.DeleteUser(stays.ID); err != nil {
				t.Fatal(err)
			}
			if n := len(c.s.Credentials("credentials")); n != 1+map[bool]int{false: 0, true: 3}[keep] {
				t.Fatalf("after DeleteUser: %d authtokens", n)
			}
		})
	}
}

func TestCredentialHooks(t *testing.T) {
	clock := newFakeClock()
	c := newTest(t, Options{Now: clock.Now})
	if !regexp.MustCompile(`^usr_[0-9A-Za-z]{27}$`).MatchString(c.s.AccountUserID()) || c.s.AccountUserID() == New(Options{}).AccountUserID() {
		t.Fatalf("AccountUserID = %q", c.s.AccountUserID())
	}
	for _, k := range credKinds {
		seeded, err := c.s.SeedCredentials(k.col, 3, "seed")
		if err != nil {
			t.Fatal(err)
		}
		u := c.s.AddUser("owner", true)
		clock.Advance(-time.Hour) // IDs stay ordered even if the clock goes back
		added, err := c.s.AddCredential(k.col, u.ID, Credential{Description: "added", Metadata: "m", ACL: []string{"*"}})
		if err != nil {
			t.Fatal(err)
		}
		for i, cr := range seeded {
			if cr.Description != fmt.Sprintf("seed-%04d", i+1) || cr.OwnerID != c.s.AccountUserID() || !strings.HasPrefix(cr.ID, k.prefix) {
				t.Fatalf("%s seeded[%d] = %+v", k.col, i, cr)
			}
			if (cr.Token != "") != (k.col != "ssh_credentials") || (cr.PublicKey != "") != (k.col == "ssh_credentials") {
				t.Fatalf("%s seeded[%d] token/public key: %+v", k.col, i, cr)
			}
		}
		all := c.s.Credentials(k.col)
		want := []string{added.ID, seeded[2].ID, seeded[1].ID, seeded[0].ID}
		if len(all) != len(want) {
			t.Fatalf("%s: Credentials = %+v", k.col, all)
		}
		for i, id := range want {
			if all[i].ID != id {
				t.Fatalf("%s: Credentials[%d] = %s, want %s", k.col, i, all[i].ID, id)
			}
		}

		if err := c.s.SetCredentialDescription(k.col, added.ID, "drifted"); err != nil {
			t.Fatal(err)
		}
		if err := c.s.SetCredentialMetadata(k.col, added.ID, "meta"); err != nil {
			t.Fatal(err)
		}
		aclIn := []string{"bind:a.example.com"}
		if err := c.s.SetCredentialACL(k.col, added.ID, aclIn); err != nil {
			t.Fatal(err)
		}
		aclIn[0] = "mutated by the caller"
		got := c.do("GET", "/"+k.col+"/"+added.ID, "").obj(t)
		if got["description"] != "drifted" || got["metadata"] != "meta" || got["owner_id"] != u.ID {
			t.Fatalf("%s: drift not visible: %v", k.col, got)
		}
		if k.col != "api_keys" {
			if a := acl(t, got); len(a) != 1 || a[0] != "bind:a.example.com" {
				t.Fatalf("%s: acl drift = %v", k.col, a)
			}
		}
		if cr, ok := c.s.GetCredential(k.col, added.ID); !ok || cr.Description != "drifted" || cr.CreatedAt.IsZero() {
			t.Fatalf("%s: GetCredential = %+v %v", k.col, cr, ok)
		}
		if err := c.s.DeleteCredential(k.col, added.ID); err != nil {
			t.Fatal(err)
		}
		c.do("GET", "/"+k.col+"/"+added.ID, "").wantError(t, 404, "", "")
		for _, err := range []error{
			c.s.DeleteCredential(k.col, added.ID),
			c.s.SetCredentialDescription(k.col, added.ID, "x"),
			c.s.SetCredentialMetadata(k.col, "nope", "x"),
			c.s.SetCredentialACL(k.col, seeded[0].ID+"x", nil),
		} {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: err = %v, want ErrNotFound", k.col, err)
			}
		}
		if _, ok := c.s.GetCredential(k.col, added.ID); ok {
			t.Fatalf("%s: GetCredential after delete", k.col)
		}
		if _, err := c.s.AddCredential(k.col, "service_"+maxKSUID, Credential{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: AddCredential for a missing owner: %v", k.col, err)
		}
	}
	for _, err := range []error{
		func() error { _, err := c.s.SeedCredentials("keys", 1, "x"); return err }(),
		func() error { _, err := c.s.AddCredential("service_users", "", Credential{}); return err }(),
		c.s.SetCredentialDescription("bot_users", "x", ""),
		c.s.DeleteCredential("", "x"),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown collection: err = %v, want ErrNotFound", err)
		}
	}
	if c.s.Credentials("keys") != nil {
		t.Error("Credentials of an unknown collection")
	}
	if _, ok := c.s.GetCredential("keys", "x"); ok {
		t.Error("GetCredential of an unknown collection")
	}
	if c.s.TotalRequests() != 2*len(credKinds) {
		t.Fatalf("hooks were counted: %d requests", c.s.TotalRequests())
	}
}

func TestCredentialTokensAreUnique(t *testing.T) {
	c := newTest(t, Options{})
	seen := map[string]bool{}
	for range 20 {
		for _, col := range []string{"api_keys", "credentials"} {
			token, _ := c.create(col, `{}`)["token"].(string)
			if !tokenPattern.MatchString(token) || seen[token] {
				t.Fatalf("token %q: malformed or repeated", token)
			}
			seen[token] = true
		}
	}
}
