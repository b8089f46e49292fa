// Package layoutfix writes small, deterministic logframe files in the
// layouts of other tools (a DFID/FCDO logframe, flat IATI results rows as
// spreadsheets2iati and AidStream write them), filled in as an officer
// would, for the tests of importers and cmd/rmf. The shared templates they
// start from are in importers/testdata/templates (see its README).
package layoutfix

import (
	"encoding/csv"
	"os"
	"time"

	"github.com/xuri/excelize/v2"
)

// DFIDSheet is the sheet of the DFID template.
const DFIDSheet = "RESULTS FRAMEWORK"

// Cells is a set of cell values by reference ("B3": "text", "C7": 12.5).
type Cells map[string]any

// DFIDTemplateFilled is what FillDFIDTemplate writes into the template:
// an impact, an outcome with two indicators (the third slot left empty,
// as officers leave unused slots), an output with two indicators, the
// milestone dates in the headings and figures typed with units.
func DFIDTemplateFilled() Cells {
	c := Cells{
		"B1": "Girls' Education Support Programme",
		// IMPACT block: headings with dates.
		"C2": "Baseline (2011)", "D2": "Milestone 1 (Mar 2013)", "E2": "Milestone 2 (Mar 2014)", "F2": "Target (Mar 2016)",
		"A3": "More girls complete primary school in the target districts",
		"B3": "Primary completion rate, girls",
		"C3": "45%", "D3": "48%", "E3": "52%", "F3": "60%",
		"C5": "EMIS annual school census",
		"A5": "Education",
		// OUTCOME block, indicator 1.
		"D6": "Milestone 1 (Mar 2013)", "E6": "Milestone 2 (Mar 2014)", "F6": "Target (Mar 2016)",
		"A7": "Girls enrol and stay in school",
		"B7": "Girls enrolled in grades 1-6",
		"C7": "12,000 girls", "D7": "15,000", "E7": "18,000", "F7": "24,000",
		"C9": "District education office returns",
		// OUTCOME indicator 2: a rate that should fall.
		"D10": "Milestone 1 (Mar 2013)", "E10": "Milestone 2 (Mar 2014)", "F10": "Target (Mar 2016)",
		"A11": "Education",
		"B11": "Dropout rate, girls, grades 1-6",
		"C11": "12%", "D11": "10%", "E11": "8%", "F11": "5%",
		"C13": "EMIS annual school census",
		// OUTPUT block.
		"D18": "Milestone 1 (Mar 2013)", "E18": "Milestone 2 (Mar 2014)", "F18": "Target (Mar 2016)",
		"A19": "Teachers trained in inclusive pedagogy",
		"B19": "Teachers trained",
		"C19": 0, "D19": 500, "E19": 1200, "F19": 2000,
		"C21": "Training attendance sheets",
		"D22": "Milestone 1 (Mar 2013)", "E22": "Milestone 2 (Mar 2014)", "F22": "Target (Mar 2016)",
		"B23": "Schools with a girls' latrine",
		"C23": 20, "D23": 35, "E23": 50, "F23": 80,
		"C25": "School inspection reports",
	}
	return c
}

// FillDFIDTemplate copies the DFID template at template to out with cells
// set (DFIDTemplateFilled, changed as a test wants).
func FillDFIDTemplate(template, out string, cells Cells) error {
	f, err := excelize.OpenFile(template)
	if err != nil {
		return err
	}
	defer f.Close()
	for ref, v := range cells {
		if err := f.SetCellValue(DFIDSheet, ref, v); err != nil {
			return err
		}
	}
	return f.SaveAs(out)
}

