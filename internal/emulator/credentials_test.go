package emulator

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCredentialCreateGetUpdateDelete(t *testing.T) {
	for _, k := range credKinds {
		t.Run(k.col, func(t *testing.T) {
			clock := newFakeClock()
			c := newTest(t, Options{Now: clock.Now})
			r := c.do("POST", "/"+k.col, credBody(t, k.col, `"description":"ci","metadata":"{\"env\":\"ci\"}","future":1`))
			if r.status != http.StatusCreated {
				t.Fatalf("create: %d %s", r.status, r.body)
			}
			created := r.obj(t)
			id := idOf(created)
			if !regexp.MustCompile(`^` + k.prefix + `[0-9A-Za-z]{27}$`).MatchString(id) {
				t.Fatalf("id = %q", id)
			}
			want := map[string]any{
				"id":          id,
				"uri":         c.url + "/" + k.col + "/" + id,
				"created_at":  "2025-09-04T10:11:43Z",
				"description": "ci",
				"metadata":    `{"env":"ci"}`,
				"owner_id":    c.s.AccountUserID(),
			}
			keys := len(want)
			if k.col != "ssh_credentials" {
				keys++ // token
				token, _ := created["token"].(string)
				if !tokenPattern.MatchString(token) || !strings.HasPrefix(token, idSuffix(id)+"_") {
					t.Fatalf("token %q does not look like ngrok's", token)
				}
			} else if _, has := created["token"]; has {
				t.Fatalf("ssh credential has a token: %v", created)
			}
			if k.col != "api_keys" {
				keys++
				if got := acl(t, created); len(got) != 0 {
					t.Fatalf("unset acl = %v, want []", got)
				}
			}
			if k.col == "ssh_credentials" {
				keys++
				if pk, _ := created["public_key"].(string); !strings.HasPrefix(pk, "ssh-ed25519 AAAA") {
					t.Fatalf("public_key = %v", created["public_key"])
				}
			}
			check := func(step string, m map[string]any) {
				t.Helper()
				if len(m) != keys {
					t.Errorf("%s: keys %v, want %d", step, m, keys)
				}
				for f, v := range want {
					if m[f] != v {
						t.Errorf("%s: %s = %v, want %v", step, f, m[f], v)
					}
				}
				if step != "create" && k.col != "ssh_credentials" {
					if v, has := m["token"]; !has || v != nil {
						t.Errorf("%s: token = %v, want null", step, v)
					}
				}
			}
			check("create", created)

			r = c.do("GET", "/"+k.col+"/"+id, "")
			if r.status != 200 {
				t.Fatalf("get: %d %s", r.status, r.body)
			}
			check("get", r.obj(t))

			clock.Advance(time.Hour) // an update must not move created_at
			r = c.do("PATCH", "/"+k.col+"/"+id, `{"description":"renamed"}`)
			want["description"] = "renamed"
			check("patch description", r.obj(t))
			r = c.do("PATCH", "/"+k.col+"/"+id, `{"metadata":"","description":null,"public_key":"ignored"}`)
			want["metadata"] = ""
			check("patch metadata", r.obj(t))
			if k.col != "api_keys" {
				m := c.do("PATCH", "/"+k.col+"/"+id, `{"acl":["bind:*.example.com","*"]}`).obj(t)
				check("patch acl", m)
				if got := acl(t, m); len(got) != 2 || got[0] != "bind:*.example.com" || got[1] != "*" {
					t.Fatalf("acl = %v", got)
				}
				if got := acl(t, c.do("PATCH", "/"+k.col+"/"+id, `{"description":"x"}`).obj(t)); len(got) != 2 {
					t.Fatalf("acl changed by a patch without acl: %v", got)
				}
				if got := acl(t, c.do("PATCH", "/"+k.col+"/"+id, `{"acl":[]}`).obj(t)); len(got) != 0 {
					t.Fatalf("acl not cleared: %v", got)
				}
			}
			if k.col == "ssh_credentials" {
				if got := c.do("GET", "/"+k.col+"/"+id, "").obj(t)["public_key"]; got != created["public_key"] {
					t.Fatal("public_key changed by a PATCH")
				}
			}

			r = c.do("DELETE", "/"+k.col+"/"+id, "")
			if r.status != http.StatusNoContent || len(r.body) != 0 {
				t.Fatalf("delete: %d %q", r.status, r.body)
			}
			c.do("GET", "/"+k.col+"/"+id, "").wantError(t, 404, "", "Resource not found")
			c.do("PATCH", "/"+k.col+"/"+id, `{"description":"x"}`).wantError(t, 404, "", "Resource not found")
			c.do("DELETE", "/"+k.col+"/"+id, "").wantError(t, 404, "", "Resource not found")

			// An ID of another kind, or no ID at all, is not an identifier here.
			other := "cr_"
			if k.prefix == other {
				other = "ak_"
			}
			for _, bad := range []string{"service_" + idSuffix(id), other + idSuffix(id), k.prefix + idSuffix(id)[:26], "nope"} {
				c.do("GET", "/"+k.col+"/"+bad, "").wantError(t, 404, "ERR_NGROK_222", "not a valid identifier")
			}
			r = c.do("PUT", "/"+k.col+"/"+id, "{}")
			r.wantError(t, 405, "", "")
			if got := r.header.Get("Allow"); got != "GET, PATCH, DELETE" {
				t.Errorf("Allow = %q", got)
			}
		})
	}
}

