package bench

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

func verdict(atTarget, ok bool) string {
	v := "**no**"
	if ok {
		v = "yes"
	}
	if !atTarget {
		v += " (not at the target size)"
	}
	return v
}

// routes writes request counts compactly: "POST 1000, GET {id} 12".
func routes(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k, v := range counts {
		if v > 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		method, route, _ := strings.Cut(k, " ")
		name := method + " list"
		switch {
		case strings.HasSuffix(route, "/{id}"):
			name = method + " one"
		case route == "(unknown)":
			name = method + " other"
		}
		if strings.HasPrefix(route, "/bot_users") {
			name += " (bot_users)"
		}
		if method == "POST" {
			name = "POST"
		}
		parts = append(parts, fmt.Sprintf("%s %s", name, comma(counts[k])))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func comma(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + comma(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func fmtSec(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func fmtDur(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%d s", int(d.Seconds()))
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

func fmtRatio(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", x)
}

func fmtKiB(k int64) string {
	return fmt.Sprintf("%.1f MiB", float64(k)/1024)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func oneLine(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\n", " ⏎ ")
	s = strings.ReplaceAll(s, "|", "\\|")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// head writes a section's title, its introduction (if any) and the head of
// its table; align has a letter per column, r for right-aligned numbers.
func head(w func(string, ...any), title, intro, align string, cols ...string) {
	w("### %s\n\n", title)
	if intro != "" {
		w("%s\n\n", intro)
	}
	w("| %s |\n|", strings.Join(cols, " | "))
	for _, a := range align {
		if a == 'r' {
			w(" ---: |")
		} else {
			w(" --- |")
		}
	}
	w("\n")
}

// failedRow writes a row of n columns: cells, then empty ones.
func failedRow(w func(string, ...any), n int, cells ...string) {
	w("| %s |%s\n", strings.Join(cells, " | "), strings.Repeat(" |", n-len(cells)))
}