// DFIDClassic is a logframe in the classic DFID layout, built from
// scratch: project keys at the top, a label column (Planned, Achieved,
// Source) between the indicator and the baseline, an Assumptions column,
// OUTPUT 1 and OUTPUT 2 numbered, a row of dates under one heading row,
// a percent-formatted cell, a yes/no indicator, an empty OUTPUT 3 slot
// and the INPUTS (£) rows under it.
func DFIDClassic() Cells {
	return Cells{
		"A1": "PROGRAMME TITLE:", "B1": "Water for Schools",
		"A2": "PROJECT NUMBER:", "B2": "GB-1-204567",
		"A3": "START DATE:", "B3": "01/04/2012", "D3": "END DATE:", "E3": "31/03/2016",

		"A5": "IMPACT", "B5": "Impact Indicator 1", "D5": "Baseline (2011)", "E5": "Milestone 1 (Mar 2013)", "F5": "Milestone 2 (Mar 2014)", "G5": "Target (Mar 2016)", "H5": "Assumptions",
		"A6": "Fewer school days lost to water-borne disease", "B6": "School days lost per pupil per year", "C6": "Planned", "D6": 9, "E6": 7.5, "F6": 6, "G6": 4,
		"H6": "No major drought",
		"C7": "Achieved", "E7": 7.8,
		"C8": "Source", "C9": "School attendance registers",

		"A10": "OUTCOME", "B10": "Outcome Indicator 1", "D10": "Baseline", "E10": "Milestone 1", "F10": "Milestone 2", "G10": "Target", "H10": "Assumptions",
		"A11": "Schools have safe water all year", "B11": "Schools with a working safe water point", "C11": "Date", "D11": 2011, "E11": "Mar 2013", "F11": "Mar 2014", "G11": "Mar 2016",
		"H11": "District water offices keep funding repairs",
		"C12": "Planned", "D12": "120 schools", "E12": "200", "F12": "260", "G12": "300",
		"C13": "Achieved", "E13": "215",
		"C14": "Source:  District water office survey",

		"A16": "OUTPUT 1", "B16": "Output Indicator 1.1", "D16": "Baseline", "E16": "Milestone 1 (Mar 2013)", "F16": "Milestone 2 (Mar 2014)", "G16": "Target (Mar 2016)",
		"A17": "Water points built or repaired", "B17": "Water points built or repaired", "C17": "Planned", "D17": 0, "E17": 80, "F17": 140, "G17": 180,
		"C18": "Achieved", "E18": 72,
		"C19": "Source", "C20": "Contractor completion certificates",
		"A21": "OUTPUT WEIGHTING (%)", "B21": "Output Indicator 1.2", "D21": "Baseline", "E21": "Milestone 1 (Mar 2013)", "F21": "Milestone 2 (Mar 2014)", "G21": "Target (Mar 2016)",
		"A22": "60", "B22": "Share of water points with a trained caretaker", "C22": "Planned", "D22": "[Insert baseline]", "E22": "50%", "F22": 0.7, "G22": "90%",
		"C23": "Source", "C24": "Caretaker training records",

		"A26": "OUTPUT 2", "B26": "Output Indicator 2.1", "D26": "Baseline", "E26": "Milestone 1 (Mar 2013)", "F26": "Milestone 2 (Mar 2014)", "G26": "Target (Mar 2016)",
		"A27": "Hygiene clubs run in schools", "B27": "National school hygiene guideline adopted", "C27": "Planned", "D27": "No", "E27": "No", "F27": "Yes", "G27": "Yes",
		"C28": "Source", "C29": "Ministry of Education circulars",

		"A31": "OUTPUT 3", "B31": "Output Indicator 3.1", "D31": "Baseline", "E31": "Milestone 1", "F31": "Milestone 2", "G31": "Target",

		"A34": "INPUTS (£)", "B34": "DFID (£)", "D34": "Govt (£)", "E34": "Other (£)", "F34": "Total (£)", "G34": "DFID SHARE (%)",
		"B35": 4500000, "D35": 500000, "E35": 0, "F35": 5000000, "G35": 0.9,
	}
}

// PercentCells are the cells DFIDClassic formats as percentages.
var PercentCells = []string{"F22"}

