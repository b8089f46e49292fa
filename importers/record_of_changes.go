package importers

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// recordOfChangesFields are the columns of a RECORD OF CHANGES sheet (the
// DFID logframe's: date, version, level, reason for change, approved by),
// with an optional reason code (indicators.ReasonCodes).
var recordOfChangesFields = []Field{
	{Name: "date", Headings: []string{"date of change", "change date", "revision date"}, Required: true},
	{Name: "version", Headings: []string{"logframe version", "version number", "revision"}},
	{Name: "level", Headings: []string{"level of change", "what changed", "result level", "changed"}},
	{Name: "reason", Headings: []string{"reason for change", "reasons for change", "reason(s) for change", "reasons", "justification", "rationale"}, Required: true},
	{Name: "reason code", Headings: []string{"reason type", "type of change", "category", "reason category"}},
	{Name: "approved by", Headings: []string{"approved", "approver", "authorised by", "authorized by", "approved by (name)"}},
}

// ReadRecordOfChanges reads the RECORD OF CHANGES sheet of the framework
// workbook at path: one record per non-empty row. A workbook without that
// sheet, and a file that is not a workbook, give none. A row without a
// date or a reason, an unreadable date or an unknown reason code is a
// problem naming the cell; any problem rejects the whole sheet.
func ReadRecordOfChanges(path string) ([]indicators.ChangeRecord, error) {
	ext := strings.ToLower(path[strings.LastIndex(path, ".")+1:])
	if ext != "xlsx" && ext != "xlsm" {
		return nil, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, &indicators.CellError{File: path, Err: err}
	}
	defer fh.Close()
	return readRecordOfChanges(fh, path)
}

// readRecordOfChanges is ReadRecordOfChanges of the workbook r (named
// path in messages).
func readRecordOfChanges(r io.Reader, path string) ([]indicators.ChangeRecord, error) {
	f, err := readWorkbook(r, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	name, ok := FindSheet(f, "Record of changes", "Record of change", "Changes", "Revisions", "Change log", "Revision history")
	if !ok {
		return nil, nil
	}
	sh, err := ReadSheet(f, path, name)
	if err != nil {
		return nil, &indicators.CellError{File: path, Sheet: name, Err: fmt.Errorf("%w: %v", indicators.ErrInvalid, err)}
	}
	h, errs := FindHeader(sh, recordOfChangesFields)
	if len(errs) > 0 {
		return nil, indicators.Problems(errs)
	}
	var out []indicators.ChangeRecord
	var probs indicators.Problems
	for row := h.Row + 1; row <= len(sh.Rows); row++ {
		if sh.RowEmpty(row) {
			continue
		}
		text := func(field string) string {
			c, _ := h.Get(sh, row, field)
			return strings.TrimSpace(c.Raw)
		}
		r := indicators.ChangeRecord{Version: text("version"), Level: text("level"), Reason: text("reason"),
			ApprovedBy: text("approved by"), Loc: indicators.Loc{File: path, Sheet: sh.Name, Row: row}}
		dc, _ := h.Get(sh, row, "date")
		switch {
		case dc.Empty():
			probs = append(probs, sh.Errorf(row, dc.Ref, "date", indicators.ErrRequired, "a change without a date: expected the day the change was made (YYYY-MM-DD)"))
		default:
			d, err := dc.Date(sh.Date1904)
			if err != nil {
				probs = append(probs, sh.Errorf(row, dc.Ref, "date", indicators.ErrInvalid, "date %q: expected a date such as 2021-11-15", dc.Text()))
			}
			r.Date = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		}
		if r.Reason == "" {
			rc, _ := h.Get(sh, row, "reason")
			probs = append(probs, sh.Errorf(row, rc.Ref, "reason", indicators.ErrRequired,
				"a change without a reason: say why the logframe changed (reason codes: %s)", strings.Join(indicators.ReasonCodes, ", ")))
		}
		if code := text("reason code"); code != "" {
			c, err := indicators.ParseReasonCode(code)
			if err != nil {
				cc, _ := h.Get(sh, row, "reason code")
				probs = append(probs, sh.Errorf(row, cc.Ref, "reason code", indicators.ErrInvalid, "reason code %q, expected one of: %s", code, strings.Join(indicators.ReasonCodes, ", ")))
			}
			r.ReasonCode = c
		}
		out = append(out, r)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return out, nil
}