func TestCredentialValidation(t *testing.T) {
	c := newTest(t, Options{})
	long := func(n int) string { return strings.Repeat("é", n/2) + strings.Repeat("x", n%2) } // bytes, not runes
	for _, k := range credKinds {
		for _, tc := range []struct{ extra, param string }{
			{fmt.Sprintf("%q:%q", "description", long(256)), "`description`"},
			{fmt.Sprintf("%q:%q", "metadata", long(4097)), "`metadata`"},
			{`"description":7`, "`description`"},
			{`"metadata":{"a":1}`, "`metadata`"},
			{`"owner_id":5`, "`owner_id`"},
		} {
			c.do("POST", "/"+k.col, credBody(t, k.col, tc.extra)).wantError(t, 400, "ERR_NGROK_215", tc.param)
		}
		ok := credBody(t, k.col, fmt.Sprintf("%q:%q,%q:%q", "description", long(255), "metadata", long(4096)))
		if r := c.do("POST", "/"+k.col, ok); r.status != 201 {
			t.Fatalf("%s at the limits: %d %s", k.col, r.status, r.body)
		}
	}
	for _, col := range []string{"credentials", "ssh_credentials"} {
		for _, rules := range []string{`["bind:"]`, `["example.com"]`, `[""]`, `["*","bind"]`, `["BIND:x"]`} {
			c.do("POST", "/"+col, credBody(t, col, `"acl":`+rules)).wantError(t, 400, "ERR_NGROK_215", "`acl`")
		}
		c.do("POST", "/"+col, credBody(t, col, `"acl":"bind:x"`)).wantError(t, 400, "ERR_NGROK_215", "`acl`")
		c.do("POST", "/"+col, credBody(t, col, `"acl":[1]`)).wantError(t, 400, "ERR_NGROK_215", "acl")
		m := c.create(col, credBody(t, col, `"acl":["*","bind:*.example.com","bind:*=prod"]`))
		if got := acl(t, m); len(got) != 3 {
			t.Fatalf("acl = %v", got)
		}
		// A refused update changes nothing.
		c.do("PATCH", "/"+col+"/"+idOf(m), `{"description":"new","acl":["nope"]}`).wantError(t, 400, "ERR_NGROK_215", "`acl`")
		c.do("PATCH", "/"+col+"/"+idOf(m), fmt.Sprintf(`{"acl":[],"metadata":%q}`, long(4097))).wantError(t, 400, "ERR_NGROK_215", "`metadata`")
		if cr, _ := c.s.GetCredential(col, idOf(m)); cr.Description != "" || len(cr.ACL) != 3 {
			t.Fatalf("refused update applied: %+v", cr)
		}
	}
	// api_keys have no acl: an acl there is ignored like any unknown field.
	if m := c.create("api_keys", `{"acl":["nope"]}`); m["acl"] != nil {
		t.Fatalf("api key with acl: %v", m)
	}

	pub, priv := testPublicKey(t)
	rsaLike := "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== broken"
	for _, tc := range []struct{ body, msg string }{
		{`{}`, "required"},
		{`{"public_key":""}`, "required"},
		{`{"public_key":"  "}`, "required"},
		{`{"public_key":"not a key"}`, "authorized_keys"},
		{fmt.Sprintf(`{"public_key":%q}`, rsaLike), "authorized_keys"},
		{fmt.Sprintf(`{"public_key":%q}`, pub+"\n"+pub), "more than one"},
		{fmt.Sprintf(`{"public_key":%q}`, priv), "private key"},
		{`{"public_key":7}`, "`public_key`"},
	} {
		r := c.do("POST", "/ssh_credentials", tc.body)
		r.wantError(t, 400, "ERR_NGROK_215", tc.msg)
		if strings.Contains(string(r.body), strings.Fields(pub)[1]) || strings.Contains(string(r.body), "OPENSSH") ||
			strings.Contains(string(r.body), "NzaC1yc2E") || strings.Contains(string(r.body), "not a key") {
			t.Errorf("the key is echoed back: %s", r.body)
		}
	}
	if m := c.create("ssh_credentials", fmt.Sprintf(`{"public_key":%q}`, `command="echo hi" `+pub)); !strings.HasPrefix(m["public_key"].(string), "command=") {
		t.Fatalf("a key with options: %v", m)
	}
	if n := len(c.s.Credentials("ssh_credentials")); n != 3 {
		t.Fatalf("%d ssh credentials stored, want the 3 valid ones", n)
	}
	c.do("POST", "/api_keys", `{}`, "Content-Type", "text/plain").wantError(t, 415, "ERR_NGROK_210", "")
	c.do("POST", "/credentials", `{"description":`).wantError(t, 400, "ERR_NGROK_215", "not valid JSON")
}

