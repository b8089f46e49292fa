// Package exampleactions writes examples/actions.xlsx: the management
// response to the mid-term review of the example project (see
// /work/shared/DOMAIN.md), laid out like the original matrix. Each
// recommendation is a block of merged cells (number, text, addressed to,
// priority, response) over one row per key action (number, action,
// deadline, responsible unit, dated monitoring comments, status, linked
// logframe codes of examples/framework.yaml). The texts are written for
// the example; the status is the one of mid-2022.
//
// Regenerate the file with:  go test ./internal/exampleactions -update
package exampleactions

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet is the name of the matrix sheet.
const Sheet = "Management response"

// Action is one key action row of the matrix.
type Action struct {
	Number      string
	Text        string
	Deadline    any // a string, or a time.Time written as a date cell
	Responsible string
	Comments    string
	Status      string
	Links       string
}

// Recommendation is one block of the matrix.
type Recommendation struct {
	Number      string
	Text        string
	AddressedTo string
	Priority    int
	Response    string
	Actions     []Action
}

// Title is the evaluation's title, in the first row.
const Title = "Management response to the mid-term review of the internal migration project (Mongolia)"

// Date is the date of the management response.
var Date = time.Date(2021, 12, 10, 0, 0, 0, 0, time.UTC)

const eop = "before end of project period"

