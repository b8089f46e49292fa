package exporters

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

func efficiencyReport(t *testing.T) *indicators.Report {
	t.Helper()
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	fw := &indicators.Framework{
		Project: indicators.Project{Code: "P", Start: d(2020, 1, 1), End: d(2023, 12, 31), Currency: "CHF"},
		Results: []indicators.Result{
			{Code: "O1", Level: indicators.Outcome, Statement: "Outcome one"},
			{Code: "1.1", Level: indicators.Output, Parent: "O1", Statement: "Output <one>"},
			{Code: "1.2", Level: indicators.Output, Parent: "O1"},
		},
		Budget: []indicators.BudgetLine{
			{Result: "1.1", Category: indicators.CategoryOperational, Amount: 1500},
			{Result: "1.2", Category: indicators.CategoryOperational, Amount: 2000},
			{Category: indicators.CategoryStaff, Amount: 1000},
		},
	}
	p := func(s string) indicators.Period { x, _ := indicators.ParsePeriod(s); return x }
	prog := 0.05
	r := &indicators.Report{Period: indicators.ReportPeriod{Code: "2021S1", End: "2021-06-30"}, Elapsed: 0.5,
		Results: []indicators.ReportResult{{Code: "O1"}, {Code: "1.1", Indicators: []indicators.ReportIndicator{{Progress: &prog}}}, {Code: "1.2"}}}
	err := indicators.AddEfficiency(r, fw, []indicators.Expenditure{
		{Result: "1.1", Category: indicators.CategoryOperational, Period: p("2020S1"), Amount: 450},
		{Result: "1.2", Category: indicators.CategoryOperational, Period: p("2021Q1"), Amount: 200},
		{Category: indicators.CategoryStaff, Period: p("2021S1"), Amount: 600},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestEfficiencyText(t *testing.T) {
	r := efficiencyReport(t)
	for _, width := range []int{60, 100} {
		var b bytes.Buffer
		if err := writeEfficiencyText(&b, r.Efficiency, width); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		// 1.1: 450 / 1,500 = 30.0%, gap 20.0 points (not flagged), progress 5% < 30 - 20: slow results.
		// 1.2: 200 / 2,000 = 10.0%, gap 40.0: slow spending. Operational 650 / 3,500 = 18.6%.
		wants := []string{
			"Operational budget          3,500        650  18.6%  +31.4           slow spending",
			"  Output 1.1                1,500        450  30.0%  +20.0     5.0%  slow results",
			"  Output 1.2                2,000        200  10.0%  +40.0  no data",
			"Outcome O1                  3,500        650  18.6%  +31.4  no data",
			"At 2021-06-30, 50.0% of the project's time has elapsed and 18.6% of the operational budget is",
		}
		if width < 80 {
			wants = []string{"Operational b…     3,500       650  18.6%  +31.4\n                slow spending\n"}
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("width %d: missing %q in:\n%s", width, want, out)
			}
		}
		for _, l := range strings.Split(out, "\n") {
			if n := len([]rune(l)); n > width {
				t.Errorf("width %d: line of %d columns: %q", width, n, l)
			}
		}
	}
}

func TestEfficiencyMarkdownAndHTML(t *testing.T) {
	r := efficiencyReport(t)
	var md bytes.Buffer
	if err := writeEfficiencyMarkdown(&md, r.Efficiency); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Efficiency\n", "### Efficiency: Outcome O1\n",
		"| Output 1.2 | 2,000 | 200 | 10.0% | 50.0% | +40.0 | no data | spending lags time |",
		"| Output 1.1 | 1,500 | 450 | 30.0% | 50.0% | +20.0 | 5.0% | results lag spending |",
		"| staff and office | 1,000 | 600 | 60.0% |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	var h bytes.Buffer
	if err := writeEfficiencyHTML(&h, r.Efficiency); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<section class="efficiency">`, "<h3>Outcome O1</h3>", `<svg`, "time elapsed 50.0%", `<tr class="flagged">`} {
		if !strings.Contains(h.String(), want) {
			t.Errorf("html lacks %q:\n%s", want, h.String())
		}
	}
	// The full reports include the section.
	var txt bytes.Buffer
	if err := WriteReportText(&txt, r, TextOptions{Width: 80}); err != nil || !strings.Contains(txt.String(), "EFFICIENCY") {
		t.Errorf("text report: %v\n%s", err, txt.String())
	}
	md.Reset()
	if err := WriteReportMarkdown(&md, r); err != nil || !strings.Contains(md.String(), "## Efficiency") {
		t.Errorf("markdown report: %v", err)
	}
}

func TestEfficiencySheet(t *testing.T) {
	r := efficiencyReport(t)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", dwEfficiency); err != nil {
		t.Fatal(err)
	}
	b := &dwBook{f: f, styles: map[dwStyle]int{}}
	if err := b.write(b.efficiency(r.Efficiency)); err != nil || b.err != nil {
		t.Fatal(err, b.err)
	}
	rows, err := f.GetRows(dwEfficiency)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]string{
		3: {"", "Budget (CHF)", "Spent", "Disbursed", "Time elapsed", "Gap (points)", "Indicator progress", "Flags"},
		6: {"Outcome O1", "3,500", "650", "18.6%", "50.0%", "+31.4", "no data", "spending lags time"},
		7: {"Output 1.1", "1,500", "450", "30.0%", "50.0%", "+20.0", "5.0%", "results lag spending"},
	}
	for i, w := range want {
		if i >= len(rows) || strings.Join(rows[i], "|") != strings.Join(w, "|") {
			t.Errorf("row %d = %q, want %q", i+1, rows[min(i, len(rows)-1)], w)
		}
	}
}
