package importers

// The management response matrix: after an evaluation, one block per
// recommendation (number, text, addressed to, priority, response) followed
// by one row per key action (action, deadline, responsible unit, dated
// monitoring comments, status, linked logframe codes). The recommendation's
// cells are either repeated on every action row, left blank below the
// first, or merged over the block; merged cells are read as their value.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

// ActionFields are the columns of a matrix sheet. The header row is the
// first that names the recommendation, the key action and the status.
var ActionFields = []Field{
	{Name: "rec_number", Headings: []string{"No", "No.", "#", "Nr", "Number", "Rec no", "Rec. no.", "Recommendation no", "Recommendation number", "Ref"}},
	{Name: "recommendation", Required: true, Headings: []string{"Recommendation", "Recommendations", "Evaluation recommendation", "Recommendation text"}},
	{Name: "addressed_to", Headings: []string{"Addressed to", "To", "Recommendation addressed to", "Addressee"}},
	{Name: "priority", Headings: []string{"Priority", "Priority (1-3)", "Prio"}},
	{Name: "response", Required: true, Headings: []string{"Response", "Management response", "Accepted", "Accepted/rejected"}},
	{Name: "reason", Headings: []string{"Reason", "Justification", "Reason if not accepted", "Comment on response", "Response comment"}},
	{Name: "action_number", Headings: []string{"No", "No.", "#", "Action no", "Action no.", "Action number", "Key action no"}},
	{Name: "action", Required: true, Headings: []string{"Key action", "Key actions", "Key action(s)", "Action", "Actions", "Action(s)", "Follow-up action"}},
	{Name: "deadline", Headings: []string{"Deadline", "Time frame", "Timeframe", "Time-frame", "Timeline", "Due", "Due date", "By when"}},
	{Name: "responsible", Headings: []string{"Responsible", "Responsible unit", "Responsible unit(s)", "Responsible units", "Responsibility", "Who"}},
	{Name: "comments", Headings: []string{"Comments", "Monitoring comments", "Tracking comments", "Comment", "Progress", "Monitoring", "Follow-up comments"}},
	{Name: "status", Required: true, Headings: []string{"Status", "Action status", "Tracking status", "Implementation status"}},
	{Name: "links", Headings: []string{"Links", "Linked codes", "Linked results", "Logframe codes", "Results", "Codes", "Linked to", "Result codes"}},
}

// actionSheetNames are tried first, in this order; then every other sheet.
var actionSheetNames = []string{"Management response", "Matrix", "Recommendations", "Follow-up", "Actions", "Management response matrix"}

// ReadActions reads a management response matrix from an .xlsx file.
// fw, when not nil, is the framework linked codes are checked against.
func ReadActions(path string, fw *indicators.Framework) (*indicators.Evaluation, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".xlsx", ".xlsm":
	case ".xls":
		return nil, &indicators.CellError{File: path, Err: errors.New("the old .xls format is not supported; save the workbook as .xlsx")}
	default:
		return nil, &indicators.CellError{File: path, Err: fmt.Errorf("unknown matrix file type %q, expected .xlsx", ext)}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadActionsXLSX(f, path, fw)
}

// ReadActionsXLSX reads the management response matrix of workbook r (name
// is used in messages and as the evaluation's source): the first sheet, in
// the order of actionSheetNames then of the workbook, whose header row
// names the recommendation, the response, the key action and the status.
// The evaluation's title is the first text above the header row (else the
// file name), its date a "Date" cell above the header. It returns the
// evaluation, or indicators.Problems listing every problem with its sheet
// and cell.
func ReadActionsXLSX(r io.Reader, name string, fw *indicators.Framework) (*indicators.Evaluation, error) {
	f, err := readWorkbook(r, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	order := []string{}
	seen := map[string]bool{}
	for _, want := range actionSheetNames {
		if sn, ok := FindSheet(f, want); ok && !seen[sn] {
			order, seen[sn] = append(order, sn), true
		}
	}
	for _, sn := range f.GetSheetList() {
		if !seen[sn] {
			order, seen[sn] = append(order, sn), true
		}
	}
	for _, sn := range order {
		sh, err := ReadSheet(f, name, sn)
		if err != nil {
			return nil, indicators.Problems{&indicators.CellError{File: name, Sheet: sn, Err: fmt.Errorf("%w: %v", indicators.ErrInvalid, err)}}
		}
		if err := FillMerged(f, sh); err != nil {
			return nil, indicators.Problems{&indicators.CellError{File: name, Sheet: sn, Err: fmt.Errorf("%w: merged cells: %v", indicators.ErrInvalid, err)}}
		}
		h, errs := FindHeader(sh, ActionFields)
		if h.Row == 0 {
			continue
		}
		if len(errs) > 0 {
			return nil, indicators.Problems(errs)
		}
		return readMatrix(sh, h, name, fw)
	}
	return nil, indicators.Problems{&indicators.CellError{File: name,
		Err: fmt.Errorf("%w: no sheet (of %s) has a header row with the columns Recommendation, Response, Key action and Status",
			indicators.ErrMissingSheet, strings.Join(f.GetSheetList(), ", "))}}
}

// FillMerged gives every cell of a merged range the value (and the
// reference) of its top-left cell, so that a merged recommendation block
// reads like repeated cells and problems name the cell holding the value.
// Ranges are clipped to the rows the sheet has.
func FillMerged(f *excelize.File, sh *Sheet) error {
	mcs, err := f.GetMergeCells(sh.Name, true)
	if err != nil {
		return err
	}
	for _, mc := range mcs {
		c1, r1, err := excelize.CellNameToCoordinates(mc.GetStartAxis())
		if err != nil {
			return err
		}
		c2, r2, err := excelize.CellNameToCoordinates(mc.GetEndAxis())
		if err != nil {
			return err
		}
		r2 = min(r2, len(sh.Rows))
		c2 = min(c2, c1+200)
		top := sh.Cell(r1, c1-1)
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				if r == r1 && c == c1 {
					continue
				}
				row := sh.Rows[r-1]
				for len(row) < c {
					ref, _ := excelize.CoordinatesToCellName(len(row)+1, r)
					row = append(row, Cell{Ref: ref})
				}
				row[c-1] = Cell{Ref: top.Ref, Raw: top.Raw, Kind: top.Kind}
				sh.Rows[r-1] = row
			}
		}
	}
	return nil
}

