package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// Some tests need the provider as Terraform runs it in real life, a process
// of its own that Terraform starts and stops (terraform-plugin-testing serves
// it inside the test instead): what happens when a run fails, is interrupted
// or is killed is decided there. These helpers build the binary once, and run
// the CLI under test on a configuration with the provider installed through
// development overrides (or, after installFromMirror, from a filesystem
// mirror).

var built struct {
	once sync.Once
	dir  string
	err  error
}

// providerBinaryDir builds the provider once per test run and returns the
// directory holding it.
func providerBinaryDir(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir = filepath.Join(testRunDir, "bin")
		root, err := filepath.Abs("../..")
		if err != nil {
			built.err = err
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(built.dir, "terraform-provider-ngrok"), ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.dir
}

// cliRun is one configuration run by the CLI under test with the built
// provider, in a directory of its own.
type cliRun struct {
	t   *testing.T
	dir string
	env []string
}

// newCLIRun writes config (after a terraform block requiring this provider
// and a provider block for srv) into a fresh directory. The rate-limit and
// journal directory is stateDir, so that runs can share it.
func newCLIRun(t *testing.T, srv *emulator.Server, stateDir, config string) *cliRun {
	t.Helper()
	dir := t.TempDir()
	bin := providerBinaryDir(t)
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    %[1]q = %[3]q
    %[2]q = %[3]q
  }
  direct {}
}
`, Address, "registry.opentofu.org/"+Source, bin)
	main := publishedSource + providerBlock(srv) + config
	for name, body := range map[string]string{"cli.tfrc": rc, "main.tf": main} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"TF_CLI_CONFIG_FILE=" + filepath.Join(dir, "cli.tfrc"), envRateLimitDir + "=" + stateDir,
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "NGROK_") {
			env = append(env, kv)
		}
	}
	return &cliRun{t: t, dir: dir, env: env}
}

// newGuideRun is a run of a guide's files, as the guide publishes them: its
// main.tf is the configuration (its provider block takes the key and URL
// from the environment, which the run gets for srv), with the other files
// beside it under their own names.
func newGuideRun(t *testing.T, srv *emulator.Server, guide string, files ...string) *cliRun {
	t.Helper()
	run := newCLIRun(t, srv, t.TempDir(), "")
	run.env = append(run.env, envAPIKey+"="+srv.APIKey(), envAPIBaseURL+"="+srv.URL())
	for _, f := range files {
		content, err := os.ReadFile(filepath.Join("..", "..", "examples", "guides", guide, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(run.dir, f), content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return run
}

// writeProviderBlock replaces the run's provider block with one for srv with
// extra settings.
func writeProviderBlock(r *cliRun, srv *emulator.Server, extra ...string) error {
	path := filepath.Join(r.dir, "main.tf")
	main, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	updated := strings.Replace(string(main), providerBlock(srv), providerBlock(srv, extra...), 1)
	if updated == string(main) {
		return fmt.Errorf("%s has no provider block for the emulator", path)
	}
	return os.WriteFile(path, []byte(updated), 0o600)
}

// mirrored is a provider binary for installFromMirror: source is
// NAMESPACE/TYPE, bin an absolute path.
type mirrored struct{ source, version, bin string }

// installFromMirror replaces the run's development overrides with a
// filesystem mirror holding each provider at version, under both registry
// hosts: terraform init then installs and locks them as it does published
// providers, offline. Nothing else can be installed.
func (r *cliRun) installFromMirror(providers ...mirrored) {
	r.t.Helper()
	mirror := r.t.TempDir()
	for _, p := range providers {
		name := "terraform-provider-" + p.source[strings.LastIndex(p.source, "/")+1:] + "_v" + p.version
		for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
			dir := filepath.Join(mirror, host, filepath.FromSlash(p.source), p.version, runtime.GOOS+"_"+runtime.GOARCH)
			if err := os.MkdirAll(dir, 0o700); err != nil {
				r.t.Fatal(err)
			}
			if err := os.Symlink(p.bin, filepath.Join(dir, name)); err != nil {
				r.t.Fatal(err)
			}
		}
	}
	rc := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path = %[1]q
  }
}
`, mirror)
	if err := os.WriteFile(filepath.Join(r.dir, "cli.tfrc"), []byte(rc), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// command is the CLI with args, in the run's directory, in a process group
// of its own (so that a test can kill Terraform and its providers at once).
func (r *cliRun) command(ctx context.Context, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.CommandContext(ctx, os.Getenv("TF_ACC_TERRAFORM_PATH"), append(args, "-no-color")...)
	cmd.Dir, cmd.Env = r.dir, r.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// run runs the CLI with args to the end and returns its output and whether
// it succeeded.
func (r *cliRun) run(args ...string) (string, bool) {
	r.t.Helper()
	out, code := r.runCode(args...)
	return out, code == 0
}

// runCode is run, returning the CLI's exit code (-1, and the error after the
// output, when it did not exit by itself).
func (r *cliRun) runCode(args ...string) (string, int) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.t.Context(), 2*time.Minute)
	defer cancel()
	cmd, out := r.command(ctx, args...)
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return out.String(), exit.ExitCode()
	default:
		return out.String() + err.Error(), -1
	}
}

// eventually waits, up to a minute, for cond; it fails the test with what
// if cond never holds. A minute is far beyond what any step needs: the
// wait ends as soon as cond holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
