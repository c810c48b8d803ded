package provider

import (
	"strings"
	"testing"
)

func TestCheckUserName(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // substrings of the message; none means accepted
		not      string   // a substring the message must not have
	}{
		{name: "plain", in: "ci-deployer"},
		{name: "spaces and parentheses", in: "CI Deploy (prod)"},
		{name: "non-Latin script", in: "名前"},
		{name: "emoji ZWJ sequence", in: "team \U0001F468\u200D\U0001F469\u200D\U0001F467"},
		{name: "flag and skin tone", in: "\U0001F1EB\U0001F1F7 \U0001F44D\U0001F3FD"},
		{name: "right-to-left script", in: "שלום"},
		{name: "empty", in: "", want: []string{"The name is empty."}},
		{name: "blank", in: "   ", want: []string{"only white space", "(3 characters)"}, not: "is empty"},
		{name: "blank tab", in: "\t", want: []string{"only white space"}, not: "is empty"},
		{name: "leading space", in: " x", want: []string{"starts or ends with white space"}},
		{name: "trailing space", in: "ci ", want: []string{"starts or ends with white space"}},
		{name: "trailing newline", in: "x\n", want: []string{"starts or ends with white space"}},
		{name: "control", in: "a\x07b", want: []string{"control character U+0007"}},
		{name: "tab inside", in: "a\tb", want: []string{"control character U+0009"}},
		{name: "NUL", in: "a\x00b", want: []string{"control character U+0000"}},
		{name: "right-to-left override", in: "abc\u202egpj.exe", want: []string{"U+202E at character 4 (of 11)", "Trojan Source"}, not: "\u202e"},
		{name: "left-to-right embedding", in: "\u202aci", want: []string{"U+202A at character 1"}, not: "\u202a"},
		{name: "pop directional formatting", in: "ci\u202c", want: []string{"U+202C at character 3"}},
		{name: "first strong isolate", in: "a\u2068b\u2069", want: []string{"U+2068 at character 2"}},
		{name: "pop directional isolate", in: "ab\u2069", want: []string{"U+2069 at character 3"}, not: "\u2069"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkUserName(tt.in)
			if len(tt.want) == 0 {
				if got != "" {
					t.Fatalf("checkUserName(%q) = %q, want it accepted", tt.in, got)
				}
				return
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("checkUserName(%q) = %q, want it to contain %q", tt.in, got, w)
				}
			}
			if tt.not != "" && strings.Contains(got, tt.not) {
				t.Errorf("checkUserName(%q) = %q, must not contain %q", tt.in, got, tt.not)
			}
		})
	}
}