type matrixReader struct {
	ev    *indicators.Evaluation
	sh    *Sheet
	h     Header
	probs indicators.Problems
}

func (m *matrixReader) get(row int, field string) Cell {
	c, ok := m.h.Get(m.sh, row, field)
	if !ok {
		return Cell{}
	}
	return c
}

func (m *matrixReader) fail(row int, c Cell, field string, err error) {
	m.probs = append(m.probs, &indicators.CellError{File: m.sh.File, Sheet: m.sh.Name, Row: row, Cell: c.Ref, Field: field, Err: err})
}

func (m *matrixReader) failf(row int, c Cell, field string, sentinel error, format string, args ...any) {
	m.probs = append(m.probs, m.sh.Errorf(row, c.Ref, field, sentinel, format, args...))
}

// numberHint explains a duplicate number typed in a number cell: Excel
// drops trailing zeros (1.10 becomes 1.1).
func numberHint(c Cell) string {
	if c.Kind != CellNumber || !strings.Contains(c.Text(), ".") {
		return ""
	}
	return fmt.Sprintf(" (cell %s holds the number %s, and Excel drops trailing zeros: 1.10 becomes 1.1; format the column as Text and type the number again)", c.Ref, c.Text())
}

// cellText is the text of a cell: numbers as written ("1", "2.1").
func cellText(c Cell) string {
	if c.Empty() {
		return ""
	}
	return strings.TrimSpace(c.Raw)
}

// leading parses s with parse, or else its first part before "(", ":",
// ",", ";", "." or a line break; it returns the rest as a remark.
func leading[T any](s string, parse func(string) (T, error)) (T, string, error) {
	v, err := parse(s)
	if err == nil {
		return v, "", nil
	}
	if i := strings.IndexAny(s, "(:,;.\n–-"); i > 0 {
		if v2, err2 := parse(strings.TrimSpace(s[:i])); err2 == nil {
			rest := strings.TrimSpace(strings.TrimRight(strings.TrimLeft(s[i:], "(:,;.\n–- "), ")"))
			return v2, rest, nil
		}
	}
	return v, "", err
}

