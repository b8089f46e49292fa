package exporters

// The donor workbook on paper and by frequency (issue 11, item 7): one
// IPTT sheet per reporting frequency, page breaks between periods, the
// missing reports on the Findings sheet grouped by who owes them.

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// sheetXML returns the XML of the i-th worksheet (1-based) of a workbook.
func sheetXML(t *testing.T, book []byte, i int) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := z.Open("xl/worksheets/sheet" + strconv.Itoa(i) + ".xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWriteReportXLSXPageBreaks: the IPTT breaks pages between periods,
// never inside one. Widths (characters): A..J 9+32+9+10+10+10+10+9+11+8 =
// 118, printed at about (118 x 9.3 + 10 x 5) px = 303.6 mm; a page holds
// (297 - 2 x 17.78) x 0.95 / 0.75 = 331 mm; a period's 4 columns of 10.5
// take 108.6 mm. So 2021Q1 (K..N) starts page 2; A:B repeated (103.5 mm)
// plus 2021Q1 and 2021Q2 make 320.7 mm; 2021Q3 (S..V) starts page 3.
func TestWriteReportXLSXPageBreaks(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteReportXLSX(&buf, donorSample(t)); err != nil {
		t.Fatal(err)
	}
	x := sheetXML(t, buf.Bytes(), 1)
	m := regexp.MustCompile(`<colBreaks[^>]*>(.*?)</colBreaks>`).FindStringSubmatch(x)
	if m == nil {
		t.Fatalf("IPTT has no column page breaks")
	}
	var ids []string
	for _, b := range regexp.MustCompile(`<brk id="(\d+)"`).FindAllStringSubmatch(m[1], -1) {
		ids = append(ids, b[1])
	}
	// A break's id is the 0-based column it comes before: 10 is K, 18 is S.
	if got := strings.Join(ids, ","); got != "10,18" {
		t.Errorf("column breaks before columns %s (0-based), want 10,18 (K and S)", got)
	}
	if got := dwColBreaks(map[int]float64{1: 10, 2: 10, 3: 10, 4: 10}, 4, 1, []int{2, 3, 4}, 100); got != nil {
		t.Errorf("4 narrow columns break at %v, want one page", got)
	}
}

// TestWriteReportXLSXByFrequency: with tables by frequency, one IPTT sheet
// each, named after the frequency after the first, each with its own
// periods and only its indicators (under their results).
func TestWriteReportXLSXByFrequency(t *testing.T) {
	in := donorSample(t)
	f1 := func(x float64) *float64 { return &x }
	in.IPTT = []indicators.IPTTTable{
		{Frequency: "quarterly", Indicators: []string{"3.3.2", "1.1.2"},
			Periods: []indicators.IPTTPeriod{{Label: "2021Q3", ReportPeriod: indicators.ReportPeriod{Code: "2021Q3", Start: "2021-07-01", End: "2021-09-30"}}},
			Points:  map[string][]indicators.SeriesPoint{"3.3.2": {{Target: f1(15000), PeriodValue: f1(1653), Actual: f1(10753)}}}},
		{Frequency: "annual", Indicators: []string{"3.2.1"},
			Periods: []indicators.IPTTPeriod{
				{Label: "PY1", ReportPeriod: indicators.ReportPeriod{Code: "2019-09-01..2020-08-31", Start: "2019-09-01", End: "2020-08-31"}},
				{Label: "PY2", ReportPeriod: indicators.ReportPeriod{Code: "2020-09-01..2021-08-31", Start: "2020-09-01", End: "2021-08-31"}},
				{Label: "PY3 to 2021-09-30", Cut: true, ReportPeriod: indicators.ReportPeriod{Code: "2021-09-01..2021-09-30", Start: "2021-09-01", End: "2021-09-30"}}},
			Points: map[string][]indicators.SeriesPoint{"3.2.1": {{Target: f1(100)}, {Target: f1(200), Actual: f1(80), PeriodValue: f1(80)}, {Target: f1(210), Actual: f1(80)}}}},
		{Frequency: "end", Indicators: []string{"OO.1"}},
	}
	f := openDonor(t, in)
	want := "IPTT,IPTT annual,IPTT end of project,Summary,Disaggregation,Indicators,Data,Findings,Recommendations"
	if got := strings.Join(f.GetSheetList(), ","); got != want {
		t.Fatalf("sheets %s, want %s", got, want)
	}
	wantText(t, f, "IPTT", "K2", "2021Q3")
	n := strconv.Itoa(findRow(t, f, "IPTT", "3.3.2"))
	wantNumber(t, f, "IPTT", "K"+n, 15000, dwFmtInt)
	wantNumber(t, f, "IPTT", "L"+n, 1653, dwFmtInt)
	wantNumber(t, f, "IPTT", "M"+n, 10753, dwFmtInt)
	if findRowOK(f, "IPTT", "3.2.1") || findRowOK(f, "IPTT", "3.2") {
		t.Error("the quarterly IPTT lists the annual indicator 3.2.1 or its result")
	}
	if v, _ := f.GetCellValue("IPTT", "A1"); !strings.HasSuffix(v, "indicators reported quarterly") {
		t.Errorf("IPTT title %q does not say the frequency", v)
	}
	const a = "IPTT annual"
	for ref, w := range map[string]string{"K2": "PY1", "O2": "PY2", "S2": "PY3 to 2021-09-30", "S3": "Cumulative target", "T3": "Actual in period",
		"U3": "Cumulative actual", "V3": "% met"} {
		wantText(t, f, a, ref, w)
	}
	r := strconv.Itoa(findRow(t, f, a, "3.2.1"))
	wantNumber(t, f, a, "O"+r, 200, dwFmtInt)
	wantNumber(t, f, a, "P"+r, 80, dwFmtInt)
	wantNumber(t, f, a, "R"+r, 80.0/200, dwFmtShare) // baseline 0: 80 of the 200 expected
	findRow(t, f, a, "3.2")
	if findRowOK(f, a, "3.3.2") {
		t.Error("the annual IPTT lists the quarterly 3.3.2")
	}
	rows, _ := f.GetRows(a)
	all := ""
	for _, row := range rows {
		all += strings.Join(row, "|") + "\n"
	}
	if !strings.Contains(all, "PY3 to 2021-09-30: the period runs past 2021Q3") {
		t.Errorf("the annual IPTT does not explain its cut period:\n%s", all)
	}
	const e = "IPTT end of project"
	findRow(t, f, e, "OO.1")
	if v, _ := f.GetCellValue(e, "K3"); v != "" {
		t.Errorf("the end-of-project IPTT has period columns: K3 = %q", v)
	}
	names := map[string]string{}
	for _, d := range f.GetDefinedName() {
		names[d.Scope+"|"+d.Name] = d.RefersTo
	}
	if got := names[a+"|_xlnm.Print_Titles"]; got != "'"+a+"'!$A:$B,'"+a+"'!$2:$3" {
		t.Errorf("annual IPTT print titles %q", got)
	}
}

// TestWriteReportXLSXMissing: the Findings sheet lists the missing reports
// first, grouped by who owes them (alphabetically, the unnamed last), each
// once, then the other findings.
func TestWriteReportXLSXMissing(t *testing.T) {
	in := donorSample(t)
	r := in.Report
	r.Missing = []indicators.MissingReport{
		{Indicator: "3.3.2", Name: "Migrants served by NGOs", Period: "2021Q2", Responsible: "NGO partners"},
		{Indicator: "3.3.2", Name: "Migrants served by NGOs", Period: "2021Q3", Responsible: "NGO partners"},
		{Indicator: "OO.1", Period: "PY2", Responsible: indicators.NoOneNamed},
		{Indicator: "1.1.2", Period: "2021Q3", Responsible: "M&E officer"},
	}
	r.Findings = append(r.Findings,
		indicators.Finding{Code: "3.3.2", Severity: indicators.SevWarning, Kind: "missing", Period: "2021Q2",
			Message: "no figure for 2021Q2 (owed by 2021-06-30, responsible: NGO partners)"},
		indicators.Finding{Code: "3.3.2", Severity: indicators.SevWarning, Kind: "missing", Period: "2021Q3",
			Message: "no figure for 2021Q3 (owed by 2021-09-30, responsible: NGO partners)"},
		indicators.Finding{Code: "OO.1", Severity: indicators.SevWarning, Kind: "missing", Period: "PY2", Message: "no figure for PY2"},
		indicators.Finding{Code: "1.1.2", Severity: indicators.SevWarning, Kind: "missing", Period: "2021Q3", Message: "no figure for 2021Q3"})
	f := openDonor(t, in)
	rows, err := f.GetRows("Findings")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rows[1:] {
		switch {
		case len(row) == 1:
			got = append(got, "# "+row[0])
		case len(row) >= 4:
			got = append(got, row[0]+" "+row[2]+" "+row[3])
		}
	}
	text := strings.Join(got, "\n")
	wantStart := strings.Join([]string{
		"# Missing reports: M&E officer (1 figure)",
		"1.1.2 missing 2021Q3",
		"# Missing reports: NGO partners (2 figures)",
		"3.3.2 missing 2021Q2",
		"3.3.2 missing 2021Q3",
		"# Missing reports: (no responsible named) (1 figure)",
		"OO.1 missing PY2",
		"# Other findings",
	}, "\n")
	if !strings.HasPrefix(text, wantStart) {
		t.Errorf("Findings:\n%s\nwant it to start with\n%s", text, wantStart)
	}
	if strings.Count(text, "missing 2021Q2") != 1 {
		t.Errorf("a missing report is listed twice:\n%s", text)
	}
	if others := strings.SplitN(text, "# Other findings\n", 2); len(others) != 2 || len(strings.Split(others[1], "\n")) != len(r.Findings)-4 {
		t.Errorf("want the %d findings that are not missing reports under Other findings:\n%s", len(r.Findings)-4, text)
	}
	i := findRow(t, f, "Findings", "3.3.2")
	wantText(t, f, "Findings", "F"+strconv.Itoa(i), "no figure for 2021Q2 (owed by 2021-06-30, responsible: NGO partners)")
}
