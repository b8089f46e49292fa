package sqlstore

// Reading the current figures: row by row (the scanners and their caches),
// or from their packs (packs.go), one indicator at a time.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/rmf-project/rmf/indicators"
)

// figureSelect reads the columns scanFigure expects, from measurements m.
const figureSelect = `m.indicator, m.period, m.period_kind, m.period_start, m.period_end, m.dims, m.value, m.text,
	m.numerator, m.denominator, m.comment, m.source, m.verified, m.file, m.sheet, m.row`

// figureOrder sorts figures by framework order of their indicator, then
// by period as Period.Compare does (end, then longer first), then by
// disaggregation (the total first).
const figureOrder = ` ORDER BY coalesce(i.position, 0), m.indicator, m.period_end, m.period_start, m.period, m.dims`

// Measurements returns the current figures that f selects, with where each
// was read from (Loc: file, sheet, row), in framework order of their
// indicators, then by period and disaggregation.
//
// A large project has a million figures, so this is written for speed:
//   - the figures are counted first (an upper bound, from the index of
//     current figures alone), so that the result is allocated once
//     (appending them to a growing slice copied them about twenty times
//     over and held two copies at the end);
//   - they are read indicator by indicator in framework order, each in the
//     order of the index of current figures (period text, disaggregation),
//     which needs no sort by SQLite (sorting all the figures at once in a
//     temporary B-tree took most of the load); the few indicators whose
//     periods' texts do not sort by date (a year among quarters) are then
//     sorted in Go, stably;
//   - only the columns a figure needs are read; each period's kind and
//     dates are checked against its text once (periodCache.check).
func (db *DB) Measurements(ctx context.Context, f MeasurementFilter) ([]indicators.Measurement, error) {
	var out []indicators.Measurement
	if err := db.eachMeasurements(ctx, f, nil, &out, false, nil); err != nil {
		return nil, err
	}
	if len(out) <= cap(out)/2 { // Upto left most figures out: release the room they were given
		out = append([]indicators.Measurement(nil), out...) // nil when none
	}
	return out, nil
}

// EachMeasurements calls fn with the figures Measurements would return,
// one indicator at a time in the same order (code is the indicator's
// code; every figure of an indicator in one call), all read in one
// read transaction: a consistent state however long fn takes. figs is
// reused once fn returns: fn must copy what it keeps of the slice (the
// figures' values, maps and strings may be kept). It holds one
// indicator's figures at a time where Measurements holds them all. fn's
// error stops the reading and is returned as it is.
func (db *DB) EachMeasurements(ctx context.Context, f MeasurementFilter, fn func(code string, figs []indicators.Measurement) error) error {
	var buf []indicators.Measurement
	return db.eachMeasurements(ctx, f, nil, &buf, true, fn)
}

// fnError marks an error of EachMeasurements' callback, returned unwrapped.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }

// callerErr gives the error of a reading's callback (fnError) back as it
// is, and any other wrapped with what ("what: err"; as it is when what is
// ""; nil stays nil).
func callerErr(err error, what string) error {
	var fe fnError
	if errors.As(err, &fe) {
		return fe.err
	}
	if err != nil && what != "" {
		return fmt.Errorf("%s: %w", what, err)
	}
	return err
}

