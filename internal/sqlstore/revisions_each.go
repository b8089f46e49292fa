package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// EachCurrentRevisions calls fn with the figures CurrentRevisions returns
// (each with the import it came from), one indicator at a time in the same
// order (every figure of an indicator in one call), all read in one read
// transaction: a consistent state however long fn takes. revs is reused
// once fn returns: fn must copy what it keeps of the slice (the figures'
// values, maps and strings may be kept). The donor workbook's Data sheet
// writes them as they come instead of holding a million at once. fn's
// error stops the reading and is returned as it is.
func (db *DB) EachCurrentRevisions(ctx context.Context, f MeasurementFilter, fn func(code string, revs []indicators.Revision) error) error {
	where, args := filterWhere(f)
	err := db.ReadTx(ctx, func(tx *Tx) error {
		imported, err := importTimes(ctx, tx)
		if err != nil {
			return err
		}
		codes, orphans := []string{f.Indicator}, false
		if f.Indicator == "" {
			if codes, err = indicatorCodes(ctx, tx); err != nil {
				return err
			}
			if orphans, err = hasOrphans(ctx, tx, codes); err != nil {
				return err
			}
		}
		if orphans {
			// Figures of codes that are not in the framework (the foreign
			// key keeps them out): read everything in one sorted query, as
			// CurrentRevisions does.
			q := `SELECT ` + figureSelect + `, m.revision, m.batch_id FROM measurements m LEFT JOIN indicators i ON i.code = m.indicator` +
				where + figureOrder
			return eachRevisionGroup(ctx, tx, q, args, imported, true, fn)
		}
		return db.eachCurrentByCode(ctx, tx, where, args, codes, imported, fn)
	})
	return callerErr(err, "load figures with their imports")
}

// eachCurrentByCode reads the current figures of each of codes in turn
// (as eachMeasurements does: the index's order, the few indicators whose
// period texts do not sort by date sorted in Go) with their revision and
// import, calling fn with each indicator's.
func (db *DB) eachCurrentByCode(ctx context.Context, tx *Tx, where string, args []any, codes []string, imported map[int64]time.Time,
	fn func(string, []indicators.Revision) error) error {
	cache := periodCache{}
	var revision int
	var batch int64
	scan := cache.scanOne
	cache.one.extra = []any{&revision, &batch}
	if !db.packs() {
		scan = cache.scanPlain
		cache.plain.extra = cache.one.extra
	}
	stmt, err := tx.PrepareContext(ctx, `SELECT `+db.figureSelectOne()+`, m.revision, m.batch_id FROM measurements m`+where+
		` AND m.indicator = ? ORDER BY m.period, m.dims`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	var buf []indicators.Revision
	for _, code := range codes {
		buf = buf[:0]
		err := eachStmt(ctx, stmt, func(r *sql.Rows) error {
			buf = append(buf, indicators.Revision{Measurement: indicators.Measurement{Indicator: code}, Current: true})
			rev := &buf[len(buf)-1]
			if err := scan(r, &rev.Measurement); err != nil {
				return err
			}
			return setImport(rev, revision, batch, imported)
		}, append(args, code)...)
		if err != nil {
			return fmt.Errorf("figures of %s: %w", code, err)
		}
		if err := cache.check(ctx, tx, code); err != nil {
			return err
		}
		cmp := func(a, b indicators.Revision) int { return compareFigures(a.Measurement, b.Measurement) }
		if !slices.IsSortedFunc(buf, cmp) {
			slices.SortStableFunc(buf, cmp)
		}
		if len(buf) > 0 {
			if err := fn(code, buf); err != nil {
				return fnError{err}
			}
		}
	}
	return nil
}

// EachRevisionsIn calls fn with the figures RevisionsIn returns for state
// s (current then, with their imports), one indicator at a time in the
// same order: the codes outside order first (by code), then by the
// position of their indicator in order; every figure of an indicator in
// one call, all read in one read transaction. revs is reused once fn
// returns, and fn's error is returned as it is (as EachCurrentRevisions).
func (db *DB) EachRevisionsIn(ctx context.Context, s State, upto time.Time, order []string, fn func(code string, revs []indicators.Revision) error) error {
	q := `SELECT ` + figureSelect + `, m.revision, m.batch_id FROM measurements m WHERE` + asOfFigures + ` AND m.indicator = ?`
	args := []any{s.Batch, s.Batch}
	if !upto.IsZero() {
		q += ` AND m.period_end <= ?`
	}
	q += ` ORDER BY m.period_end, m.period_start, m.period, m.dims`
	err := db.ReadTx(ctx, func(tx *Tx) error {
		imported, err := importTimes(ctx, tx)
		if err != nil {
			return err
		}
		// The codes of figures outside order come first, as RevisionsIn
		// sorts them (by code, then the others by their place in order).
		in := make(map[string]bool, len(order))
		for _, c := range order {
			in[c] = true
		}
		var codes []string
		err = each(ctx, tx, `SELECT DISTINCT indicator FROM measurements WHERE batch_id <= ? ORDER BY indicator`, func(r *sql.Rows) error {
			var c string
			if err := r.Scan(&c); err != nil {
				return err
			}
			if !in[c] {
				codes = append(codes, c)
			}
			return nil
		}, s.Batch)
		if err != nil {
			return err
		}
		codes = append(codes, order...)
		stmt, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer stmt.Close()
		cache := periodCache{}
		var buf []indicators.Revision
		var revision int
		var batch int64
		for _, code := range codes {
			buf = buf[:0]
			a := append(args, code)
			if !upto.IsZero() {
				a = append(a, date(upto))
			}
			err := eachStmt(ctx, stmt, func(r *sql.Rows) error {
				buf = append(buf, indicators.Revision{})
				rev := &buf[len(buf)-1]
				if err := cache.scanFigure(r, &rev.Measurement, &revision, &batch); err != nil {
					return err
				}
				return setImport(rev, revision, batch, imported)
			}, a...)
			if err != nil {
				return fmt.Errorf("figures of %s: %w", code, err)
			}
			if len(buf) > 0 {
				if err := fn(code, buf); err != nil {
					return fnError{err}
				}
			}
		}
		return nil
	})
	return callerErr(err, "figures at "+s.At.Format(time.RFC3339))
}

// eachRevisionGroup runs q (figureSelect's columns, the revision and the
// batch, sorted by indicator) and calls fn with each indicator's figures.
func eachRevisionGroup(ctx context.Context, tx *Tx, q string, args []any, imported map[int64]time.Time, current bool,
	fn func(string, []indicators.Revision) error) error {
	cache := periodCache{}
	var buf []indicators.Revision
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		if err := fn(buf[0].Indicator, buf); err != nil {
			return fnError{err}
		}
		buf = buf[:0]
		return nil
	}
	var revision int
	var batch int64
	err := each(ctx, tx, q, func(r *sql.Rows) error {
		var rev indicators.Revision
		if err := cache.scanFigure(r, &rev.Measurement, &revision, &batch); err != nil {
			return err
		}
		if err := setImport(&rev, revision, batch, imported); err != nil {
			return err
		}
		rev.Current = current
		if len(buf) > 0 && buf[0].Indicator != rev.Indicator {
			if err := flush(); err != nil {
				return err
			}
		}
		buf = append(buf, rev)
		return nil
	}, args...)
	if err != nil {
		return err
	}
	return flush()
}

