package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// chartSVG draws an indicator's actual against its expected path over the
// reporting periods from the project start to the report's period, as the
// report's series gives them (cumulative for indicators that add up), with
// the target as a dashed line. It is drawn on the server: no script.
// With steps (the indicator's expected path is held until the next
// milestone is due: yes/no, text, path "steps", frequency "end") the
// expected line stays level through a period and rises at its end, never
// a ramp the officer would read as "half done by mid-year".
func chartSVG(ind *indicators.ReportIndicator, steps bool) template.HTML {
	pts := ind.Series
	if len(pts) == 0 {
		return template.HTML(`<p class="muted">No periods to chart yet.</p>`)
	}
	const W, H, left, right, top, bottom = 900.0, 280.0, 64.0, 40.0, 16.0, 40.0
	hi := 0.0
	lo := 0.0
	see := func(v *float64) {
		if v != nil {
			hi = math.Max(hi, *v)
			lo = math.Min(lo, *v)
		}
	}
	for _, p := range pts {
		see(p.Target)
		see(p.Actual)
	}
	see(ind.Target)
	see(ind.Baseline)
	if hi == lo {
		hi = lo + 1
	}
	hi = niceCeil(hi)
	n := len(pts)
	x := func(i int) float64 {
		if n == 1 {
			return left + (W-left-right)/2
		}
		return left + float64(i)*(W-left-right)/float64(n-1)
	}
	y := func(v float64) float64 { return top + (hi-v)/(hi-lo)*(H-top-bottom) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %g %g" role="img" aria-label="%s: actual against the expected path">`,
		W, H, html.EscapeString(ind.Code))
	// Grid and the value axis.
	for k := 0; k <= 4; k++ {
		v := lo + (hi-lo)*float64(k)/4
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#e3e7ee"/>`, left, W-right, y(v), y(v))
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" text-anchor="end" font-size="11" fill="#56606e">%s</text>`, left-6, y(v)+4, indicators.Number.Format(v))
	}
	// Period labels: at most about 12, evenly spaced.
	step := max(1, (n+11)/12)
	for i, p := range pts {
		if i%step == 0 || i == n-1 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle" font-size="11" fill="#56606e">%s</text>`, x(i), H-bottom+16, html.EscapeString(p.Period))
		}
	}
	if ind.Target != nil {
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#8a94a3" stroke-dasharray="4 4"/>`, left, W-right, y(*ind.Target), y(*ind.Target))
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" text-anchor="end" font-size="11" fill="#56606e">target %s</text>`, W-right, y(*ind.Target)-4, ind.Unit.Format(*ind.Target))
	}
	line := func(get func(indicators.SeriesPoint) *float64, color, dash, label string, steps bool) {
		var seg []string
		prev := 0.0
		flush := func() {
			if len(seg) > 1 {
				fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2.5"%s points="%s"/>`, color, dash, strings.Join(seg, " "))
			}
			seg = seg[:0]
		}
		for i, p := range pts {
			v := get(p)
			if v == nil {
				flush()
				continue
			}
			if steps && len(seg) > 0 {
				seg = append(seg, fmt.Sprintf("%.1f,%.1f", x(i), prev)) // level to the period's end, then up
			}
			seg = append(seg, fmt.Sprintf("%.1f,%.1f", x(i), y(*v)))
			prev = y(*v)
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s %s: %s</title></circle>`, x(i), y(*v), color, label, html.EscapeString(p.Period), ind.Unit.Format(*v))
		}
		flush()
	}
	line(func(p indicators.SeriesPoint) *float64 { return p.Target }, "#8a94a3", ` stroke-dasharray="6 3"`, "expected", steps)
	line(func(p indicators.SeriesPoint) *float64 { return p.Actual }, "#1f5fa8", "", "actual", false)
	// Legend.
	fmt.Fprintf(&b, `<g font-size="12" fill="#1d2a3a"><line x1="%g" x2="%g" y1="%g" y2="%g" stroke="#1f5fa8" stroke-width="2.5"/><text x="%g" y="%g">actual</text>`,
		left, left+24, H-8, H-8, left+30, H-4)
	fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%g" y2="%g" stroke="#8a94a3" stroke-width="2.5" stroke-dasharray="6 3"/><text x="%g" y="%g">expected path</text></g>`,
		left+90, left+114, H-8, H-8, left+120, H-4)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 0
	}
	e := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*e >= v {
			return m * e
		}
	}
	return 10 * e
}