// eachMeasurements reads the figures f selects into *dst, indicator by
// indicator (those of order only, in that order, when it is not nil),
// calling fn (when not nil) with each indicator's figures; with reuse,
// *dst is emptied after each call.
func (db *DB) eachMeasurements(ctx context.Context, f MeasurementFilter, order []string, dst *[]indicators.Measurement, reuse bool,
	fn func(string, []indicators.Measurement) error) error {
	where, args := filterWhere(f)
	call := func(code string, figs []indicators.Measurement) error {
		if fn == nil || len(figs) == 0 {
			return nil
		}
		if err := fn(code, figs); err != nil {
			return fnError{err}
		}
		return nil
	}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		// To size the whole result at once (reading one indicator at a time
		// into a reused slice needs no count): the count of the index of
		// current figures (Upto left out: it is a column of the table, and
		// reading the table would cost a tenth of the load) bounds the
		// number of figures from above.
		n := 0
		if !reuse {
			count, countArgs := filterWhere(MeasurementFilter{Indicator: f.Indicator})
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM measurements m`+count, countArgs...).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return nil
			}
			*dst = make([]indicators.Measurement, 0, n)
		}
		cache := periodCache{slab: n}
		codes, orphans := []string{f.Indicator}, false
		if order != nil {
			codes = order
		} else if f.Indicator == "" {
			var err error
			if codes, err = indicatorCodes(ctx, tx); err != nil {
				return err
			}
			if orphans, err = hasOrphans(ctx, tx, codes); err != nil {
				return err
			}
		}
		if orphans {
			// Figures of codes that are not in the framework (the foreign
			// key keeps them out; this is the safe way should one get in):
			// read everything in one sorted query instead.
			return eachSorted(ctx, tx, &cache, where, args, dst, call)
		}
		rd, err := db.newFigureReader(ctx, tx, f, where, args, &cache)
		if err != nil {
			return err
		}
		defer rd.close()
		for _, code := range codes {
			if reuse {
				*dst = (*dst)[:0]
			}
			from := len(*dst)
			if err := rd.read(ctx, code, dst); err != nil {
				return err
			}
			if err := call(code, (*dst)[from:]); err != nil {
				return err
			}
		}
		return nil
	})
	return callerErr(err, "load figures")
}

// prepareRows prepares the query of one indicator's figures that where
// selects (a WHERE clause on measurements m; its arguments, then the
// indicator's code), in figureSelectOne's columns, for rowsOf.
func (db *DB) prepareRows(ctx context.Context, tx *Tx, where string) (*sql.Stmt, error) {
	return tx.PrepareContext(ctx, `SELECT `+db.figureSelectOne()+` FROM measurements m`+where+
		` AND m.indicator = ? ORDER BY m.period, m.dims`)
}

// figureReader reads one indicator's current figures at a time, in one
// transaction: from its figure pack, else (none, or one that does not
// unpack) row by row.
type figureReader struct {
	db          *DB
	tx          *Tx
	rows, packs *sql.Stmt // packs: nil when the database keeps none
	args        []any     // rows' arguments before the indicator's code
	upto        string    // the filter's Upto as a date ("" for none)
	u           unpacker
	cache       *periodCache
}

// newFigureReader is the reader of the figures f selects (where and args
// its WHERE clause) in tx.
func (db *DB) newFigureReader(ctx context.Context, tx *Tx, f MeasurementFilter, where string, args []any, cache *periodCache) (*figureReader, error) {
	rd := &figureReader{db: db, tx: tx, args: args, cache: cache}
	if !f.Upto.IsZero() {
		rd.upto = date(f.Upto)
	}
	var err error
	if rd.rows, err = db.prepareRows(ctx, tx, where); err != nil {
		return nil, err
	}
	if db.figPacks.Load() {
		if rd.packs, err = tx.PrepareContext(ctx, `SELECT data FROM figure_packs WHERE indicator = ?`); err != nil {
			rd.rows.Close()
			return nil, err
		}
	}
	return rd, nil
}

func (rd *figureReader) close() {
	rd.rows.Close()
	if rd.packs != nil {
		rd.packs.Close()
	}
}

// read appends the figures of indicator code to *dst.
func (rd *figureReader) read(ctx context.Context, code string, dst *[]indicators.Measurement) error {
	if rd.packs != nil {
		unpacked := false
		// unpacked from the driver's bytes (RawBytes: not copied)
		err := eachStmt(ctx, rd.packs, func(r *sql.Rows) error {
			var data sql.RawBytes
			if err := r.Scan(&data); err != nil {
				return err
			}
			unpacked = rd.u.unpack(rd.cache, code, data, rd.upto, dst) == nil
			return nil
		}, code)
		if err != nil {
			return fmt.Errorf("figures of %s: %w", code, err)
		}
		if unpacked {
			return nil
		}
	}
	return rd.db.rowsOf(ctx, rd.tx, rd.rows, rd.cache, code, rd.args, dst)
}

// rowsOf appends to *dst the figures of indicator code that stmt (a query
// of figureSelectOne's columns with args then code, ordered by period and
// disaggregation) selects, in the store's order of figures (compareFigures),
// their periods checked against their stored kind and dates.
func (db *DB) rowsOf(ctx context.Context, tx *Tx, stmt *sql.Stmt, cache *periodCache, code string, args []any, dst *[]indicators.Measurement) error {
	scan := cache.scanOne
	if !db.packs() {
		scan = cache.scanPlain
	}
	from := len(*dst)
	err := eachStmt(ctx, stmt, func(r *sql.Rows) error {
		*dst = append(*dst, indicators.Measurement{Indicator: code})
		return scan(r, &(*dst)[len(*dst)-1])
	}, append(args[:len(args):len(args)], code)...)
	if err != nil {
		return fmt.Errorf("figures of %s: %w", code, err)
	}
	if err := cache.check(ctx, tx, code); err != nil {
		return err
	}
	figs := (*dst)[from:]
	if !slices.IsSortedFunc(figs, compareFigures) {
		slices.SortStableFunc(figs, compareFigures)
	}
	return nil
}

// eachSorted is eachMeasurements' way for figures of codes outside the
// framework: every figure f's where selects read into *dst in one sorted
// query, then given to call a code at a time.
func eachSorted(ctx context.Context, tx *Tx, cache *periodCache, where string, args []any, dst *[]indicators.Measurement,
	call func(string, []indicators.Measurement) error) error {
	err := each(ctx, tx, `SELECT `+figureSelect+` FROM measurements m LEFT JOIN indicators i ON i.code = m.indicator`+where+figureOrder,
		func(r *sql.Rows) error {
			*dst = append(*dst, indicators.Measurement{})
			return cache.scanFigure(r, &(*dst)[len(*dst)-1])
		}, args...)
	if err != nil {
		return err
	}
	all := *dst
	for lo := 0; lo < len(all); {
		hi := lo + 1
		for hi < len(all) && all[hi].Indicator == all[lo].Indicator {
			hi++
		}
		if err := call(all[lo].Indicator, all[lo:hi]); err != nil {
			return err
		}
		lo = hi
	}
	return nil
}

// CountMeasurements is the number of current figures f selects, without
// loading them. With an empty filter it reads only the index of current
// figures: a cheap upper bound of what any Measurements call returns (the
// report sizes its memory with it before loading).
func (db *DB) CountMeasurements(ctx context.Context, f MeasurementFilter) (int, error) {
	where, args := filterWhere(f)
	q := `SELECT count(*) FROM measurements m` + where
	var n int
	err := db.ReadTx(ctx, func(tx *Tx) error { return tx.QueryRowContext(ctx, q, args...).Scan(&n) })
	if err != nil {
		return 0, fmt.Errorf("count figures: %w", err)
	}
	return n, nil
}

// hasOrphans tells whether some current figures belong to none of codes.
func hasOrphans(ctx context.Context, tx *Tx, codes []string) (bool, error) {
	known := make(map[string]bool, len(codes))
	for _, c := range codes {
		known[c] = true
	}
	orphans := false
	// The distinct codes by a loose scan of the index of current figures
	// (a seek per code: SELECT DISTINCT read every entry of the index, a
	// tenth of a large project's load).
	err := each(ctx, tx, `WITH RECURSIVE d(c) AS (
		SELECT min(indicator) FROM measurements WHERE current = 1
		UNION ALL
		SELECT (SELECT min(indicator) FROM measurements WHERE current = 1 AND indicator > d.c) FROM d WHERE d.c IS NOT NULL)
	SELECT c FROM d WHERE c IS NOT NULL`, func(r *sql.Rows) error {
		var c string
		if err := r.Scan(&c); err != nil {
			return err
		}
		orphans = orphans || !known[c]
		return nil
	})
	return orphans, err
}

// indicatorCodes lists the framework's indicator codes in framework order.
func indicatorCodes(ctx context.Context, tx *Tx) ([]string, error) {
	var codes []string
	err := each(ctx, tx, `SELECT code FROM indicators ORDER BY position, code`, func(r *sql.Rows) error {
		var c string
		if err := r.Scan(&c); err != nil {
			return err
		}
		codes = append(codes, c)
		return nil
	})
	return codes, err
}

// History returns every stored revision of indicator code's figures (of
// period p only, when p is not nil), oldest first within each figure,
// figures ordered by period then disaggregation. Each revision names the
// import it came from, when it ran, and whether it is current. An
// indicator that is not in the framework is an ErrUnknownCode error.
func (db *DB) History(ctx context.Context, code string, p *indicators.Period) ([]indicators.Revision, error) {
	q := `SELECT ` + figureSelect + `, m.revision, m.batch_id, b.imported_at, m.current
		FROM measurements m JOIN imports b ON b.id = m.batch_id LEFT JOIN indicators i ON i.code = m.indicator
		WHERE m.indicator = ?`
	args := []any{code}
	if p != nil {
		q += ` AND m.period = ?`
		args = append(args, indicators.Normalize(*p).String())
	}
	var out []indicators.Revision
	cache := periodCache{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		err := each(ctx, tx, q+figureOrder+`, m.revision`, func(r *sql.Rows) error {
			var rev indicators.Revision
			if err := cache.scanRevision(r, &rev, &rev.Current); err != nil {
				return err
			}
			out = append(out, rev)
			return nil
		}, args...)
		if err != nil || len(out) > 0 {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM indicators WHERE code = ?`, code).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: %q is not an indicator of the framework", indicators.ErrUnknownCode, code)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", code, err)
	}
	return out, nil
}

// where is the WHERE clause (with its arguments) selecting the current
// figures of measurements m that f selects.
func filterWhere(f MeasurementFilter) (string, []any) {
	where := ` WHERE m.current = 1`
	var args []any
	if f.Indicator != "" {
		where += ` AND m.indicator = ?`
		args = append(args, f.Indicator)
	}
	if !f.Upto.IsZero() {
		where += ` AND m.period_end <= ?`
		args = append(args, date(f.Upto))
	}
	return where, args
}
