package importers

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		percent bool
		bad     bool
	}{
		{"1250", 1250, false, false},
		{" 1,250 ", 1250, false, false},
		{"12,345,678.5", 12345678.5, false, false},
		{"-3.5", -3.5, false, false},
		{"75%", 75, true, false},
		{"% 12.5", 12.5, true, false},
		{"1e3", 1000, false, false},
		{"1\u00a0234", 0, false, true},
		{"1,5", 0, false, true},
		{"12,34", 0, false, true},
		{"1 234,5", 0, false, true},
		{"0x10", 0, false, true},
		{"inf", 0, false, true},
		{"NaN", 0, false, true},
		{"", 0, false, true},
		{"%", 0, false, true},
		{"ten", 0, false, true},
	}
	for _, tt := range tests {
		v, pct, err := ParseNumber(tt.in)
		if tt.bad {
			if err == nil || !errors.Is(err, ErrNumber) {
				t.Errorf("ParseNumber(%q) = %v, %v; want an ErrNumber", tt.in, v, err)
			}
			continue
		}
		if err != nil || v != tt.want || pct != tt.percent {
			t.Errorf("ParseNumber(%q) = %v, %v, %v; want %v, %v", tt.in, v, pct, err, tt.want, tt.percent)
		}
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2021-07-15":          "2021-07-15",
		"2021/07/15":          "2021-07-15",
		"15/07/2021":          "2021-07-15",
		"5/7/2021":            "2021-07-05",
		"15.07.2021":          "2021-07-15",
		"15 Jul 2021":         "2021-07-15",
		"July 15, 2021":       "2021-07-15",
		"2021-07-15T10:30:00": "2021-07-15",
		"15-Jul-21":           "2021-07-15",
	} {
		d, err := ParseDate(in)
		if err != nil || d.Format(time.DateOnly) != want || d.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, %v; want %s UTC", in, d, err, want)
		}
	}
	for _, in := range []string{"2021-02-30", "31/31/2021", "tomorrow", "2021", ""} {
		if d, err := ParseDate(in); err == nil || !errors.Is(err, indicators.ErrInvalid) {
			t.Errorf("ParseDate(%q) = %v, %v; want ErrInvalid", in, d, err)
		}
	}
}

func TestNumFmtKind(t *testing.T) {
	tests := []struct {
		id     int
		custom string
		want   CellKind
	}{
		{0, "", CellNumber}, {2, "", CellNumber}, {9, "", CellPercent}, {10, "", CellPercent},
		{14, "", CellDate}, {22, "", CellDate}, {45, "", CellDate},
		{164, "0.0%", CellPercent}, {164, "yyyy-mm-dd", CellDate}, {164, "dd/mm/yyyy;@", CellDate},
		{164, `#,##0" days"`, CellNumber}, {164, `[Red]#,##0.00`, CellNumber}, {164, `"Year "0`, CellNumber},
		{164, `[$-409]mmm d, yyyy`, CellDate}, {164, `0;"%"`, CellNumber},
	}
	for _, tt := range tests {
		if got := NumFmtKind(tt.id, tt.custom); got != tt.want {
			t.Errorf("NumFmtKind(%d, %q) = %v, want %v", tt.id, tt.custom, got, tt.want)
		}
	}
}

func TestParseYesNo(t *testing.T) {
	for in, want := range map[string]float64{"Yes": 1, "y": 1, "TRUE": 1, "1": 1, "no": 0, "N": 0, "false": 0, "0": 0} {
		if v, err := ParseYesNo(in); err != nil || v != want {
			t.Errorf("ParseYesNo(%q) = %v, %v", in, v, err)
		}
	}
	if _, err := ParseYesNo("maybe"); err == nil {
		t.Error("ParseYesNo(maybe): no error")
	}
}

func TestFieldMatches(t *testing.T) {
	f := Field{Name: "means_of_verification", Headings: []string{"Means of verification", "MoV"}}
	for _, h := range []string{"means_of_verification", "Means of Verification", "MEANS-OF-VERIFICATION", " mov ", "Means.of.verification"} {
		if !f.Matches(h) {
			t.Errorf("%q does not match", h)
		}
	}
	for _, h := range []string{"", "means", "verification"} {
		if f.Matches(h) {
			t.Errorf("%q matches", h)
		}
	}
}

