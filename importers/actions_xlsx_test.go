package importers

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

var matrixHeader = []any{"No.", "Recommendation", "Addressed to", "Priority", "Management response",
	"Action no.", "Key action", "Deadline", "Responsible unit", "Monitoring comments", "Status", "Linked codes"}

// matrixBook writes a matrix: a title and a date row, the header in row 4,
// the rows from row 5; merges are ranges such as "A5:A6".
func matrixBook(t *testing.T, rows [][]any, merges ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	sh := "Management response"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellValue(sh, "A1", "Management response to the mid-term review"))
	must(f.SetCellValue(sh, "A2", "Date"))
	must(f.SetCellValue(sh, "B2", "15 December 2021"))
	must(f.SetSheetRow(sh, "A4", &matrixHeader))
	for i, r := range rows {
		r := r
		must(f.SetSheetRow(sh, fmt.Sprintf("A%d", 5+i), &r))
	}
	for _, m := range merges {
		a, b, _ := strings.Cut(m, ":")
		must(f.MergeCell(sh, a, b))
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// summary prints what was read, without cell references.
func summary(ev *indicators.Evaluation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s\n", ev.Title, ev.Date.Format(time.DateOnly))
	for _, r := range ev.Recommendations {
		fmt.Fprintf(&b, "R %s|%s|%s|%d|%s|%s\n", r.Number, r.Text, r.AddressedTo, r.Priority, r.Response, r.Reason)
		for _, a := range r.Actions {
			fmt.Fprintf(&b, " A %s|%s|%s|%s|%s|%v\n", a.Number, a.Text, a.Deadline, a.Responsible, a.Status, a.Links)
			for _, e := range a.Log {
				fmt.Fprintf(&b, "  L %s|%s|%q\n", e.Date, e.Status, e.Text)
			}
		}
	}
	return b.String()
}

const wantMatrix = `Management response to the mid-term review|2021-12-15
R 1|Write a roadmap.|PMU|1|accepted|
 A 1.1|Revise output 2.2.3.|project end|PMU|ongoing|[2.2]
  L 2022-06-15||"revised plan to the steering committee"
  L 2022-06-15|ongoing|""
 A 1.2|Hire a consultant.|2022-05|PMU|completed|[]
  L 2022-05-02||"consultant hired"
  L 2022-05-02|completed|""
R 2|Engage government.|Ministry|2|partially accepted|only at national level
 A 2.1|Hold a forum.|2022-09-15|Ministry|not started|[O2 A2.1.10 A2.1.11]
  L 2021-12-15|not started|""
`

func TestReadActionsMergedRepeatedBlank(t *testing.T) {
	rec1 := []any{"1", "Write a roadmap.", "PMU", 1, "Accepted"}
	rec2 := []any{"2", "Engage government.", "Ministry", "2", "Partially accepted: only at national level"}
	a11 := []any{"1.1", "Revise output 2.2.3.", "before end of project period", "PMU", "15 June 2022: revised plan to the steering committee", "Ongoing", "2.2"}
	a12 := []any{"", "Hire a consultant.", "May 2022", "PMU", "2022-05-02 - consultant hired", "Completed", ""}
	a21 := []any{"2.1", "Hold a forum.", time.Date(2022, 9, 15, 0, 0, 0, 0, time.UTC), "Ministry", "", "not started", "O2; A2.1.10..A2.1.11"}
	blank := []any{"", "", "", "", ""}
	row := func(rec, act []any) []any { return append(append([]any{}, rec...), act...) }
	layouts := map[string][]byte{
		"repeated": matrixBook(t, [][]any{row(rec1, a11), row(rec1, a12), row(rec2, a21)}),
		"blank":    matrixBook(t, [][]any{row(rec1, a11), row(blank, a12), row(rec2, a21)}),
		"merged": matrixBook(t, [][]any{row(rec1, a11), row(blank, a12), row(rec2, a21)},
			"A5:A6", "B5:B6", "C5:C6", "D5:D6", "E5:E6"),
	}
	for name, data := range layouts {
		ev, err := ReadActionsXLSX(bytes.NewReader(data), "m.xlsx", nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := summary(ev); got != wantMatrix {
			t.Errorf("%s: read\n%s\nwant\n%s", name, got, wantMatrix)
		}
		// Problems found later still name the cell of the value.
		if c := ev.Recommendations[0].Actions[1].Loc.Cell("text"); c != "G6" {
			t.Errorf("%s: action 1.2 text cell %q, want G6", name, c)
		}
		if name == "merged" {
			if c := ev.Recommendations[0].Loc.Cell("text"); c != "B5" {
				t.Errorf("merged: recommendation cell %q, want B5", c)
			}
		}
	}
}

func TestFillMerged(t *testing.T) {
	data := matrixBook(t, [][]any{{"1", "Rec.", "", 1, "Accepted", "", "Act A", "", "", "", "Ongoing"},
		{"", "", "", "", "", "", "Act B", "", "", "", "Ongoing"}}, "A5:A6", "B5:B6", "K5:K6")
	f, err := OpenWorkbook(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sh, err := ReadSheet(f, "m.xlsx", "Management response")
	if err != nil {
		t.Fatal(err)
	}
	if err := FillMerged(f, sh); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		row, col int
		raw, ref string
	}{{6, 0, "1", "A5"}, {6, 1, "Rec.", "B5"}, {6, 10, "Ongoing", "K5"}, {6, 6, "Act B", "G6"}} {
		c := sh.Cell(tc.row, tc.col)
		if c.Raw != tc.raw || c.Ref != tc.ref {
			t.Errorf("row %d col %d: %q at %s, want %q at %s", tc.row, tc.col, c.Raw, c.Ref, tc.raw, tc.ref)
		}
	}
}

func TestReadActionsBadInputs(t *testing.T) {
	fw := &indicators.Framework{Results: []indicators.Result{{Code: "O2", Level: indicators.Outcome}, {Code: "2.2", Level: indicators.Output}}}
	good := func() [][]any {
		return [][]any{
			{"1", "Write a roadmap.", "PMU", 1, "Accepted", "1.1", "Revise the plan.", "May 2022", "PMU", "", "Ongoing", "2.2"},
			{"2", "Engage government.", "Ministry", 2, "Accepted", "2.1", "Hold a forum.", "2022-09", "Ministry", "", "Not started", "O2"},
		}
	}
	tests := []struct {
		name     string
		edit     func(r [][]any) [][]any
		cell     string
		sentinel error
		text     string
	}{
		{"unknown status", func(r [][]any) [][]any { r[1][10] = "halfway"; return r }, "K6", indicators.ErrInvalid, `status "halfway"`},
		{"unknown code", func(r [][]any) [][]any { r[1][11] = "O2; 9.9"; return r }, "L6", indicators.ErrUnknownCode, `"9.9"`},
		{"bad code range", func(r [][]any) [][]any { r[1][11] = "2.1.13..2.1.10"; return r }, "L6", indicators.ErrInvalid, "code range"},
		{"priority out of range", func(r [][]any) [][]any { r[0][3] = 4; return r }, "D5", indicators.ErrOutOfRange, "priority 4"},
		{"priority not a number", func(r [][]any) [][]any { r[0][3] = "urgent"; return r }, "D5", indicators.ErrInvalid, `priority "urgent"`},
		{"missing recommendation text", func(r [][]any) [][]any { r[1][1] = ""; return r }, "B6", indicators.ErrRequired, "recommendation 2 has no text"},
		{"missing response", func(r [][]any) [][]any { r[1][4] = ""; return r }, "E6", indicators.ErrRequired, "no response"},
		{"unknown response", func(r [][]any) [][]any { r[1][4] = "maybe"; return r }, "E6", indicators.ErrInvalid, `response "maybe"`},
		{"bad deadline", func(r [][]any) [][]any { r[0][7] = "soonish"; return r }, "H5", indicators.ErrInvalid, `deadline "soonish"`},
		{"window backwards", func(r [][]any) [][]any { r[0][7] = "2022-09..2022-03"; return r }, "H5", indicators.ErrInvalid, "ends before it starts"},
		{"missing action text", func(r [][]any) [][]any { r[1][6] = ""; return r }, "G6", indicators.ErrRequired, "key action 2.1 has no text"},
		{"duplicate action", func(r [][]any) [][]any { r[1][5] = "1.1"; return r }, "F6", indicators.ErrDuplicate, "1.1 appears twice (first at F5)"},
		{"duplicate recommendation", func(r [][]any) [][]any {
			return append(r, []any{"1", "Again.", "", 1, "Accepted", "1.9", "Other.", "", "", "", "Ongoing"})
		}, "A7", indicators.ErrDuplicate, "recommendation 1 appears twice"},
		{"action before any recommendation", func(r [][]any) [][]any {
			return append([][]any{{"", "", "", "", "", "0.1", "Orphan.", "", "", "", "Ongoing"}}, r...)
		}, "B5", indicators.ErrRequired, "without a recommendation"},
		{"two texts for one recommendation", func(r [][]any) [][]any {
			return append(r, []any{"2", "Engage the government more.", "", 2, "Accepted", "2.2", "Other.", "", "", "", "Ongoing"})
		}, "B7", indicators.ErrDuplicate, "two texts (B6 and B7)"},
	}
	if _, err := ReadActionsXLSX(bytes.NewReader(matrixBook(t, good())), "m.xlsx", fw); err != nil {
		t.Fatalf("good matrix: %v", err)
	}
	for _, tt := range tests {
		_, err := ReadActionsXLSX(bytes.NewReader(matrixBook(t, tt.edit(good()))), "m.xlsx", fw)
		var probs indicators.Problems
		if !errors.As(err, &probs) || len(probs) != 1 {
			t.Errorf("%s: %v, want one problem", tt.name, err)
			continue
		}
		var ce *indicators.CellError
		if !errors.As(probs[0], &ce) || ce.Sheet != "Management response" || ce.Cell != tt.cell || ce.File != "m.xlsx" {
			t.Errorf("%s: %v, want sheet Management response, cell %s", tt.name, probs[0], tt.cell)
			continue
		}
		if !errors.Is(err, tt.sentinel) || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%s: %q, want %v and %q", tt.name, err, tt.sentinel, tt.text)
		}
	}
	// Every problem at once, and nothing returned.
	r := good()
	r[0][3], r[1][10], r[1][7] = 9, "halfway", "whenever"
	ev, err := ReadActionsXLSX(bytes.NewReader(matrixBook(t, r)), "m.xlsx", fw)
	var probs indicators.Problems
	if ev != nil || !errors.As(err, &probs) || len(probs) != 3 {
		t.Errorf("three problems: %v, %v", ev, err)
	}
}

func TestReadActionsNoHeader(t *testing.T) {
	f := excelize.NewFile()
	if err := f.SetCellValue("Sheet1", "A1", "Nothing here"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := ReadActionsXLSX(&buf, "x.xlsx", nil)
	if !errors.Is(err, indicators.ErrMissingSheet) || !strings.Contains(err.Error(), "Sheet1") {
		t.Errorf("no header: %v", err)
	}
	if _, err := ReadActionsXLSX(strings.NewReader("not a zip"), "x.xlsx", nil); !errors.Is(err, indicators.ErrInvalid) {
		t.Errorf("not a workbook: %v", err)
	}
	// A header lacking a required column says which.
	g := excelize.NewFile()
	hdr := []any{"No.", "Recommendation", "Management response", "Key action"}
	if err := g.SetSheetRow("Sheet1", "A1", &hdr); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if _, err := g.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadActionsXLSX(&buf, "x.xlsx", nil); !errors.Is(err, indicators.ErrMissingColumn) || !strings.Contains(err.Error(), "status") {
		t.Errorf("missing status column: %v", err)
	}
}

// BenchmarkReadActionsXLSX reads a matrix of 300 recommendations with three
// key actions each, the recommendation cells merged over their block.
func BenchmarkReadActionsXLSX(b *testing.B) {
	t := &testing.T{}
	var rows [][]any
	var merges []string
	for r := 1; r <= 300; r++ {
		first := 5 + len(rows)
		for a := 1; a <= 3; a++ {
			row := []any{"", "", "", "", ""}
			if a == 1 {
				row = []any{fmt.Sprint(r), fmt.Sprintf("Recommendation %d.", r), "PMU", 1 + r%3, "Accepted"}
			}
			row = append(row, fmt.Sprintf("%d.%d", r, a), "Do something.", "May 2022", "PMU",
				"15 June 2022: first\n2022-07: second", "Ongoing", "O1")
			rows = append(rows, row)
		}
		for _, col := range "ABCDE" {
			merges = append(merges, fmt.Sprintf("%c%d:%c%d", col, first, col, first+2))
		}
	}
	data := matrixBook(t, rows, merges...)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ev, err := ReadActionsXLSX(bytes.NewReader(data), "m.xlsx", nil)
		if err != nil || len(ev.Recommendations) != 300 {
			b.Fatal(err)
		}
	}
}