// WriteDFID writes a new workbook with one sheet, DFIDSheet, holding
// cells (PercentCells formatted as 0%).
func WriteDFID(out string, cells Cells) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", DFIDSheet); err != nil {
		return err
	}
	for ref, v := range cells {
		if err := f.SetCellValue(DFIDSheet, ref, v); err != nil {
			return err
		}
	}
	st, err := f.NewStyle(&excelize.Style{NumFmt: 9})
	if err != nil {
		return err
	}
	for _, ref := range PercentCells {
		if _, ok := cells[ref]; ok {
			if err := f.SetCellStyle(DFIDSheet, ref, ref, st); err != nil {
				return err
			}
		}
	}
	if err := f.MergeCell(DFIDSheet, "B6", "B9"); err != nil {
		return err
	}
	return f.SaveAs(out)
}

// FlatActivity is the activity of the flat fixtures.
const FlatActivity = "XM-DAC-41114-PRJ-001"

// FlatRows are results rows in the spreadsheets2iati columns (A..Y of
// its template: activity, name, result title, description, type,
// aggregation, measure, indicator reference, indicator aggregation, title,
// description, ascending, baseline year, baseline, baseline comment,
// start, end, dimension 1 name and value, dimension 2 name and value,
// target, target comment, actual, actual comment): an outcome with a
// percentage, an output with two indicators (one with a reference code,
// one without, its second and third periods written AidStream-style with
// the result and indicator cells left empty), a female breakdown.
func FlatRows() [][]string {
	a, n := FlatActivity, "Clean Cookstoves for Households"
	return [][]string{
		{a, n, "Households cook with clean stoves", "Uptake of the stoves", "2", "N", "2", "", "N", "Share of households using a clean stove", "", "Y", "2019", "5", "", "01-01-2020", "31-12-2020", "", "", "", "", "20", "", "18", "Survey round 1"},
		{a, n, "Households cook with clean stoves", "Uptake of the stoves", "2", "N", "2", "", "N", "Share of households using a clean stove", "", "Y", "2019", "5", "", "01-01-2021", "31-12-2021", "", "", "", "", "40", "", "", ""},
		{a, n, "Stoves sold", "Sales through retailers", "1", "Y", "1", "STV-1", "Y", "Stoves sold", "", "Y", "2019", "0", "", "01-01-2020", "31-12-2020", "", "", "", "", "1,000", "", "1,150", ""},
		{a, n, "", "", "", "", "", "", "", "", "", "", "", "", "", "01-01-2021", "31-12-2021", "", "", "", "", "2,500", "", "", ""},
		{a, n, "Stoves sold", "Sales through retailers", "1", "Y", "1", "", "Y", "Retailers trained", "", "Y", "2019", "0", "", "01-01-2020", "31-12-2020", "", "", "", "", "40", "", "35", ""},
		{a, n, "Stoves sold", "Sales through retailers", "1", "Y", "1", "", "Y", "Retailers trained", "", "Y", "2019", "0", "", "01-01-2020", "31-12-2020", "sex", "female", "", "", "20", "", "12", ""},
		{a, n, "Stoves sold", "Sales through retailers", "1", "Y", "1", "", "Y", "Retailers trained", "", "Y", "2019", "0", "", "01-01-2021", "31-12-2021", "", "", "", "", "80", "", "", ""},
	}
}

// FlatHeader is the spreadsheets2iati header row (A..Y).
var FlatHeader = []string{"IATI activity identifier", "Activity name", "Result title", "Result description", "Result type", "Result aggregation status",
	"Indicator measure", "Indicator reference", "Indicator aggregation status", "Indicator title", "Indicator description", "Ascending",
	"Baseline year", "Baseline", "Baseline comment", "Start date", "End date", "Dimension 1 name", "Dimension 1 value",
	"Dimension 2 name", "Dimension 2 value", "Target", "Target comment", "Actual", "Actual comment"}

// FlatLegend is the spreadsheets2iati legend row under the header.
var FlatLegend = []string{"Your org identifier + unique activity code", "Project or programme title", "", "", "output (1)\noutcome (2)\nimpact (3)\nother (9)",
	"possible to aggregate y/n", "number (1)\npercentage (2)\nqualitative result (5)", "", "", "", "", "Are the results ascending (Y) or descending (N)",
	"", "baseline value", "", "The period in which the target should be achieved, or when the actual is realised.\nDate format is European: DD-MM-YYYY", "", "", "", "", "", "target value", "", "actual result value", ""}

