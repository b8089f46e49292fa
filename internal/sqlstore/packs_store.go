package sqlstore

// Figure packs in the database (packs.go): made when missing (at open, at
// each write's commit), checked against the rows.

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/rmf-project/rmf/indicators"
)

// insertPack stores an indicator's pack, replacing any (none should be
// left: the triggers drop it when a figure is written).
const insertPack = `INSERT INTO figure_packs (indicator, figures, data) VALUES (?, ?, ?)
	ON CONFLICT (indicator) DO UPDATE SET figures = excluded.figures, data = excluded.data`

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
