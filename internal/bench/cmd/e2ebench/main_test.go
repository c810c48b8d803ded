package main

import (
	"slices"
	"testing"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/bench"
	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

func TestParseParallel(t *testing.T) {
	if got, err := parseParallel("3x50/10"); err != nil || got != (parallelRun{3, 50, 10}) {
		t.Errorf("parseParallel(3x50/10) = %+v, %v", got, err)
	}
	if got, err := parseParallel("none"); err != nil || got.applies != 0 {
		t.Errorf("parseParallel(none) = %+v, %v", got, err)
	}
	for _, bad := range []string{"3x50", "0x50/10", "3x50/0", "three"} {
		if _, err := parseParallel(bad); err == nil {
			t.Errorf("parseParallel(%q) accepted it", bad)
		}
	}
}

func TestParseInts(t *testing.T) {
	if got, err := parseInts("10, 1_000"); err != nil || !slices.Equal(got, []int{10, 1000}) {
		t.Errorf("parseInts = %v, %v", got, err)
	}
	if got, err := parseInts("none"); err != nil || got != nil {
		t.Errorf("parseInts(none) = %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "x"} {
		if _, err := parseInts(bad); err == nil {
			t.Errorf("parseInts(%q) accepted it", bad)
		}
	}
}

func TestClearRateLimitWindows(t *testing.T) {
	dir := t.TempDir()
	if err := clearRateLimitWindows(dir); err == nil {
		t.Error("a directory without a window cleared without error")
	}
	if p := ngrok.SharedPacer("http://127.0.0.1:1", "emu_e2ebench", bench.RealLimit, bench.RealWindow, dir); p.Fallback() != "" {
		t.Fatal(p.Fallback())
	}
	if err := clearRateLimitWindows(dir); err != nil {
		t.Errorf("the provider's window: %v", err)
	}
}