// Matrix is the example's twelve recommendations.
var Matrix = []Recommendation{
	{"1", "Turn the action plan into a fuller roadmap for migration data and for mainstreaming migration into policies, so that the work continues after the project.",
		"Project management; labour ministry", 1, "Accepted", []Action{
			{"1.1", "Revise activity 2.2.3 so that the action plan becomes a roadmap owned by national and local stakeholders.", eop,
				"Project management unit", "15 June 2022: revised plan presented to the steering committee, which asked for consultations in two provinces.", "Ongoing", "2.2; A2.2.3"},
			{"1.2", "Hire a policy consultant to draft the roadmap with the ministry.", eop,
				"Project management unit", "March 2022: terms of reference agreed with the ministry.\n2022-06: recruitment under way.", "Ongoing", "A2.2.3"},
		}},
	{"2", "Government counterparts should take a larger part in steering and running the project.",
		"Labour ministry; project management", 1, "Accepted", []Action{
			{"2.1", "Add activities 2.1.10 to 2.1.13: a migration policy unit, policies at national, provincial and district level, a migration information centre and migration in local development planning.", eop,
				"Project management unit with the labour ministry", "2022-02-15: new activities approved by the steering committee.\n2022-05-30: policy unit staff appointed by the ministry.", "Ongoing", "A2.1.10..A2.1.13"},
			{"2.2", "Hold a conference on reverse migration with ministries and provinces.", time.Date(2022, 6, 28, 0, 0, 0, 0, time.UTC),
				"Project management unit", "28 June 2022: conference held in the capital, 120 participants.", "Completed", "2.1"},
			{"2.3", "Hold a national forum on internal migration.", "September 2022",
				"Labour ministry", "", "Not started", "2.1; O2"},
		}},
	{"3", "Keep building the capacity of the NGOs that serve migrants.",
		"Project management", 2, "Accepted", []Action{
			{"3.1", "Run a training programme for NGOs in four regions, followed by mentoring (activity 3.3.2).", "from April 2022",
				"Project management unit; training partner", "April 2022: trainings held in two provinces.\n1 August 2022: five-day training in the capital (1 to 5 August).", "Ongoing", "A3.3.2"},
		}},
	{"4", "Choose what the NGO projects do from the needs migrants themselves express.",
		"Project management; NGO selection committee", 1, "Accepted", []Action{
			{"4.1", "Launch a second round of NGO projects that focus on employability.", "2022-03..2022-09",
				"Project management unit", "2022-03-15: call for proposals published with employability as its focus.", "Ongoing", "3.3; A3.3.1"},
		}},
	{"5", "Review how the members of the NGO selection committee are designated.",
		"Project management; donor", 1, "Accepted", []Action{
			{"5.1", "Review the selection procedure and have it approved by the donor and the ministry.", "before the selection",
				"Project management unit; donor office", "January 2022: revised procedure approved by the donor and the ministry.", "Completed", "A3.3.1"},
		}},
	{"6", "Move funds to NGO capacity building and to more NGO projects.",
		"Project management; donor", 1, "Accepted", []Action{
			{"6.1", "Revise the budget of outputs 3.3.2 and 3.3.6.", "May 2022",
				"Project management unit; donor office", "2022-04-20: budget revision drafted and sent to the donor.", "Ongoing", "A3.3.2; A3.3.6"},
			{"6.2", "Select four more NGO projects from the reserve list.", "May 2022",
				"NGO selection committee", "2022-05-25: four NGOs selected from the reserve list.", "Completed", "3.3; A3.3.1"},
		}},
	{"7", "Build the capacity of local governments to serve migrants.",
		"Project management; provincial governments", 1, "Accepted", []Action{
			{"7.1", "Add activity 3.2.5: train local and frontline officials, about 40 per province in all 21 provinces.", eop,
				"Project management unit with the provinces", "2022-06-10: curriculum agreed; the first trainings are planned for August 2022.", "Ongoing", "3.2; A3.2.5"},
		}},
	{"8", "Report on results, not only on activities.",
		"Project management", 1, "Accepted", []Action{
			{"8.1", "Write a results-based semi-annual report, starting with the period September 2021 to February 2022.", "every reporting period",
				"Project management unit", "March 2022: first results-based report delivered, for September 2021 to February 2022.", "Ongoing", "OO"},
		}},
	{"9", "Write a full monitoring and evaluation plan.",
		"Project management", 1, "Accepted", []Action{
			{"9.1", "Add an M&E plan to the operational plan: indicators, sources, frequency, responsibilities and data trail.", eop,
				"Project management unit", "2022-02-28: M&E plan annexed to the operational plan of year 3.", "Completed", "O1; O2; O3"},
		}},
	{"10", "Involve the private sector.",
		"Project management", 1, "Accepted", []Action{
			{"10.1", "Add activity 3.3.6: work with the private sector on migrants' employability.", eop,
				"Project management unit", "2022-05: first meeting with employers' associations.", "Ongoing", "A3.3.6"},
			{"10.2", "Build a provincial system-dynamics model of labour migration with the chamber of commerce.", eop,
				"Project management unit; chamber of commerce", "", "Not started", "A3.3.6"},
		}},
	{"11", "Help NGOs find international funding.",
		"Project management; NGOs", 1, "Accepted", []Action{
			{"11.1", "Include fundraising in the NGO capacity programme.", "August 2022",
				"Project management unit; training partner", "2022-06-20: fundraising module added to the training curriculum.", "Ongoing", "A3.3.2"},
			{"11.2", "Set up a network of migration NGOs for joint fundraising.", "August 2022",
				"NGO partners", "", "Not started", "3.3"},
		}},
	{"12", "Work with the labour organisation (ILO).",
		"Project management", 1, "Accepted", []Action{
			{"12.1", "Add activity 3.4.3: support the UN migration network and joint interventions with the ILO.", eop,
				"Project management unit", "2022-04-12: joint work plan discussed in the UN migration network.", "Ongoing", "3.4; A3.4.3"},
		}},
}

// Headers are the column headings of the matrix, from column A.
var Headers = []string{"No.", "Recommendation", "Addressed to", "Priority", "Management response",
	"Action no.", "Key action", "Deadline", "Responsible unit", "Monitoring comments", "Status", "Linked codes"}

// HeaderRow is the row of the headings.
const HeaderRow = 5

