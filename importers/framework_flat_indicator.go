package importers

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// indicator builds one indicator and its milestones.
func (ff *flatFile) indicator(in *flatIndicator, proj *indicators.Project) (indicators.Indicator, []indicators.Milestone, indicators.Problems) {
	sh := ff.sh
	fi := &flatIndReader{ff: ff, in: in}
	titleRef := in.title.Ref
	if titleRef == "" {
		titleRef = sh.Cell(in.row, firstCol(ff.h, "ind_title", "ind_ref")).Ref
	}
	fi.codeRef = titleRef
	if c, ok := ff.h.Cols["ind_ref"]; ok && in.ref != "" {
		fi.codeRef = sh.Cell(in.row, c).Ref
	}
	ind := indicators.Indicator{Code: in.code, Result: in.res.code, Name: strings.TrimSpace(in.title.Raw), Definition: in.desc,
		Loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: in.row, Cells: map[string]string{"code": fi.codeRef, "name": titleRef, "result": titleRef}}}
	if ind.Name == "" {
		ind.Name = in.ref
	}
	fi.unitDirection(&ind)
	if in.baseline.Ref != "" {
		ind.Loc.Cells["baseline"] = in.baseline.Ref
		ind.Baseline, ind.BaselineText, _ = fi.num(in.baseline, "baseline", "baseline")
	}
	fi.baselineDate(&ind)
	ms := fi.milestones(&ind)
	for _, p := range in.periods {
		for d := range p.actDims {
			if !containsString(ind.Disaggregations, d) {
				ind.Disaggregations = append(ind.Disaggregations, d)
			}
		}
		if !p.actual.Empty() && !NotAvailable(p.actual) {
			fi.num(p.actual, "actual", "actual")
		}
	}
	sort.Strings(ind.Disaggregations)
	// A milestone due at the project's end is the target itself.
	if !proj.End.IsZero() {
		kept := ms[:0]
		for _, m := range ms {
			if len(m.Dims) == 0 && !m.Period.End.Before(proj.End) && ind.Target != nil && *ind.Target == m.Target {
				continue
			}
			kept = append(kept, m)
		}
		ms = kept
	}
	return ind, ms, fi.probs
}

// flatIndReader reads one indicator of a flat IATI results file.
type flatIndReader struct {
	ff      *flatFile
	in      *flatIndicator
	codeRef string
	unit    indicators.Unit
	probs   indicators.Problems
}

func (fi *flatIndReader) errAt(c Cell, field string, sentinel error, format string, args ...any) {
	sh := fi.ff.sh
	fi.probs = append(fi.probs, &indicators.CellError{File: sh.File, Sheet: sh.Name, Row: rowOf(c.Ref), Cell: c.Ref, Field: field,
		Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)})
}

// unitDirection reads the indicator's measure (its unit) and ascending
// flag (its direction).
func (fi *flatIndReader) unitDirection(ind *indicators.Indicator) {
	in := fi.in
	unit, ok := flatUnit(in.measure)
	if !ok {
		fi.errAt(in.measure, "unit", indicators.ErrInvalid, "indicator measure %s, expected 1 (unit), 2 (percentage), 3 (nominal), 4 (ordinal) or 5 (qualitative)", shown(in.measure))
		unit = indicators.Number
	}
	if in.measure.Ref != "" {
		ind.Loc.Cells["unit"] = in.measure.Ref
	}
	ind.Unit, fi.unit = unit, unit
	if unit != indicators.Text {
		ind.Aggregation = indicators.Last
	}
	if !in.ascending.Empty() {
		ind.Loc.Cells["direction"] = in.ascending.Ref
		if v, err := ParseYesNo(in.ascending.Raw); err != nil {
			fi.errAt(in.ascending, "direction", indicators.ErrInvalid, "ascending %s, expected Y (the indicator should go up) or N (down), or 1/0, true/false", shown(in.ascending))
		} else if v == 0 {
			ind.Direction = indicators.Decrease
		}
	}
}

