package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is what the ngrok-emulator command runs: its flags, parsed.
type Config struct {
	Addr        string  // listen address; "127.0.0.1:0" when empty
	AllowRemote bool    // permit a non-loopback listen address
	Options     Options // server options
	Users       int     // service users to create before serving
	UsersPrefix string  // their name prefix; DefaultUsersPrefix when empty
	Faults      []Fault // faults to install before serving
	EnvFile     string  // when set, write sourceable NGROK_API_* exports here
	Quiet       bool    // no per-request log
}

// DefaultUsersPrefix names the users Config.Users creates: seeded-0001, ….
const DefaultUsersPrefix = "seeded"

// shutdownGrace is how long Run lets in-flight requests finish on shutdown.
const shutdownGrace = 5 * time.Second

// Run starts an emulator as the command does and serves until ctx is done.
// Once listening it prints NGROK_API_BASE_URL=…, NGROK_API_KEY=… and
// NGROK_EMULATOR_ACCOUNT_USER_ID=… lines to stdout (for scripts; eval-able), writes the env file if asked, and logs a
// human line and then one line per request to stderr. It removes the env file
// when it returns.
func Run(ctx context.Context, cfg Config, stdout, stderr io.Writer) error {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if err := checkLoopback(cfg.Addr, cfg.AllowRemote); err != nil {
		return err
	}
	s := New(cfg.Options)
	if !cfg.Quiet {
		s.logger = log.New(stderr, "ngrok-emulator: ", log.LstdFlags)
	}
	if cfg.UsersPrefix == "" {
		cfg.UsersPrefix = DefaultUsersPrefix
	}
	s.SeedUsers(cfg.Users, cfg.UsersPrefix)
	for _, f := range cfg.Faults {
		s.AddFault(f)
	}
	if err := s.Start(cfg.Addr); err != nil {
		return err
	}
	defer func() { _ = s.Close() }()

	// The env file comes first, so that whoever has read stdout can rely on it.
	if cfg.EnvFile != "" {
		written, err := writeEnvFile(cfg.EnvFile, s.URL(), s.APIKey())
		if err != nil {
			return err
		}
		defer removeEnvFile(cfg.EnvFile, written, stderr)
	}
	if _, err := fmt.Fprintf(stdout, "NGROK_API_BASE_URL=%s\nNGROK_API_KEY=%s\nNGROK_EMULATOR_ACCOUNT_USER_ID=%s\n", s.URL(), s.APIKey(), s.AccountUserID()); err != nil {
		return err
	}
	rate := "no rate limit"
	if cfg.Options.RateLimit > 0 {
		rate = fmt.Sprintf("rate limit %d per %s", cfg.Options.RateLimit, s.rateWindow)
	}
	_, _ = fmt.Fprintf(stderr, "ngrok-emulator: serving the ngrok Service Users API at %s (%s, %d users, %d faults, account user %s); press Ctrl-C to stop\n",
		s.URL(), rate, cfg.Users, len(cfg.Faults), s.AccountUserID())

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := s.shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	_, _ = fmt.Fprintln(stderr, "ngrok-emulator: stopped")
	return nil
}

// checkLoopback refuses to listen beyond this machine unless asked to: the
// emulator has no TLS and one well-known key, and exists for local use.
func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid listen address %q: %w", addr, err)
	}
	if allowRemote || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("refusing to listen on %q: it is not a loopback address, and the emulator has no TLS; use 127.0.0.1 or [::1], or pass -allow-remote", addr)
}

// writeEnvFile writes export lines a shell can source. It writes a temporary
// file in the same directory and renames it, so a reader polling for the file
// never sees half of it, and the file is 0600 because it holds the key.
// Errors name path, never the temporary file, which the user has not heard of.
// It returns what it wrote, for removeEnvFile to recognise.
func writeEnvFile(path, baseURL, apiKey string) (os.FileInfo, error) {
	content := "export NGROK_API_BASE_URL=" + shellQuote(baseURL) + "\n" +
		"export NGROK_API_KEY=" + shellQuote(apiKey) + "\n"
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".ngrok-emulator-env-*")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("writing env file %s: the directory %s does not exist", path, dir)
		}
		return nil, fmt.Errorf("writing env file %s: creating a file in %s: %w", path, dir, pathErrorCause(err))
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // fails harmlessly after the rename
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("writing env file %s: %w", path, pathErrorCause(err))
	}
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("writing env file %s: %w", path, pathErrorCause(err))
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("writing env file %s: %w", path, pathErrorCause(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, fmt.Errorf("writing env file %s: %w", path, pathErrorCause(err))
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("writing env file %s: %w", path, pathErrorCause(err))
	}
	return fi, nil
}

// removeEnvFile deletes the env file when the emulator stops: the key in it
// belongs to an emulator that no longer exists. A file someone has put in
// its place since (another emulator started with the same -env-file) is
// left alone.
func removeEnvFile(path string, written os.FileInfo, stderr io.Writer) {
	fi, err := os.Stat(path)
	if err != nil || !os.SameFile(fi, written) {
		return
	}
	if err := os.Remove(path); err != nil {
		_, _ = fmt.Fprintf(stderr, "ngrok-emulator: removing env file %s: %v\n", path, pathErrorCause(err))
	}
}

// pathErrorCause drops the file name from an os error, which would name the
// temporary file, and keeps why it failed ("permission denied").
func pathErrorCause(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	if le, ok := errors.AsType[*os.LinkError](err); ok {
		return le.Err
	}
	return err
}

// shellQuote single-quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
