package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// envPeerBin names a binary of ngrok's own provider, ngrok/ngrok v0.8.0, for
// TestAccPeerMigration_ngrokV08.
const envPeerBin = "NGROK_ACC_PEER_BIN"

// peerVersion is the ngrok/ngrok release the binary in envPeerBin is built
// from; the test installs it as that version.
const peerVersion = "0.8.0"

// TestAccPeerMigration_ngrokV08 checks the moves from ngrok/ngrok against the
// real thing rather than against the fixtures in testdata/move_state: ngrok's
// provider v0.8.0 creates a service user and the credentials it owns in the
// emulator, under the CLI under test; the test checks the state it wrote
// against the fixtures (attribute names and JSON types, what an unset
// attribute holds, the IDs' and uris' forms); then this provider takes
// everything over with moved blocks, with no create, update or delete, every
// token kept, and a clean plan after.
//
// It is opt-in, because it needs ngrok/ngrok's binary, which this repository
// neither builds nor holds (never commit it or its sources). To run it, build
// v0.8.0 outside the repository (Go fetches its modules from the module proxy):
//
//	git clone https://github.com/ngrok/terraform-provider-ngrok /tmp/ngrok-v0.8.0
//	git -C /tmp/ngrok-v0.8.0 checkout v0.8.0
//	(cd /tmp/ngrok-v0.8.0 && go build -o /tmp/peer/terraform-provider-ngrok_v0.8.0 .)
//
// and run it on each CLI (the OpenTofu run needs no extra settings: the
// providers are installed from a filesystem mirror holding them under both
// registry hosts):
//
//	export NGROK_ACC_PEER_BIN=/tmp/peer/terraform-provider-ngrok_v0.8.0
//	TF_ACC=1 go test -count=1 ./internal/provider/ -run Peer -v
//	TF_ACC=1 TF_ACC_TERRAFORM_PATH=$(go env GOPATH)/bin/terraform-1.16.4 go test -count=1 ./internal/provider/ -run Peer -v
//	TF_ACC=1 TF_ACC_TERRAFORM_PATH=$(go env GOPATH)/bin/tofu go test -count=1 ./internal/provider/ -run Peer -v
//
// With -v it logs the state ngrok/ngrok wrote, tokens redacted.
func TestAccPeerMigration_ngrokV08(t *testing.T) {
	accPreCheck(t)
	peer := os.Getenv(envPeerBin)
	if peer == "" {
		t.Skipf("set %s to a binary of ngrok/ngrok v%s (see the test's comment for how to build it)", envPeerBin, peerVersion)
	}
	peer, err := filepath.Abs(peer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(peer); err != nil {
		t.Fatalf("%s: %v", envPeerBin, err)
	}
	srv := testEmulator(t)
	run := newCLIRun(t, srv, t.TempDir(), "")
	run.installFromMirror(
		mirrored{source: Source, version: "0.1.0", bin: filepath.Join(providerBinaryDir(t), "terraform-provider-ngrok")},
		mirrored{source: ngrokProviderSource, version: peerVersion, bin: peer},
	)

	// ngrok/ngrok creates them.
	run.writeMain(peerConfig(srv))
	run.mustRun("init", "-input=false")
	run.mustRun("apply", "-auto-approve", "-input=false")
	before := readState(t, run)
	users, creds := srv.Users(), peerCredentials(srv)
	for _, m := range peerMoves {
		got, ok := before[m.from]
		if !ok {
			t.Fatalf("ngrok/ngrok's state has no %s", m.from)
		}
		t.Logf("%s, schema version %d, as ngrok/ngrok v%s wrote it: %s", m.from, got.SchemaVersion, peerVersion, redactToken(got.Attributes))
		checkPeerState(t, srv, m, got)
	}

	// This provider takes them over.
	srv.ResetCounts()
	run.writeMain(ourConfig(srv))
	run.mustRun("init", "-input=false")
	out, code := run.runCode("plan", "-detailed-exitcode", "-input=false")
	if code != 2 || !strings.Contains(out, "0 to add, 0 to change, 0 to destroy") {
		t.Fatalf("the plan of the moves (exit code %d, want 2: moves only):\n%s", code, out)
	}
	for _, m := range peerMoves {
		if !strings.Contains(out, m.from+" has moved to "+m.to) {
			t.Errorf("the plan does not show %s moving to %s", m.from, m.to)
		}
	}
	run.mustRun("apply", "-auto-approve", "-input=false")
	checkOnlyReads(t, srv, "the moves")
	if !reflect.DeepEqual(srv.Users(), users) || !reflect.DeepEqual(peerCredentials(srv), creds) {
		t.Errorf("the moves changed the account:\nusers %+v\nthen %+v\ncredentials %+v\nthen %+v", users, srv.Users(), creds, peerCredentials(srv))
	}
	after := readState(t, run)
	for _, m := range peerMoves {
		old, got := before[m.from], after[m.to]
		if _, left := after[m.from]; left {
			t.Errorf("%s is still in the state", m.from)
		}
		if !strings.HasSuffix(got.Provider, "/"+Source+`"]`) {
			t.Errorf("%s belongs to %s", m.to, got.Provider)
		}
		if id := stateString(t, got.Attributes, "id"); id != stateString(t, old.Attributes, "id") {
			t.Errorf("%s has id %q, ngrok/ngrok's %s had %q", m.to, id, m.from, stateString(t, old.Attributes, "id"))
		}
		if _, has := old.Attributes["token"]; has && stateString(t, got.Attributes, "token") != stateString(t, old.Attributes, "token") {
			t.Errorf("%s's token is not the one ngrok/ngrok kept", m.to)
		}
		switch id, ok := got.Identity["id"]; {
		case !ok && os.Getenv(envRequireIdentity) != "":
			t.Errorf("%s has no identity, on a CLI that keeps them", m.to)
		case ok && string(id) != string(got.Attributes["id"]):
			t.Errorf("%s's identity holds %s, its id is %s", m.to, id, got.Attributes["id"])
		}
	}
	// The API key moved with its token works.
	token := stateString(t, after["ngrok_api_key.deploy"].Attributes, "token")
	if status := getWithToken(t, srv, "/service_users", token); status != http.StatusOK {
		t.Errorf("GET /service_users with the moved API key's token: %d", status)
	}
	if out, code := run.runCode("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Errorf("the plan after the moves (exit code %d):\n%s", code, out)
	}
}

// peerMove is one resource that ngrok/ngrok creates and a moved block brings
// into this provider. attrs are its attributes, valid for both providers;
// USER stands for the address of the service user.
type peerMove struct {
	from, to string
	col      string // the emulator's collection; "" for the service user
	attrs    []string
	fixture  string // the fixture of the source type, in testdata/move_state
	unset    bool   // optional attributes left unset
}

var peerMoves = []peerMove{
	{from: "ngrok_service_user.ci", to: "ngrok_service_user.deploy", attrs: []string{`name = "ci-deploy"`},
		fixture: "ngrok-v0.8-service_user.json"},
	{from: "ngrok_api_key.ci", to: "ngrok_api_key.deploy", col: "api_keys", fixture: "ngrok-v0.8-api_key.json",
		attrs: []string{
			`description = "ngrok API key for CI automation"`,
			`metadata    = jsonencode({ environment = "production" })`,
			`owner_id    = USER.id`,
		}},
	{from: "ngrok_api_key.bare", to: "ngrok_api_key.plain", col: "api_keys", fixture: "ngrok-v0.8-api_key.json", unset: true},
	{from: "ngrok_credential.agent", to: "ngrok_authtoken.agent", col: "credentials", fixture: "ngrok-v0.8-credential.json",
		attrs: []string{
			`description = "Tunnel credential for the production agent"`,
			`acl         = ["bind:app.example.com", "bind:*.staging.example.com"]`,
			`owner_id    = USER.id`,
		}},
	{from: "ngrok_credential.bare", to: "ngrok_authtoken.plain", col: "credentials", fixture: "ngrok-v0.8-credential.json", unset: true},
	{from: "ngrok_ssh_credential.ci", to: "ngrok_ssh_credential.deploy", col: "ssh_credentials", fixture: "ngrok-v0.8-ssh_credential.json",
		attrs: []string{
			fmt.Sprintf(`public_key = %q`, testPublicKey),
			`acl        = ["bind:1.tcp.ngrok.io:20002"]`,
			`owner_id   = USER.id`,
		}},
	{from: "ngrok_ssh_credential.bare", to: "ngrok_ssh_credential.plain", col: "ssh_credentials", fixture: "ngrok-v0.8-ssh_credential.json",
		attrs: []string{fmt.Sprintf(`public_key = %q`, otherTestPublicKey)}, unset: true},
}

// peerConfig is the configuration for ngrok/ngrok, as its users write it.
func peerConfig(srv *emulator.Server) string {
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    ngrok = {
      source  = %[1]q
      version = %[2]q
    }
  }
}
`, ngrokProviderSource, peerVersion)
	b.WriteString(providerBlock(srv))
	for _, m := range peerMoves {
		writeResource(&b, m.from, m.attrs, peerMoves[0].from)
	}
	return b.String()
}

// ourConfig is the configuration that takes over, as the migration guide
// has it: this provider as "ngrok", ngrok/ngrok kept under another local name
// for this run, and a moved block for each resource.
func ourConfig(srv *emulator.Server) string {
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    ngrok = {
      source = %[1]q
    }
    ngrok-legacy = {
      source  = %[2]q
      version = %[3]q
    }
  }
}
`, Source, ngrokProviderSource, peerVersion)
	b.WriteString(providerBlock(srv))
	for _, m := range peerMoves {
		writeResource(&b, m.to, m.attrs, peerMoves[0].to)
		b.WriteString(movedBlock(m.from, m.to))
	}
	return b.String()
}

