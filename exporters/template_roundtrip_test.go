package exporters_test

// The template round trip: write the template, fill its value column as a
// partner would, and read it back with the measurement import. It lives in
// an external test package because it needs both exporters and importers.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

type sliceSink struct{ ms []indicators.Measurement }

func (s *sliceSink) Add(m indicators.Measurement) error { s.ms = append(s.ms, m); return nil }

func d(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }

func templateFramework() *indicators.Framework {
	return &indicators.Framework{
		Project: indicators.Project{Code: "P1", Title: "Water for all", Start: d(2021, 1, 1), End: d(2022, 12, 31), Reporting: "quarterly"},
		Results: []indicators.Result{{Code: "1", Level: indicators.Outcome, Statement: "s"}},
		Indicators: []indicators.Indicator{
			{Code: "1.1", Result: "1", Name: "People served", Unit: indicators.Number, Disaggregations: []string{"sex", "province"}},
			{Code: "1.2", Result: "1", Name: "Share satisfied", Unit: indicators.Percent, Numerator: "N1", Denominator: "D1"},
			{Code: "1.3", Result: "1", Name: "Law passed", Unit: indicators.YesNo},
			{Code: "1.4", Result: "1", Name: "Story of change", Unit: indicators.Text, Disaggregations: []string{"sex"}},
			{Code: "1.5", Result: "1", Name: "Endline survey", Unit: indicators.Percent, Frequency: "end of project"},
			{Code: "1.6", Result: "1", Name: "Annual audit", Unit: indicators.YesNo, Frequency: "annual"},
			{Code: "2.1", Result: "1", Name: "Computed", Unit: indicators.Number, Formula: `value("1.1") * 2`},
			{Code: "N1", Name: "Satisfied people", Unit: indicators.Number},
			{Code: "D1", Name: "People asked", Unit: indicators.Number},
			{Code: "S9", Name: "Computed support", Unit: indicators.Number, Formula: `value("N1") + 1`},
		},
		Dimensions: []indicators.Dimension{
			{Name: "sex", Values: []string{"female", "male"}},
			{Name: "province", Values: []string{"Darkhan", "Erdenet", "Ulaanbaatar"}},
		},
	}
}