// TestReadSheetCellKinds: dates, percents and booleans are told apart by
// the cell type and number format, and the framework reader takes a
// percent-formatted 0.75 as 75 percent points and date cells as dates.
func TestReadSheetCellKinds(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 9})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	custom := "dd/mm/yyyy"
	cdate, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	set := func(sheet, ref string, v any, style int) {
		if err := f.SetCellValue(sheet, ref, v); err != nil {
			t.Fatal(err)
		}
		if style != 0 {
			if err := f.SetCellStyle(sheet, ref, ref, style); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.SetSheetName("Sheet1", "Project")
	for i, kv := range [][2]any{{"code", "P"}, {"title", "T"}, {"start", 43831.0}, {"end", 44926.0}} {
		st := 0
		if i == 2 {
			st = date
		}
		if i == 3 {
			st = cdate
		}
		set("Project", "A"+itoa(i+1), kv[0], 0)
		set("Project", "B"+itoa(i+1), kv[1], st)
	}
	f.NewSheet("Results")
	for i, v := range []any{"code", "level", "statement"} {
		set("Results", string(rune('A'+i))+"1", v, 0)
	}
	for i, v := range []any{"G", "goal", "g"} {
		set("Results", string(rune('A'+i))+"2", v, 0)
	}
	f.NewSheet("Indicators")
	for i, v := range []any{"code", "result", "name", "unit", "baseline", "target", "baseline_date"} {
		set("Indicators", string(rune('A'+i))+"1", v, 0)
	}
	for i, v := range []any{"G.1", "G", "n", "percent", 0.25, 0.75, 43831.0} {
		st := 0
		switch i {
		case 4, 5:
			st = pct
		case 6:
			st = date
		}
		set("Indicators", string(rune('A'+i))+"2", v, st)
	}
	for i, v := range []any{"G.2", "G", "n", "yes/no", false, true} {
		set("Indicators", string(rune('A'+i))+"3", v, 0)
	}
	f.NewSheet("Milestones")
	for i, v := range []any{"indicator", "period", "target"} {
		set("Milestones", string(rune('A'+i))+"1", v, 0)
	}
	for i, v := range []any{"G.1", 44377.0, 0.5} { // 2021-06-30
		st := 0
		switch i {
		case 1:
			st = date
		case 2:
			st = pct
		}
		set("Milestones", string(rune('A'+i))+"2", v, st)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	wb, err := OpenWorkbook(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	sh, err := ReadSheet(wb, "k.xlsx", "Indicators")
	if err != nil {
		t.Fatal(err)
	}
	kinds := []CellKind{CellText, CellText, CellText, CellText, CellPercent, CellPercent, CellDate}
	for j, k := range kinds {
		if got := sh.Cell(2, j).Kind; got != k {
			t.Errorf("Indicators %s: kind %v, want %v", sh.Cell(2, j).Ref, got, k)
		}
	}
	if got := sh.Cell(3, 4).Kind; got != CellBool {
		t.Errorf("boolean cell: kind %v", got)
	}

	fw, err := ReadFrameworkXLSX(bytes.NewReader(b.Bytes()), "k.xlsx")
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if p := fw.Project; p.Start.Format(time.DateOnly) != "2020-01-01" || p.End.Format(time.DateOnly) != "2022-12-31" {
		t.Errorf("project dates %v %v", p.Start, p.End)
	}
	g := fw.Indicators[0]
	if *g.Baseline != 25 || *g.Target != 75 || g.BaselineDate.Format(time.DateOnly) != "2020-01-01" {
		t.Errorf("G.1 baseline %v target %v date %v", *g.Baseline, *g.Target, g.BaselineDate)
	}
	if y := fw.Indicators[1]; *y.Baseline != 0 || *y.Target != 1 {
		t.Errorf("G.2 baseline %v target %v", *y.Baseline, *y.Target)
	}
	if m := fw.Milestones[0]; m.Period.String() != "2021-06-30" || m.Target != 50 {
		t.Errorf("milestone %v %v", m.Period, m.Target)
	}
}

func itoa(i int) string {
	return string(rune('0' + i))
}

// TestProjectSheetAsTable: a Project sheet with a header row of keys over
// one row of values reads like the key/value layout.
func TestProjectSheetAsTable(t *testing.T) {
	s := baseSheets()
	s[0] = sheetData{"Project", [][]any{
		{"Project code", "Title", "Start date", "End date", "Donor"},
		{"MIG", "Migration project", "2020-01-01", "2022-12-31", "SDC"},
	}}
	fw, err := readXLSX(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if p := fw.Project; p.Code != "MIG" || p.Title != "Migration project" || p.Donor != "SDC" || p.End.Year() != 2022 {
		t.Errorf("project = %+v", p)
	}
	if c := fw.Project.Loc.Cell("donor"); c != "E2" {
		t.Errorf("donor cell %q, want E2", c)
	}
}
