package contract

import (
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// TestContract_TokensReturnedOnce: an API key's and an authtoken's token is
// in the create reply and never again: null (or absent) in GET and in lists.
// The resources keep it from the create in state, and import leaves it null.
func TestContract_TokensReturnedOnce(t *testing.T) {
	tg := open(t, emulator.Options{})
	owner := tg.user(ngrok.ServiceUsers, "tokens", true)
	for _, col := range []ngrok.Collection{ngrok.APIKeys, ngrok.Authtokens} {
		cr := tg.credential(col, "token", ngrok.CredentialCreate{OwnerID: owner.ID})
		if cr.Token == nil || *cr.Token == "" {
			t.Fatalf("the create reply of /%s has no token", col)
		}
		got := tg.read("/" + string(col) + "/" + cr.ID)
		if tok, present := got["token"]; present && tok != nil {
			t.Errorf("GET /%s/%s shows the token again", col, cr.ID)
		}
		listKey := string(col)
		if col == ngrok.APIKeys {
			listKey = "keys"
		}
		list := tg.read("/" + string(col) + "?filter=" + url.QueryEscape("obj.id == "+ngrok.CELString(cr.ID)))
		listed := items(t, list, listKey)
		if len(listed) != 1 {
			t.Fatalf("listing /%s by id found %d", col, len(listed))
		}
		if tok, present := listed[0]["token"]; present && tok != nil {
			t.Errorf("the list of /%s shows the token again", col)
		}
	}
}

// TestContract_APIKeyTokenAuthenticates: an API key created through the API
// authenticates at once, as the owner's (the ephemeral ngrok_api_key is used
// right after it is opened). After its delete it is refused (recorded).
func TestContract_APIKeyTokenAuthenticates(t *testing.T) {
	tg := open(t, emulator.Options{})
	owner := tg.user(ngrok.ServiceUsers, "apikey", true)
	k := tg.credential(ngrok.APIKeys, "apikey", ngrok.CredentialCreate{OwnerID: owner.ID})
	probe := request{method: http.MethodGet, path: "/service_users?limit=1", key: *k.Token}
	if r := tg.do(probe); r.status != http.StatusOK {
		t.Fatalf("a new API key's token: HTTP %d: %.300s", r.status, r.body)
	}
	if err := tg.client.Credentials(ngrok.APIKeys).Delete(tg.ctx(), k.ID); err != nil {
		t.Fatal(err)
	}
	tg.observe("status with the token of a deleted API key", tg.do(probe).status, http.StatusUnauthorized)
}

// TestContract_AuthtokenIsNotAnAPIKey: an agent authtoken sent as an API key
// gets 401 ERR_NGROK_207, which the provider's diagnostic turns into "this
// is an authtoken, not an API key".
func TestContract_AuthtokenIsNotAnAPIKey(t *testing.T) {
	tg := open(t, emulator.Options{})
	owner := tg.user(ngrok.ServiceUsers, "authtoken", true)
	at := tg.credential(ngrok.Authtokens, "authtoken", ngrok.CredentialCreate{OwnerID: owner.ID})
	r := tg.do(request{method: http.MethodGet, path: "/service_users?limit=1", key: *at.Token})
	checkError(t, r, http.StatusUnauthorized, "ERR_NGROK_207")
}

// TestContract_OwnerIDSpelling: owner_id is reported back as the ID sent for
// a service user. For a user created as a bot user, either spelling
// (bot_X, service_X) may come back: the provider treats both as one owner
// and filters on both, and the case records which. The credentials data
// sources' owner filter must find the credentials either way.
func TestContract_OwnerIDSpelling(t *testing.T) {
	tg := open(t, emulator.Options{})
	s := tg.user(ngrok.ServiceUsers, "owner", true)
	b := tg.user(ngrok.BotUsers, "owner", true)

	ks := tg.credential(ngrok.APIKeys, "owner", ngrok.CredentialCreate{OwnerID: s.ID})
	if ks.OwnerID != s.ID {
		t.Errorf("owner_id %s sent, %s reported", s.ID, ks.OwnerID)
	}
	kb := tg.credential(ngrok.APIKeys, "owner", ngrok.CredentialCreate{OwnerID: b.ID})
	if !ngrok.SameUser(b.ID, kb.OwnerID) {
		t.Errorf("owner_id %s reported for user %s: not a spelling of that user", kb.OwnerID, b.ID)
	}
	tg.observe("owner_id reported for a bot user named bot_X", kb.OwnerID, b.ID)

	asService := "service_" + key(b.ID)
	r := tg.do(request{method: http.MethodPost, path: "/api_keys", body: map[string]any{"owner_id": asService, "description": tg.name("owner")}})
	reported := ""
	if r.status == http.StatusCreated {
		m := r.object(t)
		id, _ := m["id"].(string)
		tg.deleteLater(ngrok.APIKeys, id)
		reported, _ = m["owner_id"].(string)
		if !ngrok.SameUser(b.ID, reported) {
			t.Errorf("owner_id %s reported for user %s: not a spelling of that user", reported, b.ID)
		}
	}
	tg.observe("creating with owner_id service_X for bot user bot_X (status, owner_id reported)", []any{r.status, reported}, []any{http.StatusCreated, b.ID})

	// The filter the credentials data sources send: the configured filter
	// on lines of its own, and the owner by either spelling.
	filter := "(\nobj.description != \"\"\n) && " + ngrok.OwnerFilter(b.ID)
	found := ids(collect(t, tg.client.Credentials(ngrok.APIKeys).List(tg.ctx(), ngrok.ListOptions{Filter: filter})))
	if !slices.Contains(found, kb.ID) || slices.Contains(found, ks.ID) {
		t.Errorf("owner filter %s found %v; want %s and not %s", filter, found, kb.ID, ks.ID)
	}
}

// TestContract_CredentialsOfDeletedUser records whether deleting a service
// user deletes its credentials (ngrok documents it for users, not restated
// for service users). The provider works either way: a credential's Read
// drops it from state on 404, and its Delete counts 404 as done.
func TestContract_CredentialsOfDeletedUser(t *testing.T) {
	eachOption(t, "KeepOrphanedCredentials", func(t *testing.T, keep bool) {
		tg := open(t, emulator.Options{KeepOrphanedCredentials: keep})
		u := tg.user(ngrok.ServiceUsers, "cascade", true)
		k := tg.credential(ngrok.APIKeys, "cascade", ngrok.CredentialCreate{OwnerID: u.ID})
		at := tg.credential(ngrok.Authtokens, "cascade", ngrok.CredentialCreate{OwnerID: u.ID})
		if err := tg.client.Users(ngrok.ServiceUsers).Delete(tg.ctx(), u.ID); err != nil {
			t.Fatal(err)
		}
		want := http.StatusNotFound
		if keep {
			want = http.StatusOK
		}
		tg.observe("GET of a deleted user's API key", tg.get("/api_keys/"+k.ID).status, want)
		tg.observe("GET of a deleted user's authtoken", tg.get("/credentials/"+at.ID).status, want)
	})
}

// TestContract_CredentialForInactiveOwner records whether a credential can
// be created for an inactive user, and whether its key then works. The
// provider's diagnostic for ERR_NGROK_636 covers either refusal.
func TestContract_CredentialForInactiveOwner(t *testing.T) {
	eachOption(t, "RefuseInactiveOwner", func(t *testing.T, refuse bool) {
		tg := open(t, emulator.Options{RefuseInactiveOwner: refuse})
		u := tg.user(ngrok.ServiceUsers, "inactive", false)
		r := tg.do(request{method: http.MethodPost, path: "/api_keys", body: map[string]any{"owner_id": u.ID, "description": tg.name("inactive")}})
		code, _ := r.object(t)["error_code"].(string)
		wantStatus, wantCode := http.StatusCreated, ""
		if refuse {
			wantStatus, wantCode = http.StatusBadRequest, "ERR_NGROK_636"
		}
		tg.observe("creating an API key for an inactive user (status, error_code)", []any{r.status, code}, []any{wantStatus, wantCode})
		if r.status != http.StatusCreated {
			return
		}
		m := r.object(t)
		id, _ := m["id"].(string)
		tg.deleteLater(ngrok.APIKeys, id)
		token, _ := m["token"].(string)
		use := tg.do(request{method: http.MethodGet, path: "/service_users?limit=1", key: token})
		useCode, _ := use.object(t)["error_code"].(string)
		tg.observe("the key of an inactive user (status, error_code)", []any{use.status, useCode}, []any{http.StatusUnauthorized, "ERR_NGROK_636"})
	})
}

// TestContract_UnknownOwnerRefused records how a create naming an owner_id
// that names no user is refused; the provider's diagnostic expects 400
// ERR_NGROK_634, which ngrok does not promise.
func TestContract_UnknownOwnerRefused(t *testing.T) {
	tg := open(t, emulator.Options{})
	u := tg.user(ngrok.ServiceUsers, "nobody", true)
	r := tg.do(request{method: http.MethodPost, path: "/api_keys", body: map[string]any{"owner_id": ghost("service_", u.ID), "description": tg.name("nobody")}})
	m := r.object(t)
	if r.status == http.StatusCreated {
		id, _ := m["id"].(string)
		tg.deleteLater(ngrok.APIKeys, id)
		t.Errorf("an API key was created for owner_id %s, which names no user", ghost("service_", u.ID))
		return
	}
	code, _ := m["error_code"].(string)
	tg.observe("creating an API key for an unknown owner_id (status, error_code)", []any{r.status, code}, []any{http.StatusBadRequest, "ERR_NGROK_634"})
}

// TestContract_OwnerReassignRefused records how a PATCH naming another
// owner_id is answered (the emulator: 400 ERR_NGROK_627/628/629, as ngrok's
// error catalogue suggests; ngrok's update schemas have no owner_id). The
// provider never sends one: a new owner replaces the credential.
func TestContract_OwnerReassignRefused(t *testing.T) {
	tg := open(t, emulator.Options{})
	first := tg.user(ngrok.ServiceUsers, "reassign", true)
	second := tg.user(ngrok.ServiceUsers, "reassign", true)
	k := tg.credential(ngrok.APIKeys, "reassign", ngrok.CredentialCreate{OwnerID: first.ID})
	r := tg.do(request{method: http.MethodPatch, path: "/api_keys/" + k.ID, body: map[string]any{"owner_id": second.ID}})
	code, _ := r.object(t)["error_code"].(string)
	tg.observe("PATCH of an API key with another owner_id (status, error_code)", []any{r.status, code}, []any{http.StatusBadRequest, "ERR_NGROK_628"})
	owner, _ := tg.read("/api_keys/" + k.ID)["owner_id"].(string)
	tg.observe("the API key's owner_id after that PATCH", owner, first.ID)
}

// TestContract_CredentialFieldLimits records how over-long descriptions and
// an acl rule that is neither "*" nor "bind:…" are answered. ngrok documents
// the limits (255 and 4,096 bytes) but not its codes for them; the emulator
// answers 400 ERR_NGROK_215, and the provider checks the limits itself
// before any request.
func TestContract_CredentialFieldLimits(t *testing.T) {
	tg := open(t, emulator.Options{})
	owner := tg.user(ngrok.ServiceUsers, "limits", true)
	long := tg.name("limits")
	long += strings.Repeat("x", 256-len(long))
	for _, c := range []struct {
		what string
		col  ngrok.Collection
		body map[string]any
	}{
		{"a 256-byte description", ngrok.APIKeys, map[string]any{"owner_id": owner.ID, "description": long}},
		{"a 4,097-byte metadata", ngrok.APIKeys, map[string]any{"owner_id": owner.ID, "description": tg.name("limits"), "metadata": strings.Repeat("m", 4097)}},
		{"an acl rule neither * nor bind:", ngrok.Authtokens, map[string]any{"owner_id": owner.ID, "description": tg.name("limits"), "acl": []string{"nonsense"}}},
	} {
		r := tg.do(request{method: http.MethodPost, path: "/" + string(c.col), body: c.body})
		m := r.object(t)
		if r.status == http.StatusCreated {
			id, _ := m["id"].(string)
			tg.deleteLater(c.col, id)
		}
		code, _ := m["error_code"].(string)
		tg.observe("creating with "+c.what+" (status, error_code)", []any{r.status, code}, []any{http.StatusBadRequest, "ERR_NGROK_215"})
	}
}

// TestContract_CredentialReplyFields: a create reply echoes description,
// metadata and owner_id; an authtoken or SSH key created without acl has
// acl [] (the provider's default for the attribute, so a null would show as
// a change after apply); an SSH key has no token, and its public_key is the
// same key as sent. Whether it comes back verbatim, comment and all, is
// recorded: the provider compares keys by type and data only.
func TestContract_CredentialReplyFields(t *testing.T) {
	tg := open(t, emulator.Options{})
	owner := tg.user(ngrok.ServiceUsers, "fields", true)
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " contract@example"
	for _, col := range []ngrok.Collection{ngrok.Authtokens, ngrok.SSHCredentials} {
		in := ngrok.CredentialCreate{OwnerID: owner.ID, Metadata: `{"contract":true}`}
		if col == ngrok.SSHCredentials {
			in.PublicKey = line
		}
		cr := tg.credential(col, "fields", in)
		if !strings.HasPrefix(cr.Description, tg.prefix) || cr.Metadata != in.Metadata || cr.OwnerID != owner.ID {
			t.Errorf("/%s echoed description %q, metadata %q, owner_id %s", col, cr.Description, cr.Metadata, cr.OwnerID)
		}
		if cr.ACL == nil || len(cr.ACL) != 0 {
			t.Errorf("/%s without acl reports acl %#v; want []", col, cr.ACL)
		}
		if col != ngrok.SSHCredentials {
			continue
		}
		if cr.Token != nil {
			t.Errorf("an SSH key has a token")
		}
		got, _, _, _, err := ssh.ParseAuthorizedKey([]byte(cr.PublicKey))
		if err != nil || string(got.Marshal()) != string(sshPub.Marshal()) {
			t.Errorf("public_key %q is not the key sent (%v)", cr.PublicKey, err)
		}
		tg.observe("public_key reported verbatim, comment included", cr.PublicKey == line, true)
	}
}

// TestContract_OnlyAdminsNameAnotherOwner: a service user's API key that
// creates a credential for another user is refused with ERR_NGROK_630, since
// ngrok documents that only admins may specify an owner other than
// themselves, and one naming itself is created. Both are asserted. The
// catalogue gives 630 no status (the emulator's 403 is recorded), and
// whether the bot_ spelling of the key's own owner counts as itself is
// recorded too.
func TestContract_OnlyAdminsNameAnotherOwner(t *testing.T) {
	tg := open(t, emulator.Options{})
	self := tg.user(ngrok.ServiceUsers, "owner", true)
	other := tg.user(ngrok.ServiceUsers, "owner", true)
	k := tg.credential(ngrok.APIKeys, "owner", ngrok.CredentialCreate{OwnerID: self.ID})
	create := func(owner string) rawReply {
		t.Helper()
		r := tg.do(request{method: http.MethodPost, path: "/api_keys", body: map[string]any{"owner_id": owner, "description": tg.name("owner")}, key: *k.Token})
		if id, _ := r.object(t)["id"].(string); r.status == http.StatusCreated && id != "" {
			tg.deleteLater(ngrok.APIKeys, id)
		}
		return r
	}
	if r := create(other.ID); r.status < 300 {
		t.Errorf("a service user's key created an API key for %s: HTTP %d; want ERR_NGROK_630", other.ID, r.status)
	} else {
		if code, _ := r.object(t)["error_code"].(string); code != "ERR_NGROK_630" {
			t.Errorf("a service user's key naming another owner: error_code %q, want ERR_NGROK_630: %.300s", code, r.body)
		}
		tg.observe("status of ERR_NGROK_630", r.status, http.StatusForbidden)
	}
	if r := create(self.ID); r.status != http.StatusCreated {
		t.Errorf("a service user's key naming itself as owner: HTTP %d: %.300s", r.status, r.body)
	}
	tg.observe("status of a create naming the key's own owner as bot_X", create("bot_"+key(self.ID)).status, http.StatusCreated)
}
