package emulator

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer the server's logger and the test can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestRun(t *testing.T) {
	envFile := filepath.Join(t.TempDir(), "ngrok.env")
	cfg := Config{
		Options: DefaultOptions(),
		Users:   3,
		Faults:  []Fault{{Method: "DELETE", Kind: FaultStatus, Status: 503, Times: 1}},
		EnvFile: envFile,
	}
	cfg.Options.APIKey = "run_key'quoted"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cfg, outW, &stderr)
		_ = outW.Close()
	}()

	lines := bufio.NewScanner(outR)
	vars := map[string]string{}
	for len(vars) < 3 && lines.Scan() {
		k, v, _ := strings.Cut(lines.Text(), "=")
		vars[k] = v
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	base, key := vars["NGROK_API_BASE_URL"], vars["NGROK_API_KEY"]
	if !strings.HasPrefix(base, "http://127.0.0.1:") || key != cfg.Options.APIKey || !strings.HasPrefix(vars["NGROK_EMULATOR_ACCOUNT_USER_ID"], "usr_") {
		t.Fatalf("stdout vars %v", vars)
	}

	env, err := os.ReadFile(envFile)
	if err != nil {
		t.Fatal(err)
	}
	wantEnv := "export NGROK_API_BASE_URL='" + base + "'\nexport NGROK_API_KEY='run_key'\\''quoted'\n"
	if string(env) != wantEnv {
		t.Fatalf("env file:\n%s\nwant:\n%s", env, wantEnv)
	}
	if fi, _ := os.Stat(envFile); fi.Mode().Perm() != 0o600 {
		t.Fatalf("env file mode %v", fi.Mode())
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(envFile), ".ngrok-emulator-env-*")); len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}

	c := &tclient{t: t, s: &Server{apiKey: key}, url: base, hc: http.DefaultClient}
	p := c.list("/service_users")
	if len(p.Users) != 3 || p.Users[0].Name != "seeded-0003" {
		t.Fatalf("seeded users: %+v", p.Users)
	}
	c.do("DELETE", "/service_users/"+p.Users[0].ID, "").wantError(t, 503, "", "")

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if _, err := os.Stat(envFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the env file outlives the emulator whose key it holds: %v", err)
	}
	logs := stderr.String()
	for _, want := range []string{"serving the ngrok Service Users API at " + base, "3 users, 1 faults, account user " + vars["NGROK_EMULATOR_ACCOUNT_USER_ID"], "GET /service_users 200", "DELETE /service_users/" + p.Users[0].ID + " 503", "stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "run_key") || strings.Contains(logs, "Bearer") {
		t.Errorf("stderr leaks the key:\n%s", logs)
	}
	if res, err := http.Get(base + "/service_users"); err == nil {
		_ = res.Body.Close()
		t.Fatal("still serving after Run returned")
	}
}

// An env file another emulator has written over since is its, and stays.
func TestRunKeepsAReplacedEnvFile(t *testing.T) {
	envFile := filepath.Join(t.TempDir(), "ngrok.env")
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, Config{Quiet: true, EnvFile: envFile}, outW, io.Discard) }()
	if _, err := bufio.NewReader(outR).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	theirs := filepath.Join(filepath.Dir(envFile), "theirs")
	if err := os.WriteFile(theirs, []byte("export NGROK_API_KEY='theirs'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(theirs, envFile); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(envFile); err != nil || string(got) != "export NGROK_API_KEY='theirs'\n" {
		t.Fatalf("the replaced env file: %q, %v", got, err)
	}
}

func TestRunQuiet(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- Run(ctx, Config{Quiet: true, Addr: "localhost:0"}, outW, &stderr) }()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "NGROK_API_BASE_URL=http://") {
		t.Fatalf("first line %q, %v", line, err)
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stderr.String(), "GET ") {
		t.Fatalf("quiet run logged requests: %s", stderr.String())
	}
}

func TestRunRefusesRemoteAddresses(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:80", "[::]:0"} {
		err := Run(context.Background(), Config{Addr: addr}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "-allow-remote") {
			t.Errorf("Run(%q) = %v, want a refusal", addr, err)
		}
	}
	if err := Run(context.Background(), Config{Addr: "nonsense"}, io.Discard, io.Discard); err == nil {
		t.Error("want an error for a malformed address")
	}
	for _, addr := range []string{"127.0.0.1:0", "127.0.0.2:0", "[::1]:0", "localhost:0"} {
		if err := checkLoopback(addr, false); err != nil {
			t.Errorf("checkLoopback(%q) = %v", addr, err)
		}
	}
	if err := checkLoopback("0.0.0.0:0", true); err != nil {
		t.Errorf("allow-remote: %v", err)
	}
}

// The error names the path the user gave, not the temporary file written
// first, and says what is wrong with it.
func TestRunFailsOnBadEnvFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing-dir")
	path := filepath.Join(missing, "env")
	err := Run(context.Background(), Config{EnvFile: path}, io.Discard, io.Discard)
	want := "writing env file " + path + ": the directory " + missing + " does not exist"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}

	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(notDir, "env")
	err = Run(context.Background(), Config{EnvFile: path}, io.Discard, io.Discard)
	if err == nil || !strings.HasPrefix(err.Error(), "writing env file "+path+": ") || strings.Contains(err.Error(), ".ngrok-emulator-env-") {
		t.Fatalf("a parent that is a file: err = %v", err)
	}
}