// num reads figure c (field, named what in messages) in the indicator's
// unit: a number, or the text of a text indicator; ok is false after a
// problem.
func (fi *flatIndReader) num(c Cell, field, what string) (*float64, string, bool) {
	sh, unit := fi.ff.sh, fi.unit
	if c.Kind == CellUncomputed {
		fi.probs = append(fi.probs, &indicators.CellError{File: sh.File, Sheet: sh.Name, Row: rowOf(c.Ref), Cell: c.Ref, Field: field, Err: c.UncomputedError()})
		return nil, "", false
	}
	f := readFigure(c)
	if f.empty {
		return nil, "", true
	}
	if unit == indicators.Text {
		return nil, strings.TrimSpace(c.Raw), true
	}
	if !f.number || f.words != "" {
		dash := ""
		if IsDash(c.Text()) {
			dash = "; " + DashHelp
		}
		fi.errAt(c, field, indicators.ErrInvalid, "%s %s of indicator %s is not a number, expected a number for a %s indicator (such as 1250, 1,250 or 12.5)%s", what, shown(c), fi.in.code, unit, dash)
		return nil, "", false
	}
	v := f.v
	if unit != indicators.Percent && f.percent {
		v = Round15(v / 100)
	}
	return &v, "", true
}

// baselineDate reads the baseline year: a date, a year or a period.
func (fi *flatIndReader) baselineDate(ind *indicators.Indicator) {
	in, sh := fi.in, fi.ff.sh
	if in.blYear.Empty() {
		return
	}
	ind.Loc.Cells["baseline_date"] = in.blYear.Ref
	if d, err := in.blYear.Date(sh.Date1904); err == nil && in.blYear.Kind != CellNumber {
		ind.BaselineDate = &d
	} else if y, err := strconv.Atoi(in.blYear.Text()); err == nil && y >= 1900 && y <= 2200 {
		d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		ind.BaselineDate = &d
	} else if p, ok := periodText(in.blYear.Raw); ok {
		d := p.Start
		ind.BaselineDate = &d
	} else {
		fi.errAt(in.blYear, "baseline_date", indicators.ErrInvalid, "baseline year %s, expected a year such as 2017 or a date", shown(in.blYear))
	}
}

// milestones reads the targets: a milestone per period (and dims); the
// end-of-project target is the target of the last period (the total).
func (fi *flatIndReader) milestones(ind *indicators.Indicator) []indicators.Milestone {
	in, sh := fi.in, fi.ff.sh
	var ms []indicators.Milestone
	seen := map[string]string{}
	var lastEnd time.Time
	for _, p := range in.periods {
		if p.target.Empty() || NotAvailable(p.target) || p.period.IsZero() {
			if !p.target.Empty() && !NotAvailable(p.target) {
				fi.num(p.target, "target", "target") // still report a bad number
			}
			continue
		}
		v, txt, ok := fi.num(p.target, "target", "target")
		if !ok {
			continue
		}
		k := p.period.String() + " " + p.dims.String()
		if prev, dup := seen[k]; dup {
			fi.errAt(p.target, "target", indicators.ErrDuplicate, "a second target of indicator %s for %s (the first is in %s), expected one target per period", in.code, strings.TrimSpace(p.period.String()+" "+p.dims.String()), prev)
			continue
		}
		seen[k] = p.target.Ref
		m := indicators.Milestone{Indicator: in.code, Period: p.period, Dims: p.dims, TargetText: txt,
			Loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: p.row, Cells: map[string]string{"target": p.target.Ref, "period": p.start.Ref, "indicator": fi.codeRef}}}
		if v != nil {
			m.Target = *v
		}
		ms = append(ms, m)
		if len(p.dims) == 0 && !p.period.End.Before(lastEnd) {
			lastEnd = p.period.End
			ind.Target, ind.TargetText = v, txt
			ind.Loc.Cells["target"] = p.target.Ref
		}
		for d := range p.dims {
			if !containsString(ind.Disaggregations, d) {
				ind.Disaggregations = append(ind.Disaggregations, d)
			}
		}
	}
	return ms
}

