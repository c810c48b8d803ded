package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ReattachEnv is the environment variable Terraform reads to use providers
// that are already running instead of starting its own.
const ReattachEnv = "TF_REATTACH_PROVIDERS"

// ParseReattachLine recognises the line a provider started with -debug
// prints to stdout,
//
//	TF_REATTACH_PROVIDERS='{"registry.terraform.io/…":{…,"Pid":123,…}}'
//
// and returns the JSON value and the provider's process id. ok is false for
// any other line.
func ParseReattachLine(line string) (value string, pid int, ok bool, err error) {
	rest, found := strings.CutPrefix(strings.TrimSpace(line), ReattachEnv+"=")
	if !found {
		return "", 0, false, nil
	}
	// Single-quoted for a POSIX shell; a quote inside is written '"'"'.
	if len(rest) < 2 || rest[0] != '\'' || rest[len(rest)-1] != '\'' {
		return "", 0, true, fmt.Errorf("unexpected %s line %q", ReattachEnv, line)
	}
	value = strings.ReplaceAll(rest[1:len(rest)-1], `'"'"'`, `'`)
	var providers map[string]struct{ Pid int }
	if err := json.Unmarshal([]byte(value), &providers); err != nil {
		return "", 0, true, fmt.Errorf("%s is not JSON: %w", ReattachEnv, err)
	}
	if len(providers) != 1 {
		return "", 0, true, fmt.Errorf("%s names %d providers, want 1", ReattachEnv, len(providers))
	}
	for _, p := range providers {
		pid = p.Pid
	}
	if pid <= 0 {
		return "", 0, true, errors.New(ReattachEnv + " has no Pid")
	}
	return value, pid, true, nil
}
