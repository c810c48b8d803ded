package provider

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// A created key is in state whole, with its identity, and the operation's
// reads see it without a request; a refused create writes neither state
// nor identity, and puts the error on the attribute the kind blames.
func TestCRUD_create(t *testing.T) {
	c, srv := newSpyCRUD(t)
	resp := resource.CreateResponse{State: nullKeyState(t), Identity: nullIdentity(t)}
	c.Create(t.Context(), resource.CreateRequest{Plan: keyPlan(t, plannedKey(nil))}, &resp)
	m := loadKey(t, resp.State)
	keys := srv.Credentials("api_keys")
	if resp.Diagnostics.HasError() || len(keys) != 1 || m.ID.ValueString() != keys[0].ID || m.Token.ValueString() != keys[0].Token ||
		m.OwnerID.ValueString() != srv.AccountUserID() || identityID(t, resp.Identity) != m.ID {
		t.Fatalf("state %+v, identity %s, %s; want the one key %+v", m, identityID(t, resp.Identity), diagText(resp.Diagnostics), keys)
	}
	sent := srv.TotalRequests()
	read := resource.ReadResponse{State: resp.State}
	c.Read(t.Context(), resource.ReadRequest{State: resp.State}, &read)
	if n := srv.TotalRequests() - sent; n != 0 || read.Diagnostics.HasError() || !read.State.Raw.Equal(resp.State.Raw) {
		t.Errorf("reading the key just created: %d requests, %s; want none, and the state as it was", n, diagText(read.Diagnostics))
	}

	for _, tc := range []struct {
		err  error
		want path.Path
	}{
		{apiErr(http.StatusBadRequest, "ERR_NGROK_634"), path.Root("owner_id")},
		{apiErr(http.StatusForbidden, "ERR_NGROK_630"), path.Root("owner_id")},
		{apiErr(http.StatusServiceUnavailable, ""), path.Empty()},
	} {
		c.kind.err = tc.err
		resp := resource.CreateResponse{State: nullKeyState(t), Identity: nullIdentity(t)}
		c.Create(t.Context(), resource.CreateRequest{Plan: keyPlan(t, plannedKey(nil))}, &resp)
		if got := errorPath(t, resp.Diagnostics); !got.Equal(tc.want) || resp.Diagnostics[0].Summary() != `Unable to create API key "ci"` {
			t.Errorf("%v: %q on %q; want it on %q", tc.err, resp.Diagnostics[0].Summary(), got, tc.want)
		}
		if !resp.State.Raw.IsNull() || !resp.Identity.Raw.IsNull() {
			t.Errorf("%v: state %s, identity %s; want both null", tc.err, resp.State.Raw, resp.Identity.Raw)
		}
	}
}

// Each write runs under its own timeout from the plan or state; a read
// under its own too, which a state may hold as zero (a warning, not a
// failure).
func TestCRUD_timeouts(t *testing.T) {
	c, _ := newSpyCRUD(t)
	limits := map[string]string{"create": "1h", "read": "0s", "update": "2h", "delete": "3h"}
	began := map[string]time.Time{"create": time.Now()}
	created := resource.CreateResponse{State: nullKeyState(t)}
	c.Create(t.Context(), resource.CreateRequest{Plan: keyPlan(t, plannedKey(limits))}, &created)
	read := resource.ReadResponse{State: created.State}
	c.Read(t.Context(), resource.ReadRequest{State: created.State}, &read)
	plan := loadKey(t, created.State)
	plan.Description = str("renamed")
	began["update"] = time.Now()
	updated := resource.UpdateResponse{State: created.State}
	c.Update(t.Context(), resource.UpdateRequest{Plan: keyPlan(t, plan), State: created.State}, &updated)
	began["delete"] = time.Now()
	deleted := resource.DeleteResponse{State: updated.State}
	c.Delete(t.Context(), resource.DeleteRequest{State: updated.State}, &deleted)
	ended := time.Now()
	for _, diags := range []diag.Diagnostics{created.Diagnostics, updated.Diagnostics, deleted.Diagnostics} {
		if diags.HasError() {
			t.Fatal(diagText(diags))
		}
	}
	for op, d := range map[string]time.Duration{"create": time.Hour, "update": 2 * time.Hour, "delete": 3 * time.Hour} {
		if got := c.kind.deadlines[op]; got.Before(began[op].Add(d)) || got.After(ended.Add(d)) {
			t.Errorf("%s ran until %s after it began, want %s", op, got.Sub(began[op]), d)
		}
	}
	if len(read.Diagnostics) != 1 || read.Diagnostics.WarningsCount() != 1 || !diagPath(read.Diagnostics[0]).Equal(path.Root("timeouts").AtName("read")) {
		t.Errorf("read with a timeout of 0s: %s; want a warning on timeouts.read", diagText(read.Diagnostics))
	}
}

