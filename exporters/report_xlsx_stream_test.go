package exporters

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

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

// TestWriteReportXLSXDataPastSample: the figures past the rows the column
// widths are measured on are written as they are made, with the same
// cells and styles.
func TestWriteReportXLSXDataPastSample(t *testing.T) {
	in := donorSample(t)
	ref := openDonor(t, in)
	in.widthSample = 1
	f := openDonor(t, in)
	a, b := sheetRows(t, ref, "Data"), sheetRows(t, f, "Data")
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("Data differs with a sample of 1 figure:\n%q\n%q", b, a)
	}
	for r := range a {
		for c := range a[r] {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			sa, _ := ref.GetCellStyle("Data", cell)
			sb, _ := f.GetCellStyle("Data", cell)
			if sa != sb {
				t.Errorf("Data!%s style %d, want %d", cell, sb, sa)
			}
		}
	}
}
