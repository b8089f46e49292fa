package sqlstore

// Figure packs: the current figures of each indicator, as the store reads
// them, in one compact value per indicator (table figure_packs). This file
// is the pack's format; packs_store.go makes and checks them in the
// database, packs_import.go makes a first import's from what it staged.
//
// A report reads every current figure: a large programme's million
// figures took 1.7 s to come out of SQLite row by row (the driver's work
// per row, not SQLite's), more than the whole report may take. A pack
// holds the same figures in a few bytes each (their texts in tables of the
// pack, each figure a few indexes, its numbers and its row), read in one
// blob per indicator and unpacked at memory speed.
//
// A pack is never stale: triggers on measurements (migration 018 of each
// engine) delete an indicator's pack in the transaction that
// inserts, updates or deletes any of its figures, and every write
// transaction packs, before it commits, the indicators with current
// figures and no pack (Tx.Commit: an import packs what it imported). An
// indicator without a pack (a database just copied, a pack that does not
// unpack) is read row by row, as before packs: packs are an index of the
// figures, never their record.

import (
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/rmf-project/rmf/indicators"
)

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
