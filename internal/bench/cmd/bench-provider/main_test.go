package main

import (
	"testing"
	"time"
)

func TestParseRateWindow(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "6s": 6 * time.Second, "1m": time.Minute} {
		if got, err := parseRateWindow(in); err != nil || got != want {
			t.Errorf("parseRateWindow(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"6", "0s", "-1s", "soon"} {
		if _, err := parseRateWindow(in); err == nil {
			t.Errorf("parseRateWindow(%q) accepted it", in)
		}
	}
}