// Without a configured provider, writes fail before any request and leave
// state as it was; a read keeps the state and sets the identity.
func TestCRUD_notConfigured(t *testing.T) {
	c := &spyCRUD{kind: &spyKind{credentialKind: apiKeyKind}}
	key := fullCredential(apiKeyKind)
	prior := keyState(t, key)
	plan := key
	plan.Description = str("other")

	created := resource.CreateResponse{State: nullKeyState(t)}
	c.Create(t.Context(), resource.CreateRequest{Plan: keyPlan(t, plannedKey(nil))}, &created)
	updated := resource.UpdateResponse{State: prior}
	c.Update(t.Context(), resource.UpdateRequest{Plan: keyPlan(t, plan), State: prior}, &updated)
	deleted := resource.DeleteResponse{State: prior}
	c.Delete(t.Context(), resource.DeleteRequest{State: prior}, &deleted)
	for _, tc := range []struct {
		op           string
		diags        diag.Diagnostics
		state, wantS tfsdk.State
	}{
		{"create", created.Diagnostics, created.State, nullKeyState(t)},
		{"update", updated.Diagnostics, updated.State, prior},
		{"delete", deleted.Diagnostics, deleted.State, prior},
	} {
		want := "Unable to " + tc.op + " the API key: the provider is not configured yet"
		if tc.diags.ErrorsCount() != 1 || tc.diags[0].Summary() != want || !tc.state.Raw.Equal(tc.wantS.Raw) {
			t.Errorf("%s: %s; want %q and the state as it was", tc.op, diagText(tc.diags), want)
		}
	}
	if len(c.kind.deadlines) != 0 {
		t.Errorf("writes reached the kind: %v", c.kind.deadlines)
	}

	read := resource.ReadResponse{State: prior, Identity: nullIdentity(t)}
	c.Read(t.Context(), resource.ReadRequest{State: prior}, &read)
	if read.Diagnostics.HasError() || !read.State.Raw.Equal(prior.Raw) || identityID(t, read.Identity) != key.ID {
		t.Errorf("read: %s, identity %s; want the state as it was and its ID", diagText(read.Diagnostics), identityID(t, read.Identity))
	}
}

// A read takes in what changed at ngrok, forgets a key deleted there, and
// on any other failure keeps the state as it was; each sets the identity.
func TestCRUD_read(t *testing.T) {
	c, srv := newSpyCRUD(t)
	key, prior := addKey(t, srv, "ci")
	if err := srv.SetCredentialDescription("api_keys", key.ID, "renamed"); err != nil {
		t.Fatal(err)
	}
	read := func() resource.ReadResponse {
		nextOperation(c)
		resp := resource.ReadResponse{State: prior, Identity: nullIdentity(t)}
		c.Read(t.Context(), resource.ReadRequest{State: prior}, &resp)
		if got := identityID(t, resp.Identity); got.ValueString() != key.ID {
			t.Errorf("identity %s, want %s", got, key.ID)
		}
		return resp
	}

	drift := read()
	if m := loadKey(t, drift.State); drift.Diagnostics.HasError() || m.Description.ValueString() != "renamed" || m.Token.ValueString() != "secret" {
		t.Errorf("%+v, %s; want the new description and the token kept", m, diagText(drift.Diagnostics))
	}

	srv.AddFault(emulator.Fault{Method: "GET", Kind: emulator.FaultStatus, Status: http.StatusForbidden, Times: 1})
	failed := read()
	if want := `Unable to read API key "` + key.ID + `"`; !errorPath(t, failed.Diagnostics).Equal(path.Empty()) ||
		failed.Diagnostics[0].Summary() != want || !failed.State.Raw.Equal(prior.Raw) {
		t.Errorf("%s; want %q, and the state as it was", diagText(failed.Diagnostics), want)
	}

	if err := srv.DeleteCredential("api_keys", key.ID); err != nil {
		t.Fatal(err)
	}
	gone := read()
	if gone.Diagnostics.HasError() || !gone.State.Raw.IsNull() {
		t.Errorf("%s, state %s; want the key removed from state", diagText(gone.Diagnostics), gone.State.Raw)
	}
}

