package exporters

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// TestDwDataSheets: the figures are split over Data sheets of at most
// Excel's rows, each with its header row and, but for the last, a note.
func TestDwDataSheets(t *testing.T) {
	for _, c := range []struct {
		max, n int
		want   []int
	}{
		{excelize.TotalRows, 0, []int{0}},
		{excelize.TotalRows, 233, []int{233}},
		{excelize.TotalRows, 1_048_575, []int{1_048_575}},    // the header and every figure: 1,048,576 rows
		{excelize.TotalRows, 1_048_576, []int{1_048_574, 2}}, // the header, 1,048,574 figures and the note
		{excelize.TotalRows, 2_000_000, []int{1_048_574, 951_426}},
		{4, 3, []int{3}},
		{4, 4, []int{2, 2}},
		{4, 7, []int{2, 2, 3}},
	} {
		got := dwDataSheets(c.n, c.max)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("max %d rows, %d figures: sheets of %v, want %v", c.max, c.n, got, c.want)
		}
	}
}

// sheetRows reads a sheet's cell values.
func sheetRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestWriteReportXLSXDataContinues: past Excel's rows the figures go on
// on Data (2), with the header again and a note on the full sheet's last
// row; every figure is written once, in order.
func TestWriteReportXLSXDataContinues(t *testing.T) {
	in := donorSample(t) // 4 figures
	whole := sheetRows(t, openDonor(t, in), "Data")
	if len(whole) != 5 {
		t.Fatalf("Data has %d rows, want the header and 4 figures", len(whole))
	}
	in.maxRows = 4 // the header, 2 figures and the note
	f := openDonor(t, in)
	want := "IPTT,Summary,Disaggregation,Indicators,Data,Data (2),Findings,Recommendations"
	if got := strings.Join(f.GetSheetList(), ","); got != want {
		t.Fatalf("sheets %s, want %s", got, want)
	}
	first, second := sheetRows(t, f, "Data"), sheetRows(t, f, "Data (2)")
	if len(first) != 4 || len(second) != 3 {
		t.Fatalf("Data has %d rows, Data (2) %d: want 4 (header, 2 figures, note) and 3 (header, 2 figures)", len(first), len(second))
	}
	if !reflect.DeepEqual(first[:3], whole[:3]) || !reflect.DeepEqual(second[0], whole[0]) || !reflect.DeepEqual(second[1:], whole[3:]) {
		t.Errorf("the split sheets do not hold the figures of the whole one:\nData %q\nData (2) %q\nwhole %q", first, second, whole)
	}
	if note := strings.Join(first[3], ""); !strings.Contains(note, "continue on sheet Data (2)") || !strings.Contains(note, "4 rows") {
		t.Errorf("Data's last row %q, want the note naming Data (2) and the limit", note)
	}
	names := map[string]string{}
	for _, n := range f.GetDefinedName() {
		names[n.Scope+"|"+n.Name] = n.RefersTo
	}
	for sheet, last := range map[string]int{"Data": 3, "Data (2)": 3} {
		got := names[sheet+"|_xlnm._FilterDatabase"]
		if got != fmt.Sprintf("'%s'!$A$1:$R$%d", sheet, last) && got != fmt.Sprintf("'%s'!A1:R%d", sheet, last) {
			t.Errorf("%s autofilter %q, want A1:R%d (the header and the figures, not the note)", sheet, got, last)
		}
		if got := names[sheet+"|_xlnm.Print_Titles"]; got != fmt.Sprintf("'%s'!$1:$1", sheet) {
			t.Errorf("%s print titles %q", sheet, got)
		}
	}
}

// TestWriteReportXLSXDataPastSample: the figures and the findings past
// the rows the column widths are measured on are written as they are
// made, with the same cells, styles, merged headings and autofilter.
func TestWriteReportXLSXDataPastSample(t *testing.T) {
	in := donorSample(t)
	ref := openDonor(t, in)
	in.widthSample = 1
	f := openDonor(t, in)
	for _, sheet := range []string{"Data", "Findings"} {
		a, b := sheetRows(t, ref, sheet), sheetRows(t, f, sheet)
		if len(a) < 4 {
			t.Fatalf("%s has %d rows: too few to go past a sample of 1", sheet, len(a))
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%s differs with a sample of 1 row:\n%q\n%q", sheet, b, a)
		}
		for r := range a {
			for c := range a[r] {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				sa, _ := ref.GetCellStyle(sheet, cell)
				sb, _ := f.GetCellStyle(sheet, cell)
				if sa != sb {
					t.Errorf("%s!%s style %d, want %d", sheet, cell, sb, sa)
				}
			}
		}
		ma, _ := ref.GetMergeCells(sheet)
		mb, _ := f.GetMergeCells(sheet)
		if sheet == "Findings" && len(ma) == 0 {
			t.Errorf("Findings has no merged headings to compare")
		}
		if len(ma) != len(mb) {
			t.Errorf("%s: %d merged cells, want %d", sheet, len(mb), len(ma))
		}
		for i := range min(len(ma), len(mb)) {
			if ma[i].GetStartAxis() != mb[i].GetStartAxis() || ma[i].GetEndAxis() != mb[i].GetEndAxis() {
				t.Errorf("%s: merged %s:%s, want %s:%s", sheet, mb[i].GetStartAxis(), mb[i].GetEndAxis(), ma[i].GetStartAxis(), ma[i].GetEndAxis())
			}
		}
	}
	filters := func(f *excelize.File) map[string]string {
		out := map[string]string{}
		for _, n := range f.GetDefinedName() {
			if n.Name == "_xlnm._FilterDatabase" {
				out[n.Scope] = n.RefersTo
			}
		}
		return out
	}
	if a, b := filters(ref), filters(f); !reflect.DeepEqual(a, b) {
		t.Errorf("autofilters %v, want %v", b, a)
	}
}

