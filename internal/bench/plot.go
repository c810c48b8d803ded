package bench

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// PacingPlotFile is the plot writePacing links, written beside BENCHMARKS.md.
const PacingPlotFile = "BENCHMARKS-pacing.svg"

// PacingSVG plots create wall time against N: measured paced and unpaced,
// T_min, and the token bucket's model. N is spaced evenly, as a category.
func PacingSVG(r *Results) []byte {
	const width, height, left, right, top, bottom = 720, 420, 70, 190, 30, 50
	type series struct {
		name, color string
		at          func(PacedCreate) time.Duration
	}
	all := []series{
		{"this pacer (measured)", "#1f77b4", func(p PacedCreate) time.Duration { return p.Paced.Wall }},
		{"T_min", "#2ca02c", func(p PacedCreate) time.Duration { return MinSendTime(p.N, RealLimit, RealWindow) }},
		{"pacing off (measured)", "#7f7f7f", func(p PacedCreate) time.Duration { return p.Unpaced.Wall }},
	}
	top1 := 1.0
	for _, s := range all {
		for _, p := range r.Pacing {
			top1 = max(top1, s.at(p).Seconds())
		}
	}
	step := math.Pow(10, math.Floor(math.Log10(top1)))
	ymax := math.Ceil(top1/step) * step
	plotW, plotH := float64(width-left-right), float64(height-top-bottom)
	x := func(i int) float64 {
		if len(r.Pacing) == 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(len(r.Pacing)-1)
	}
	y := func(sec float64) float64 { return top + plotH*(1-sec/ymax) }

	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", width, height)
	w(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	w(`<text x="%d" y="18" font-size="14">Create wall time against N at 120 requests per rolling minute</text>`+"\n", left)
	for i := 0; i <= 5; i++ {
		v := ymax * float64(i) / 5
		w(`<line x1="%d" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%.0f s</text>`+"\n",
			left, left+plotW, y(v), y(v), left-6, y(v)+4, v)
	}
	for i, p := range r.Pacing {
		w(`<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x(i), height-bottom+18, comma(p.N))
	}
	w(`<text x="%.1f" y="%d" text-anchor="middle">N (users created)</text>`+"\n", left+plotW/2, height-12)
	for k, s := range all {
		var pts []string
		for i, p := range r.Pacing {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(s.at(p).Seconds())))
		}
		w(`<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", s.color, strings.Join(pts, " "))
		for _, pt := range pts {
			cx, cy, _ := strings.Cut(pt, ",")
			w(`<circle cx="%s" cy="%s" r="3" fill="%s"/>`+"\n", cx, cy, s.color)
		}
		ly := top + 10 + 20*k
		w(`<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/><text x="%d" y="%d">%s</text>`+"\n",
			width-right+15, width-right+40, ly, ly, s.color, width-right+46, ly+4, s.name)
	}
	w("</svg>\n")
	return []byte(b.String())
}