func TestCredentialOwner(t *testing.T) {
	c := newTest(t, Options{})
	svc := c.s.AddUser("svc", true)
	bot := c.s.AddBotUser("bot", true)
	svcAsBot, botAsSvc := "bot_"+idSuffix(svc.ID), "service_"+idSuffix(bot.ID)
	for _, k := range credKinds {
		owned := func(owner string) map[string]any {
			t.Helper()
			extra := ""
			if owner != "" {
				extra = fmt.Sprintf("%q:%q", "owner_id", owner)
			}
			return c.create(k.col, credBody(t, k.col, extra))
		}
		// The owner is reported as the user was created, whichever spelling was sent.
		for sent, want := range map[string]string{
			"": c.s.AccountUserID(), c.s.AccountUserID(): c.s.AccountUserID(),
			svc.ID: svc.ID, svcAsBot: svc.ID, bot.ID: bot.ID, botAsSvc: bot.ID,
		} {
			if got := owned(sent)["owner_id"]; got != want {
				t.Errorf("%s: owner_id %q reported as %v, want %s", k.col, sent, got, want)
			}
		}
		before := len(c.s.Credentials(k.col))
		for _, unknown := range []string{"service_" + maxKSUID, "usr_" + idSuffix(svc.ID), "nobody"} {
			c.do("POST", "/"+k.col, credBody(t, k.col, fmt.Sprintf("%q:%q", "owner_id", unknown))).wantError(t, 400, "ERR_NGROK_634", "owner")
		}
		c.do("POST", "/"+k.col, credBody(t, k.col, fmt.Sprintf(`"owner_id":%q,"owner_email":"a@example.com"`, svc.ID))).wantError(t, 400, "ERR_NGROK_631", "owner_email")
		c.do("POST", "/"+k.col, credBody(t, k.col, `"owner_email":"a@example.com"`)).wantError(t, 400, "ERR_NGROK_634", "")
		c.do("POST", "/"+k.col, credBody(t, k.col, `"scim_user_id":"x","owner_email":"a@example.com"`)).wantError(t, 400, "ERR_NGROK_631", "")
		if n := len(c.s.Credentials(k.col)); n != before {
			t.Fatalf("%s: refused creates stored %d credentials", k.col, n-before)
		}

		// owner_id never changes; naming the same user (either spelling) is no change.
		id := idOf(owned(svc.ID))
		code := map[string]string{"api_keys": "ERR_NGROK_628", "credentials": "ERR_NGROK_627", "ssh_credentials": "ERR_NGROK_629"}[k.col]
		for _, other := range []string{c.s.AccountUserID(), bot.ID, "service_" + maxKSUID, "nobody"} {
			c.do("PATCH", "/"+k.col+"/"+id, fmt.Sprintf(`{"owner_id":%q,"description":"moved"}`, other)).wantError(t, 400, code, "already owned by a user and cannot be re-assigned")
		}
		for _, same := range []string{svc.ID, svcAsBot, ""} {
			r := c.do("PATCH", "/"+k.col+"/"+id, fmt.Sprintf(`{"owner_id":%q,"description":"kept"}`, same))
			if r.status != 200 || r.obj(t)["owner_id"] != svc.ID || r.obj(t)["description"] != "kept" {
				t.Fatalf("%s: patch with the same owner %q: %d %s", k.col, same, r.status, r.body)
			}
		}
		c.do("PATCH", "/"+k.col+"/"+id, fmt.Sprintf(`{"owner_id":%q,"owner_email":"a@example.com"}`, svc.ID)).wantError(t, 400, "ERR_NGROK_631", "")
	}
}

// TestCredentialOwnerDefaultsToCaller: without owner_id a credential goes to
// the user the request authenticated as, not always to the account user.
func TestCredentialOwnerDefaultsToCaller(t *testing.T) {
	c := newTest(t, Options{})
	svc := c.s.AddUser("svc", true)
	token := c.create("api_keys", fmt.Sprintf(`{"owner_id":%q}`, svc.ID))["token"].(string)
	for _, k := range credKinds {
		r := c.do("POST", "/"+k.col, credBody(t, k.col, ""), bearer(token)...)
		if r.status != 201 || r.obj(t)["owner_id"] != svc.ID {
			t.Errorf("%s created with the service user's key: %d, owner_id %v, want %s", k.col, r.status, r.obj(t)["owner_id"], svc.ID)
		}
		// The configured key is the account user's.
		if got := c.create(k.col, credBody(t, k.col, ""))["owner_id"]; got != c.s.AccountUserID() {
			t.Errorf("%s created with the configured key: owner_id %v, want %s", k.col, got, c.s.AccountUserID())
		}
	}
}
