package sqlstore

// The scanners of stored figures and what they share (periodCache): each
// period, disaggregation and text read once per query.

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rmf-project/rmf/indicators"
)

// scanRevision scans a row of figureSelect followed by m.revision,
// m.batch_id and the import's imported_at (then extra) into rev, with the
// time of its import.
func (c *periodCache) scanRevision(r *sql.Rows, rev *indicators.Revision, extra ...any) error {
	var at string
	if err := c.scanFigure(r, &rev.Measurement, append([]any{&rev.Revision, &rev.BatchID, &at}, extra...)...); err != nil {
		return err
	}
	var err error
	rev.Imported, err = parseImported(rev.BatchID, at)
	return err
}

// parseImported reads back the time import id was recorded at.
func parseImported(id int64, at string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return t, fmt.Errorf("%w: import %d: stored time %q, expected RFC 3339", indicators.ErrInvalid, id, at)
	}
	return t, nil
}

// periodCache parses each stored period text and disaggregation key once
// per query. Figures with the same disaggregation share one Disagg map
// (figures are read-only once loaded): a large project's million figures
// then hold a few hundred maps, not a million. Likewise the repeated
// strings of the figures (codes, comments, sources, files, sheets) are
// shared, and their numbers are stored in slabs rather than one small
// allocation each: a loaded figure then costs little more than its own
// struct, and the garbage collector has far fewer objects to trace.
type periodCache struct {
	periods map[string]indicators.Period
	dims    map[string]indicators.Disagg
	strs    map[string]string
	floats  []float64
	slab    int // size of the next slab of floats
	// unchecked are period texts scanOne parsed that check has not yet
	// compared with their stored kind and dates.
	unchecked []string
	one       oneRow   // scanOne's destinations, allocated once per query
	plain     plainRow // scanPlain's
}

// oneRow holds the columns of figureSelectOne as scanned, and what the
// packed texts seen so far unpack to.
type oneRow struct {
	where, meta     string
	value, num, den sql.NullFloat64
	row             int64
	dest            []any
	extra           []any // more columns after figureSelectOne's (set before the first scan)
	wheres          map[string]whereCols
	metas           map[string]metaCols
}

// whereCols are a figure's period and disaggregation.
type whereCols struct {
	period indicators.Period
	dims   indicators.Disagg
}

// metaCols are a figure's texts.
type metaCols struct {
	text, comment, source, file, sheet string
	verified                           indicators.Verified
}

// metaOf is a figure's six texts as stored (text, comment, source,
// verified, file, sheet), shared through c.
func (c *periodCache) metaOf(cols [6]string) metaCols {
	return metaCols{text: c.intern(cols[0]), comment: c.intern(cols[1]), source: c.intern(cols[2]),
		verified: indicators.Verified(c.intern(cols[3])), file: c.intern(cols[4]), sheet: c.intern(cols[5])}
}

// maxInterned bounds the distinct strings a query shares: past it (a
// file of free-text comments, all different) strings are kept as read.
const maxInterned = 1 << 16

// intern returns the shared copy of s.
func (c *periodCache) intern(s string) string {
	if s == "" {
		return ""
	}
	if t, ok := c.strs[s]; ok {
		return t
	}
	if c.strs == nil {
		c.strs = map[string]string{}
	}
	if len(c.strs) < maxInterned {
		c.strs[s] = s
	}
	return s
}

// float returns a pointer to n's value in the current slab, or nil.
func (c *periodCache) float(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	if len(c.floats) == cap(c.floats) {
		size := max(c.slab, 1024)
		c.floats = make([]float64, 0, size)
		c.slab = min(size*2, 1<<16)
	}
	c.floats = append(c.floats, n.Float64)
	return &c.floats[len(c.floats)-1]
}

