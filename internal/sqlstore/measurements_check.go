package sqlstore

// The checks of an import: each figure as Add stages it, the file's
// indicators and its figures given twice.

import (
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// rejects are the rows an import's Add refused: the first maxListed of
// them, and how many there were.
type rejects struct {
	listed indicators.Problems
	n      int
}

func (r *rejects) add(err error) {
	r.n++
	if len(r.listed) < maxListed {
		r.listed = append(r.listed, err)
	}
}

// problems lists the refused rows (nil when none), the last entry saying
// how many more invalid what of file there are.
func (r *rejects) problems(file, what string) indicators.Problems {
	if len(r.listed) == 0 {
		return nil
	}
	p := append(indicators.Problems{}, r.listed...)
	if more := r.n - len(r.listed); more > 0 {
		p = append(p, fmt.Errorf("%w: %s: and %d more invalid %s", indicators.ErrInvalid, file, more, what))
	}
	return p
}

// where names a figure's place for messages: "sheet Q1, row 17".
func where(l indicators.Loc) string {
	var parts []string
	if l.File != "" {
		parts = append(parts, l.File)
	}
	if l.Sheet != "" {
		parts = append(parts, "sheet "+l.Sheet)
	}
	if l.Row > 0 {
		parts = append(parts, "row "+strconv.Itoa(l.Row))
	}
	if len(parts) == 0 {
		return "figure"
	}
	return strings.Join(parts, ", ")
}

func checkFigure(m *indicators.Measurement) error {
	l := m.Loc
	if strings.TrimSpace(m.Indicator) == "" {
		return l.Errorf("indicator", indicators.ErrRequired, "figure without an indicator code")
	}
	if !m.Period.Valid() {
		return l.Errorf("period", indicators.ErrInvalid, "indicator %s: period %q (%s to %s) is not a valid period",
			m.Indicator, m.Period.String(), m.Period.Start.Format(time.DateOnly), m.Period.End.Format(time.DateOnly))
	}
	if err := checkDims(m.Dims); err != nil {
		return l.Errorf("disaggregation", err, "indicator %s", m.Indicator)
	}
	if m.Value == nil && m.Text == "" && m.Numerator == nil && m.Denominator == nil {
		return l.Errorf("value", indicators.ErrRequired, "indicator %s, %s: no value, text, numerator or denominator", m.Indicator, m.Period)
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"value", m.Value}, {"numerator", m.Numerator}, {"denominator", m.Denominator}} {
		if f.v != nil && (math.IsNaN(*f.v) || math.IsInf(*f.v, 0)) {
			return l.Errorf(f.name, indicators.ErrInvalid, "indicator %s, %s: %s is %v, expected a finite number", m.Indicator, m.Period, f.name, *f.v)
		}
		if f.v != nil && indicators.CheckValue(*f.v) != nil {
			return l.Errorf(f.name, indicators.ErrOutOfRange, "indicator %s, %s: %s is %s, expected a number of at most 1e15 in size", m.Indicator, m.Period, f.name, indicators.FormatValueShort(*f.v))
		}
	}
	switch m.Verified {
	case indicators.VerifiedUnknown, indicators.VerifiedYes, indicators.VerifiedNo, indicators.Unverifiable:
	default:
		return l.Errorf("verified", indicators.ErrInvalid, "indicator %s, %s: verified %q, expected yes, no, unverifiable or empty", m.Indicator, m.Period, m.Verified)
	}
	return nil
}