func TestTemplateRoundTrip(t *testing.T) {
	fw := templateFramework()
	p, err := indicators.ParsePeriod("2021Q3")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exporters.WriteTemplate(&buf, fw, p); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := exporters.TemplateSheet
	rows, err := f.GetRows(sh)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows[0][0], "P1 Water for all: figures for 2021Q3") {
		t.Errorf("title row %q", rows[0])
	}
	header := strings.Join(rows[2], "|")
	if header != "Indicator code|Indicator name|Unit|Period|sex|province|Value|Numerator|Denominator|Comment|Source|Verified" {
		t.Errorf("header %s", header)
	}
	// One row per indicator due and per combination, after its total.
	var lines []string
	for _, r := range rows[3:] {
		for len(r) < 6 {
			r = append(r, "")
		}
		lines = append(lines, strings.Join(r[:6], " "))
	}
	want := []string{"1.1 People served number 2021Q3  "}
	for _, s := range []string{"female", "male"} {
		for _, pr := range []string{"Darkhan", "Erdenet", "Ulaanbaatar"} {
			want = append(want, "1.1 People served number 2021Q3 "+s+" "+pr)
		}
	}
	want = append(want, "1.2 Share satisfied percent 2021Q3  ", "1.3 Law passed yes/no 2021Q3  ",
		"1.4 Story of change text 2021Q3  ", "1.4 Story of change text 2021Q3 female ", "1.4 Story of change text 2021Q3 male ",
		"N1 Satisfied people number 2021Q3  ", "D1 People asked number 2021Q3  ")
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// Codes locked, values unlocked.
	for ref, locked := range map[string]bool{"A4": true, "B4": true, "E5": true, "G4": false, "L4": false} {
		idx, err := f.GetCellStyle(sh, ref)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(idx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Protection == nil || st.Protection.Locked != locked {
			t.Errorf("%s: protection %+v, want locked=%v", ref, st.Protection, locked)
		}
	}
	dvs, err := f.GetDataValidations(sh)
	if err != nil {
		t.Fatal(err)
	}
	var dvText []string
	for _, dv := range dvs {
		dvText = append(dvText, dv.Sqref+"="+dv.Formula1)
	}
	sort.Strings(dvText)
	if got := strings.Join(dvText, " "); got != "E4:E217=rmf_list_3 F4:F217=rmf_list_4 G12=rmf_list_1 L4:L217=rmf_list_2" {
		t.Errorf("data validations: %s", got)
	}

	// Fill the value column as a partner would, with every kind of value.
	filled := map[int]any{}
	var expect []string
	for i, r := range rows[3:] {
		row := i + 4
		code, sex, prov := r[0], cell(r, 4), cell(r, 5)
		var v any
		var shown string
		switch code {
		case "1.1":
			if row%3 == 0 {
				continue // no data: the cell stays empty
			}
			v, shown = row*10, strconv.Itoa(row*10)
		case "1.2":
			v, shown = 0.65, "65"
		case "1.3":
			v, shown = "yes", "1"
		case "1.4":
			v = "Wells dug " + sex
			shown = fmt.Sprintf("%q", strings.TrimSpace(v.(string)))
		case "N1", "D1":
			v, shown = 100+row, strconv.Itoa(100+row)
		}
		filled[row] = v
		ref := fmt.Sprintf("G%d", row)
		if err := f.SetCellValue(sh, ref, v); err != nil {
			t.Fatal(err)
		}
		if code == "1.2" {
			pct, _ := f.NewStyle(&excelize.Style{NumFmt: 9})
			f.SetCellStyle(sh, ref, ref, pct)
		}
		dims := ""
		if sex != "" || prov != "" {
			var parts []string
			if prov != "" {
				parts = append(parts, "province="+prov)
			}
			if sex != "" {
				parts = append(parts, "sex="+sex)
			}
			dims = " [" + strings.Join(parts, "; ") + "]"
		}
		expect = append(expect, fmt.Sprintf("%s 2021Q3%s %s @%s", code, dims, shown, ref))
	}
	f.SetCellValue(sh, "L4", "unverifiable")
	path := filepath.Join(t.TempDir(), "q3.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}

	var sink sliceSink
	n, err := importers.ImportMeasurements(path, fw, &sink, importers.MeasurementOptions{})
	if err != nil {
		t.Fatalf("import of the filled template: %v", err)
	}
	if n != len(rows)-3 {
		t.Errorf("rows read %d, want %d (every row of the template)", n, len(rows)-3)
	}
	var got []string
	for _, m := range sink.ms {
		v := m.Text
		if m.Value != nil {
			v = strconv.FormatFloat(*m.Value, 'f', -1, 64)
		} else {
			v = fmt.Sprintf("%q", v)
		}
		dims := ""
		if !m.Dims.Total() {
			dims = " [" + m.Dims.Key() + "]"
		}
		got = append(got, fmt.Sprintf("%s %s%s %s @%s", m.Indicator, m.Period, dims, v, m.Loc.Cell("value")))
	}
	if strings.Join(got, "\n") != strings.Join(expect, "\n") {
		t.Errorf("imported:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(expect, "\n"))
	}
	if len(sink.ms) == 0 || sink.ms[0].Verified != indicators.Unverifiable {
		t.Errorf("verified of the first figure: %+v", sink.ms[0])
	}

	// The empty template reads back as no figures and no problems.
	buf.Reset()
	if err := exporters.WriteTemplate(&buf, fw, p); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.xlsx")
	writeFile(t, empty, buf.Bytes())
	sink = sliceSink{}
	if _, err := importers.ImportMeasurements(empty, fw, &sink, importers.MeasurementOptions{}); err != nil || len(sink.ms) != 0 {
		t.Errorf("empty template: %v, %d figures", err, len(sink.ms))
	}
}

func cell(r []string, j int) string {
	if j < len(r) {
		return r[j]
	}
	return ""
}

func TestTemplateDue(t *testing.T) {
	fw := templateFramework()
	codes := func(s string) string {
		p, err := fw.Project.Calendar().ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, ind := range exporters.TemplateIndicators(fw, p) {
			out = append(out, ind.Code)
		}
		return strings.Join(out, " ")
	}
	for p, want := range map[string]string{
		"2021Q3": "1.1 1.2 1.3 1.4 N1 D1",
		"2021Q4": "1.1 1.2 1.3 1.4 1.6 N1 D1",
		"2022Q4": "1.1 1.2 1.3 1.4 1.5 1.6 N1 D1",
		"2022":   "1.1 1.2 1.3 1.4 1.5 1.6 N1 D1",
	} {
		if got := codes(p); got != want {
			t.Errorf("%s: %s, want %s", p, got, want)
		}
	}
	var buf bytes.Buffer
	if err := exporters.WriteTemplate(&buf, &indicators.Framework{}, indicators.Period{}); err == nil {
		t.Error("no period: no error")
	}
}

func writeFile(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
