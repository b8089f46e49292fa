package exporters

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// donorSample is sampleReport with series over three quarters, a
// follow-up, a framework for the measurement plan and figures with their
// sources.
func donorSample(t testing.TB) DonorWorkbook {
	r := sampleReport()
	periods := []struct{ code, start, end string }{
		{"2021Q1", "2021-01-01", "2021-03-31"}, {"2021Q2", "2021-04-01", "2021-06-30"}, {"2021Q3", "2021-07-01", "2021-09-30"}}
	series := map[string][3][2]*float64{ // target, actual per period
		"1.1.2": {{rfp(50), rfp(60)}, {rfp(55), rfp(65)}, {rfp(60), rfp(71.42857142857143)}},
		"3.3.2": {{rfp(9000), rfp(7000)}, {rfp(12000), rfp(9100)}, {rfp(15000), rfp(10753)}},
		"3.2.1": {{rfp(160), rfp(80)}, {rfp(200), rfp(80)}, {rfp(240), rfp(80)}},
		"O1.1":  {{nil, rfp(0)}, {rfp(1), rfp(0)}, {rfp(1), rfp(0)}},
	}
	for i := range r.Results {
		for j := range r.Results[i].Indicators {
			ind := &r.Results[i].Indicators[j]
			ind.Series = nil
			for k, p := range periods {
				pt := indicators.SeriesPoint{Period: p.code, Start: p.start, End: p.end}
				if s, ok := series[ind.Code]; ok {
					pt.Target, pt.Actual = s[k][0], s[k][1]
				}
				if ind.Code == "3.3.2" { // the figures of each quarter: 7000, 9100 - 7000, 10753 - 9100
					pt.PeriodValue = rfp([]float64{7000, 2100, 1653}[k])
				}
				ind.Series = append(ind.Series, pt)
			}
		}
	}
	for i := range r.Results {
		if r.Results[i].Code == "O3" {
			r.Results[i].Delivery = indicators.StatusOffTrack
		}
	}
	r.FollowUp = &indicators.FollowUp{AsOf: "2021-09-30",
		Evaluations: []indicators.FollowUpEvaluation{{Title: "Mid-term review", Date: "2021-06-30"}},
		Recommendations: []indicators.FollowUpRecommendation{
			{Evaluation: "Mid-term review", Number: "3", Text: "Continue NGO capacity building", Priority: 2, Response: indicators.Accepted,
				Actions: []indicators.FollowUpAction{
					{Recommendation: "3", Number: "3.1", Text: "Train NGOs in four regions", Deadline: "2022-04", Due: "2022-04-30",
						Status: indicators.Ongoing, Links: []string{"3.3.2"}},
					{Recommendation: "3", Number: "3.2", Text: "Fund four more NGOs", Deadline: "2021-06", Due: "2021-06-30",
						Status: indicators.Ongoing, Overdue: true, DaysOverdue: 92, Links: []string{"3.3"}},
				}},
			{Evaluation: "Mid-term review", Number: "4", Text: "Close the project early", Priority: 3, Response: indicators.Rejected},
		},
		ResponseCounts: map[indicators.Response]int{indicators.Accepted: 1, indicators.Rejected: 1},
		StatusCounts:   map[indicators.ActionStatus]int{indicators.Ongoing: 2}, Actions: 2, OverdueCount: 1,
	}
	q := func(y, n int) indicators.Period { return indicators.Quarter(y, n) }
	// Project years run September to August.
	py := func(n int) indicators.Period {
		return indicators.Range(time.Date(2018+n, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2019+n, 8, 31, 0, 0, 0, 0, time.UTC))
	}
	bd := time.Date(2019, 10, 15, 0, 0, 0, 0, time.UTC)
	fw := &indicators.Framework{
		Project: indicators.Project{Code: "MIG-MN", Title: r.Project.Title, Start: time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC),
			End: time.Date(2023, 8, 31, 0, 0, 0, 0, time.UTC), YearStart: 9},
		Indicators: []indicators.Indicator{
			{Code: "1.1.2", Result: "1.1", Name: "Share of trained officers with better knowledge of interpreting mobility data",
				Definition: "Officers scoring 70% or more in the post-training test, over officers tested", Unit: indicators.Percent,
				Direction: indicators.Increase, Baseline: rfp(0), BaselineDate: &bd, Target: rfp(80), DataSource: "training tests",
				CollectionMethod: "pre/post test", Frequency: "quarterly", Responsible: "M&E officer", MeansOfVerification: "test sheets",
				Disaggregations: []string{"sex"}},
			{Code: "3.3.2", Result: "3.3", Name: "Migrants served by NGOs", Unit: indicators.Number, Direction: indicators.Increase,
				Baseline: rfp(0), Target: rfp(20000), DataSource: "NGO registers", Frequency: "quarterly", Responsible: "NGO partners",
				Disaggregations: []string{"sex", "province"}},
			{Code: "n.served", Name: "Supporting measure", Unit: indicators.Number},
			{Code: "1.2.2", Result: "1.2", Name: "National surveys that add a migration module", Unit: indicators.Number,
				Baseline: rfp(0), Target: rfp(2), Milestones: indicators.MilestonesCumulative, Path: indicators.PathSteps},
		},
		Milestones: []indicators.Milestone{
			{Indicator: "3.3.2", Period: q(2021, 4), Target: 8000},
			{Indicator: "3.3.2", Period: q(2021, 2), Target: 3000},
			{Indicator: "1.2.2", Period: py(1), Target: 1},
			{Indicator: "1.2.2", Period: py(2), Target: 2},
		},
		Dimensions: []indicators.Dimension{{Name: "sex", Values: []string{"male", "female"}}},
	}
	imported := time.Date(2021, 10, 5, 14, 30, 0, 0, time.UTC)
	figs := []indicators.Revision{
		{Measurement: indicators.Measurement{Indicator: "3.3.2", Period: q(2021, 3), Value: rfp(1653), Verified: indicators.VerifiedNo,
			Loc: indicators.Loc{File: "data/2021Q3.xlsx", Sheet: "Output 3.3", Row: 5}}, Revision: 1, BatchID: 3, Imported: imported, Current: true},
		{Measurement: indicators.Measurement{Indicator: "3.3.2", Period: q(2021, 3), Dims: indicators.Disagg{"sex": "female"}, Value: rfp(950),
			Loc: indicators.Loc{File: "data/2021Q3.xlsx", Sheet: "Output 3.3", Row: 6}}, Revision: 1, BatchID: 3, Imported: imported, Current: true},
		{Measurement: indicators.Measurement{Indicator: "1.1.2", Period: q(2021, 3), Numerator: rfp(25), Denominator: rfp(35),
			Verified: indicators.VerifiedYes, Loc: indicators.Loc{File: `C:\Users\officer\Desktop\q3 partner.xlsx`, Sheet: "Output 1.1", Row: 6}},
			Revision: 2, BatchID: 3, Imported: imported, Current: true},
		{Measurement: indicators.Measurement{Indicator: "1.2.1", Period: q(2021, 3), Text: "draft presented"}},
	}
	return DonorWorkbook{Report: r, Framework: fw, Figures: figs}
}

