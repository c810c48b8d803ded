// Package tools pins the repository's Go tools (see go.mod) and checks what
// goreleaser check cannot: that .goreleaser.yml makes the files the Terraform
// Registry looks for, and ships the emulator beside them.
package tools

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The registry finds a version's files by these names; see
// https://developer.hashicorp.com/terraform/registry/providers/publishing.
const (
	projectName      = "terraform-provider-ngrok"
	providerBinary   = "{{ .ProjectName }}_v{{ .Version }}"
	providerArchive  = "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}"
	checksumName     = "{{ .ProjectName }}_{{ .Version }}_SHA256SUMS"
	manifestFile     = "terraform-registry-manifest.json"
	manifestName     = "{{ .ProjectName }}_{{ .Version }}_manifest.json"
	emulatorMain     = "./internal/emulator/cmd/ngrok-emulator"
	emulatorArchive  = "ngrok-emulator_{{ .Version }}_{{ .Os }}_{{ .Arch }}"
	providerProtocol = "6.0" // providerserver serves protocol 6 (main.go)
)

type config struct {
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ignore  []struct {
			Goos   string `yaml:"goos"`
			Goarch string `yaml:"goarch"`
		} `yaml:"ignore"`
	} `yaml:"builds"`
	Archives []struct {
		ID           string   `yaml:"id"`
		IDs          []string `yaml:"ids"`
		Formats      []string `yaml:"formats"`
		NameTemplate string   `yaml:"name_template"`
	} `yaml:"archives"`
	Checksum struct {
		IDs          []string    `yaml:"ids"`
		NameTemplate string      `yaml:"name_template"`
		Algorithm    string      `yaml:"algorithm"`
		ExtraFiles   []extraFile `yaml:"extra_files"`
	} `yaml:"checksum"`
	Signs []struct {
		Artifacts string `yaml:"artifacts"`
	} `yaml:"signs"`
	Release struct {
		ExtraFiles []extraFile `yaml:"extra_files"`
	} `yaml:"release"`
}

type extraFile struct {
	Glob         string `yaml:"glob"`
	NameTemplate string `yaml:"name_template"`
}

func loadConfig(t *testing.T) config {
	t.Helper()
	data, err := os.ReadFile("../.goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c config
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf(".goreleaser.yml: %v", err)
	}
	if c.ProjectName != projectName {
		t.Fatalf("project_name = %q, want %q: the registry's file names start with it", c.ProjectName, projectName)
	}
	return c
}

// buildIndex returns the index of the build of main (the provider's is ".").
func buildIndex(t *testing.T, c config, main string) int {
	t.Helper()
	for i, b := range c.Builds {
		m := b.Main
		if m == "" {
			m = "."
		}
		if m == main {
			return i
		}
	}
	t.Fatalf("no build of %s in .goreleaser.yml", main)
	return -1
}

// archiveOf returns the name template and formats of the one archive of build id.
func archiveOf(t *testing.T, c config, id string) (string, []string) {
	t.Helper()
	var found []int
	for i, a := range c.Archives {
		if len(a.IDs) == 0 || slices.Contains(a.IDs, id) {
			found = append(found, i)
		}
	}
	if len(found) != 1 {
		t.Fatalf("build %q is in %d archives, want 1 (an archive without ids takes every build)", id, len(found))
	}
	a := c.Archives[found[0]]
	if len(a.IDs) != 1 {
		t.Errorf("archive %q holds builds %q, want only %q", a.ID, a.IDs, id)
	}
	return a.NameTemplate, a.Formats
}

func TestReleaseProviderArchives(t *testing.T) {
	c := loadConfig(t)
	b := c.Builds[buildIndex(t, c, ".")]
	if b.Binary != providerBinary {
		t.Errorf("provider binary = %q, want %q", b.Binary, providerBinary)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("provider build env %q lacks CGO_ENABLED=0", b.Env)
	}
	if !slices.ContainsFunc(b.Ldflags, func(f string) bool { return strings.Contains(f, "-X main.version={{.Version}}") }) {
		t.Errorf("provider ldflags %q do not set main.version", b.Ldflags)
	}
	name, formats := archiveOf(t, c, b.ID)
	if name != providerArchive || !slices.Equal(formats, []string{"zip"}) {
		t.Errorf("provider archive = %q as %q, want %q as zip", name, formats, providerArchive)
	}
}

func TestReleaseChecksumsAndManifest(t *testing.T) {
	c := loadConfig(t)
	provider := c.Builds[buildIndex(t, c, ".")].ID
	if c.Checksum.NameTemplate != checksumName || c.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum = %q (%s), want %q (sha256)", c.Checksum.NameTemplate, c.Checksum.Algorithm, checksumName)
	}
	// OpenTofu records every line of SHA256SUMS as a hash that lock files
	// accept for the provider: only its archives and the manifest belong there.
	if !slices.Equal(c.Checksum.IDs, []string{provider}) {
		t.Errorf("checksum ids = %q, want [%s]", c.Checksum.IDs, provider)
	}
	manifest := extraFile{Glob: manifestFile, NameTemplate: manifestName}
	if !slices.Contains(c.Checksum.ExtraFiles, manifest) {
		t.Errorf("checksum extra_files %v lack %v", c.Checksum.ExtraFiles, manifest)
	}
	if !slices.Contains(c.Release.ExtraFiles, manifest) {
		t.Errorf("release extra_files %v lack %v", c.Release.ExtraFiles, manifest)
	}
	signed := false
	for _, s := range c.Signs {
		signed = signed || s.Artifacts == "checksum"
	}
	if !signed {
		t.Error("no sign of the checksum file: the registry needs SHA256SUMS.sig")
	}

	data, err := os.ReadFile("../" + manifestFile)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", manifestFile, err)
	}
	if m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{providerProtocol}) {
		t.Errorf("%s = %+v, want version 1, protocol_versions [%s]", manifestFile, m, providerProtocol)
	}
}

func TestReleaseEmulatorArchives(t *testing.T) {
	c := loadConfig(t)
	p, e := c.Builds[buildIndex(t, c, ".")], c.Builds[buildIndex(t, c, emulatorMain)]
	if e.ID == "" || e.ID == p.ID {
		t.Fatalf("emulator build id %q: want one of its own, so that its archives are apart", e.ID)
	}
	if e.Binary != "ngrok-emulator" {
		t.Errorf("emulator binary = %q, want ngrok-emulator", e.Binary)
	}
	if !slices.Equal(e.Goos, p.Goos) || !slices.Equal(e.Goarch, p.Goarch) || !slices.Equal(e.Ignore, p.Ignore) {
		t.Errorf("emulator platforms %v/%v (ignoring %v) differ from the provider's %v/%v (ignoring %v)",
			e.Goos, e.Goarch, e.Ignore, p.Goos, p.Goarch, p.Ignore)
	}
	name, formats := archiveOf(t, c, e.ID)
	if name != emulatorArchive || !slices.Equal(formats, []string{"zip"}) {
		t.Errorf("emulator archive = %q as %q, want %q as zip", name, formats, emulatorArchive)
	}
}
