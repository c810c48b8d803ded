package main

import (
	"flag"
	"slices"
	"strings"
	"testing"
)

func TestParseParallel(t *testing.T) {
	if got, err := parseParallel("3x50/10"); err != nil || got != (parallelRun{3, 50, 10}) {
		t.Errorf("parseParallel(3x50/10) = %+v, %v", got, err)
	}
	if got, err := parseParallel("none"); err != nil || got.applies != 0 {
		t.Errorf("parseParallel(none) = %+v, %v", got, err)
	}
	for _, bad := range []string{"3x50", "0x50/10", "3x50/0", "three"} {
		if _, err := parseParallel(bad); err == nil {
			t.Errorf("parseParallel(%q) accepted it", bad)
		}
	}
}

func TestParseInts(t *testing.T) {
	if got, err := parseInts("10, 1_000"); err != nil || !slices.Equal(got, []int{10, 1000}) {
		t.Errorf("parseInts = %v, %v", got, err)
	}
	if got, err := parseInts("none"); err != nil || got != nil {
		t.Errorf("parseInts(none) = %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "x"} {
		if _, err := parseInts(bad); err == nil {
			t.Errorf("parseInts(%q) accepted it", bad)
		}
	}
}

func TestQuick(t *testing.T) {
	fs := flag.NewFlagSet("e2ebench", flag.ContinueOnError)
	var o options
	var l lists
	defineFlags(fs, &o, &l)
	if err := fs.Parse([]string{"-quick", "-sizes", "7"}); err != nil {
		t.Fatal(err)
	}
	if err := applyQuick(fs); err != nil {
		t.Fatal(err)
	}
	if l.sizes != "7" || l.dataSizes != "1000" || l.pacingSizes != "10,40" || o.planUsers != 100 || l.querySizes != "1000" {
		t.Errorf("-quick -sizes 7 set sizes %q, data sizes %q, pacing sizes %q, plan users %d, query sizes %q", l.sizes, l.dataSizes, l.pacingSizes, o.planUsers, l.querySizes)
	}
	if l.modes != "get,auto" || l.parallel != "3x50/10" {
		t.Errorf("-quick changed modes %q or parallel %q", l.modes, l.parallel)
	}
	if help := fs.Lookup("quick").Usage; !strings.Contains(help, "-sizes 100, -data-sizes 1000, -pacing-sizes 10,40, -plan-users 100") {
		t.Errorf("-quick's help says %q", help)
	}
}
