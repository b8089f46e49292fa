package exporters

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

func TestWriteReportHTMLGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteReportHTML(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	golden(t, "report/sample.html", buf.Bytes())
	// With trends over three quarters and the follow-up of recommendations.
	var trend bytes.Buffer
	if err := WriteReportHTML(&trend, donorSample(t).Report); err != nil {
		t.Fatal(err)
	}
	golden(t, "report/sample_trend.html", trend.Bytes())
}

func TestWriteReportHTMLContent(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteReportHTML(&buf, donorSample(t).Report); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"<!DOCTYPE html>",
		"<style>",
		"@media print",
		"<h1>MIG-MN: Internal migration in Mongolia - data, governance and services for internal migrants</h1>",
		`<section class="result level-2" id="r-O1">`,
		`<h2>Outcome O1: The government has better national data on internal migration.</h2>`,
		`<span class="badge st-at-risk">▲ at risk</span>`,
		`<span class="badge st-off-track">✖ off track</span>`,
		// The progress bar of 3.3.2: 54% filled in amber, the expected mark at 75% (90 of 120).
		`aria-label="progress 54%, expected 75%"`,
		`<rect x="0" y="2" width="64.5" height="12" rx="2" fill="#d69a00"/>`,
		`<line x1="90" y1="0" x2="90" y2="16" stroke="#222" stroke-width="2"/>`,
		// Trend charts.
		`<svg class="trend"`,
		`aria-label="3.3.2: cumulative actual against target, 2021Q1 to 2021Q3"`,
		"<polyline",
		"<td>3.3.2</td><td>Migrants served by NGOs</td><td>number</td><td class=\"n\">0</td><td class=\"n\">20,000</td><td class=\"n\">15,000</td><td class=\"n\">10,753</td>",
		"<strong>3.3.2</strong> Migrants served by NGOs: 9,100 → 10,753 (&#43;1,653); 1,653 in 2021Q3",
		"<strong>1.1.3</strong> Tracking assessments carried out: 10 by 2022Q1 (now 8; 2 to go)",
		"<td>3.3.2</td><td>sex: female</td><td class=\"n\">6,020</td><td class=\"n\">950</td><td class=\"n\">56%</td>",
		"submitted | approved",
		"<h3>Unverified figures</h3>",
		"rule &#34;numerator &lt;= denominator&#34; does not hold for sex=male: 26 &gt; 22",
		"<td>3.3.2</td><td>2021Q3.xlsx</td><td>Output 3.3</td><td>5-11, 14</td><td class=\"n\">8</td>",
		"<h2>Follow-up of recommendations</h2>",
		"Continue NGO capacity building",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(out, "A3.2.1") {
		t.Error("an activity without indicators has a section")
	}
	// Self-contained: no scripts, nothing from the network.
	for _, bad := range []string{"<script", "http://", "https://", "src=", "<link", "@import", "url("} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML report contains %q", bad)
		}
	}
	// A chart for each indicator whose series has numbers (1.1.2, 3.3.2, 3.2.1, O1.1).
	if n := strings.Count(out, `<svg class="trend"`); n != 4 {
		t.Errorf("%d trend charts, want 4 (the indicators whose series has numbers)", n)
	}
	// Well-formed enough for an XML parser once the doctype and void
	// elements are taken out: every tag is closed.
	x := strings.Replace(out, "<!DOCTYPE html>", "", 1)
	for _, void := range []string{`<meta charset="utf-8">`, `<meta name="viewport" content="width=device-width, initial-scale=1">`} {
		x = strings.Replace(x, void, "", 1)
	}
	x = strings.ReplaceAll(x, "<br>", "<br/>")
	d := xml.NewDecoder(strings.NewReader(x))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("HTML does not nest: %v", err)
		}
	}
}

// TestWriteReportHTMLEscapes: text from the framework and the data is
// escaped, never markup.
func TestWriteReportHTMLEscapes(t *testing.T) {
	r := sampleReport()
	r.Project.Title = `<script>alert("x")</script> & co`
	r.Results[1].Statement = `Data <b>now</b>`
	r.Results[1].Indicators[0].Name = `"quoted" <img src=x>`
	var buf bytes.Buffer
	if err := WriteReportHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script>", "<b>now</b>", "<img src=x>"} {
		if strings.Contains(out, bad) {
			t.Errorf("unescaped %q in the HTML report", bad)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co") {
		t.Error("escaped title missing")
	}
}

func TestWriteReportHTMLEmpty(t *testing.T) {
	var buf bytes.Buffer
	r := sampleReport()
	r.Results, r.Findings, r.Previous, r.StatusCounts = nil, nil, nil, nil
	if err := WriteReportHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"no indicators on its results", "No findings", "No figures were reported up to the end of 2021Q3"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("empty report lacks %q", want)
		}
	}
}

func BenchmarkWriteReportHTML(b *testing.B) {
	r := largeReport()
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteReportHTML(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