// openDonor writes in and reads the workbook back.
func openDonor(t *testing.T, in DonorWorkbook) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteReportXLSX(&buf, in); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("excelize cannot read the donor workbook back: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// findRow returns the 1-based row of sheet whose column A is code.
func findRow(t *testing.T, f *excelize.File, sheet, code string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == code {
			return i + 1
		}
	}
	t.Fatalf("sheet %s: no row for %s", sheet, code)
	return 0
}

// cellStyle returns the style of a cell.
func cellStyle(t *testing.T, f *excelize.File, sheet, ref string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func styleFormat(st *excelize.Style) string {
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	for k, v := range dwBuiltin {
		if v == st.NumFmt {
			return k
		}
	}
	return strconv.Itoa(st.NumFmt)
}

// wantNumber checks that sheet!ref holds the number want (not text) with
// the number format format ("" for any).
func wantNumber(t *testing.T, f *excelize.File, sheet, ref string, want float64, format string) {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s: cell type %v, want a number", sheet, ref, typ)
	}
	raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := strconv.ParseFloat(raw, 64)
	if err != nil || (got-want) > 1e-9 || (want-got) > 1e-9 {
		t.Errorf("%s!%s = %q, want the number %v", sheet, ref, raw, want)
	}
	if format != "" {
		if got := styleFormat(cellStyle(t, f, sheet, ref)); got != format {
			t.Errorf("%s!%s: number format %q, want %q", sheet, ref, got, format)
		}
	}
}

