package emulator

import (
	"strings"
	"testing"
)

func TestGeneratedAPIKey(t *testing.T) {
	a, b := New(Options{}), New(Options{})
	if !strings.HasPrefix(a.APIKey(), "emu_") || a.APIKey() == b.APIKey() || len(a.APIKey()) < 20 {
		t.Fatalf("generated keys %q, %q", a.APIKey(), b.APIKey())
	}
}