// checkIndicators refuses figures of indicators that are not in the
// framework, naming each row.
func (im *Import) checkIndicators() error {
	var p indicators.Problems
	n := 0
	err := each(im.ctx, im.tx, `SELECT s.indicator, s.file, s.sheet, s.row FROM staged s
		WHERE s.indicator IN (SELECT indicator FROM staged EXCEPT SELECT code FROM indicators) ORDER BY s.seq`, func(r *sql.Rows) error {
		var code string
		var l indicators.Loc
		if err := r.Scan(&code, &l.File, &l.Sheet, &l.Row); err != nil {
			return err
		}
		if n++; n <= maxListed {
			p = append(p, l.Errorf("indicator", indicators.ErrUnknownCode, "%q is not an indicator of the framework", code))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import %s: check indicators: %w", im.batch.File, err)
	}
	if n > maxListed {
		p = append(p, fmt.Errorf("%w: %s: and %d more figures of unknown indicators", indicators.ErrUnknownCode, im.batch.File, n-maxListed))
	}
	return p.Err()
}

// checkDuplicates finds figures given more than once in the file. Each
// repeat is compared with the first: a different content is a problem
// naming both rows; an identical repeat is dropped (the first is kept).
// dropped is the number of repeats dropped.
func (im *Import) checkDuplicates() (dropped int, err error) {
	ctx, tx := im.ctx, im.tx
	const groups = `WITH g AS (
		SELECT indicator, period, dims, min(seq) AS first FROM staged
		GROUP BY indicator, period, dims HAVING count(*) > 1)`
	var dups int
	if err := tx.QueryRowContext(ctx, groups+` SELECT count(*) FROM g`).Scan(&dups); err != nil {
		return 0, fmt.Errorf("import %s: find repeated figures: %w", im.batch.File, err)
	}
	if dups == 0 {
		return 0, nil
	}
	cols := func(t string) string {
		return strings.NewReplacer("T.", t+".").Replace(`T.indicator, T.period, T.dims, T.value, T.text, T.numerator,
			T.denominator, T.comment, T.source, T.verified, T.file, T.sheet, T.row, T.cell`)
	}
	var p indicators.Problems
	n := 0
	err = each(ctx, tx, groups+` SELECT `+cols("a")+`, `+cols("b")+` FROM g
		JOIN staged a ON a.seq = g.first
		JOIN staged b ON b.indicator = g.indicator AND b.period = g.period AND b.dims = g.dims AND b.seq > g.first
		WHERE NOT `+sameFigure("a", "b")+` ORDER BY b.seq`, func(r *sql.Rows) error {
		var a, b rawFigure
		if err := r.Scan(append(a.dest(), b.dest()...)...); err != nil {
			return err
		}
		if n++; n <= maxListed {
			p = append(p, conflict(&a, &b))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("import %s: compare repeated figures: %w", im.batch.File, err)
	}
	if n > maxListed {
		p = append(p, fmt.Errorf("%w: %s: and %d more figures given twice with different values", indicators.ErrDuplicate, im.batch.File, n-maxListed))
	}
	if len(p) > 0 {
		return 0, p
	}
	res, err := tx.ExecContext(ctx, groups+` DELETE FROM staged WHERE seq IN (
		SELECT s.seq FROM g JOIN staged s ON s.indicator = g.indicator AND s.period = g.period AND s.dims = g.dims AND s.seq > g.first)`)
	if err != nil {
		return 0, fmt.Errorf("import %s: drop repeated figures: %w", im.batch.File, err)
	}
	deleted, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("import %s: drop repeated figures: %w", im.batch.File, err)
	}
	return int(deleted), nil
}

// rawFigure is a staged figure as stored, for comparing repeats.
type rawFigure struct {
	code, period, dims              string
	value, num, den                 sql.NullFloat64
	text, comment, source, verified string
	file, sheet                     string
	row                             int
	cell                            string // the value cell, "" when the importer did not say
}

func (f *rawFigure) dest() []any {
	return []any{&f.code, &f.period, &f.dims, &f.value, &f.text, &f.num, &f.den, &f.comment, &f.source, &f.verified, &f.file, &f.sheet, &f.row, &f.cell}
}

func showFloat(n sql.NullFloat64) string {
	if !n.Valid {
		return "empty"
	}
	return strconv.FormatFloat(n.Float64, 'g', -1, 64)
}

// conflict describes b, a repeat of a with other content, as a problem at
// b's row naming a's row and what differs.
func conflict(a, b *rawFigure) error {
	var diffs []string
	field := ""
	add := func(name, x, y string) {
		if x == y {
			return
		}
		if field == "" {
			field = name
		}
		diffs = append(diffs, fmt.Sprintf("%s %s there, %s here", name, x, y))
	}
	add("value", showFloat(a.value), showFloat(b.value))
	add("text", strconv.Quote(a.text), strconv.Quote(b.text))
	add("numerator", showFloat(a.num), showFloat(b.num))
	add("denominator", showFloat(a.den), showFloat(b.den))
	add("comment", strconv.Quote(a.comment), strconv.Quote(b.comment))
	add("source", strconv.Quote(a.source), strconv.Quote(b.source))
	add("verified", strconv.Quote(a.verified), strconv.Quote(b.verified))
	first := fmt.Sprintf("row %d", a.row)
	if a.cell != "" {
		first = "cell " + a.cell
	}
	if a.sheet != b.sheet {
		first = fmt.Sprintf("sheet %s, %s", a.sheet, first)
	}
	if a.file != b.file {
		first = fmt.Sprintf("%s, %s", a.file, first)
	}
	dims := "total"
	if a.dims != "" {
		dims = a.dims
	}
	where := "at " + first
	if a.row == b.row && a.sheet == b.sheet && a.file == b.file {
		where = "in another column of the same row (two columns for the same period)"
		if a.cell != "" {
			where = "in cell " + a.cell + " of the same row (two columns for the same period)"
		}
	}
	l := indicators.Loc{File: b.file, Sheet: b.sheet, Row: b.row}
	if b.cell != "" && (field == "value" || field == "text") {
		l.Cells = map[string]string{field: b.cell} // the staged cell is the value cell
	}
	return l.Errorf(field, indicators.ErrDuplicate, "indicator %s, period %s, %s is also given %s with other content (%s); expected one figure, or identical repeats",
		a.code, a.period, dims, where, strings.Join(diffs, "; "))
}