// writeResource writes the resource at addr with attrs, a line each, USER
// in them standing for user.
func writeResource(b *strings.Builder, addr string, attrs []string, user string) {
	typ, name, _ := strings.Cut(addr, ".")
	fmt.Fprintf(b, "resource %q %q {\n", typ, name)
	for _, a := range attrs {
		b.WriteString("  " + strings.ReplaceAll(a, "USER", user) + "\n")
	}
	b.WriteString("}\n")
}

// checkPeerState compares what ngrok/ngrok wrote for m with m's fixture and
// with the emulator.
func checkPeerState(t *testing.T, srv *emulator.Server, m peerMove, got stateInstance) {
	t.Helper()
	if !strings.HasSuffix(got.Provider, "/"+ngrokProviderSource+`"]`) || got.SchemaVersion != 0 || got.Identity != nil {
		t.Errorf("%s: provider %s, schema version %d, identity %v", m.from, got.Provider, got.SchemaVersion, got.Identity)
	}
	var fx map[string]json.RawMessage
	if err := json.Unmarshal([]byte(fixture(t, m.fixture)), &fx); err != nil {
		t.Fatal(err)
	}
	// The same attributes, of the same JSON types (a null is a type of its
	// own here: the fixtures must say where ngrok/ngrok writes null).
	if want, have := shapeOf(fx), shapeOf(got.Attributes); !reflect.DeepEqual(want, have) {
		t.Errorf("%s: attributes and their types in %s: %v; ngrok/ngrok v%s wrote %v", m.from, m.fixture, want, peerVersion, have)
	}
	id := stateString(t, got.Attributes, "id")
	fixtureID := stateString(t, fx, "id")
	prefix, ksuid, _ := strings.Cut(id, "_")
	fixturePrefix, fixtureKSUID, _ := strings.Cut(fixtureID, "_")
	if prefix != fixturePrefix || len(ksuid) != len(fixtureKSUID) {
		t.Errorf("%s: id %q, the fixture's %q", m.from, id, fixtureID)
	}
	// ngrok/ngrok keeps the uri the API returns: the API's base URL, the
	// collection it called and the ID. The fixtures show ngrok's own base.
	col := m.col
	if col == "" {
		col = "bot_users" // v0.8's ngrok_service_user calls /bot_users
	}
	if uri := stateString(t, got.Attributes, "uri"); uri != srv.URL()+"/"+col+"/"+id {
		t.Errorf("%s: uri %q", m.from, uri)
	}
	if uri := stateString(t, fx, "uri"); uri != "https://api.ngrok.com/"+col+"/"+fixtureID {
		t.Errorf("%s: uri %q", m.fixture, uri)
	}
	if m.col == "" {
		return
	}
	cred, ok := srv.GetCredential(m.col, id)
	if !ok {
		t.Fatalf("%s: the emulator has no %s %s", m.from, m.col, id)
	}
	if _, has := got.Attributes["token"]; has && stateString(t, got.Attributes, "token") != cred.Token {
		t.Errorf("%s: the token in ngrok/ngrok's state is not the one the API returned", m.from)
	}
	if m.unset {
		// What ngrok/ngrok writes for the optional attributes left unset: the
		// API's values, "" and [], and the caller as the owner.
		for name, want := range map[string]string{"description": `""`, "metadata": `""`, "acl": "[]", "owner_id": fmt.Sprintf("%q", srv.AccountUserID())} {
			if raw, has := got.Attributes[name]; has && string(raw) != want {
				t.Errorf("%s: unset %s is %s, want %s", m.from, name, raw, want)
			}
		}
	}
}

