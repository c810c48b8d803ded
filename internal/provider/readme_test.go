package provider

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The README's way to use the emulator with one's own configuration, followed
// literally: its shell blocks, run from the root of the clone, leave git
// status as it was and write their files outside the clone; the CLI
// configurations they write let Terraform run the provider offline (the
// mirror through terraform init, the overrides without it); and every warning
// Terraform prints on the way is one the README names.
func TestAccREADME_ownConfigurations(t *testing.T) {
	accPreCheck(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("git", "-C", root, "rev-parse", "--git-dir").Run(); err != nil {
		t.Skip("not a git checkout: ", err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	section := markdownSection(string(readme), "## Using the emulator with your own configurations")
	if section == "" {
		t.Fatal(`README.md has no section "Using the emulator with your own configurations"`)
	}

	home := t.TempDir()
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "CHECKPOINT_DISABLE=1"}
	for _, v := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOFLAGS"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			t.Fatal(err)
		}
		env = append(env, v+"="+strings.TrimSpace(string(out)))
	}
	before := gitStatus(t, root)
	var configs []string
	for _, block := range shellBlocks(section) {
		if !strings.Contains(block, "TF_CLI_CONFIG_FILE") {
			continue
		}
		if cliIsOpenTofu() {
			// As the README says for OpenTofu: the same files, with the
			// provider named at OpenTofu's registry host.
			block = strings.ReplaceAll(block, "registry.terraform.io/"+ownProviderSource, "registry.opentofu.org/"+ownProviderSource)
		}
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", block+"\n"+`echo "TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE"`+"\n")
		cmd.Dir, cmd.Env = root, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the README's block\n%s\nfailed: %v\n%s", block, err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		config := strings.TrimPrefix(lines[len(lines)-1], "TF_CLI_CONFIG_FILE=")
		if rel, err := filepath.Rel(root, config); err == nil && !strings.HasPrefix(rel, "..") {
			t.Errorf("the README writes its CLI configuration %s inside the clone", config)
		}
		configs = append(configs, config)
	}
	if after := gitStatus(t, root); after != before {
		t.Errorf("following the README changed git status from\n%s\nto\n%s", before, after)
	}
	if len(configs) != 2 {
		t.Fatalf("the README gives %d CLI configurations, want 2 (dev_overrides, filesystem_mirror)", len(configs))
	}

	srv := testEmulator(t)
	srv.SeedUsers(3, "readme")
	warning := regexp.MustCompile(`Warning: ([^\n]+)`)
	for _, config := range configs {
		text, err := os.ReadFile(config)
		if err != nil {
			t.Fatal(err)
		}
		work := t.TempDir()
		main := publishedSource + providerBlock(srv) + `
data "ngrok_users" "all" {}

output "names" {
  value = data.ngrok_users.all.users[*].name
}
`
		if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o600); err != nil {
			t.Fatal(err)
		}
		commands := [][]string{{"plan", "-no-color", "-input=false"}}
		if strings.Contains(string(text), "filesystem_mirror") {
			commands = append([][]string{{"init", "-no-color", "-input=false"}}, commands...)
		}
		for _, args := range commands {
			cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
			cmd.Dir, cmd.Env = work, slices.Concat(env, []string{"TF_CLI_CONFIG_FILE=" + config})
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("terraform %s with %s failed: %v\n%s", args[0], config, err, out)
			}
			for _, m := range warning.FindAllStringSubmatch(string(out), -1) {
				if title := strings.TrimSpace(m[1]); !strings.Contains(strings.Join(strings.Fields(section), " "), title) {
					t.Errorf("terraform %s with %s warns %q, which the README does not explain:\n%s", args[0], filepath.Base(config), title, out)
				}
			}
			if args[0] == "plan" && !strings.Contains(string(out), "readme-0002") {
				t.Errorf("terraform plan with %s did not read the emulator's users:\n%s", filepath.Base(config), out)
			}
		}
	}
}

// markdownSection is the text under heading, up to the next heading of the
// same level or above.
func markdownSection(doc, heading string) string {
	_, rest, ok := strings.Cut(doc, "\n"+heading+"\n")
	if !ok {
		return ""
	}
	level := strings.Index(heading, " ")
	for _, line := range strings.SplitAfter(rest, "\n") {
		if hashes := strings.Index(line, "# "); hashes >= 0 && hashes < level && strings.Trim(line[:hashes+1], "#") == "" {
			before, _, _ := strings.Cut(rest, line)
			return before
		}
	}
	return rest
}

// shellBlocks are the ```shell code blocks of a markdown text.
func shellBlocks(md string) []string {
	var blocks []string
	for _, part := range strings.Split(md, "```shell\n")[1:] {
		block, _, _ := strings.Cut(part, "```")
		blocks = append(blocks, block)
	}
	return blocks
}

func gitStatus(t *testing.T, dir string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", dir, "status", "--porcelain", "--untracked-files=all").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// Every test the README (and the docs it points to) names beside a promise
// exists under that name, somewhere in the module: a promise backed by a
// test that was renamed or removed is a promise no longer tested.
func TestREADME_namedTestsExist(t *testing.T) {
	root := filepath.Join("..", "..")
	defined := map[string]bool{}
	funcDecl := regexp.MustCompile(`(?m)^func ((?:Test|Benchmark|Fuzz)\w+)\(`)
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		for _, m := range funcDecl.FindAllStringSubmatch(string(src), -1) {
			defined[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A name ending in * is a family, such as `TestMoveState_*`.
	named := regexp.MustCompile("`((?:Test|Benchmark|Fuzz)[A-Z]\\w*)(\\*?)")
	for _, doc := range []string{"README.md", "BENCHMARKS.md"} {
		text, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range named.FindAllStringSubmatch(string(text), -1) {
			if !defined[m[1]] && (m[2] == "" || !definesPrefix(defined, m[1])) {
				t.Errorf("%s names %s%s, which no test defines", doc, m[1], m[2])
			}
		}
	}
}

// definesPrefix reports whether a test's name begins with prefix.
func definesPrefix(defined map[string]bool, prefix string) bool {
	for d := range defined {
		if strings.HasPrefix(d, prefix) {
			return true
		}
	}
	return false
}