func wantText(t *testing.T, f *excelize.File, sheet, ref, want string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, ref, got, want)
	}
}

func TestWriteReportXLSXSheets(t *testing.T) {
	f := openDonor(t, donorSample(t))
	want := []string{"IPTT", "Summary", "Disaggregation", "Indicators", "Data", "Findings", "Recommendations"}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("sheets %v, want %v", got, want)
	}
	in := donorSample(t)
	in.Report.FollowUp = nil
	g := openDonor(t, in)
	if got := g.GetSheetList(); len(got) != 6 || got[5] != "Findings" {
		t.Errorf("without follow-up: sheets %v, want no Recommendations sheet", got)
	}
}

func TestWriteReportXLSXIPTT(t *testing.T) {
	f := openDonor(t, donorSample(t))
	const s = "IPTT"
	for ref, want := range map[string]string{"A3": "Code", "B3": "Result / indicator", "E3": "Baseline", "F3": "End target",
		"G3": "Actual to date", "H3": "% of target", "I3": "Status", "J3": "Likely", "K2": "2021Q1", "K3": "Cumulative target",
		"L3": "Actual in period", "M3": "Cumulative actual", "N3": "% met", "O2": "2021Q2", "S2": "2021Q3", "E2": "Cumulative to the end of 2021Q3"} {
		wantText(t, f, s, ref, want)
	}
	// Group rows: the result code, its level and statement, its status.
	o1 := findRow(t, f, s, "O1")
	wantText(t, f, s, "B"+strconv.Itoa(o1), "Outcome: The government has better national data on internal migration.")
	wantText(t, f, s, "I"+strconv.Itoa(o1), "off track")
	if st := cellStyle(t, f, s, "A"+strconv.Itoa(o1)); st.Alignment == nil || st.Alignment.Indent != 1 || st.Font == nil || !st.Font.Bold {
		t.Errorf("outcome group row: style %+v, want bold, indented by 1", st)
	}
	if st := cellStyle(t, f, s, "A"+strconv.Itoa(findRow(t, f, s, "1.1"))); st.Alignment == nil || st.Alignment.Indent != 2 {
		t.Errorf("output group row: want indent 2, style %+v", st.Alignment)
	}
	if findRowOK(f, s, "A3.2.1") {
		t.Error("an activity without indicators has a group row")
	}
	// Indicator rows: numbers with formats by unit.
	n := strconv.Itoa(findRow(t, f, s, "3.3.2"))
	wantText(t, f, s, "C"+n, "number")
	wantText(t, f, s, "D"+n, "increase")
	wantNumber(t, f, s, "E"+n, 0, dwFmtInt)
	wantNumber(t, f, s, "F"+n, 20000, dwFmtInt)
	wantNumber(t, f, s, "G"+n, 10753, dwFmtInt)
	wantNumber(t, f, s, "H"+n, 0.53765, dwFmtShare)
	wantText(t, f, s, "I"+n, "at risk")
	wantText(t, f, s, "J"+n, "no")
	wantNumber(t, f, s, "S"+n, 15000, dwFmtInt) // 2021Q3 cumulative target
	wantNumber(t, f, s, "T"+n, 1653, dwFmtInt)  // 2021Q3 actual in period
	wantNumber(t, f, s, "U"+n, 10753, dwFmtInt) // 2021Q3 cumulative actual
	wantNumber(t, f, s, "V"+n, 10753.0/15000, dwFmtShare)
	wantNumber(t, f, s, "K"+n, 9000, dwFmtInt)
	if got, _ := f.GetCellValue(s, "G"+n); got != "10,753" {
		t.Errorf("G%s shows %q, want 10,753", n, got)
	}
	p := strconv.Itoa(findRow(t, f, s, "1.1.2"))
	wantNumber(t, f, s, "G"+p, 0.7142857142857143, dwFmtPercent)
	wantNumber(t, f, s, "F"+p, 0.8, dwFmtPercent)
	if got, _ := f.GetCellValue(s, "G"+p); got != "71.4%" {
		t.Errorf("G%s shows %q, want 71.4%%", p, got)
	}
	y := strconv.Itoa(findRow(t, f, s, "O1.1"))
	wantNumber(t, f, s, "F"+y, 1, dwFmtYesNo)
	wantNumber(t, f, s, "G"+y, 0, dwFmtYesNo)
	if cell, _ := f.GetCellValue(s, "K"+y); cell != "" {
		t.Errorf("O1.1 2021Q1 target = %q, want empty (no milestone)", cell)
	}
	tx := strconv.Itoa(findRow(t, f, s, "1.2.1"))
	wantText(t, f, s, "E"+tx, "none")
	wantText(t, f, s, "G"+tx, "draft presented to the statistics office")
	nd := strconv.Itoa(findRow(t, f, s, "3.3.4"))
	for _, c := range []string{"E", "G", "H", "J"} {
		if v, _ := f.GetCellValue(s, c+nd); v != "" {
			t.Errorf("3.3.4 %s = %q, want empty (no data)", c, v)
		}
	}
	// Status colours.
	for code, fill := range map[string]string{"3.3.2": "FFD966", "1.1.2": "C6EFCE", "1.1.1": "63BE7B", "3.2.1": "F4B6B6",
		"3.3.4": "D9D9D9", "OO.1": "D9D9D9"} {
		st := cellStyle(t, f, s, "I"+strconv.Itoa(findRow(t, f, s, code)))
		if len(st.Fill.Color) != 1 || !strings.EqualFold(st.Fill.Color[0], fill) {
			t.Errorf("%s status fill %v, want %s", code, st.Fill.Color, fill)
		}
	}
	// Frozen header and code columns, autofilter, print setup.
	panes, err := f.GetPanes(s)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.XSplit != 2 || panes.YSplit != 3 || panes.TopLeftCell != "C4" {
		t.Errorf("panes %+v, want frozen at C4", panes)
	}
	names := map[string]string{}
	for _, d := range f.GetDefinedName() {
		names[d.Scope+"|"+d.Name] = d.RefersTo
	}
	last := findLastIndicatorRow(t, f, s)
	if got, want := names["IPTT|_xlnm._FilterDatabase"], "'IPTT'!$A$3:$V$"+strconv.Itoa(last); got != want && got != "'IPTT'!A3:V"+strconv.Itoa(last) {
		t.Errorf("autofilter %q, want %q", got, want)
	}
	// Printed across as many landscape pages as the periods need, the
	// code and indicator columns and the header rows on each.
	if got := names["IPTT|_xlnm.Print_Titles"]; got != "'IPTT'!$A:$B,'IPTT'!$2:$3" {
		t.Errorf("print titles %q, want 'IPTT'!$A:$B,'IPTT'!$2:$3", got)
	}
	pl, err := f.GetPageLayout(s)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.Size == nil || *pl.Size != 9 || pl.AdjustTo == nil || *pl.AdjustTo != dwAcrossScale {
		t.Errorf("page layout %+v, want landscape A4 at %d%%", pl, dwAcrossScale)
	}
	props, err := f.GetSheetProps(s)
	if err != nil {
		t.Fatal(err)
	}
	if props.FitToPage != nil && *props.FitToPage {
		t.Error("IPTT is squeezed to fit the page")
	}
	// Merged period bands.
	merged, err := f.GetMergeCells(s)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, m := range merged {
		refs = append(refs, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	if got := strings.Join(refs, " "); !strings.Contains(got, "K2:N2") || !strings.Contains(got, "S2:V2") || !strings.Contains(got, "E2:H2") {
		t.Errorf("merged cells %s, want the period bands", got)
	}
	if w, _ := f.GetColWidth(s, "B"); w < 30 || w > 60 {
		t.Errorf("indicator column width %v, want 30..60", w)
	}
}

func findRowOK(f *excelize.File, sheet, code string) bool {
	rows, _ := f.GetRows(sheet)
	for _, r := range rows {
		if len(r) > 0 && r[0] == code {
			return true
		}
	}
	return false
}

// findLastIndicatorRow is the last row of the IPTT table (before the notes).
func findLastIndicatorRow(t *testing.T, f *excelize.File, sheet string) int {
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for i, r := range rows {
		if len(r) > 1 && i >= 3 && r[0] != "" {
			last = i + 1
		}
	}
	return last
}

func TestWriteReportXLSXSummary(t *testing.T) {
	f := openDonor(t, donorSample(t))
	const s = "Summary"
	wantNumber(t, f, s, "C2", 0.520876112251882, dwFmtShare)
	o3 := strconv.Itoa(findRow(t, f, s, "O3"))
	wantText(t, f, s, "D"+o3, "off track")
	wantText(t, f, s, "E"+o3, "off track") // delivery
	for ref, want := range map[string]string{"D4": "Status", "E4": "Delivery", "F4": "Achieved", "L4": "No target", "M4": "Reported",
		"N4": "Indicators", "O4": "Progress", "P4": "Expected"} {
		wantText(t, f, s, ref, want)
	}
	// achieved, on track, at risk, off track, no data, not due, no target, reported; the total
	for col, want := range map[string]float64{"F": 0, "G": 1, "H": 1, "I": 1, "J": 1, "K": 0, "L": 0, "M": 0, "N": 4} {
		wantNumber(t, f, s, col+o3, want, dwFmtInt)
	}
	// O3's indicators with progress and expected: 3.2.1 (0.2, 0.6), 3.3.1 (0.81, 0.81), 3.3.2 (0.54, 0.75).
	wantNumber(t, f, s, "O"+o3, (0.2+0.8095238095238095+0.53765)/3, dwFmtShare)
	wantNumber(t, f, s, "P"+o3, (0.6+0.8095238095238095+0.75)/3, dwFmtShare)
	all := strconv.Itoa(findRow(t, f, s, "All"))
	wantNumber(t, f, s, "N"+all, 10, dwFmtInt)
	// One landscape page.
	if pl, err := f.GetPageLayout(s); err != nil || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 1 ||
		pl.Orientation == nil || *pl.Orientation != "landscape" {
		t.Errorf("Summary page layout %+v (%v), want landscape, one page wide and high", pl, err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("xl/charts/chart1.xml")) {
		t.Error("the Summary sheet has no chart")
	}
}

func TestWriteReportXLSXOtherSheets(t *testing.T) {
	f := openDonor(t, donorSample(t))
	// Disaggregation: by sex in the framework's order (male, female), then by province.
	rows, err := f.GetRows("Disaggregation")
	if err != nil {
		t.Fatal(err)
	}
	text := func(rs [][]string) string {
		var b strings.Builder
		for _, r := range rs {
			b.WriteString(strings.Join(r, "|") + "\n")
		}
		return b.String()
	}(rows)
	for _, want := range []string{"By sex\n", "Code|Indicator|Unit|Total|male|female\n", "By province\n",
		"1.1.2|Share of trained officers with better knowledge of interpreting mobility data|percent|71.4%|68.2%|75.0%\n",
		"3.3.2|Migrants served by NGOs|number|10,753|4,492|6,020\n", "Code|Indicator|Unit|Total|Darkhan-Uul\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("Disaggregation lacks %q:\n%s", want, text)
		}
	}
	r := strconv.Itoa(findRow(t, f, "Disaggregation", "3.2.1"))
	wantNumber(t, f, "Disaggregation", "E"+r, 28, dwFmtInt)
	wantNumber(t, f, "Disaggregation", "F"+r, 52, dwFmtInt)

	// Indicators: the measurement plan.
	const pl = "Indicators"
	i := strconv.Itoa(findRow(t, f, pl, "3.3.2"))
	wantText(t, f, pl, "K"+i, "2021Q2: 3,000\n2021Q4: 8,000")
	wantText(t, f, pl, "K1", "Milestones")
	wantText(t, f, pl, "L1", "Milestones read as")
	wantText(t, f, pl, "M1", "Expected path")
	// 3,000 + 8,000 is not the target 20,000, nor is the last milestone:
	// neither reading fits, and the plan says so.
	if v, _ := f.GetCellValue(pl, "L"+i); !strings.HasPrefix(v, "unclear: ") {
		t.Errorf("3.3.2 milestones read as %q, want unclear: ...", v)
	}
	wantText(t, f, pl, "M"+i, "line")
	wantText(t, f, pl, "O"+i, "NGO registers")
	wantText(t, f, pl, "N"+i, "sex, province")
	cu := strconv.Itoa(findRow(t, f, pl, "1.2.2"))
	wantText(t, f, pl, "K"+cu, "PY1: 1\nPY2: 2")
	wantText(t, f, pl, "L"+cu, "cumulative (given)")
	wantText(t, f, pl, "M"+cu, "steps")
	if st := cellStyle(t, f, pl, "C"+i); st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("the plan's indicator cells do not wrap: %+v", st.Alignment)
	}
	if rh, _ := f.GetRowHeight(pl, 3); rh < 2*14 { // the name of 1.1.2 wraps over 2 lines at least
		t.Errorf("plan row 3 height %v, want room for the wrapped name", rh)
	}
	wantNumber(t, f, pl, "J"+i, 20000, dwFmtInt)
	j := strconv.Itoa(findRow(t, f, pl, "1.1.2"))
	wantNumber(t, f, pl, "H"+j, 0, dwFmtPercent)
	wantText(t, f, pl, "I"+j, "2019-10-15")
	wantText(t, f, pl, "P"+j, "pre/post test")
	wantText(t, f, pl, "S"+j, "test sheets")
	wantText(t, f, pl, "B"+strconv.Itoa(findRow(t, f, pl, "n.served")), "(supporting measure)")

	// Data: every figure with its source.
	const d = "Data"
	wantText(t, f, d, "A1", "Code")
	wantText(t, f, d, "R1", "Imported")
	wantText(t, f, d, "A2", "3.3.2")
	wantText(t, f, d, "D2", "2021Q3")
	wantText(t, f, d, "E2", "2021-07-01")
	wantNumber(t, f, d, "H2", 1653, dwFmtInt)
	wantText(t, f, d, "L2", "no")
	wantText(t, f, d, "O2", "2021Q3.xlsx") // the file's name, not where it lay on the officer's machine
	wantText(t, f, d, "O4", "q3 partner.xlsx")
	wantText(t, f, d, "P2", "Output 3.3")
	wantNumber(t, f, d, "Q2", 5, "")
	wantText(t, f, d, "R2", "2021-10-05 14:30")
	wantText(t, f, d, "G3", "sex=female")
	wantNumber(t, f, d, "I4", 25, dwFmtInt)
	wantNumber(t, f, d, "J4", 35, dwFmtInt)
	if v, _ := f.GetCellValue(d, "H4"); v != "" {
		t.Errorf("Data!H4 = %q, want empty (no value given)", v)
	}
	wantText(t, f, d, "K5", "draft presented")
	if v, _ := f.GetCellValue(d, "R5"); v != "" {
		t.Errorf("Data!R5 = %q, want empty (import unknown)", v)
	}
	if p, _ := f.GetPanes(d); !p.Freeze || p.YSplit != 1 {
		t.Errorf("Data panes %+v, want the header frozen", p)
	}

	// Findings, with the severity coloured.
	// The missing reports first, grouped by responsible (alphabetical),
	// then the other findings.
	wantText(t, f, "Findings", "A2", "Missing reports: NGO grants unit (2 figures)")
	wantText(t, f, "Findings", "A3", "3.3.4")
	wantText(t, f, "Findings", "D4", "2021Q3")
	wantText(t, f, "Findings", "A5", "Missing reports: Training coordinator (1 figure)")
	wantText(t, f, "Findings", "F6", "no figure for 2021Q3 (owed by 2021-09-30, responsible: Training coordinator)")
	wantText(t, f, "Findings", "A7", "Other findings")
	wantText(t, f, "Findings", "A8", "3.3.2")
	wantText(t, f, "Findings", "B10", "error")
	wantText(t, f, "Findings", "F10", "rule \"numerator <= denominator\" does not hold for sex=male: 26 > 22")
	if st := cellStyle(t, f, "Findings", "B10"); len(st.Fill.Color) == 0 || st.Fill.Color[0] != "F4B6B6" {
		t.Errorf("error finding fill %v", st.Fill.Color)
	}

	// Recommendations: the management response matrix with merged blocks.
	const rs = "Recommendations"
	wantText(t, f, rs, "A3", "Rec. no.")
	wantText(t, f, rs, "A4", "3")
	wantText(t, f, rs, "B4", "Continue NGO capacity building")
	wantNumber(t, f, rs, "D4", 2, "")
	wantText(t, f, rs, "G4", "3.1")
	wantText(t, f, rs, "G5", "3.2")
	wantText(t, f, rs, "H5", "Fund four more NGOs")
	wantText(t, f, rs, "L5", "ongoing")
	wantText(t, f, rs, "M4", "3.3.2")
	wantText(t, f, rs, "A6", "4")
	wantText(t, f, rs, "H6", "no key action")
	if st := cellStyle(t, f, rs, "L5"); len(st.Fill.Color) == 0 || st.Fill.Color[0] != "F4B6B6" {
		t.Errorf("overdue action status fill %v, want red", st.Fill.Color)
	}
	merged, err := f.GetMergeCells(rs)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, m := range merged {
		refs = append(refs, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	for _, want := range []string{"A4:A5", "B4:B5", "F4:F5"} {
		if !strings.Contains(strings.Join(refs, " "), want) {
			t.Errorf("Recommendations merged %v, want %s", refs, want)
		}
	}
}

// TestWriteReportXLSXNoFramework: without a framework the measurement plan
// comes from the report; an empty report still gives a workbook.
func TestWriteReportXLSXNoFramework(t *testing.T) {
	in := donorSample(t)
	in.Framework, in.Figures = nil, nil
	f := openDonor(t, in)
	i := strconv.Itoa(findRow(t, f, "Indicators", "OO.1"))
	wantText(t, f, "Indicators", "O"+i, "endline survey")
	wantText(t, f, "Indicators", "B"+i, "OO")

	empty := &indicators.Report{Project: indicators.ReportProject{Code: "P", Title: "Empty"},
		Period: indicators.ReportPeriod{Code: "2020Q1", Start: "2020-01-01", End: "2020-03-31"}}
	g := openDonor(t, DonorWorkbook{Report: empty})
	wantText(t, g, "IPTT", "A3", "Code")
	if err := WriteReportXLSX(io.Discard, DonorWorkbook{}); err == nil {
		t.Error("no error without a report")
	}
}

// BenchmarkWriteReportXLSX writes the donor workbook of a 1,000-indicator
// report with 20 periods and 20,000 figures.
func BenchmarkWriteReportXLSX(b *testing.B) {
	r := largeReport()
	var figs []indicators.Revision
	for i := 0; i < 20000; i++ {
		figs = append(figs, indicators.Revision{Measurement: indicators.Measurement{Indicator: "R" + strconv.Itoa(i%200) + ".1",
			Period: indicators.Quarter(2020+i%4, 1+i%4), Value: rfp(float64(i)), Loc: indicators.Loc{File: "big.xlsx", Sheet: "Data", Row: i + 2}},
			Imported: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	in := DonorWorkbook{Report: r, Figures: figs}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteReportXLSX(io.Discard, in); err != nil {
			b.Fatal(err)
		}
	}
}
