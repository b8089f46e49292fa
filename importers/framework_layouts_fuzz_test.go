package importers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/layoutfix"
)

// gridCSV renders cells ("B3": value) as CSV text, so that the DFID
// fixtures can seed the fuzzer.
func gridCSV(cells layoutfix.Cells) []byte {
	var grid [][]string
	for ref, v := range cells {
		c, r, err := excelize.CellNameToCoordinates(ref)
		if err != nil {
			continue
		}
		for len(grid) < r {
			grid = append(grid, nil)
		}
		for len(grid[r-1]) < c {
			grid[r-1] = append(grid[r-1], "")
		}
		grid[r-1][c-1] = fmt.Sprint(v)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(grid)
	return b.Bytes()
}

func csvOf(header []string, twice bool, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	if twice {
		w.Write(header)
	}
	w.WriteAll(rows)
	return b.Bytes()
}

// FuzzReadLayouts: whatever the cells, reading them as a DFID logframe or
// as flat IATI results rows returns a framework or a non-empty
// indicators.Problems, never panics; a framework it accepts is valid, and
// reading the file's figures against it does not panic either. The cells
// come from CSV text (the readers see the same cells from a workbook).
//
//	go test ./importers -run '^$' -fuzz FuzzReadLayouts -fuzztime 30s
func FuzzReadLayouts(f *testing.F) {
	// Small seeds: the fuzzer minimises every new input, which is slow for
	// the full fixtures (they are read whole by the unit tests).
	f.Add(gridCSV(layoutfix.Cells{
		"A1": "PROGRAMME TITLE:", "B1": "T", "A2": "IMPACT", "B2": "Impact Indicator 1", "C2": "", "D2": "Baseline (2011)", "E2": "Milestone 1 (Mar 2013)", "F2": "Target", "G2": "Assumptions",
		"A3": "Goal", "B3": "Rate", "C3": "Planned", "D3": "45%", "E3": "48%", "F3": "60%", "G3": "None",
		"C4": "Achieved", "E4": "47%", "C5": "Source", "C6": "Survey",
		"A7": "OUTPUT 1", "B7": "Output Indicator 1.1", "D7": "Baseline", "E7": "Milestone 1", "F7": "Target",
		"A8": "Built", "B8": "Wells", "C8": "Date", "D8": "2011", "E8": "Mar 2013", "F8": "Mar 2016",
		"C9": "Planned", "D9": "0", "E9": "£2.5m", "F9": "No",
	}))
	f.Add(csvOf(layoutfix.FlatHeader, false, layoutfix.FlatRows()[2:4]))
	f.Add(csvOf(layoutfix.AidStreamHeader, true, layoutfix.AidStreamRows()[:2]))
	for _, s := range []string{
		"", "IMPACT,Impact Indicator,Baseline,Milestone 1 (Mar 2013),Target\nx,y,1,2,3\n",
		"OUTPUT 999,Indicator 1.99999999999999999999,Baseline (1e309),Milestone 0 (Feb 30 2013),Target\n,,£.5bn,-,50%\n",
		"Result title,Result type,Indicator title,Start date,End date,Target,Actual\nR,3,I,01-01-2020,31-12-2019,5,x\n,,,,,,\n",
		"Result title,Type,Reference Code,Period Start,Period End,Target Value,Actual Value,Dimension 1 name,Dimension 1 value\nR,1,A.1,2020-01-01,2020-12-31,1,2,sex,\n",
	} {
		f.Add([]byte(s))
	}
	opt := FrameworkOptions{Code: "P", Title: "T", Start: "2010-01-01", End: "2030-12-31"}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLayouts(t, data, opt) })
}

func fuzzLayouts(t *testing.T, data []byte, opt FrameworkOptions) {
	{
		rr, _ := newCSVRows(bytes.NewReader(data))
		sh, err := collectSheet("fuzz.csv", "", rr, nil, false)
		if err != nil {
			return // not CSV: the CSV reader says why
		}
		bk := &layoutBook{file: "fuzz.csv", csv: true, sheetNames: []string{""}, sheets: []*Sheet{sh}}
		lay, _ := bk.recognise()
		_ = bk.closest()
		for _, read := range []func() (*Logframe, error){
			func() (*Logframe, error) { return readDFID(sh, nil, opt) },
			func() (*Logframe, error) {
				if h, _ := flatHeader(sh); h.Row == 0 {
					return nil, indicators.Problems{errors.New("not flat")}
				}
				return readFlat(sh, nil, opt)
			},
		} {
			lf, err := read()
			if err != nil {
				var probs indicators.Problems
				if !errors.As(err, &probs) || len(probs) == 0 {
					t.Fatalf("layout %q: error %T is not a non-empty Problems: %v", lay, err, err)
				}
				_ = err.Error()
				continue
			}
			if probs := lf.Framework.Validate(); len(probs) > 0 {
				t.Fatalf("accepted an invalid framework: %v", probs)
			}
			_ = lf.Framework.Check()
			if h, _ := flatHeader(sh); h.Row > 0 {
				flatFigures(sh, lf.Framework)
			}
		}
	}
}