// reusingSource gives figs one at a time from a buffer it overwrites
// after each call (as a store reuses its slice), then fails with err when
// not nil.
func reusingSource(figs []indicators.Revision, count int, err error) RevisionSource {
	return RevisionSource{Count: count, Each: func(fn func([]indicators.Revision) error) error {
		buf := make([]indicators.Revision, 1)
		for _, f := range figs {
			buf[0] = f
			if err := fn(buf); err != nil {
				return err
			}
			buf[0] = indicators.Revision{Measurement: indicators.Measurement{Indicator: "overwritten"}}
		}
		return err
	}}
}

// TestWriteReportXLSXFromSource: the figures pulled from a source as the
// Data sheets are written (one at a time from a reused buffer) make the
// same file, byte for byte, as the figures given at once, on one Data
// sheet or split over two, past the width sample or within it; a source
// giving fewer or more figures than it announced, or failing, is an error
// naming the sheet.
func TestWriteReportXLSXFromSource(t *testing.T) {
	write := func(in DonorWorkbook) ([]byte, error) {
		var buf bytes.Buffer
		err := WriteReportXLSX(&buf, in)
		return buf.Bytes(), err
	}
	for _, c := range []struct{ maxRows, sample int }{{0, 0}, {4, 0}, {0, 1}, {4, 1}} {
		in := donorSample(t)
		in.maxRows, in.widthSample = c.maxRows, c.sample
		want, err := write(in)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := write(in)
		if d := zipPartsDiffer(t, want, again); len(d) > 0 {
			t.Fatalf("the same workbook written twice differs in %q: nothing to compare with", d)
		}
		figs := in.Figures
		in.Figures, in.Source = nil, reusingSource(figs, len(figs), nil)
		got, err := write(in)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		if d := zipPartsDiffer(t, got, want); len(d) > 0 {
			t.Errorf("max rows %d, sample %d: the workbook from the source differs in %q from the one of the figures given at once", c.maxRows, c.sample, d)
		}
	}
	in := donorSample(t)
	figs := in.Figures
	in.Figures = nil
	failed := errors.New("disk on fire")
	for _, c := range []struct {
		src  RevisionSource
		want string
	}{
		{reusingSource(figs, len(figs)+1, nil), "sheet Data: the figures changed while the workbook was written (an import landed meanwhile?): write it again: 4 figures read, 5 counted before"},
		{reusingSource(figs, len(figs)-1, nil), "sheet Data: the figures changed while the workbook was written (an import landed meanwhile?): write it again: more figures read than the 3 counted before"},
		{reusingSource(figs[:2], len(figs), nil), "sheet Data: the figures changed while the workbook was written (an import landed meanwhile?): write it again: 2 figures read, 4 counted before"},
		{reusingSource(figs, len(figs), failed), "sheet Data: figures: disk on fire"},
		{reusingSource(figs[:1], len(figs), failed), "sheet Data: figures: disk on fire"},
	} {
		in.Source = c.src
		_, err := write(in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one saying %q", err, c.want)
		}
		if c.src.Count == len(figs) && !errors.Is(err, failed) && strings.Contains(c.want, "fire") {
			t.Errorf("error %v does not wrap the source's", err)
		}
		if strings.Contains(c.want, "changed") && !errors.Is(err, ErrFiguresChanged) {
			t.Errorf("error %v does not wrap ErrFiguresChanged", err)
		}
	}
}

// zipPartsDiffer lists the parts of two zip files whose names or contents
// differ ([Content_Types].xml's entries in any order).
func zipPartsDiffer(t *testing.T, a, b []byte) []string {
	t.Helper()
	parts := func(data []byte) map[string]string {
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, f := range z.File {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			out[f.Name] = string(body)
			if f.Name == "[Content_Types].xml" { // its entries in no fixed order
				entries := strings.Split(string(body), "><")
				sort.Strings(entries)
				out[f.Name] = strings.Join(entries, "><")
			}
		}
		return out
	}
	pa, pb := parts(a), parts(b)
	var diff []string
	for n, body := range pa {
		if other, ok := pb[n]; !ok || other != body {
			diff = append(diff, n)
		}
	}
	for n := range pb {
		if _, ok := pa[n]; !ok {
			diff = append(diff, n)
		}
	}
	sort.Strings(diff)
	return diff
}
