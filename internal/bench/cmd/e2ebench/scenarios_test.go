package main

import (
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/bench"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

func TestExpectUsers(t *testing.T) {
	srv := emulator.New(emulator.Options{APIKey: "emu_test"})
	for _, name := range []string{"bench-0-00000", "bench-0-00001", "bench-1-00000", "bench-1-00001"} {
		srv.AddUser(name, true)
	}
	if err := expectUsers(srv, 2, "bench-0", "bench-1"); err != nil {
		t.Error(err)
	}
	for _, bad := range [][]string{{"bench-0", "bench-2"}, {"bench-0"}, {userPrefix, "bench-1"}} {
		if err := expectUsers(srv, 2, bad...); err == nil {
			t.Errorf("the users of bench-0 and bench-1 pass as those of %q", bad)
		}
	}
	if err := expectUsers(emulator.New(emulator.Options{APIKey: "emu_test"}), 0, userPrefix); err != nil {
		t.Errorf("an empty account: %v", err)
	}
}

func TestClearRateLimitWindows(t *testing.T) {
	dir := t.TempDir()
	if err := clearRateLimitWindows(dir); err == nil {
		t.Error("a directory without a window cleared without error")
	}
	if p := ngrok.SharedPacer(t.Context(), "http://127.0.0.1:1", "emu_e2ebench", bench.RealLimit, bench.RealWindow, dir); p.Fallback() != "" {
		t.Fatal(p.Fallback())
	}
	if err := clearRateLimitWindows(dir); err != nil {
		t.Errorf("the provider's window: %v", err)
	}
}
