package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// doc.go's map is true: every file it names exists (ngrok/… in
// internal/ngrok, the rest here), it names every source file of the
// package, and every test file is the _test.go of a source file, a helper,
// or named there.
func TestDoc_namesFilesThatExist(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	names := regexp.MustCompile(`\b(?:ngrok/)?[a-z][a-z0-9_]*\.go\b`).FindAllString(string(doc), -1)
	for _, name := range names {
		path := name
		if rest, ok := strings.CutPrefix(name, "ngrok/"); ok {
			path = filepath.Join("..", "ngrok", rest)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("doc.go names %s, which does not exist", name)
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		stem, test := strings.CutSuffix(f, "_test.go")
		switch {
		case f == "doc.go" || slices.Contains(names, f):
		case !test:
			t.Errorf("doc.go does not name %s", f)
		case strings.HasPrefix(f, "helpers"):
		case slices.Contains(files, stem+".go"):
		default:
			t.Errorf("%s is the test of no file of its name, and doc.go does not name it", f)
		}
	}
}