func readMatrix(sh *Sheet, h Header, name string, fw *indicators.Framework) (*indicators.Evaluation, error) {
	ev := &indicators.Evaluation{Source: name, Loc: indicators.Loc{File: name, Sheet: sh.Name, Cells: map[string]string{}}}
	m := &matrixReader{ev: ev, sh: sh, h: h}
	m.probs = append(m.probs, sh.Uncomputed(h)...)
	m.readTitle(ev)

	var cur *indicators.Recommendation
	recAt := map[string]string{}      // number -> cell of its first appearance
	actAt := map[string]string{}      // action number -> cell
	recCells := map[string][]string{} // number -> recommendation text (for conflicts)
	for row := h.Row + 1; row <= len(sh.Rows); row++ {
		if sh.RowEmpty(row) {
			continue
		}
		noC, textC := m.get(row, "rec_number"), m.get(row, "recommendation")
		no, text := cellText(noC), cellText(textC)
		if no != "" || text != "" {
			same := cur != nil && ((no != "" && no == cur.Number) || (no == "" && text == cur.Text))
			if same {
				if text != "" && text != cur.Text {
					m.failf(row, textC, "recommendation", indicators.ErrDuplicate,
						"recommendation %s has two texts (%s and %s): merged or repeated cells of one recommendation must hold the same text",
						cur.Number, recCells[cur.Number][0], textC.Ref)
				}
			} else {
				ev.Recommendations = append(ev.Recommendations, indicators.Recommendation{})
				cur = &ev.Recommendations[len(ev.Recommendations)-1]
				m.readRecommendation(row, cur, len(ev.Recommendations))
				if prev, dup := recAt[cur.Number]; dup {
					m.failf(row, noC, "rec_number", indicators.ErrDuplicate,
						"recommendation %s appears twice (first at %s); expected one block of rows per recommendation%s", cur.Number, prev, numberHint(noC))
				} else {
					recAt[cur.Number] = firstRef(noC, textC)
					recCells[cur.Number] = []string{textC.Ref}
				}
			}
		}
		if !m.actionRow(row) {
			continue
		}
		if cur == nil {
			m.failf(row, textC, "recommendation", indicators.ErrRequired,
				"key action without a recommendation: expected the recommendation's number or text in this row or in a row above")
			continue
		}
		a := m.readAction(row, cur)
		if prev, dup := actAt[a.Number]; dup {
			c := m.get(row, "action_number")
			if c.Ref == "" {
				c = m.get(row, "action")
			}
			m.failf(row, c, "action_number", indicators.ErrDuplicate, "key action %s appears twice (first at %s)%s", a.Number, prev, numberHint(c))
		} else {
			actAt[a.Number] = firstRef(m.get(row, "action_number"), m.get(row, "action"))
		}
		cur.Actions = append(cur.Actions, a)
	}
	if len(ev.Recommendations) == 0 && len(m.probs) == 0 {
		m.failf(h.Row, Cell{}, "", indicators.ErrRequired, "no recommendation below the header row %d", h.Row)
	}
	if fw != nil {
		m.probs = append(m.probs, ev.CheckLinks(fw)...)
	}
	if len(m.probs) > 0 {
		return nil, m.probs
	}
	return ev, nil
}

func firstRef(cs ...Cell) string {
	for _, c := range cs {
		if c.Ref != "" {
			return c.Ref
		}
	}
	return ""
}

// actionRow is true when the row has any key-action cell.
func (m *matrixReader) actionRow(row int) bool {
	for _, f := range []string{"action_number", "action", "deadline", "responsible", "comments", "status", "links"} {
		if !m.get(row, f).Empty() {
			return true
		}
	}
	return false
}

// readTitle takes the evaluation's title and date from the rows above the
// header: the first text cell is the title; a cell "Date" (or "Date of the
// evaluation", "Review date") is followed by the date, or "Date: 15
// December 2021" holds it.
func (m *matrixReader) readTitle(ev *indicators.Evaluation) {
	sh := m.sh
	for row := 1; row < m.h.Row; row++ {
		for j := 0; j < len(sh.Rows[row-1]); j++ {
			c := sh.Rows[row-1][j]
			if c.Empty() {
				continue
			}
			t := c.Text()
			label, rest, hasColon := strings.Cut(t, ":")
			switch indicators.Norm(label) {
			case "date", "evaluationdate", "reviewdate", "dateoftheevaluation", "dateofevaluation", "dateofthereview", "responsedate":
				dc := Cell{Ref: c.Ref, Raw: strings.TrimSpace(rest), Kind: CellText}
				if !hasColon || dc.Raw == "" {
					dc = sh.Cell(row, j+1)
					for k := j + 1; k < len(sh.Rows[row-1]) && dc.Empty(); k++ {
						dc = sh.Cell(row, k)
					}
				}
				d, err := dc.Date(sh.Date1904)
				if err != nil {
					p, perr := indicators.ParseActionDate(dc.Text())
					if perr != nil {
						m.failf(row, dc, "date", indicators.ErrInvalid, "evaluation date %q, expected a date such as 2021-12-15 or 15 December 2021", dc.Text())
						return
					}
					d = p.Start
				}
				ev.Date = d
				ev.Loc.Cells["date"] = dc.Ref
				j = len(sh.Rows[row-1])
				continue
			}
			if ev.Title == "" && c.Kind == CellText {
				ev.Title = strings.Join(strings.Fields(t), " ")
				ev.Loc.Row = row
				ev.Loc.Cells["title"] = c.Ref
			}
		}
	}
	if ev.Title == "" {
		base := filepath.Base(ev.Source)
		ev.Title = strings.TrimSuffix(base, filepath.Ext(base))
	}
}