// An update that changes only what ngrok does not hold sends nothing and
// writes the plan; one that reaches ngrok writes what ngrok replied, which
// the operation's reads then see without a request; a failed one keeps the
// state as it was and puts the error on the attribute the kind blames.
func TestCRUD_update(t *testing.T) {
	c, srv := newSpyCRUD(t)
	key, prior := addKey(t, srv, "ci")
	plan := loadKey(t, prior)
	plan.RotateAfter = str("1d")
	resp := resource.UpdateResponse{State: prior, Identity: nullIdentity(t)}
	before := srv.TotalRequests()
	c.Update(t.Context(), resource.UpdateRequest{Plan: keyPlan(t, plan), State: prior}, &resp)
	m := loadKey(t, resp.State)
	if n := srv.TotalRequests() - before; n != 0 || resp.Diagnostics.HasError() || m.RotateAfter.ValueString() != "1d" ||
		m.RotationDueAt.IsNull() || identityID(t, resp.Identity).ValueString() != key.ID {
		t.Errorf("%d requests, %s, state %+v; want none, and the plan with its rotation_due_at", n, diagText(resp.Diagnostics), m)
	}

	plan.Description = str("renamed")
	c.Update(t.Context(), resource.UpdateRequest{Plan: keyPlan(t, plan), State: prior}, &resp)
	sent := srv.TotalRequests()
	read := resource.ReadResponse{State: resp.State}
	c.Read(t.Context(), resource.ReadRequest{State: resp.State}, &read)
	m = loadKey(t, resp.State)
	if resp.Diagnostics.HasError() || !strings.HasSuffix(m.URI.ValueString(), "/api_keys/"+key.ID) || !read.State.Raw.Equal(resp.State.Raw) {
		t.Errorf("%s, state %+v; want the key as ngrok replied, and read back the same", diagText(resp.Diagnostics), m)
	}
	if n := srv.TotalRequests() - sent; n != 0 || read.Diagnostics.HasError() || loadKey(t, read.State).Description.ValueString() != "renamed" {
		t.Errorf("reading the key just updated: %d requests, %s; want none, and the new description", n, diagText(read.Diagnostics))
	}

	for _, tc := range []struct {
		err  error
		want path.Path
	}{
		{apiErr(http.StatusBadRequest, "ERR_NGROK_628"), path.Root("owner_id")},
		{apiErr(http.StatusForbidden, "ERR_NGROK_635"), path.Empty()},
	} {
		c.kind.err = tc.err
		resp := resource.UpdateResponse{State: prior}
		c.Update(t.Context(), resource.UpdateRequest{Plan: keyPlan(t, plan), State: prior}, &resp)
		if got := errorPath(t, resp.Diagnostics); !got.Equal(tc.want) || resp.Diagnostics[0].Summary() != `Unable to update API key "`+key.ID+`"` {
			t.Errorf("%v: %q on %q; want it on %q", tc.err, resp.Diagnostics[0].Summary(), got, tc.want)
		}
		if !resp.State.Raw.Equal(prior.Raw) {
			t.Errorf("%v: state %s; want it as it was", tc.err, resp.State.Raw)
		}
	}
}