// flatFigures reads the actuals of flat results rows in sh as figures of
// fw: the indicators are found by the codes the framework import gives
// them (the reference, or result and number). The rows of other
// activities than the project's are left out.
func flatFigures(sh *Sheet, fw *indicators.Framework) ([]indicators.Measurement, indicators.Problems) {
	activity := ""
	h, _ := flatHeader(sh)
	ff0 := &flatFile{sh: sh, h: h}
	if probs := ff0.requiredColumns("actual"); len(probs) > 0 {
		return nil, probs
	}
	if h.Has("activity") {
		ffAll := readFlatFile(sh, "")
		for _, a := range ffAll.activities {
			if a == fw.Project.IATIIdentifier || a == fw.Project.Code {
				activity = a
			}
		}
		if activity == "" && len(ffAll.activities) > 0 {
			return nil, indicators.Problems{&indicators.CellError{File: sh.File, Sheet: sh.Name, Field: "activity", Err: fmt.Errorf(
				"%w: the file's activities (%s) are not the project's (code %s, IATI identifier %s), expected the rows of the project's activity",
				indicators.ErrUnknownCode, strings.Join(ffAll.activities, ", "), fw.Project.Code, orNone(fw.Project.IATIIdentifier))}}
		}
	}
	ff := readFlatFile(sh, activity)
	probs := ff.probs
	ff.assignCodes()
	var out []indicators.Measurement
	errAt := func(c Cell, field string, sentinel error, format string, args ...any) {
		probs = append(probs, &indicators.CellError{File: sh.File, Sheet: sh.Name, Row: rowOf(c.Ref), Cell: c.Ref, Field: field,
			Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)})
	}
	proj := fw.Project.Period()
	for _, res := range ff.results {
		for _, in := range res.indicators {
			code := in.code
			ind, ok := fw.Indicator(code)
			for _, p := range in.periods {
				if p.actual.Empty() || NotAvailable(p.actual) || p.period.IsZero() {
					continue
				}
				if !ok {
					errAt(p.actual, "indicator", indicators.ErrUnknownCode, "indicator %s (%s) is not in the framework, expected an indicator of the project: import the framework from this file first with rmf framework import %s",
						code, indicatorName(in), sh.File)
					continue
				}
				if !fw.Project.Start.IsZero() && !proj.Contains(p.period) {
					errAt(p.start, "start", indicators.ErrOutOfRange, "period %s lies outside the project, expected a period within %s", p.period, proj)
					continue
				}
				m := indicators.Measurement{Indicator: code, Period: p.period, Dims: p.actDims, Comment: p.aComment,
					Loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: p.row, Cells: map[string]string{"value": p.actual.Ref, "indicator": ind.Loc.Cell("code")}}}
				if len(p.actDims) > 0 {
					d, err := fw.CheckDisagg(ind, p.actDims)
					if err != nil {
						errAt(p.actual, "disaggregation", indicators.ErrDimension, "actual %s of indicator %s: %v", shown(p.actual), code, err)
						continue
					}
					m.Dims = d
				}
				if ind.Unit == indicators.Text {
					m.Text = strings.TrimSpace(p.actual.Raw)
					out = append(out, m)
					continue
				}
				f := readFigure(p.actual)
				if !f.number || f.words != "" {
					errAt(p.actual, "actual", indicators.ErrInvalid, "actual %s of indicator %s is not a number, expected a number for a %s indicator (such as 1250, 1,250 or 12.5)", shown(p.actual), code, ind.Unit)
					continue
				}
				v := f.v
				if ind.Unit == indicators.YesNo && !f.yesno && v != 0 && v != 1 {
					errAt(p.actual, "actual", indicators.ErrInvalid, "actual %s of indicator %s, expected yes or no (1 or 0)", shown(p.actual), code)
					continue
				}
				if ind.Unit != indicators.Percent && f.percent {
					v = Round15(v / 100)
				}
				m.Value = &v
				out = append(out, m)
			}
		}
	}
	return out, probs
}
