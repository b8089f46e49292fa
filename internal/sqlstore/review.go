package sqlstore

// The reporting cycle (issue 16, migration 016_i16_review_versions.sql):
// figures are submitted when imported, then approved or returned by the
// officer; a reported period is locked, and an import that would add or
// change a figure of a locked period is refused until the period is
// unlocked (a figure that had not arrived is added, and reports list it).
// Every approval, return, lock and unlock is an entry of the
// append-only review_log, with who, when and why.

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// stampLayout is the fixed-width UTC time of review_log.recorded_at and
// framework_versions.saved_at, so that the texts sort by time.
const stampLayout = "2006-01-02T15:04:05.000000000Z"

func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

func parseStamp(s string) (time.Time, error) {
	t, err := time.Parse(stampLayout, s)
	if err != nil {
		return t, fmt.Errorf("%w: stored time %q, expected %s", indicators.ErrInvalid, s, stampLayout)
	}
	return t, nil
}

// lockedError is an ErrLocked error with its own message.
type lockedError struct{ msg string }

func (e *lockedError) Error() string { return e.msg }
func (e *lockedError) Unwrap() error { return ErrLocked }

// logCols are the columns scanEntry reads, from review_log l.
const logCols = `l.id, l.action, l.period, l.period_kind, l.period_start, l.period_end, l.indicator, l.file, l.figures,
	l.forced, l.unapproved, l.reason, l.actor, l.recorded_at`

func scanEntry(r interface{ Scan(...any) error }, cache *periodCache, e *ReviewEntry) error {
	var per, start, end, at string
	var kind int
	if err := r.Scan(&e.ID, &e.Action, &per, &kind, &start, &end, &e.Indicator, &e.File, &e.Figures,
		&e.Forced, &e.Unapproved, &e.Reason, &e.Actor, &at); err != nil {
		return err
	}
	p, err := cache.period(per, kind, start, end)
	if err != nil {
		return fmt.Errorf("review log entry %d: %w", e.ID, err)
	}
	e.Period = p
	if e.At, err = parseStamp(at); err != nil {
		return fmt.Errorf("review log entry %d: %w", e.ID, err)
	}
	return nil
}

// ReviewLog returns the whole review log, oldest first.
func (db *DB) ReviewLog(ctx context.Context) ([]ReviewEntry, error) {
	var out []ReviewEntry
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = reviewLog(ctx, tx, ``)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load the review log: %w", err)
	}
	return out, nil
}

func reviewLog(ctx context.Context, tx *Tx, where string, args ...any) ([]ReviewEntry, error) {
	var out []ReviewEntry
	cache := periodCache{}
	err := each(ctx, tx, `SELECT `+logCols+` FROM review_log l `+where+` ORDER BY l.id`, func(r *sql.Rows) error {
		var e ReviewEntry
		if err := scanEntry(r, &cache, &e); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	}, args...)
	return out, err
}

// currentLocks is the query of the locks in force after log entry upto
// (every entry when upto is 0): periods whose latest lock or unlock is a lock.
const currentLocks = `SELECT ` + logCols + ` FROM review_log l WHERE l.action = 'lock' AND l.id = (
	SELECT max(k.id) FROM review_log k WHERE k.period = l.period AND k.action IN ('lock', 'unlock') AND (? = 0 OR k.id <= ?))`

// Locks returns the periods locked now, in the order they were locked.
func (db *DB) Locks(ctx context.Context) ([]ReviewEntry, error) {
	var out []ReviewEntry
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = locks(ctx, tx, 0)
		return err
	})
	return out, err
}

func locks(ctx context.Context, tx *Tx, upto int64) ([]ReviewEntry, error) {
	var out []ReviewEntry
	cache := periodCache{}
	err := each(ctx, tx, currentLocks+` ORDER BY l.id`, func(r *sql.Rows) error {
		var e ReviewEntry
		if err := scanEntry(r, &cache, &e); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	}, upto, upto)
	return out, err
}

// lockOf returns the lock in force on exactly period p, or nil.
func lockOf(ctx context.Context, tx *Tx, p indicators.Period) (*ReviewEntry, error) {
	ls, err := locks(ctx, tx, 0)
	if err != nil {
		return nil, err
	}
	for i := range ls {
		if ls[i].Period.String() == p.String() {
			return &ls[i], nil
		}
	}
	return nil, nil
}