// period reads a stored period back with indicators.ParsePeriod and checks
// it against the stored kind and dates.
func (c *periodCache) period(text string, kind int, start, end string) (indicators.Period, error) {
	if p, ok := c.periods[text]; ok {
		return p, nil
	}
	p, err := indicators.ParsePeriod(text)
	if err != nil {
		return p, fmt.Errorf("stored period: %w", err)
	}
	if int(p.Kind) != kind || date(p.Start) != start || date(p.End) != end {
		return p, fmt.Errorf("%w: stored period %q reads as %s %s..%s, but was stored as kind %d, %s..%s",
			indicators.ErrInvalid, text, p.Kind, date(p.Start), date(p.End), kind, start, end)
	}
	if c.periods == nil {
		c.periods = map[string]indicators.Period{}
	}
	c.periods[text] = p
	return p, nil
}

// disagg reads a stored disaggregation key, sharing the map of equal keys.
func (c *periodCache) disagg(key string) (indicators.Disagg, error) {
	if d, ok := c.dims[key]; ok {
		return d, nil
	}
	d, err := parseDims(key)
	if err != nil {
		return nil, err
	}
	if c.dims == nil {
		c.dims = map[string]indicators.Disagg{}
	}
	c.dims[key] = d
	return d, nil
}

// scanFigure scans the columns of figureSelect, followed by extra.
func (c *periodCache) scanFigure(r *sql.Rows, m *indicators.Measurement, extra ...any) error {
	var code, period, start, end, dims, text, comment, source, verified, file, sheet string
	var kind int
	var value, num, den sql.NullFloat64
	dest := []any{&code, &period, &kind, &start, &end, &dims, &value, &text, &num, &den,
		&comment, &source, &verified, &file, &sheet, &m.Loc.Row}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	m.Indicator = c.intern(code)
	var err error
	if m.Period, err = c.period(period, kind, start, end); err != nil {
		return fmt.Errorf("figure of %s: %w", m.Indicator, err)
	}
	if m.Dims, err = c.disagg(dims); err != nil {
		return fmt.Errorf("figure of %s %s: %w", m.Indicator, period, err)
	}
	m.Value, m.Numerator, m.Denominator = c.float(value), c.float(num), c.float(den)
	m.Text, m.Comment, m.Source = c.intern(text), c.intern(comment), c.intern(source)
	m.Verified = indicators.Verified(c.intern(verified))
	m.Loc.File, m.Loc.Sheet = c.intern(file), c.intern(sheet)
	return nil
}

// figureSelectOne reads the columns scanOne expects: those of figureSelect
// but the indicator (the query names it) and the period's kind and dates,
// with the text columns packed into two JSON arrays: the driver then makes
// two strings per figure instead of eight (it was most of the load), and
// the packed texts, repeated from figure to figure, are unpacked once each
// (jsonStrings).
//
// An engine that does not pack (Dialect.Pack gives "") reads the same
// columns one by one (scanPlain).
func (db *DB) figureSelectOne() string {
	if !db.packs() {
		return `m.period, m.dims, m.text, m.comment, m.source, m.verified, m.file, m.sheet,
	m.value, m.numerator, m.denominator, m.row`
	}
	return db.d.Pack("m.period", "m.dims") + `, ` + db.d.Pack("m.text", "m.comment", "m.source", "m.verified", "m.file", "m.sheet") + `,
	m.value, m.numerator, m.denominator, m.row`
}

// packs reports whether the dialect packs texts (Dialect.Pack).
func (db *DB) packs() bool { return db.d.Pack("x") != "" }

