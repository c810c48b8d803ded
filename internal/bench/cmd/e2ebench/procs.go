package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/bench"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// api is an emulator served in this process on 127.0.0.1, behind a recorder
// that timestamps every request.
type api struct {
	srv  *emulator.Server
	rec  *bench.Recorder
	hs   *http.Server
	url  string
	done chan struct{}
}

func startAPI(opts emulator.Options) (*api, error) {
	srv := emulator.New(opts)
	rec := &bench.Recorder{Next: srv}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &api{srv: srv, rec: rec, url: "http://" + ln.Addr().String(), done: make(chan struct{})}
	a.hs = &http.Server{Handler: rec, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		defer close(a.done)
		_ = a.hs.Serve(ln) // http.ErrServerClosed after Close
	}()
	return a, nil
}

// Close stops serving at once; requests sleeping for latency are cancelled.
func (a *api) Close() {
	_ = a.hs.Close()
	select {
	case <-a.done:
	case <-time.After(10 * time.Second):
	}
}

// provider is a provider process started with -debug, which Terraform
// reattaches to instead of starting its own.
type provider struct {
	cmd      *exec.Cmd
	pid      int
	reattach string
	done     chan struct{} // closed once the process has been waited for
	log      *os.File
}

// startProvider starts bin -debug and waits (at most a minute) for the
// TF_REATTACH_PROVIDERS line it prints.
//
// In -debug mode the provider keeps its TRACE logs, for the developer at the
// terminal; started by Terraform without TF_LOG it turns them off (see
// silenceUnreadLogs in main.go). Unless traceLogs, the provider is started
// with the same levels, so that its CPU is what a user's run costs.
func startProvider(ctx context.Context, bin, logPath, rateDir string, traceLogs bool) (*provider, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-debug")
	// The account's shared rate-limit window is kept where the scenario
	// says: a later emulator on the same port starts afresh too.
	env := []string{"NGROK_RATE_LIMIT_DIR=" + rateDir}
	if !traceLogs {
		env = append(env, "TF_LOG_SDK=off", "TF_LOG_SDK_PROTO=off", "TF_LOG_SDK_FRAMEWORK=off", "TF_LOG_PROVIDER=off")
	}
	cmd.Env = cleanEnv(env)
	cmd.Stderr = logFile
	// If this process dies without stopping it, the kernel does.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		_ = logFile.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, err
	}
	p := &provider{cmd: cmd, pid: cmd.Process.Pid, done: make(chan struct{}), log: logFile}

	type found struct {
		value string
		pid   int
		err   error
	}
	ch := make(chan found, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			_, _ = fmt.Fprintln(logFile, line)
			if sent {
				continue
			}
			if v, pid, ok, err := bench.ParseReattachLine(line); ok {
				ch <- found{v, pid, err}
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
	}()

	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	select {
	case f := <-ch:
		if f.err != nil {
			p.Stop()
			return nil, f.err
		}
		if f.pid != p.pid {
			p.Stop()
			return nil, fmt.Errorf("the provider reports pid %d but was started as %d", f.pid, p.pid)
		}
		p.reattach = f.value
		return p, nil
	case <-p.done:
		_ = logFile.Close()
		return nil, fmt.Errorf("the provider exited before printing %s (log: %s)", bench.ReattachEnv, logPath)
	case <-timer.C:
		p.Stop()
		return nil, fmt.Errorf("the provider printed no %s within a minute (log: %s)", bench.ReattachEnv, logPath)
	case <-ctx.Done():
		p.Stop()
		return nil, ctx.Err()
	}
}

// Stop interrupts the provider (its debug mode stops on SIGINT), kills it if
// it has not exited within ten seconds, and waits for it.
func (p *provider) Stop() {
	defer func() { _ = p.log.Close() }()
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
		return
	case <-time.After(10 * time.Second):
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
	}
}

// cleanEnv is this process's environment without the variables that would
// change what the provider or Terraform do, plus extra.
func cleanEnv(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "NGROK_"), strings.HasPrefix(k, "TF_"), k == "CHECKPOINT_DISABLE":
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// tfResult is one finished terraform command.
type tfResult struct {
	exitCode  int
	output    string
	wall      time.Duration
	cpu       time.Duration
	maxRSSKiB int64
}

// terraform runs terraform commands in one working directory against one
// reattached provider.
type terraform struct {
	bin     string // the CLI: "terraform" is the one on PATH
	dir     string
	env     []string
	timeout time.Duration
	seq     int
}

func newTerraform(bin, dir, cliConfig, reattach string, timeout time.Duration) *terraform {
	return &terraform{
		bin: bin,
		dir: dir,
		env: cleanEnv([]string{
			bench.ReattachEnv + "=" + reattach,
			"TF_CLI_CONFIG_FILE=" + cliConfig,
			"TF_IN_AUTOMATION=1",
			"TF_INPUT=0",
			"CHECKPOINT_DISABLE=1",
		}),
		timeout: timeout,
	}
}

// command is how the report names a run of args: "terraform plan …", or
// the CLI's file name for another binary.
func (t *terraform) command(args []string) string {
	return filepath.Base(t.bin) + " " + strings.Join(args, " ")
}

// run runs terraform with args, keeps its output in a numbered log file, and
// returns how it ended. A non-zero exit is not an error here; failing to run
// or exceeding the deadline is.
func (t *terraform) run(ctx context.Context, args ...string) (tfResult, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	t.seq++
	logPath := filepath.Join(t.dir, fmt.Sprintf("%02d-terraform-%s.log", t.seq, args[0]))
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, t.bin, args...)
	cmd.Dir = t.dir
	cmd.Env = t.env
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	// On the deadline, interrupt first so Terraform can save its state.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	start := time.Now()
	err := cmd.Run()
	r := tfResult{wall: time.Since(start), output: out.String(), exitCode: -1}
	_ = os.WriteFile(logPath, out.Bytes(), 0o644)
	if ps := cmd.ProcessState; ps != nil {
		r.exitCode = ps.ExitCode()
		r.cpu = ps.UserTime() + ps.SystemTime()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			r.maxRSSKiB = ru.Maxrss // KiB on Linux
		}
	}
	if ctx.Err() != nil {
		return r, fmt.Errorf("terraform %s: %w after %s (log: %s)", args[0], ctx.Err(), r.wall.Round(time.Second), logPath)
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return r, fmt.Errorf("terraform %s: %w", args[0], err)
	}
	return r, nil
}

// tail is the last lines of a command's output, for error messages.
func tail(s string, lines int) string {
	parts := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}

// buildProvider builds the provider binary into dir: the released one, or,
// for a non-zero window, bench-provider, which replaces ngrok's minute in
// its rate limit with window (main.rateWindow), for a time-compressed limit
// across processes.
func buildProvider(ctx context.Context, root, dir string, window time.Duration) (string, error) {
	bin := filepath.Join(dir, "terraform-provider-ngrok")
	ldflags, pkg := "-X main.version=0.0.0-bench", "."
	if window > 0 {
		bin += "-" + window.String()
		ldflags += " -X main.rateWindow=" + window.String()
		pkg = "./internal/bench/cmd/bench-provider"
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", ldflags, "-o", bin, pkg)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}

// output runs a short command and returns its stdout.
func output(ctx context.Context, dir, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = cleanEnv([]string{"CHECKPOINT_DISABLE=1"})
	out, err := cmd.Output()
	return string(out), err
}