// A delete of a key already gone succeeds; a refused one fails; after a
// delete, the operation's reads find the key gone without a request.
func TestCRUD_delete(t *testing.T) {
	c, srv := newSpyCRUD(t)
	_, state := addKey(t, srv, "ci")
	for _, tc := range []struct {
		name string
		err  error
		want string // "": none
	}{
		{"refused", apiErr(http.StatusForbidden, "ERR_NGROK_635"), `Unable to delete API key "`},
		{"live", nil, ""},
		{"already gone", nil, ""},
	} {
		c.kind.err = tc.err
		nextOperation(c)
		resp := resource.DeleteResponse{State: state}
		c.Delete(t.Context(), resource.DeleteRequest{State: state}, &resp)
		if tc.want == "" && resp.Diagnostics.HasError() ||
			tc.want != "" && (resp.Diagnostics.ErrorsCount() != 1 || !strings.HasPrefix(resp.Diagnostics[0].Summary(), tc.want)) {
			t.Errorf("%s: %s; want %q", tc.name, diagText(resp.Diagnostics), tc.want)
		}
	}
	if keys := srv.Credentials("api_keys"); len(keys) != 0 {
		t.Errorf("%d keys left at ngrok, want none", len(keys))
	}
	sent := srv.TotalRequests()
	read := resource.ReadResponse{State: state}
	c.Read(t.Context(), resource.ReadRequest{State: state}, &read)
	if n := srv.TotalRequests() - sent; n != 0 || read.Diagnostics.HasError() || !read.State.Raw.IsNull() {
		t.Errorf("reading the key just deleted: %d requests, %s, state %s; want none, and no state", n, diagText(read.Diagnostics), read.State.Raw)
	}
}

// A refused delete leaves the key where it was, and the operation's reads
// say so: only a delete that succeeded (or found it gone) forgets it.
func TestCRUD_refusedDeleteForgetsNothing(t *testing.T) {
	c, srv := newSpyCRUD(t)
	_, state := addKey(t, srv, "kept")
	c.kind.err = apiErr(http.StatusForbidden, "ERR_NGROK_635")
	nextOperation(c)
	resp := resource.DeleteResponse{State: state}
	c.Delete(t.Context(), resource.DeleteRequest{State: state}, &resp)
	if !resp.Diagnostics.HasError() {
		t.Fatal("the delete was refused but reported no error")
	}
	c.kind.err = nil
	read := resource.ReadResponse{State: state}
	c.Read(t.Context(), resource.ReadRequest{State: state}, &read)
	if read.Diagnostics.HasError() || read.State.Raw.IsNull() {
		t.Errorf("reading the key a refused delete left: %s, state %s; want it still in state", diagText(read.Diagnostics), read.State.Raw)
	}
}

// A plan or state that does not load (another kind's, here) is what a write
// reports: it starts nothing, and says nothing of the provider's
// configuration.
func TestCRUD_unloadableModel(t *testing.T) {
	c := &spyCRUD{kind: &spyKind{credentialKind: apiKeyKind}}
	other := nullState(t, newCredentialResource(authtokenKind))
	m := fullCredential(authtokenKind)
	if diags := authtokenKind.state.store(t.Context(), &other, &m); diags.HasError() {
		t.Fatal(diagText(diags))
	}
	created := resource.CreateResponse{State: nullKeyState(t)}
	c.Create(t.Context(), resource.CreateRequest{Plan: tfsdk.Plan(other)}, &created)
	deleted := resource.DeleteResponse{State: other}
	c.Delete(t.Context(), resource.DeleteRequest{State: other}, &deleted)
	for op, diags := range map[string]diag.Diagnostics{"create": created.Diagnostics, "delete": deleted.Diagnostics} {
		if diags.ErrorsCount() != 1 || !strings.Contains(diagText(diags), "acl") {
			t.Errorf("%s: %s; want one error, about acl", op, diagText(diags))
		}
	}
	if len(c.kind.deadlines) != 0 {
		t.Errorf("operations started: %v; want none", c.kind.deadlines)
	}
}

// Configure takes the provider's data, which is none, and no error, before
// the provider is configured.
func TestCRUD_configure(t *testing.T) {
	c := &spyCRUD{data: &providerData{}}
	var resp resource.ConfigureResponse
	c.Configure(t.Context(), resource.ConfigureRequest{}, &resp)
	if resp.Diagnostics.HasError() || c.data != nil {
		t.Errorf("before the provider is configured: data %v, %s; want none", c.data, diagText(resp.Diagnostics))
	}
	data := &providerData{}
	c.Configure(t.Context(), resource.ConfigureRequest{ProviderData: data}, &resp)
	if resp.Diagnostics.HasError() || c.data != data {
		t.Errorf("data %p, %s; want the provider's, %p", c.data, diagText(resp.Diagnostics), data)
	}
}