// jsonStrings unpacks a JSON array of len(out) strings as SQLite's
// json_array (or PostgreSQL's json_build_array, with ", ") writes it into out. Bytes other than escapes are kept as
// they are (a text that is not valid UTF-8 comes back unchanged).
func jsonStrings(s string, out []string) error {
	bad := func(what string) error {
		return fmt.Errorf("%w: packed columns %s: %s", indicators.ErrInvalid, strconv.Quote(s), what)
	}
	rest, ok := strings.CutPrefix(s, "[")
	if !ok {
		return bad("expected '['")
	}
	for i := range out {
		if i > 0 {
			if rest, ok = strings.CutPrefix(rest, ","); !ok {
				return bad("expected ','")
			}
			rest = strings.TrimPrefix(rest, " ") // PostgreSQL's json_build_array writes ", "
		}
		if rest, ok = strings.CutPrefix(rest, `"`); !ok {
			return bad("expected a string")
		}
		end := strings.IndexAny(rest, `"\`)
		if end < 0 {
			return bad("unterminated string")
		}
		if rest[end] == '"' { // no escapes: the common case
			out[i], rest = rest[:end], rest[end+1:]
			continue
		}
		var b strings.Builder
		for {
			end = strings.IndexAny(rest, `"\`)
			if end < 0 || rest[end] == '\\' && end+1 >= len(rest) {
				return bad("unterminated string")
			}
			b.WriteString(rest[:end])
			if rest[end] == '"' {
				rest = rest[end+1:]
				break
			}
			c := rest[end+1]
			rest = rest[end+2:]
			switch c {
			case '"', '\\', '/':
				b.WriteByte(c)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				if len(rest) < 4 {
					return bad("short \\u escape")
				}
				r, err := strconv.ParseUint(rest[:4], 16, 16)
				if err != nil {
					return bad("bad \\u escape")
				}
				rest = rest[4:]
				if utf16.IsSurrogate(rune(r)) && len(rest) >= 6 && rest[:2] == `\u` {
					if r2, err := strconv.ParseUint(rest[2:6], 16, 16); err == nil {
						if c := utf16.DecodeRune(rune(r), rune(r2)); c != utf8.RuneError {
							b.WriteRune(c)
							rest = rest[6:]
							continue
						}
					}
				}
				b.WriteRune(rune(r))
			default:
				return bad("unknown escape")
			}
		}
		out[i] = b.String()
	}
	if rest != "]" {
		return bad("expected ']' after " + strconv.Itoa(len(out)) + " strings")
	}
	return nil
}

// compareFigures orders one indicator's figures as figureOrder does: by
// period end, then start, then the period's text; equal periods keep
// their order (by disaggregation).
func compareFigures(a, b indicators.Measurement) int {
	if c := a.Period.Compare(b.Period); c != 0 || a.Period.Kind == b.Period.Kind {
		return c
	}
	return strings.Compare(a.Period.String(), b.Period.String())
}

// scanOne scans the columns of figureSelectOne into m (whose Indicator is
// set). A period text seen for the first time is parsed and remembered to
// be checked (check) against its stored kind and dates.
func (c *periodCache) scanOne(r *sql.Rows, m *indicators.Measurement) error {
	sc := &c.one
	if sc.dest == nil {
		sc.dest = append([]any{&sc.where, &sc.meta, &sc.value, &sc.num, &sc.den, &sc.row}, sc.extra...)
		sc.wheres, sc.metas = map[string]whereCols{}, map[string]metaCols{}
	}
	if err := r.Scan(sc.dest...); err != nil {
		return err
	}
	w, ok := sc.wheres[sc.where]
	if !ok {
		var cols [2]string
		if err := jsonStrings(sc.where, cols[:]); err != nil {
			return fmt.Errorf("figure of %s: %w", m.Indicator, err)
		}
		var err error
		if w, err = c.whereOf(m.Indicator, cols[0], cols[1]); err != nil {
			return err
		}
		if len(sc.wheres) < maxInterned {
			sc.wheres[sc.where] = w
		}
	}
	mc, ok := sc.metas[sc.meta]
	if !ok {
		var cols [6]string
		if err := jsonStrings(sc.meta, cols[:]); err != nil {
			return fmt.Errorf("figure of %s: %w", m.Indicator, err)
		}
		mc = c.metaOf(cols)
		if len(sc.metas) < maxInterned {
			sc.metas[sc.meta] = mc
		}
	}
	m.Period, m.Dims = w.period, w.dims
	m.Value, m.Numerator, m.Denominator = c.float(sc.value), c.float(sc.num), c.float(sc.den)
	m.Text, m.Comment, m.Source, m.Verified = mc.text, mc.comment, mc.source, mc.verified
	m.Loc.File, m.Loc.Sheet, m.Loc.Row = mc.file, mc.sheet, int(sc.row)
	return nil
}

