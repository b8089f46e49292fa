package sqlstore

// Figure packs: the current figures of each indicator, as the store reads
// them, in one compact value per indicator (table figure_packs, SQLite).
//
// A report reads every current figure: a large programme's million
// figures took 1.7 s to come out of SQLite row by row (the driver's work
// per row, not SQLite's), more than the whole report may take. A pack
// holds the same figures in a few bytes each (their texts in tables of the
// pack, each figure a few indexes, its numbers and its row), read in one
// blob per indicator and unpacked at memory speed.
//
// A pack is never stale: triggers on measurements (sqlite/migrations/
// 018_figure_packs.sql) delete an indicator's pack in the transaction that
// inserts, updates or deletes any of its figures, and every write
// transaction packs, before it commits, the indicators with current
// figures and no pack (Tx.Commit: an import packs what it imported). An
// indicator without a pack (a database just copied, a pack that does not
// unpack) is read row by row, as before packs: packs are an index of the
// figures, never their record.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// insertPack stores an indicator's pack, replacing any (none should be
// left: the triggers drop it when a figure is written).
const insertPack = `INSERT INTO figure_packs (indicator, figures, data) VALUES (?, ?, ?)
	ON CONFLICT (indicator) DO UPDATE SET figures = excluded.figures, data = excluded.data`

// packVersion is the first byte of a pack: a pack of another version is
// not read (its indicator is read row by row).
const packVersion = 1

// errBadPack is the error of a pack that does not unpack.
var errBadPack = errors.New("figure pack does not unpack")

// packFig is a figure as a pack holds it: the indexes of its period,
// disaggregation and texts in the pack's tables, its numbers (value,
// numerator, denominator; valid or not) and its row.
type packFig struct {
	per, dims, meta uint64
	nums            [3]sql.NullFloat64
	row             int64
}

// A figure's flags: bits 0-2 say which of its numbers follow it (value,
// numerator, denominator), bits 3-5 which of those are whole numbers
// written as varints (most figures are counts: two bytes instead of
// eight); any other number is its IEEE 754 bits (nothing is lost).
const (
	packNums  = 0b111
	packWhole = 0b111000
)

// maxWhole bounds the whole numbers written as varints: every integer up
// to it is a float64 exactly.
const maxWhole = 1 << 53

// appendFig appends f to b; prevRow is the row of the figure before it in
// the same pack (0 for the first): rows are written as the difference
// (figures come in rows of a sheet, most one after the other).
func appendFig(b []byte, f *packFig, prevRow int64) []byte {
	b = binary.AppendUvarint(b, f.per)
	b = binary.AppendUvarint(b, f.dims)
	b = binary.AppendUvarint(b, f.meta)
	var flags byte
	for k, n := range f.nums {
		if !n.Valid {
			continue
		}
		flags |= 1 << k
		if x := n.Float64; x == math.Trunc(x) && math.Abs(x) <= maxWhole && !(x == 0 && math.Signbit(x)) {
			flags |= 1 << (k + 3)
		}
	}
	b = append(b, flags)
	for k, n := range f.nums {
		switch {
		case flags&(1<<(k+3)) != 0:
			b = binary.AppendVarint(b, int64(n.Float64))
		case n.Valid:
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(n.Float64))
		}
	}
	return binary.AppendVarint(b, f.row-prevRow)
}

// fig reads a figure appendFig wrote after a figure of row prevRow.
func (r *packReader) fig(f *packFig, prevRow int64) {
	f.per, f.dims, f.meta = r.uvarint(), r.uvarint(), r.uvarint()
	flags := r.byte()
	if flags&^(packNums|packWhole) != 0 || (flags>>3)&^flags != 0 {
		r.fail("bad flags")
		r.b = nil
		return
	}
	for k := range f.nums {
		switch {
		case flags&(1<<(k+3)) != 0:
			v := r.varint()
			if v > maxWhole || v < -maxWhole {
				r.fail("whole number out of range")
				r.b = nil
				return
			}
			f.nums[k] = sql.NullFloat64{Float64: float64(v), Valid: true}
		case flags&(1<<k) != 0:
			f.nums[k] = sql.NullFloat64{Float64: r.float(), Valid: true}
		default:
			f.nums[k] = sql.NullFloat64{}
		}
	}
	d := r.varint()
	f.row = prevRow + d
	if (d > 0 && f.row < prevRow) || (d < 0 && f.row > prevRow) {
		r.fail("row out of range")
		r.b = nil
	}
}