// peerCredentials are the emulator's credentials, for comparing before and after.
func peerCredentials(srv *emulator.Server) map[string][]emulator.Credential {
	creds := map[string][]emulator.Credential{}
	for _, col := range []string{"api_keys", "credentials", "ssh_credentials"} {
		creds[col] = srv.Credentials(col)
	}
	return creds
}

// stateInstance is one resource instance in a state file.
type stateInstance struct {
	Provider      string
	SchemaVersion int                        `json:"schema_version"`
	Attributes    map[string]json.RawMessage `json:"attributes"`
	Identity      map[string]json.RawMessage `json:"identity"`
}

// readState reads the run's local state: resource address to instance.
func readState(t *testing.T, r *cliRun) map[string]stateInstance {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(r.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Mode, Type, Name, Provider string
			Instances                  []stateInstance
		}
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	out := map[string]stateInstance{}
	for _, res := range state.Resources {
		if res.Mode != "managed" || len(res.Instances) != 1 {
			continue
		}
		inst := res.Instances[0]
		inst.Provider = res.Provider
		out[res.Type+"."+res.Name] = inst
	}
	return out
}

// shapeOf maps each attribute to its JSON type.
func shapeOf(attrs map[string]json.RawMessage) map[string]string {
	shape := make(map[string]string, len(attrs))
	for name, raw := range attrs {
		var v any
		_ = json.Unmarshal(raw, &v)
		switch v.(type) {
		case nil:
			shape[name] = "null"
		case string:
			shape[name] = "string"
		case bool:
			shape[name] = "bool"
		case float64:
			shape[name] = "number"
		case []any:
			shape[name] = "list"
		default:
			shape[name] = "object"
		}
	}
	return shape
}