// plainRow holds the columns of figureSelectOne as scanPlain scans them,
// and what the texts seen so far make.
type plainRow struct {
	where           [2]string // period, dims
	meta            [6]string // text, comment, source, verified, file, sheet
	value, num, den sql.NullFloat64
	row             int64
	dest            []any
	extra           []any // as oneRow's
	wheres          map[[2]string]whereCols
	metas           map[[6]string]metaCols
}

// scanPlain is scanOne for the columns read one by one.
func (c *periodCache) scanPlain(r *sql.Rows, m *indicators.Measurement) error {
	sc := &c.plain
	if sc.dest == nil {
		sc.dest = append([]any{&sc.where[0], &sc.where[1], &sc.meta[0], &sc.meta[1], &sc.meta[2], &sc.meta[3], &sc.meta[4], &sc.meta[5],
			&sc.value, &sc.num, &sc.den, &sc.row}, sc.extra...)
		sc.wheres, sc.metas = map[[2]string]whereCols{}, map[[6]string]metaCols{}
	}
	if err := r.Scan(sc.dest...); err != nil {
		return err
	}
	w, ok := sc.wheres[sc.where]
	if !ok {
		var err error
		if w, err = c.whereOf(m.Indicator, sc.where[0], sc.where[1]); err != nil {
			return err
		}
		if len(sc.wheres) < maxInterned {
			sc.wheres[sc.where] = w
		}
	}
	mc, ok := sc.metas[sc.meta]
	if !ok {
		mc = c.metaOf(sc.meta)
		if len(sc.metas) < maxInterned {
			sc.metas[sc.meta] = mc
		}
	}
	m.Period, m.Dims = w.period, w.dims
	m.Value, m.Numerator, m.Denominator = c.float(sc.value), c.float(sc.num), c.float(sc.den)
	m.Text, m.Comment, m.Source, m.Verified = mc.text, mc.comment, mc.source, mc.verified
	m.Loc.File, m.Loc.Sheet, m.Loc.Row = mc.file, mc.sheet, int(sc.row)
	return nil
}

// whereOf parses a figure's stored period text and disaggregation key; a
// period text seen for the first time is remembered to be checked (check)
// against its stored kind and dates.
func (c *periodCache) whereOf(code, period, dims string) (whereCols, error) {
	p, seen := c.periods[period]
	if !seen {
		var err error
		if p, err = indicators.ParsePeriod(period); err != nil {
			return whereCols{}, fmt.Errorf("figure of %s: stored period: %w", code, err)
		}
		if c.periods == nil {
			c.periods = map[string]indicators.Period{}
		}
		c.periods[period] = p
		c.unchecked = append(c.unchecked, period)
	}
	d, err := c.disagg(dims)
	if err != nil {
		return whereCols{}, fmt.Errorf("figure of %s %s: %w", code, period, err)
	}
	return whereCols{p, d}, nil
}

// check compares the periods scanOne parsed for the first time, read from
// figures of indicator code, with the kind and dates stored with them.
func (c *periodCache) check(ctx context.Context, tx *Tx, code string) error {
	for _, text := range c.unchecked {
		var kind int64
		var start, end string
		if err := tx.QueryRowContext(ctx, `SELECT period_kind, period_start, period_end FROM measurements
			WHERE indicator = ? AND period = ? AND current = 1 LIMIT 1`, code, text).Scan(&kind, &start, &end); err != nil {
			return fmt.Errorf("figure of %s, period %s: %w", code, text, err)
		}
		if p := c.periods[text]; int64(p.Kind) != kind || date(p.Start) != start || date(p.End) != end {
			return fmt.Errorf("figure of %s: %w: stored period %q reads as %s %s..%s, but was stored as kind %d, %s..%s",
				code, indicators.ErrInvalid, text, p.Kind, date(p.Start), date(p.End), kind, start, end)
		}
	}
	c.unchecked = c.unchecked[:0]
	return nil
}