func (m *matrixReader) readRecommendation(row int, r *indicators.Recommendation, n int) {
	loc := indicators.Loc{File: m.sh.File, Sheet: m.sh.Name, Row: row, Cells: map[string]string{}}
	cells := map[string]Cell{}
	for _, f := range []string{"rec_number", "recommendation", "addressed_to", "priority", "response", "reason"} {
		cells[f] = m.get(row, f)
	}
	loc.Cells["number"] = cells["rec_number"].Ref
	loc.Cells["text"] = cells["recommendation"].Ref
	loc.Cells["addressed_to"] = cells["addressed_to"].Ref
	loc.Cells["priority"] = cells["priority"].Ref
	loc.Cells["response"] = cells["response"].Ref
	loc.Cells["reason"] = cells["reason"].Ref
	r.Loc = loc
	r.Number = strings.TrimSuffix(cellText(cells["rec_number"]), ".")
	if r.Number == "" {
		r.Number = strconv.Itoa(n)
	}
	r.Text = cellText(cells["recommendation"])
	if r.Text == "" {
		m.failf(row, cells["recommendation"], "recommendation", indicators.ErrRequired,
			"recommendation %s has no text, expected the recommendation in this cell (or merged over its block)", r.Number)
	}
	r.AddressedTo = cellText(cells["addressed_to"])
	r.Reason = cellText(cells["reason"])
	if p := cellText(cells["priority"]); p != "" {
		v, err := indicators.ParsePriority(p)
		if err != nil {
			m.fail(row, cells["priority"], "priority", fmt.Errorf("recommendation %s: %w", r.Number, err))
		}
		r.Priority = v
	}
	resp := cellText(cells["response"])
	if resp == "" {
		m.failf(row, cells["response"], "response", indicators.ErrRequired,
			"recommendation %s has no response, expected accepted, partially accepted or rejected", r.Number)
		return
	}
	v, rest, err := leading(resp, indicators.ParseResponse)
	if err != nil {
		m.fail(row, cells["response"], "response", fmt.Errorf("recommendation %s: %w", r.Number, err))
		return
	}
	r.Response = v
	if r.Reason == "" {
		r.Reason = rest
	}
}

func (m *matrixReader) readAction(row int, r *indicators.Recommendation) indicators.KeyAction {
	cells := map[string]Cell{}
	for _, f := range []string{"action_number", "action", "deadline", "responsible", "comments", "status", "links"} {
		cells[f] = m.get(row, f)
	}
	a := indicators.KeyAction{Loc: indicators.Loc{File: m.sh.File, Sheet: m.sh.Name, Row: row, Cells: map[string]string{
		"number": cells["action_number"].Ref, "text": cells["action"].Ref, "deadline": cells["deadline"].Ref,
		"responsible": cells["responsible"].Ref, "status": cells["status"].Ref, "comments": cells["comments"].Ref,
		"links": cells["links"].Ref,
	}}}
	a.Number = strings.TrimSuffix(cellText(cells["action_number"]), ".")
	if a.Number == "" {
		a.Number = fmt.Sprintf("%s.%d", r.Number, len(r.Actions)+1)
	}
	a.Text = cellText(cells["action"])
	if a.Text == "" {
		m.failf(row, cells["action"], "action", indicators.ErrRequired,
			"key action %s has no text, expected what management will do", a.Number)
	}
	a.Responsible = cellText(cells["responsible"])
	if c := cells["deadline"]; !c.Empty() {
		if c.Kind == CellDate {
			d, err := c.Date(m.sh.Date1904)
			if err != nil {
				m.fail(row, c, "deadline", fmt.Errorf("key action %s: %w", a.Number, err))
			} else {
				a.Deadline = indicators.Deadline{Kind: indicators.DeadlineDate, By: indicators.Day(d)}
			}
		} else {
			d, err := indicators.ParseDeadline(c.Text())
			if err != nil {
				m.fail(row, c, "deadline", fmt.Errorf("key action %s: %w", a.Number, err))
			}
			a.Deadline = d
		}
	}
	if c := cells["status"]; !c.Empty() {
		st, _, err := leading(c.Text(), indicators.ParseActionStatus)
		if err != nil {
			m.fail(row, c, "status", fmt.Errorf("key action %s: %w", a.Number, err))
		}
		a.Status = st
	}
	if c := cells["comments"]; !c.Empty() {
		for _, e := range indicators.SplitComments(c.Raw) {
			e.Source = m.sh.File
			e.Loc = indicators.Loc{File: m.sh.File, Sheet: m.sh.Name, Row: row, Cells: map[string]string{"comments": c.Ref}}
			a.Log = append(a.Log, e)
		}
	}
	if c := cells["links"]; !c.Empty() {
		codes, err := indicators.ExpandCodes(c.Text())
		if err != nil {
			m.fail(row, c, "links", fmt.Errorf("key action %s: %w", a.Number, err))
		}
		a.Links = codes
	}
	a.AddMatrixStatus(m.ev.Date)
	return a
}
