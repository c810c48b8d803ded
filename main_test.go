package main

import (
	"os"
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

func TestSilenceUnreadLogs(t *testing.T) {
	reset := func() {
		for _, name := range append(sdkLogLevels, "TF_LOG", "TF_LOG_PATH", "TF_LOG_CORE") {
			t.Setenv(name, "") // restored after the test
			_ = os.Unsetenv(name)
		}
	}

	reset()
	silenceUnreadLogs()
	for _, name := range sdkLogLevels {
		if got := os.Getenv(name); got != "off" {
			t.Errorf("no TF_LOG* set: %s = %q, want off", name, got)
		}
	}

	for _, asked := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH", "TF_LOG_SDK_PROTO"} {
		reset()
		t.Setenv(asked, "TRACE")
		silenceUnreadLogs()
		for _, name := range sdkLogLevels {
			if name != asked && os.Getenv(name) != "" {
				t.Errorf("%s set: %s = %q, want it left unset", asked, name, os.Getenv(name))
			}
		}
		if os.Getenv(asked) != "TRACE" {
			t.Errorf("%s was changed", asked)
		}
	}
}
