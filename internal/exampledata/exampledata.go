// Package exampledata generates the example project's measurement files in
// examples/data/: the quarterly returns that the partners of the example
// project (see examples/framework.yaml) sent from the project start to
// 2022Q2, in the layouts people really use.
//
// The files are committed; this package is how they are made and checked.
// Regenerate them after changing the figures with
//
//	go test ./internal/exampledata -update
//
// and the test (without -update) regenerates them into a temporary folder
// and fails when they differ from the committed ones.
//
// The story the figures tell (report at 2022Q2, mid-term review in 2021Q3):
//
//   - The statistics office (outcome 1) adapted the tracking tools in 2020Q4,
//     carried out 8 tracking assessments by mid-term (10 by 2022Q2), trained
//     officers whose knowledge test results come as a numerator and a
//     denominator by sex, and submitted the census proposal in 2021Q2.
//   - The policy unit (outcome 2, an IPTT-style wide workbook) completed 2
//     thematic studies by mid-term and none since (at risk); the action plan
//     is still being drafted.
//   - The campaign agency (output 3.1, wide, by sex) reached 150,500 people.
//   - The NGO grants manager (output 3.3) reports 17 NGOs funded (out of 51
//     applicants), 10,753 migrants served by mid-term by sex and province,
//     which could not be verified and are marked unverifiable, and 144
//     service types; a later file corrects two earlier figures after the
//     ledger audit (revisions).
//   - The emergency response (output 3.4, a CSV file) gave food packages to
//     1,485 people and coal to 1,000 families.
//   - The training coordinator (output 3.2) trained only 150 local staff
//     against 360 planned by 2022S1: off track.
//   - The M&E unit's surveys give percent cells formatted as percents.
package exampledata

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Dir is the folder of the generated files, relative to the module root.
const Dir = "examples/data"

// pct is a percent shown as such in Excel: pct(44) is stored as 0.44 in a
// cell formatted 0%.
type pct float64

// num is a count written with a thousands separator (#,##0).
type num int

// sheet is one worksheet: title rows above the header, the header, the rows.
type sheet struct {
	Name   string
	Titles []string // rows above the header; "" leaves a row empty
	Header []string
	Rows   [][]any // string, int, float64, num, pct or nil (empty cell)
	Widths []float64
}

// workbook is one .xlsx file.
type workbook struct {
	Name   string
	Sheets []sheet
}

// csvFile is one .csv file.
type csvFile struct {
	Name   string
	Header []string
	Rows   [][]string
}

// Names returns the names of the generated files, sorted (the order in
// which they are meant to be imported).
func Names() []string {
	var names []string
	for _, w := range workbooks() {
		names = append(names, w.Name)
	}
	for _, c := range csvFiles() {
		names = append(names, c.Name)
	}
	sort.Strings(names)
	return names
}

// Write writes every example file into dir (created when missing) and
// returns their names, sorted.
func Write(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, w := range workbooks() {
		b, err := w.bytes()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", w.Name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, w.Name), b, 0o644); err != nil {
			return nil, err
		}
	}
	for _, c := range csvFiles() {
		if err := os.WriteFile(filepath.Join(dir, c.Name), c.bytes(), 0o644); err != nil {
			return nil, err
		}
	}
	return Names(), nil
}

func (c csvFile) bytes() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(c.Header)
	_ = w.WriteAll(c.Rows) // a bytes.Buffer does not fail
	return buf.Bytes()
}

// styles of a workbook being written.
type styles struct {
	title, header, pct, num int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	if s.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}); err != nil {
		return s, err
	}
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
	}); err != nil {
		return s, err
	}
	if s.pct, err = f.NewStyle(&excelize.Style{NumFmt: 9}); err != nil { // 0%
		return s, err
	}
	if s.num, err = f.NewStyle(&excelize.Style{NumFmt: 3}); err != nil { // #,##0
		return s, err
	}
	return s, nil
}

func (w workbook) bytes() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:        "rmf example data (internal/exampledata)",
		Title:          strings.TrimSuffix(w.Name, ".xlsx"),
		Created:        "2022-07-15T00:00:00Z",
		Modified:       "2022-07-15T00:00:00Z",
		LastModifiedBy: "rmf",
	}); err != nil {
		return nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	for i, sh := range w.Sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			return nil, err
		}
		if err := writeSheet(f, st, sh); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", sh.Name, err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeSheet(f *excelize.File, st styles, sh sheet) error {
	row := 1
	for _, t := range sh.Titles {
		if t != "" {
			if err := f.SetCellStr(sh.Name, cell(1, row), t); err != nil {
				return err
			}
			style := st.title
			if row > 1 {
				style = 0
			}
			if style != 0 {
				if err := f.SetCellStyle(sh.Name, cell(1, row), cell(1, row), style); err != nil {
					return err
				}
			}
		}
		row++
	}
	for j, h := range sh.Header {
		if err := f.SetCellStr(sh.Name, cell(j+1, row), h); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sh.Name, cell(1, row), cell(len(sh.Header), row), st.header); err != nil {
		return err
	}
	if err := f.SetPanes(sh.Name, &excelize.Panes{Freeze: true, YSplit: row, TopLeftCell: cell(1, row+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row++
	for _, r := range sh.Rows {
		for j, v := range r {
			ref := cell(j+1, row)
			var err error
			switch v := v.(type) {
			case nil:
				continue
			case string:
				err = f.SetCellStr(sh.Name, ref, v)
			case int:
				err = f.SetCellInt(sh.Name, ref, int64(v))
			case float64:
				err = f.SetCellFloat(sh.Name, ref, v, -1, 64)
			case num:
				if err = f.SetCellInt(sh.Name, ref, int64(v)); err == nil {
					err = f.SetCellStyle(sh.Name, ref, ref, st.num)
				}
			case pct:
				if err = f.SetCellFloat(sh.Name, ref, round4(float64(v)/100), -1, 64); err == nil {
					err = f.SetCellStyle(sh.Name, ref, ref, st.pct)
				}
			default:
				err = fmt.Errorf("cell %s: unsupported value %T", ref, v)
			}
			if err != nil {
				return err
			}
		}
		row++
	}
	for j := range sh.Header {
		w := 12.0
		if j < len(sh.Widths) && sh.Widths[j] > 0 {
			w = sh.Widths[j]
		}
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(sh.Name, col, col, w); err != nil {
			return err
		}
	}
	return nil
}

func cell(col, row int) string {
	ref, _ := excelize.CoordinatesToCellName(col, row)
	return ref
}

// round4 keeps 0.44 as 0.44 rather than 0.44000000000000006.
func round4(v float64) float64 {
	const k = 1e6
	if v < 0 {
		return -float64(int64(-v*k+0.5)) / k
	}
	return float64(int64(v*k+0.5)) / k
}