// nullFloats are a figure's value, numerator and denominator.
func nullFloats(m *indicators.Measurement) [3]sql.NullFloat64 {
	var out [3]sql.NullFloat64
	for k, v := range [...]*float64{m.Value, m.Numerator, m.Denominator} {
		if v != nil {
			out[k] = sql.NullFloat64{Float64: *v, Valid: true}
		}
	}
	return out
}

// UsePacks turns figure packs on (SQLite, once its migrations are applied)
// and packs, in one write transaction, the indicators with current figures
// and no pack (a database migrated or copied) or a pack of another
// version (made by another rmf). A database whose packs are complete is
// only read; one that cannot be written, or whose write lock another
// writer holds, opens all the same (its figures read row by row until a
// write packs them).
func (db *DB) UsePacks(ctx context.Context) error {
	db.figPacks.Store(true)
	version := []byte{packVersion}
	const old = `FROM figure_packs WHERE substr(data, 1, 1) <> ?` // packs of another version
	var missing bool
	err := db.ReadTx(ctx, func(tx *Tx) error {
		codes, err := unpacked(ctx, tx, 1)
		if err != nil || len(codes) > 0 {
			missing = len(codes) > 0
			return err
		}
		var n int
		err = tx.QueryRowContext(ctx, `SELECT count(*) `+old, version).Scan(&n)
		missing = n > 0
		return err
	})
	if err != nil || !missing {
		return err
	}
	// Opening a database does not wait for another writer (a long import):
	// if the write lock is taken, the packs are made by the next write.
	// A database that cannot be written (a read-only file, a user without
	// the right) opens all the same: its figures are read row by row.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	tx, err := db.beginWriteWaiting(wctx, cancel) // waiting: give up
	if err != nil {
		return ctx.Err()
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(wctx, `DELETE `+old, version); err != nil {
		return ctx.Err()
	}
	if err := tx.Commit(); err != nil { // Commit packs them
		return ctx.Err()
	}
	return nil
}

// unpacked lists (up to limit; 0: all) the indicators of the framework that
// have current figures and no pack.
func unpacked(ctx context.Context, tx *Tx, limit int) ([]string, error) {
	q := `SELECT i.code FROM indicators i
		WHERE NOT EXISTS (SELECT 1 FROM figure_packs p WHERE p.indicator = i.code)
		AND EXISTS (SELECT 1 FROM measurements m WHERE m.indicator = i.code AND m.current = 1)
		ORDER BY i.code`
	var args []any
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	var codes []string
	err := each(ctx, tx, q, func(r *sql.Rows) error {
		var c string
		if err := r.Scan(&c); err != nil {
			return err
		}
		codes = append(codes, c)
		return nil
	}, args...)
	return codes, err
}

// packMissing packs, in write transaction tx, every indicator with current
// figures and no pack: read row by row (as a read without packs reads
// them, checks included), then packed. An indicator whose figures do not
// read is left without a pack.
func packMissing(ctx context.Context, tx *Tx) error {
	codes, err := unpacked(ctx, tx, 0)
	if err != nil || len(codes) == 0 {
		return err
	}
	var cache periodCache
	current, _ := filterWhere(MeasurementFilter{})
	stmt, err := tx.db.prepareRows(ctx, tx, current)
	if err != nil {
		return err
	}
	defer stmt.Close()
	ins, err := tx.PrepareContext(ctx, insertPack)
	if err != nil {
		return err
	}
	defer ins.Close()
	var figs []indicators.Measurement
	var p packer
	for _, code := range codes {
		figs = figs[:0]
		if err := tx.db.rowsOf(ctx, tx, stmt, &cache, code, nil, &figs); err != nil {
			if ctx.Err() != nil {
				return err
			}
			// Figures that do not read (a stored period that does not
			// match its dates): left without a pack, so that reading
			// them row by row says what is wrong; the write goes on.
			cache = periodCache{}
			continue
		}
		if _, err := ins.ExecContext(ctx, code, len(figs), p.pack(figs)); err != nil {
			return fmt.Errorf("pack figures of %s: %w", code, err)
		}
	}
	return nil
}

// packer writes packs, reusing its memory from pack to pack.
type packer struct {
	buf, figs, key []byte
	tabs           [3]packTable // periods, disaggregations, texts
}

// packTable is a table of a pack: its entries' bytes and their indexes.
type packTable struct {
	idx  map[string]uint64
	data []byte
}

// index is the index of entry key in t, added if new.
func (t *packTable) index(key []byte) uint64 {
	i, ok := t.idx[string(key)]
	if !ok {
		i = uint64(len(t.idx))
		t.idx[string(key)] = i
		t.data = append(t.data, key...)
	}
	return i
}

// pack is the pack of figs (one indicator's, in the order the store reads
// them): version; three tables, each its count then its entries: the
// periods' texts, the disaggregations' keys, and the six texts of figures
// (text, comment, source, verified, file, sheet); the count of figures;
// then each figure as appendFig writes it. Texts are a uvarint length and
// their bytes, counts uvarints. The slice is the packer's until the next
// call.
func (p *packer) pack(figs []indicators.Measurement) []byte {
	return p.packTexts(figs, func(i int) (string, string) { return figs[i].Period.String(), figs[i].Dims.Key() })
}

// packTexts is pack with the texts of the figures' periods and
// disaggregations given by texts (as stored: what Period.String and
// Disagg.Key give), by index of figs.
func (p *packer) packTexts(figs []indicators.Measurement, texts func(i int) (period, dims string)) []byte {
	for k := range p.tabs {
		t := &p.tabs[k]
		if t.idx == nil {
			t.idx = map[string]uint64{}
		}
		clear(t.idx)
		t.data = t.data[:0]
	}
	p.figs = p.figs[:0]
	var prev int64
	for i := range figs {
		m := &figs[i]
		per, dims := texts(i)
		f := packFig{per: p.tabs[0].index(appendStr(p.key[:0], per)),
			dims: p.tabs[1].index(appendStr(p.key[:0], dims)), nums: nullFloats(m), row: int64(m.Loc.Row)}
		p.key = appendMeta(p.key[:0], m)
		f.meta = p.tabs[2].index(p.key)
		p.figs = appendFig(p.figs, &f, prev)
		prev = f.row
	}
	b := append(p.buf[:0], packVersion)
	for k := range p.tabs {
		b = binary.AppendUvarint(b, uint64(len(p.tabs[k].idx)))
		b = append(b, p.tabs[k].data...)
	}
	b = binary.AppendUvarint(b, uint64(len(figs)))
	b = append(b, p.figs...)
	p.buf = b
	return b
}

func appendStr(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendMeta appends m's six texts (text, comment, source, verified,
// file, sheet), the entry of a pack's third table.
func appendMeta(b []byte, m *indicators.Measurement) []byte {
	for _, s := range [...]string{m.Text, m.Comment, m.Source, string(m.Verified), m.Loc.File, m.Loc.Sheet} {
		b = appendStr(b, s)
	}
	return b
}

// figureOf is figure f of indicator code, with its period, disaggregation
// and texts read from its pack's tables.
func figureOf(c *periodCache, code string, p indicators.Period, d indicators.Disagg, mc *metaCols, f *packFig) indicators.Measurement {
	return indicators.Measurement{Indicator: code, Period: p, Dims: d,
		Value: c.float(f.nums[0]), Numerator: c.float(f.nums[1]), Denominator: c.float(f.nums[2]),
		Text: mc.text, Comment: mc.comment, Source: mc.source, Verified: mc.verified,
		Loc: indicators.Loc{File: mc.file, Sheet: mc.sheet, Row: int(f.row)}}
}

// unpacker reads packs (unpack), reusing its tables from pack to pack.
type unpacker struct {
	periods []packPeriod
	dims    []indicators.Disagg
	metas   []metaCols
}

// packPeriod is an entry of a pack's table of periods, and whether it
// ends by the read's Upto.
type packPeriod struct {
	p    indicators.Period
	keep bool
}

// packReader reads a pack's bytes; its first error sticks.
type packReader struct {
	b   []byte
	err error
}

func (r *packReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", errBadPack, what)
	}
}

func (r *packReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad count")
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *packReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("bad row")
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a count of entries each at least min bytes long, refused
// when the rest of the pack could not hold them.
func (r *packReader) count(min int) int {
	n := r.uvarint()
	if n > uint64(len(r.b)/min) {
		r.fail("count past the end")
		r.b = nil
		return 0
	}
	return int(n)
}

func (r *packReader) str() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail("text past the end")
		r.b = nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// meta reads a figure's six texts as appendMeta wrote them.
func (r *packReader) meta() [6]string {
	var cols [6]string
	for k := range cols {
		cols[k] = r.str()
	}
	return cols
}

func (r *packReader) byte() byte {
	if len(r.b) == 0 {
		r.fail("figure past the end")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *packReader) float() float64 {
	if len(r.b) < 8 {
		r.fail("number past the end")
		r.b = nil
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return v
}

// unpack appends to *dst the figures of pack data (of indicator code)
// whose period ends on or before upto (zero: all), texts shared through c.
// A pack that does not unpack is an errBadPack error, and *dst is then as
// it was.
func (u *unpacker) unpack(c *periodCache, code string, data []byte, upto string, dst *[]indicators.Measurement) error {
	r := packReader{b: data}
	if r.byte() != packVersion || r.err != nil {
		return fmt.Errorf("%w: version", errBadPack)
	}
	from := len(*dst)
	fail := func(err error) error {
		clear((*dst)[from:])
		*dst = (*dst)[:from]
		return fmt.Errorf("figures of %s: %w", code, err)
	}
	u.periods, u.dims = u.periods[:0], u.dims[:0]
	for n := r.count(1); n > 0 && r.err == nil; n-- {
		text := r.str()
		if r.err != nil {
			break
		}
		w, err := c.whereOf(code, text, "")
		if err != nil {
			return fail(fmt.Errorf("%w: %w", errBadPack, err))
		}
		u.periods = append(u.periods, packPeriod{w.period, upto == "" || date(w.period.End) <= upto})
	}
	// the periods were checked against their stored kind and dates when
	// they were packed
	c.unchecked = c.unchecked[:0]
	for n := r.count(1); n > 0 && r.err == nil; n-- {
		key := r.str()
		if r.err != nil {
			break
		}
		d, err := c.disagg(key)
		if err != nil {
			return fail(fmt.Errorf("%w: %w", errBadPack, err))
		}
		u.dims = append(u.dims, d)
	}
	u.metas = u.metas[:0]
	for n := r.count(6); n > 0 && r.err == nil; n-- {
		u.metas = append(u.metas, c.metaOf(r.meta()))
	}
	n := r.count(5)
	var f packFig
	for ; n > 0 && r.err == nil; n-- {
		r.fig(&f, f.row)
		if r.err != nil {
			break
		}
		if f.per >= uint64(len(u.periods)) || f.dims >= uint64(len(u.dims)) || f.meta >= uint64(len(u.metas)) || f.row != int64(int(f.row)) {
			r.fail("figure out of range")
			break
		}
		if !u.periods[f.per].keep {
			continue
		}
		*dst = append(*dst, figureOf(c, code, u.periods[f.per].p, u.dims[f.dims], &u.metas[f.meta], &f))
	}
	if r.err == nil && len(r.b) > 0 {
		r.fail("bytes after the last figure")
	}
	if r.err != nil {
		return fail(r.err)
	}
	return nil
}

// CheckPacks compares every figure pack with the figures it was made from
// (each indicator's current figures read row by row), and that every
// indicator with current figures that read has a pack: an error names the
// first indicator whose pack differs and how. For tests, and for anyone who
// doubts a database's packs; a database that keeps no packs has nothing to
// check.
func (db *DB) CheckPacks(ctx context.Context) error {
	if !db.figPacks.Load() {
		return nil
	}
	return db.ReadTx(ctx, func(tx *Tx) error {
		current, _ := filterWhere(MeasurementFilter{})
		stmt, err := db.prepareRows(ctx, tx, current)
		if err != nil {
			return err
		}
		defer stmt.Close()
		// only figures that do not read may lack a pack
		codes, err := unpacked(ctx, tx, 0)
		if err != nil {
			return err
		}
		for _, code := range codes {
			var figs []indicators.Measurement
			var c periodCache
			if db.rowsOf(ctx, tx, stmt, &c, code, nil, &figs) == nil {
				return fmt.Errorf("%w: indicator %s has %d current figures and no figure pack", indicators.ErrInvalid, code, len(figs))
			}
		}
		type pack struct {
			code string
			n    int
			data []byte
		}
		var packs []pack
		err = each(ctx, tx, `SELECT indicator, figures, data FROM figure_packs ORDER BY indicator`, func(r *sql.Rows) error {
			var p pack
			if err := r.Scan(&p.code, &p.n, &p.data); err != nil {
				return err
			}
			packs = append(packs, p)
			return nil
		})
		if err != nil {
			return err
		}
		var u unpacker
		for _, p := range packs {
			var rows, unpacked []indicators.Measurement
			var c1, c2 periodCache
			if err := db.rowsOf(ctx, tx, stmt, &c1, p.code, nil, &rows); err != nil {
				return err
			}
			if err := u.unpack(&c2, p.code, p.data, "", &unpacked); err != nil {
				return err
			}
			if p.n != len(unpacked) || len(rows) != len(unpacked) {
				return fmt.Errorf("%w: figure pack of %s: %d figures (says %d), %d current figures", indicators.ErrInvalid, p.code, len(unpacked), p.n, len(rows))
			}
			for i := range rows {
				if d := diffFigures(&rows[i], &unpacked[i]); d != "" {
					return fmt.Errorf("%w: figure pack of %s, figure %d (%s %s): %s", indicators.ErrInvalid, p.code, i+1, rows[i].Period, rows[i].Dims.Key(), d)
				}
			}
		}
		return nil
	})
}

// diffFigures says how b differs from a ("" when they are the same).
func diffFigures(a, b *indicators.Measurement) string {
	num := func(x *float64) string {
		if x == nil {
			return "none"
		}
		return fmt.Sprintf("%v (%#x)", *x, math.Float64bits(*x))
	}
	for _, c := range []struct{ what, x, y string }{
		{"indicator", a.Indicator, b.Indicator},
		{"period", fmt.Sprintf("%s %s %s..%s", a.Period, a.Period.Kind, date(a.Period.Start), date(a.Period.End)), fmt.Sprintf("%s %s %s..%s", b.Period, b.Period.Kind, date(b.Period.Start), date(b.Period.End))},
		{"disaggregation", a.Dims.Key(), b.Dims.Key()},
		{"value", num(a.Value), num(b.Value)},
		{"numerator", num(a.Numerator), num(b.Numerator)},
		{"denominator", num(a.Denominator), num(b.Denominator)},
		{"text", a.Text, b.Text},
		{"comment", a.Comment, b.Comment},
		{"source", a.Source, b.Source},
		{"verified", string(a.Verified), string(b.Verified)},
		{"file", a.Loc.File, b.Loc.File},
		{"sheet", a.Loc.Sheet, b.Loc.Sheet},
		{"row", fmt.Sprint(a.Loc.Row), fmt.Sprint(b.Loc.Row)},
	} {
		if c.x != c.y {
			return fmt.Sprintf("%s %q, packed %q", c.what, c.x, c.y)
		}
	}
	return ""
}

// importPacks are the packs of a first import's figures, made from the
// figures as Add stages them (a first import into an empty indicator set
// stores every figure it stages, its repeats but the first dropped): the
// import then need not read back what it stored. Each indicator's figures
// are kept packed in Add's order (their texts in tables shared by every
// indicator), then sorted as the store reads them and packed before the
// import commits (store).
type importPacks struct {
	// keepNegZero: the engine gives -0 back as -0 (PostgreSQL; SQLite
	// gives 0)
	keepNegZero bool
	inds        map[string]*stagedPack
	order       []string     // indicators in the order first staged
	tabs        [3]packTable // periods, disaggregations, the six texts
	strs        [3][]string  // the tables' entries, by index
	bytes       int          // the size of the chunks of figures (maxStagedBytes)
	// store's memory, reused from indicator to indicator
	figs    []packFig
	sorted  []int32
	periods []*indicators.Period // strs[0] read (nil: not yet)
	dims    []*indicators.Disagg // strs[1] read
	metas   []*metaCols          // strs[2] read
}

// stagedPack is one indicator's staged figures, each as a pack holds it
// (indexes in the import's tables, flags, numbers, row), in chunks that
// double in size up to maxStagedChunk: they are never copied to grow.
type stagedPack struct {
	recs [][]byte
	last int64 // the row of the last figure staged
}

// maxStagedChunk is the largest chunk of a stagedPack's figures.
const maxStagedChunk = 2048

// maxStagedBytes bounds the memory an import's packs take (about 7 bytes
// a figure, and every distinct text: 64 MiB is some nine million figures
// of a few texts, fewer with a comment of its own each): past it they are
// dropped, and the figures stored are packed from their rows at commit.
const maxStagedBytes = 64 << 20

// add stages figure m, whose period is stored as text and disaggregation
// as dims.
func (ip *importPacks) add(m *indicators.Measurement, period, dims string) {
	if ip.inds == nil {
		ip.inds = map[string]*stagedPack{}
		for k := range ip.tabs {
			ip.tabs[k].idx = map[string]uint64{}
		}
	}
	sp := ip.inds[m.Indicator]
	if sp == nil {
		sp = &stagedPack{}
		ip.inds[m.Indicator] = sp
		ip.order = append(ip.order, m.Indicator)
	}
	var key [256]byte
	f := packFig{per: ip.index(0, period), dims: ip.index(1, dims), nums: nullFloats(m), row: int64(m.Loc.Row)}
	f.meta = ip.indexBytes(2, appendMeta(key[:0], m))
	if !ip.keepNegZero {
		for i := range f.nums {
			f.nums[i].Float64 = storedFloat(f.nums[i].Float64)
		}
	}
	n := len(sp.recs)
	if n == 0 || cap(sp.recs[n-1])-len(sp.recs[n-1]) < maxFigBytes {
		size := 64
		if n > 0 {
			size = min(2*cap(sp.recs[n-1]), maxStagedChunk)
		}
		sp.recs = append(sp.recs, make([]byte, 0, size))
		ip.bytes += size
		n++
	}
	sp.recs[n-1] = appendFig(sp.recs[n-1], &f, sp.last)
	sp.last = f.row
}

// maxFigBytes is the most bytes appendFig writes for one figure (three
// indexes, the flags, three numbers, the row).
const maxFigBytes = 3*binary.MaxVarintLen64 + 1 + 3*binary.MaxVarintLen64 + binary.MaxVarintLen64

// NegativeZeroKeeper is a Dialect that says whether its engine gives a
// -0 stored in a number column back as -0 (PostgreSQL does; SQLite gives
// 0, and a Dialect that does not say is taken to).
type NegativeZeroKeeper interface{ KeepsNegativeZero() bool }

// keepsNegativeZero tells whether d's engine gives -0 back as -0.
func keepsNegativeZero(d Dialect) bool {
	k, ok := d.(NegativeZeroKeeper)
	return ok && k.KeepsNegativeZero()
}

// storedFloat is x as a REAL column gives it back: SQLite stores a real
// without a fraction as an integer, so -0 comes back 0.
func storedFloat(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x
}

// index is the index of s in table k, added if new.
func (ip *importPacks) index(k int, s string) uint64 {
	t := &ip.tabs[k]
	i, ok := t.idx[s]
	if !ok {
		i = uint64(len(ip.strs[k]))
		t.idx[s] = i
		ip.strs[k] = append(ip.strs[k], s)
		ip.bytes += len(s) + stagedEntryBytes
	}
	return i
}

// stagedEntryBytes is about what a table entry of an import's packs costs
// besides its text (the map's entry, the slice's string header).
const stagedEntryBytes = 64

// indexBytes is index for a key in bytes (copied only when new).
func (ip *importPacks) indexBytes(k int, b []byte) uint64 {
	if i, ok := ip.tabs[k].idx[string(b)]; ok {
		return i
	}
	return ip.index(k, string(b))
}

// resolve reads the entries of the tables that figures refer to, once.
func (ip *importPacks) resolve(c *periodCache, code string, f *packFig) (*indicators.Period, *indicators.Disagg, *metaCols, error) {
	if len(ip.periods) < len(ip.strs[0]) {
		ip.periods = append(ip.periods, make([]*indicators.Period, len(ip.strs[0])-len(ip.periods))...)
		ip.dims = append(ip.dims, make([]*indicators.Disagg, len(ip.strs[1])-len(ip.dims))...)
		ip.metas = append(ip.metas, make([]*metaCols, len(ip.strs[2])-len(ip.metas))...)
	}
	if f.per >= uint64(len(ip.strs[0])) || f.dims >= uint64(len(ip.strs[1])) || f.meta >= uint64(len(ip.strs[2])) {
		return nil, nil, nil, fmt.Errorf("%w: staged figure out of range", errBadPack)
	}
	if ip.periods[f.per] == nil {
		w, err := c.whereOf(code, ip.strs[0][f.per], "")
		if err != nil {
			return nil, nil, nil, err
		}
		c.unchecked = c.unchecked[:0] // staged periods are stored as Normalize made them
		ip.periods[f.per] = &w.period
	}
	if ip.dims[f.dims] == nil {
		d, err := c.disagg(ip.strs[1][f.dims])
		if err != nil {
			return nil, nil, nil, err
		}
		ip.dims[f.dims] = &d
	}
	if ip.metas[f.meta] == nil {
		r := packReader{b: []byte(ip.strs[2][f.meta])}
		mc := c.metaOf(r.meta())
		ip.metas[f.meta] = &mc
	}
	return ip.periods[f.per], ip.dims[f.dims], ip.metas[f.meta], nil
}

// figures are the figures of sp (of indicator code) in the order the
// store reads them (rowsOf: by period text and disaggregation key, then by
// period, equal ones in stored order), of a figure given more than once
// the first only; keys are the texts of their periods and
// disaggregations, by figure (none when the figures had to be sorted by
// period after their texts).
func (ip *importPacks) figures(sp *stagedPack, c *periodCache, code string, dst []indicators.Measurement, keys [][2]string) ([]indicators.Measurement, [][2]string, error) {
	figs := ip.figs[:0]
	defer func() { ip.figs = figs[:0] }()
	var f packFig
	for _, chunk := range sp.recs {
		r := packReader{b: chunk}
		for len(r.b) > 0 && r.err == nil {
			r.fig(&f, f.row)
			if r.err == nil {
				figs = append(figs, f)
			}
		}
		if r.err != nil {
			return nil, nil, r.err
		}
	}
	order := slices.Grow(ip.sorted[:0], len(figs))[:len(figs)]
	ip.sorted = order
	for i := range order {
		order[i] = int32(i)
	}
	pers, dimss := ip.strs[0], ip.strs[1]
	slices.SortStableFunc(order, func(a, b int32) int {
		fa, fb := &figs[a], &figs[b]
		if c := strings.Compare(pers[fa.per], pers[fb.per]); c != 0 {
			return c
		}
		return strings.Compare(dimss[fa.dims], dimss[fb.dims])
	})
	dst, keys = dst[:0], keys[:0]
	for i, k := range order {
		f := &figs[k]
		if i > 0 && f.per == figs[order[i-1]].per && f.dims == figs[order[i-1]].dims {
			continue // a repeat: the first is stored
		}
		p, d, mc, err := ip.resolve(c, code, f)
		if err != nil {
			return nil, nil, err
		}
		dst = append(dst, figureOf(c, code, *p, *d, mc, f))
		keys = append(keys, [2]string{pers[f.per], dimss[f.dims]})
	}
	if !slices.IsSortedFunc(dst, compareFigures) {
		// the store's order (rowsOf) without the texts: packed from the
		// figures' own
		slices.SortStableFunc(dst, compareFigures)
		keys = keys[:0]
	}
	return dst, keys, nil
}

// stagedBlob is a pack made from staged figures, to be stored.
type stagedBlob struct {
	code    string
	figures int
	data    []byte
}

// packAll packs the staged figures of every indicator (no database work:
// it runs while the import stores the figures). Each indicator's staged
// figures are let go once packed.
func (ip *importPacks) packAll() ([]stagedBlob, error) {
	var c periodCache
	var p packer
	var figs []indicators.Measurement
	var keys [][2]string
	out := make([]stagedBlob, 0, len(ip.order))
	for _, code := range ip.order {
		var err error
		if figs, keys, err = ip.figures(ip.inds[code], &c, code, figs, keys); err != nil {
			return nil, fmt.Errorf("pack figures of %s: %w", code, err)
		}
		var data []byte
		if len(keys) == len(figs) {
			data = p.packTexts(figs, func(i int) (string, string) { return keys[i][0], keys[i][1] })
		} else {
			data = p.pack(figs)
		}
		out = append(out, stagedBlob{code, len(figs), bytes.Clone(data)})
		clear(figs)
		ip.inds[code] = nil // its memory goes
	}
	return out, nil
}

// storeBlobs stores packs made by packAll.
func storeBlobs(ctx context.Context, tx *Tx, blobs []stagedBlob) error {
	if len(blobs) == 0 {
		return nil
	}
	ins, err := tx.PrepareContext(ctx, insertPack)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, b := range blobs {
		if _, err := ins.ExecContext(ctx, b.code, b.figures, b.data); err != nil {
			return fmt.Errorf("pack figures of %s: %w", b.code, err)
		}
	}
	return nil
}
