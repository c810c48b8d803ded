package emulator

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// bearer is the Authorization header override for tclient.do.
func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

func TestAPIKeyTokenAuthenticates(t *testing.T) {
	clock := newFakeClock()
	c := newTest(t, Options{RateLimit: 4, RateWindow: 10 * time.Second, Now: clock.Now})
	key := c.create("api_keys", `{"description":"ci"}`)
	token := key["token"].(string)

	// The created key reads and writes as the account (request 2 of 4).
	r := c.do("POST", "/service_users", `{"name":"by-token"}`, bearer(token)...)
	if r.status != 201 {
		t.Fatalf("create with the new key: %d %s", r.status, r.body)
	}
	// One window for the account, whichever key is used: 3 and 4 fit, 5 does not.
	if r := c.do("GET", "/service_users", ""); r.status != 200 {
		t.Fatalf("configured key: %d", r.status)
	}
	if r := c.do("GET", "/api_keys", "", bearer(token)...); r.status != 200 {
		t.Fatalf("new key: %d", r.status)
	}
	c.do("GET", "/service_users", "", bearer(token)...).wantError(t, 429, "ERR_NGROK_226", "4 API requests per 10s")
	c.do("GET", "/service_users", "").wantError(t, 429, "ERR_NGROK_226", "")
	clock.Advance(10 * time.Second)

	// Deleted (through the API or behind its back), the token stops working.
	if r := c.do("DELETE", "/api_keys/"+idOf(key), "", bearer(token)...); r.status != 204 {
		t.Fatalf("a key deleting itself: %d", r.status)
	}
	r = c.do("GET", "/service_users", "", bearer(token)...)
	r.wantError(t, 401, "ERR_NGROK_203", "invalid")
	if strings.Contains(string(r.body), token) {
		t.Fatal("the token is echoed back")
	}
	seeded, err := c.s.SeedCredentials("api_keys", 1, "hook")
	if err != nil {
		t.Fatal(err)
	}
	if r := c.do("GET", "/service_users", "", bearer(seeded[0].Token)...); r.status != 200 {
		t.Fatalf("seeded key: %d", r.status)
	}
	if err := c.s.DeleteCredential("api_keys", seeded[0].ID); err != nil {
		t.Fatal(err)
	}
	c.do("GET", "/service_users", "", bearer(seeded[0].Token)...).wantError(t, 401, "ERR_NGROK_203", "")
}

func TestAuthtokenIsNotAnAPIKey(t *testing.T) {
	c := newTest(t, Options{})
	cr := c.create("credentials", `{}`)
	r := c.do("GET", "/service_users", "", bearer(cr["token"].(string))...)
	r.wantError(t, 401, "ERR_NGROK_207", "authtoken")
	if strings.Contains(string(r.body), cr["token"].(string)) {
		t.Fatal("the token is echoed back")
	}
	if c.s.RateLimited() != 0 || len(c.s.Users()) != 0 {
		t.Fatal("side effects")
	}
	c.do("DELETE", "/credentials/"+idOf(cr), "")
	c.do("GET", "/service_users", "", bearer(cr["token"].(string))...).wantError(t, 401, "ERR_NGROK_203", "")
}

func TestInactiveOwnersKeyIsRefused(t *testing.T) {
	c := newTest(t, Options{})
	u := c.s.AddUser("svc", true)
	key := c.create("api_keys", fmt.Sprintf(`{"owner_id":%q}`, "bot_"+idSuffix(u.ID)))
	token := key["token"].(string)
	if r := c.do("GET", "/service_users", "", bearer(token)...); r.status != 200 {
		t.Fatalf("active owner: %d", r.status)
	}
	// Deactivated through the API with the user's own key: the next request fails.
	if r := c.do("PATCH", "/service_users/"+u.ID, `{"active":false}`, bearer(token)...); r.status != 200 {
		t.Fatalf("deactivate: %d", r.status)
	}
	c.do("GET", "/service_users", "", bearer(token)...).wantError(t, 401, "ERR_NGROK_636", "inactive")
	if err := c.s.SetActive(u.ID, true); err != nil {
		t.Fatal(err)
	}
	if r := c.do("GET", "/service_users", "", bearer(token)...); r.status != 200 {
		t.Fatalf("reactivated owner: %d", r.status)
	}
}

func TestAuthentication(t *testing.T) {
	c := newTest(t, Options{AgentAuthtoken: "2abcAgentToken_secret"})
	for _, tc := range []struct {
		name, auth string
		status     int
		code       string
	}{
		{"missing", "", 401, "ERR_NGROK_200"},
		{"blank", "   ", 401, "ERR_NGROK_200"},
		{"basic scheme", "Basic dXNlcjpwYXNz", 401, "ERR_NGROK_201"},
		{"bearer without token", "Bearer", 401, "ERR_NGROK_201"},
		{"no scheme", "test_key", 401, "ERR_NGROK_201"},
		{"token with spaces", "Bearer test key", 401, "ERR_NGROK_202"},
		{"token with a tab", "Bearer test\tkey", 401, "ERR_NGROK_202"},
		{"token with non-ASCII", "Bearer test\u00e9key", 401, "ERR_NGROK_202"},
		{"wrong key", "Bearer other_key", 401, "ERR_NGROK_203"},
		{"prefix of key", "Bearer test_ke", 401, "ERR_NGROK_203"},
		{"agent authtoken", "Bearer 2abcAgentToken_secret", 401, "ERR_NGROK_207"},
		{"prefix of authtoken", "Bearer 2abcAgentToken_secre", 401, "ERR_NGROK_203"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.do("GET", "/service_users", "", "Authorization", tc.auth)
			r.wantError(t, tc.status, tc.code, "")
			if strings.Contains(string(r.body), "other_key") || strings.Contains(string(r.body), "AgentToken") {
				t.Error("the rejected key is echoed back")
			}
		})
	}
	t.Run("case-insensitive scheme", func(t *testing.T) {
		if r := c.do("GET", "/service_users", "", "Authorization", "bearer test_key"); r.status != 200 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
	})
	t.Run("auth before version", func(t *testing.T) {
		r := c.do("GET", "/service_users", "", "Authorization", "", "Ngrok-Version", "")
		r.wantError(t, 401, "ERR_NGROK_200", "Authorization")
	})
}
