package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQueryCLI(t *testing.T) {
	dir := t.TempDir()
	// fakeTerraform writes a script that says it is Terraform v1.16.4 and
	// exits with queryExit when asked for terraform query -help.
	fakeTerraform := func(name string, queryExit int) string {
		path := filepath.Join(dir, name)
		script := fmt.Sprintf("#!/bin/sh\nif [ \"$1\" = query ]; then exit %d; fi\necho 'Terraform v1.16.4'\necho 'on linux_amd64'\n", queryExit)
		if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if v, skip := queryCLI(t.Context(), dir, fakeTerraform("terraform-new", 0)); v != "Terraform v1.16.4" || skip != "" {
		t.Errorf("a Terraform with terraform query: version %q, skipped: %q", v, skip)
	}
	old := fakeTerraform("terraform-old", 1)
	if _, skip := queryCLI(t.Context(), dir, old); !strings.Contains(skip, old+" (Terraform v1.16.4) has no `terraform query`") {
		t.Errorf("a Terraform without terraform query: skipped: %q", skip)
	}
	for bin, want := range map[string]string{
		"":                              "no Terraform with `terraform query`",
		filepath.Join(dir, "not-there"): "-terraform-latest " + filepath.Join(dir, "not-there"),
	} {
		if v, skip := queryCLI(t.Context(), dir, bin); v != "" || !strings.Contains(skip, want) {
			t.Errorf("queryCLI(%q) = %q, %q; want it skipped with %q", bin, v, skip, want)
		}
	}
}