// stateString is a string attribute, "" when null or absent.
func stateString(t *testing.T, attrs map[string]json.RawMessage, name string) string {
	t.Helper()
	var s *string
	if raw, ok := attrs[name]; ok {
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s is not a string: %s", name, raw)
		}
	}
	if s == nil {
		return ""
	}
	return *s
}

// redactToken renders attributes for the log, the token's value hidden.
func redactToken(attrs map[string]json.RawMessage) string {
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		var compact bytes.Buffer
		if err := json.Compact(&compact, attrs[name]); err != nil {
			compact.Write(attrs[name])
		}
		v := compact.String()
		if name == "token" && v != "null" && v != `""` {
			v = `"<redacted>"`
		}
		parts[i] = fmt.Sprintf("%q:%s", name, v)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// getWithToken sends GET path to the emulator with token as the API key.
func getWithToken(t *testing.T, srv *emulator.Server, path, token string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Ngrok-Version", "2")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// writeMain replaces the run's main.tf.
func (r *cliRun) writeMain(config string) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, "main.tf"), []byte(config), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// mustRun runs the CLI and fails the test unless it succeeds.
func (r *cliRun) mustRun(args ...string) {
	r.t.Helper()
	if out, ok := r.run(args...); !ok {
		r.t.Fatalf("%s %s:\n%s", filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), strings.Join(args, " "), out)
	}
}