// WriteFlatXLSX writes rows under the spreadsheets2iati header and legend
// row into the sheet Results of a new workbook, every cell as text (as
// the template's cells are).
func WriteFlatXLSX(out string, header []string, legend bool, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Results"); err != nil {
		return err
	}
	all := [][]string{header}
	if legend {
		all = append(all, FlatLegend)
	}
	all = append(all, rows...)
	for i, row := range all {
		for j, v := range row {
			if v == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr("Results", ref, v); err != nil {
				return err
			}
		}
	}
	return f.SaveAs(out)
}

// AidStreamHeader is the header of AidStream's IATI 2.03 result CSV.
var AidStreamHeader = []string{"Type", "Aggregation Status", "Title", "Title Language", "Description", "Description Language", "Results Reference Vocabulary", "Results Reference Code", "Results Reference URI", "Measure", "Ascending", "Indicator Aggregation Status", "Indicator Title", "Indicator Title Language", "Indicator Description", "Indicator Description Language", "Reference Vocabulary", "Reference Code", "Reference URI", "Baseline Year", "Baseline Value", "Baseline Location Ref", "Baseline Dimension Name", "Baseline Dimension Value", "Baseline Comment", "Baseline Comment Language", "Period Start", "Period End", "Target Value", "Target Location Ref", "Target Dimension Name", "Target Dimension Value", "Target Comment", "Target Comment Language", "Actual Value", "Actual Location Ref", "Actual Dimension Name", "Actual Dimension Value", "Actual Comment", "Actual Comment Language"}

// AidStreamRow builds a row of AidStream's result CSV from the fields set.
func AidStreamRow(fields map[string]string) []string {
	row := make([]string, len(AidStreamHeader))
	for i, h := range AidStreamHeader {
		row[i] = fields[h]
	}
	return row
}

// AidStreamRows are FlatRows' indicators in AidStream's columns: an
// outcome with a reference code per indicator, further periods in rows
// whose result and indicator cells are empty, dates as YYYY-MM-DD.
func AidStreamRows() [][]string {
	return [][]string{
		AidStreamRow(map[string]string{"Type": "2", "Aggregation Status": "0", "Title": "Households cook with clean stoves", "Title Language": "en",
			"Measure": "2", "Ascending": "1", "Indicator Title": "Share of households using a clean stove", "Reference Code": "CS-1",
			"Baseline Year": "2019", "Baseline Value": "5", "Period Start": "2020-01-01", "Period End": "2020-12-31", "Target Value": "20", "Actual Value": "18"}),
		AidStreamRow(map[string]string{"Period Start": "2021-01-01", "Period End": "2021-12-31", "Target Value": "40"}),
		AidStreamRow(map[string]string{"Type": "1", "Aggregation Status": "1", "Title": "Stoves sold", "Title Language": "en",
			"Measure": "1", "Ascending": "1", "Indicator Title": "Stoves sold", "Reference Code": "STV-1",
			"Baseline Year": "2019", "Baseline Value": "0", "Period Start": "2020-01-01", "Period End": "2020-12-31", "Target Value": "1000", "Actual Value": "1150"}),
		AidStreamRow(map[string]string{"Period Start": "2021-01-01", "Period End": "2021-12-31", "Target Value": "2500", "Actual Value": "2100"}),
	}
}

// WriteCSV writes a header (twice when twice, as AidStream's template
// has it) and rows as a CSV file.
func WriteCSV(out string, header []string, twice bool, rows [][]string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(header)
	if twice {
		w.Write(header)
	}
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Date is a date at midnight UTC.
func Date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// AddProjectSheet adds a sheet Project of key/value rows to the workbook
// at path, as rmf's own workbook has it.
func AddProjectSheet(path string, rows [][2]any) error {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.NewSheet("Project"); err != nil {
		return err
	}
	for i, kv := range rows {
		for j, v := range kv {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue("Project", ref, v); err != nil {
				return err
			}
		}
	}
	return f.Save()
}
