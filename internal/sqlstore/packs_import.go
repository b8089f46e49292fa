package sqlstore

// Figure packs of a first import (packs.go), made from the figures it
// stages rather than read back once stored.

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

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
