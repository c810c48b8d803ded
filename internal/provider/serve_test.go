package provider

import (
	"os"
	"testing"
)

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
