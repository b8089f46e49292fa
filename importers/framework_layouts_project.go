package importers

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// projectKeyCells finds key cells of the project in a sheet ("PROGRAMME
// TITLE:" beside its value, or "Project code: GB-1-2045" in one cell).
var layoutProjectKeys = map[string]string{
	"programmetitle": "title", "projecttitle": "title", "programmename": "title", "projectname": "title", "title": "title", "activityname": "title",
	"programmecode": "code", "projectcode": "code", "projectnumber": "code", "programmenumber": "code", "projectid": "code",
	"programmeid": "code", "code": "code", "iatiidentifier": "code", "awardnumber": "code", "componentcode": "code",
	"startdate": "start", "projectstart": "start", "programmestart": "start", "projectstartdate": "start", "programmestartdate": "start", "start": "start",
	"enddate": "end", "projectend": "end", "programmeend": "end", "projectenddate": "end", "programmeenddate": "end", "end": "end",
}

// sheetProject reads the project keys written in the cells of sh: the
// value is the next non-empty cell to the right, or the text after a colon
// in the key's own cell. Only the first maxRows rows are searched.
func sheetProject(sh *Sheet, maxRows int) map[string]Cell {
	out := map[string]Cell{}
	for i, row := range sh.Rows {
		if i >= maxRows {
			break
		}
		for j, c := range row {
			if c.Kind != CellText {
				continue
			}
			t := strings.TrimSpace(c.Raw)
			k, rest, colon := strings.Cut(t, ":")
			field, ok := layoutProjectKeys[key(k)]
			if !ok || (!colon && len(key(k)) < 5) { // "code" alone is a heading, not a key
				continue
			}
			if _, dup := out[field]; dup {
				continue
			}
			if strings.TrimSpace(rest) != "" {
				v := c
				v.Raw = strings.TrimSpace(rest)
				out[field] = v
				continue
			}
			for jj := j + 1; jj < len(row) && jj <= j+3; jj++ {
				if !row[jj].Empty() {
					if !placeholder(row[jj].Raw) {
						out[field] = row[jj]
					}
					break
				}
			}
		}
	}
	return out
}

// projectFrom fills the project from the file's cells (found) and the
// options (which win), and lists a problem for each of code, title, start
// and end that neither gives, naming the flag and the place in the file.
func projectFrom(p *indicators.Project, file string, found map[string]Cell, date1904 bool, opt FrameworkOptions, hint map[string]string, sheet string, projSheet *Sheet) indicators.Problems {
	var probs indicators.Problems
	loc := indicators.Loc{File: file, Sheet: sheet, Cells: map[string]string{}}
	if projSheet != nil {
		// A Project sheet added to the workbook, read as in rmf's own
		// workbook (every key of SPEC 2); the layout's cells and the
		// options fill what it lacks.
		b := &builder{fw: &indicators.Framework{}, date1904: projSheet.Date1904}
		b.buildProject(projectRecord(projSheet))
		*p = b.fw.Project
		probs = append(probs, b.probs...)
		loc = p.Loc
		if loc.Cells == nil {
			loc.Cells = map[string]string{}
		}
	}
	// A value from a cell of the layout's sheet is named in loc, unless
	// loc is the Project sheet's.
	cellOf := func(field string, c Cell) {
		if projSheet == nil {
			loc.Cells[field] = c.Ref
		}
	}
	text := func(field, flag string) string {
		if flag != "" {
			return strings.TrimSpace(flag)
		}
		if cur := map[string]string{"code": p.Code, "title": p.Title}[field]; cur != "" {
			return cur
		}
		if c, ok := found[field]; ok {
			cellOf(field, c)
			return strings.TrimSpace(c.Raw)
		}
		return ""
	}
	p.Code = text("code", opt.Code)
	p.Title = text("title", opt.Title)
	date := func(field, flag string, end bool) time.Time {
		if flag != "" {
			d, err := flagDate(flag, end)
			if err != nil {
				probs = append(probs, &indicators.CellError{File: file, Field: field, Err: fmt.Errorf("%w: --%s %q is not a date, expected a date such as 2021-07-01 or a year such as 2021", indicators.ErrInvalid, field, flag)})
			}
			return d
		}
		if cur := map[string]time.Time{"start": p.Start, "end": p.End}[field]; !cur.IsZero() {
			return cur
		}
		c, ok := found[field]
		if !ok {
			return time.Time{}
		}
		cellOf(field, c)
		d, err := c.Date(date1904)
		if err == nil {
			return d
		}
		if d, err := flagDate(c.Text(), end); err == nil {
			return d
		}
		probs = append(probs, &indicators.CellError{File: file, Sheet: sheet, Cell: c.Ref, Field: field, Err: fmt.Errorf(
			"%w: project %s %s is not a date, expected a date such as 2021-07-01 or 01/07/2021", indicators.ErrInvalid, field, shown(c))})
		return time.Time{}
	}
	p.Start = date("start", opt.Start, false)
	p.End = date("end", opt.End, true)
	p.Loc = loc
	for _, f := range []struct {
		field, flag string
		missing     bool
	}{
		{"code", opt.Words.Say(OptCode, "CODE"), p.Code == ""},
		{"title", opt.Words.Say(OptTitle, "TEXT"), p.Title == ""},
		{"start", opt.Words.Say(OptStart, "DATE"), p.Start.IsZero() && !hasProblem(probs, "start")},
		{"end", opt.Words.Say(OptEnd, "DATE"), p.End.IsZero() && !hasProblem(probs, "end")},
	} {
		if !f.missing {
			continue
		}
		msg := fmt.Sprintf("the file gives no project %s; give it with %s", f.field, f.flag)
		if h := hint[f.field]; h != "" {
			msg += " (" + h + ")"
		}
		if sheet != "" {
			msg += fmt.Sprintf(" or in a sheet Project, row %s", f.field)
		}
		probs = append(probs, &indicators.CellError{File: file, Field: f.field, Err: fmt.Errorf("%w: %s", indicators.ErrRequired, msg)})
	}
	if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
		probs = append(probs, &indicators.CellError{File: file, Field: "end", Err: fmt.Errorf("%w: the project ends (%s) before it starts (%s), expected an end on or after the start",
			indicators.ErrInvalid, p.End.Format(time.DateOnly), p.Start.Format(time.DateOnly))})
	}
	return probs
}

func hasProblem(ps indicators.Problems, field string) bool {
	for _, p := range ps {
		var ce *indicators.CellError
		if errors.As(p, &ce) && ce.Field == field {
			return true
		}
	}
	return false
}

// flagDate reads a date given on the command line: a date, or a period
// taken as its first day (end: its last day).
func flagDate(s string, end bool) (time.Time, error) {
	if d, err := ParseDate(s); err == nil {
		return d, nil
	}
	p, err := indicators.ParsePeriod(s)
	if err != nil {
		return time.Time{}, err
	}
	if end {
		return p.End, nil
	}
	return p.Start, nil
}