// LockOf returns the lock in force on period p (as written: 2021Q3 is not
// locked by a lock of 2021), or nil when p is not locked.
func (db *DB) LockOf(ctx context.Context, p indicators.Period) (*ReviewEntry, error) {
	var out *ReviewEntry
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = lockOf(ctx, tx, indicators.Normalize(p))
		return err
	})
	return out, err
}

// ReviewFigures returns the current figures sel selects with their review
// state, in framework order.
func (db *DB) ReviewFigures(ctx context.Context, sel FigureSelection) ([]ReviewFigure, error) {
	var out []ReviewFigure
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = reviewFigures(ctx, tx, sel, 0, 0)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("figures of %s: %w", sel, err)
	}
	return out, nil
}

// reviewFigures reads the figures sel selects with their state. With
// batch and entry (both > 0) it reads them as they stood when import batch
// and log entry entry were the latest: the figures then current and the
// states then set.
func reviewFigures(ctx context.Context, tx *Tx, sel FigureSelection, batch, entry int64) ([]ReviewFigure, error) {
	p := indicators.Normalize(sel.Period)
	q := `SELECT ` + figureSelect + `, m.revision, m.batch_id, b.imported_at, m.id
		FROM measurements m JOIN imports b ON b.id = m.batch_id LEFT JOIN indicators i ON i.code = m.indicator
		WHERE m.period_start >= ? AND m.period_end <= ?`
	args := []any{date(p.Start), date(p.End)}
	if batch > 0 {
		q += ` AND m.batch_id <= ? AND m.revision = (SELECT max(k.revision) FROM measurements k
			WHERE k.indicator = m.indicator AND k.period = m.period AND k.dims = m.dims AND k.batch_id <= ?)`
		args = append(args, batch, batch)
	} else {
		q += ` AND m.current = 1`
	}
	if sel.Indicator != "" {
		q += ` AND m.indicator = ?`
		args = append(args, sel.Indicator)
	}
	var out []ReviewFigure
	byID := map[int64]int{}
	cache := periodCache{}
	err := each(ctx, tx, q+figureOrder, func(r *sql.Rows) error {
		var f ReviewFigure
		var at string
		var id int64
		if err := cache.scanFigure(r, &f.Measurement, &f.Revision.Revision, &f.BatchID, &at, &id); err != nil {
			return err
		}
		if !sel.MatchFile(f.Loc.File) {
			return nil
		}
		var err error
		if f.Imported, err = parseImported(f.BatchID, at); err != nil {
			return err
		}
		f.ID, f.Current, f.State = id, true, StateSubmitted
		byID[id] = len(out)
		out = append(out, f)
		return nil
	}, args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	// The latest approval or return of each figure sets its state.
	sq := `SELECT rf.measurement, ` + logCols + ` FROM review_figures rf JOIN review_log l ON l.id = rf.entry
		JOIN measurements m ON m.id = rf.measurement
		WHERE m.period_start >= ? AND m.period_end <= ?`
	sargs := []any{date(p.Start), date(p.End)}
	if entry > 0 {
		sq += ` AND l.id <= ?`
		sargs = append(sargs, entry)
	}
	err = each(ctx, tx, sq+` ORDER BY l.id`, func(r *sql.Rows) error {
		var id int64
		var e ReviewEntry
		if err := scanEntry(&leading{r: r, dest: []any{&id}}, &cache, &e); err != nil {
			return err
		}
		if i, ok := byID[id]; ok {
			out[i].Entry = &e
			out[i].State = StateApproved
			if e.Action == ActReturn {
				out[i].State = StateReturned
			}
		}
		return nil
	}, sargs...)
	return out, err
}

// Review approves (ActApprove) or returns (ActReturn) the current figures
// sel selects, recording one log entry by actor with reason (required to
// return). Figures already in that state are left as they are; when every
// figure is, nothing is written. A selection that matches no figure is an
// error.
func (db *DB) Review(ctx context.Context, action string, sel FigureSelection, reason, actor string) (ReviewResult, error) {
	var res ReviewResult
	if action != ActApprove && action != ActReturn {
		return res, fmt.Errorf("%w: review action %q, expected approve or return", indicators.ErrInvalid, action)
	}
	reason, actor = strings.TrimSpace(reason), strings.TrimSpace(actor)
	if action == ActReturn && reason == "" {
		return res, fmt.Errorf("%w: returning figures needs a reason (--reason TEXT) that the partner's next file must answer", indicators.ErrRequired)
	}
	if actor == "" {
		return res, fmt.Errorf("%w: no name to record the %s under", indicators.ErrRequired, action)
	}
	want := StateApproved
	if action == ActReturn {
		want = StateReturned
	}
	now := db.Now()
	err := db.Tx(ctx, func(tx *Tx) error {
		res = ReviewResult{}
		if sel.Indicator != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM indicators WHERE code = ?`, sel.Indicator).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("%w: --indicator %q is not an indicator of the framework", indicators.ErrUnknownCode, sel.Indicator)
			}
		}
		figs, err := reviewFigures(ctx, tx, sel, 0, 0)
		if err != nil {
			return err
		}
		res.Selected = len(figs)
		if len(figs) == 0 {
			return fmt.Errorf("%w: no figures of %s in the database: nothing to %s", indicators.ErrRequired, sel, action)
		}
		for _, f := range figs {
			if f.State == want {
				res.Already++
			} else {
				res.Changed = append(res.Changed, f)
			}
		}
		if len(res.Changed) == 0 {
			return nil
		}
		e := ReviewEntry{Action: action, Period: indicators.Normalize(sel.Period), Indicator: sel.Indicator, File: sel.File,
			Figures: len(res.Changed), Reason: reason, Actor: actor, At: now.UTC()}
		if err := insertEntry(ctx, tx, &e); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO review_figures (entry, measurement) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, f := range res.Changed {
			if _, err := stmt.ExecContext(ctx, e.ID, f.ID); err != nil {
				return err
			}
		}
		res.Entry = &e
		return nil
	})
	if err != nil {
		return ReviewResult{}, fmt.Errorf("%s %s: %w", action, sel, err)
	}
	return res, nil
}

func insertEntry(ctx context.Context, tx *Tx, e *ReviewEntry) error {
	p := e.Period
	var err error
	e.ID, err = tx.insertID(ctx, `INSERT INTO review_log (action, period, period_kind, period_start, period_end, indicator, file,
		figures, forced, unapproved, reason, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Action, p.String(), int(p.Kind), date(p.Start), date(p.End), e.Indicator, e.File, e.Figures, b2i(e.Forced), e.Unapproved,
		e.Reason, e.Actor, stamp(e.At))
	return err
}

// Lock locks period p by actor with reason: from then on an import that
// would change a figure of a period within p is refused. A period
// with figures not approved is refused unless force, which needs a reason.
func (db *DB) Lock(ctx context.Context, p indicators.Period, reason, actor string, force bool) (ReviewEntry, error) {
	p = indicators.Normalize(p)
	reason, actor = strings.TrimSpace(reason), strings.TrimSpace(actor)
	e := ReviewEntry{Action: ActLock, Period: p, Reason: reason, Actor: actor, At: db.Now().UTC()}
	if force && reason == "" {
		return e, fmt.Errorf("%w: lock %s: --force needs a reason (--reason TEXT) saying why unapproved figures are locked", indicators.ErrRequired, p)
	}
	if actor == "" {
		return e, fmt.Errorf("%w: no name to record the lock under", indicators.ErrRequired)
	}
	err := db.Tx(ctx, func(tx *Tx) error {
		l, err := lockOf(ctx, tx, p)
		if err != nil {
			return err
		}
		if l != nil {
			return &lockedError{fmt.Sprintf("period %s is already locked (%s)", p, l.Describe())}
		}
		figs, err := reviewFigures(ctx, tx, FigureSelection{Period: p}, 0, 0)
		if err != nil {
			return err
		}
		var open []ReviewFigure
		for _, f := range figs {
			if f.State != StateApproved {
				open = append(open, f)
			}
		}
		if len(open) > 0 && !force {
			return &UnapprovedError{Period: p, Figures: open}
		}
		e.Forced, e.Unapproved = len(open) > 0, len(open)
		return insertEntry(ctx, tx, &e)
	})
	if err != nil {
		return e, err
	}
	return e, nil
}

// Unlock reopens locked period p by actor, with a reason (required).
func (db *DB) Unlock(ctx context.Context, p indicators.Period, reason, actor string) (ReviewEntry, error) {
	p = indicators.Normalize(p)
	reason, actor = strings.TrimSpace(reason), strings.TrimSpace(actor)
	e := ReviewEntry{Action: ActUnlock, Period: p, Reason: reason, Actor: actor, At: db.Now().UTC()}
	if reason == "" {
		return e, fmt.Errorf("%w: unlock %s: reopening a locked period needs a reason (--reason TEXT)", indicators.ErrRequired, p)
	}
	if actor == "" {
		return e, fmt.Errorf("%w: no name to record the unlock under", indicators.ErrRequired)
	}
	err := db.Tx(ctx, func(tx *Tx) error {
		l, err := lockOf(ctx, tx, p)
		if err != nil {
			return err
		}
		if l == nil {
			return fmt.Errorf("%w: period %s is not locked", indicators.ErrInvalid, p)
		}
		return insertEntry(ctx, tx, &e)
	})
	if err != nil {
		return e, err
	}
	return e, nil
}

// checkLocks refuses the staged figures that would change a figure of a
// locked period, naming each figure, the lock and how to reopen it. A
// figure the period did not have yet (a late return) is added: the report
// of the period lists it as arrived after the period was reported.
func (im *Import) checkLocks() error {
	ctx, tx := im.ctx, im.tx
	ls, err := locks(ctx, tx, 0)
	if err != nil || len(ls) == 0 {
		return err
	}
	var p indicators.Problems
	n := 0
	seen := map[int64]bool{} // a figure under two locks (2021 and 2021Q3) is named once
	for _, l := range ls {
		err := each(ctx, tx, `SELECT s.seq, s.indicator, s.period, s.dims, s.value, s.text, s.file, s.sheet, s.row, s.cell, m.value, m.text
			FROM staged s LEFT JOIN measurements m ON m.id = s.old_id
			WHERE s.old_id IS NOT NULL AND s.same = 0 AND s.period_start >= ? AND s.period_end <= ? ORDER BY s.seq`,
			func(r *sql.Rows) error {
				var seq int64
				var code, per, dims, text, cell string
				var oldText sql.NullString
				var value, old sql.NullFloat64
				var loc indicators.Loc
				if err := r.Scan(&seq, &code, &per, &dims, &value, &text, &loc.File, &loc.Sheet, &loc.Row, &cell, &old, &oldText); err != nil {
					return err
				}
				if seen[seq] {
					return nil
				}
				seen[seq] = true
				if n++; n > maxListed {
					return nil
				}
				if cell != "" {
					loc.Cells = map[string]string{"value": cell}
				}
				if dims == "" {
					dims = "total"
				}
				change := "would change " + showValue(old, oldText.String) + " to " + showValue(value, text)
				p = append(p, loc.Errorf("value", ErrLocked, "indicator %s, period %s, %s: %s, but period %s is locked (%s); to change it, reopen the period with: rmf unlock --period %s --reason TEXT",
					code, per, dims, change, l.Period, l.Describe(), l.Period))
				return nil
			}, date(l.Period.Start), date(l.Period.End))
		if err != nil {
			return fmt.Errorf("import %s: check locked periods: %w", im.batch.File, err)
		}
	}
	if n > maxListed {
		p = append(p, fmt.Errorf("%w: %s: and %d more figures of locked periods", ErrLocked, im.batch.File, n-maxListed))
	}
	return p.Err()
}

func showValue(v sql.NullFloat64, text string) string {
	if v.Valid {
		return strconv.FormatFloat(v.Float64, 'f', -1, 64)
	}
	if text != "" {
		return strconv.Quote(text)
	}
	return "no value"
}

// Answers lists the figures import batch replaced that had been returned
// (their previous revision's latest review was a return): the partner's
// answer, submitted for approval again.
func (db *DB) Answers(ctx context.Context, batch int64) ([]Answer, error) {
	var out []Answer
	err := db.ReadTx(ctx, func(tx *Tx) error {
		cache := periodCache{}
		return each(ctx, tx, `SELECT m.indicator, m.period, m.dims, `+logCols+` FROM measurements m
			JOIN measurements o ON o.indicator = m.indicator AND o.period = m.period AND o.dims = m.dims AND o.revision = m.revision - 1
			JOIN review_log l ON l.id = (SELECT max(rf.entry) FROM review_figures rf WHERE rf.measurement = o.id)
			WHERE m.batch_id = ? AND l.action = 'return' ORDER BY m.indicator, m.period_end, m.period, m.dims`, func(r *sql.Rows) error {
			var a Answer
			var code, per, dims string
			if err := scanEntry(&leading{r: r, dest: []any{&code, &per, &dims}}, &cache, &a.Return); err != nil {
				return err
			}
			a.Indicator, a.Period, a.Dims = code, per, dims
			out = append(out, a)
			return nil
		}, batch)
	})
	return out, err
}

// leading scans the leading columns of a row into dest before handing the rest to a
// scanner written for the columns after them.
type leading struct {
	r    *sql.Rows
	dest []any
}

func (s *leading) Scan(dest ...any) error {
	return s.r.Scan(append(append([]any{}, s.dest...), dest...)...)
}