// importTimes maps each import's id to the time it ran.
func importTimes(ctx context.Context, tx *Tx) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	err := each(ctx, tx, `SELECT id, imported_at FROM imports`, func(r *sql.Rows) error {
		var id int64
		var at string
		if err := r.Scan(&id, &at); err != nil {
			return err
		}
		t, err := parseImported(id, at)
		out[id] = t
		return err
	})
	return out, err
}

// setImport sets rev's revision, batch and import time.
func setImport(rev *indicators.Revision, revision int, batch int64, imported map[int64]time.Time) error {
	at, ok := imported[batch]
	if !ok {
		return fmt.Errorf("%w: figure of %s %s: its import %d is not in the database", indicators.ErrInvalid, rev.Indicator, rev.Period, batch)
	}
	rev.Revision, rev.BatchID, rev.Imported = revision, batch, at
	return nil
}

// EachMeasurementsOf is EachMeasurements for the indicators codes only,
// in the order of codes (a code named twice is given twice; one without
// figures is not given): the IATI export reads its figures in the order
// of its results, each written as soon as its indicators' figures are
// read. f.Indicator must be empty (name the indicator in codes).
func (db *DB) EachMeasurementsOf(ctx context.Context, f MeasurementFilter, codes []string, fn func(code string, figs []indicators.Measurement) error) error {
	if f.Indicator != "" {
		return fmt.Errorf("load figures: the filter names indicator %s: name it in the codes instead", f.Indicator)
	}
	if len(codes) == 0 {
		return nil
	}
	var buf []indicators.Measurement
	return db.eachMeasurements(ctx, f, codes, &buf, true, fn)
}

// LatestFigureEnd is the latest end of a current figure's period (zero
// when there are none): the IATI export's period and the latest report's
// quarter, without loading the figures.
func (db *DB) LatestFigureEnd(ctx context.Context) (time.Time, error) {
	var end sql.NullString
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT max(period_end) FROM measurements WHERE current = 1`).Scan(&end)
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("latest figure: %w", err)
	}
	if !end.Valid {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, end.String)
	if err != nil {
		return t, fmt.Errorf("%w: latest figure: stored period end %q, expected YYYY-MM-DD", indicators.ErrInvalid, end.String)
	}
	return t, nil
}