// Workbook builds the example matrix.
func Workbook() (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", Sheet); err != nil {
		return nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	set("A1", Title, f)
	if err := f.SetCellStyle(Sheet, "A1", "A1", st.bold); err != nil {
		return nil, err
	}
	set("A2", "Date:", f)
	set("B2", Date, f)
	if err := f.SetCellStyle(Sheet, "B2", "B2", st.date); err != nil {
		return nil, err
	}
	set("A3", "Monitoring comments and status up to August 2022. Priority 1 is the highest. Linked codes are results and activities of examples/framework.yaml. Texts written for this example.", f)
	for i, h := range Headers {
		set(ref(i+1, HeaderRow), h, f)
	}
	last := ref(len(Headers), HeaderRow)
	if err := f.SetCellStyle(Sheet, "A5", last, st.head); err != nil {
		return nil, err
	}
	row := HeaderRow + 1
	for _, r := range Matrix {
		if row, err = writeRecommendation(f, st, r, row); err != nil {
			return nil, err
		}
	}
	for col, w := range map[string]float64{"A": 6, "B": 40, "C": 18, "D": 8, "E": 12, "F": 8, "G": 45, "H": 16, "I": 22, "J": 50, "K": 12, "L": 18} {
		if err := f.SetColWidth(Sheet, col, col, w); err != nil {
			return nil, err
		}
	}
	if err := f.SetPanes(Sheet, &excelize.Panes{Freeze: true, YSplit: HeaderRow, TopLeftCell: ref(1, HeaderRow+1), ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	return f, nil
}

// set writes v in cell of the sheet.
func set(cell string, v any, f *excelize.File) {
	if err := f.SetCellValue(Sheet, cell, v); err != nil {
		panic(err) // only on a wrong cell name: a bug here
	}
}

// ref is the name of the cell at col, row.
func ref(col, row int) string {
	c, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err)
	}
	return c
}

// styles are the matrix's cell styles.
type styles struct{ bold, head, wrap, date int }

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	var err error
	if st.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return st, err
	}
	if st.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return st, err
	}
	if st.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return st, err
	}
	st.date, err = f.NewStyle(&excelize.Style{NumFmt: 15, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}}) // d-mmm-yy
	return st, err
}

// writeRecommendation writes recommendation r from row on, one row per
// action, its own cells merged down them; it returns the next free row.
func writeRecommendation(f *excelize.File, st styles, r Recommendation, row int) (int, error) {
	first := row
	set(ref(1, row), r.Number, f)
	set(ref(2, row), r.Text, f)
	set(ref(3, row), r.AddressedTo, f)
	set(ref(4, row), r.Priority, f)
	set(ref(5, row), r.Response, f)
	for _, a := range r.Actions {
		set(ref(6, row), a.Number, f)
		set(ref(7, row), a.Text, f)
		set(ref(8, row), a.Deadline, f)
		if _, ok := a.Deadline.(time.Time); ok {
			if err := f.SetCellStyle(Sheet, ref(8, row), ref(8, row), st.date); err != nil {
				return row, err
			}
		}
		set(ref(9, row), a.Responsible, f)
		if a.Comments != "" {
			set(ref(10, row), a.Comments, f)
		}
		set(ref(11, row), a.Status, f)
		set(ref(12, row), a.Links, f)
		row++
	}
	lastRow := row - 1
	if err := f.SetCellStyle(Sheet, ref(1, first), ref(7, lastRow), st.wrap); err != nil {
		return row, err
	}
	if err := f.SetCellStyle(Sheet, ref(9, first), ref(12, lastRow), st.wrap); err != nil {
		return row, err
	}
	if lastRow > first {
		for col := 1; col <= 5; col++ {
			if err := f.MergeCell(Sheet, ref(col, first), ref(col, lastRow)); err != nil {
				return row, fmt.Errorf("merge recommendation %s: %w", r.Number, err)
			}
		}
	}
	return row, nil
}

// Write writes the example matrix to w.
func Write(w io.Writer) error {
	f, err := Workbook()
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteTo(w)
	return err
}
