package sqlstore

// The database as it stood at a past moment (issue 16): the figures and
// expenditures then current, the framework version then in force and the
// review log then written. Nothing stored is ever overwritten without a
// trace (figures and expenditures are revisions, the framework has
// versions, the logs only grow), so the state of any moment since the
// database was created can be read back.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// StateAt returns the state of the database at t. A t before the database
// was created is an ErrBeforeCreation error naming its creation.
func (db *DB) StateAt(ctx context.Context, t time.Time) (State, error) {
	s := State{At: t.UTC()}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var created string
		if err := tx.QueryRowContext(ctx, `SELECT min(applied_at) FROM migrations`).Scan(&created); err != nil {
			return err
		}
		c, err := time.Parse(time.RFC3339, created)
		if err != nil {
			return fmt.Errorf("%w: migration time %q", indicators.ErrInvalid, created)
		}
		s.Created = c
		if s.At.Before(c.Truncate(time.Second)) {
			return fmt.Errorf("%w: %s is before the database was created (%s): nothing was recorded then",
				ErrBeforeCreation, s.At.Format(time.RFC3339), c.Format(time.RFC3339))
		}
		if s.Batch, err = lastImportAt(ctx, tx, s.At); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM review_log WHERE recorded_at <= ?`, stamp(s.At)).Scan(&s.Entry); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM framework_versions WHERE saved_at <= ?`, stamp(s.At)).Scan(&s.Version)
	})
	if err != nil {
		return s, fmt.Errorf("the database at %s: %w", s.At.Format(time.RFC3339), err)
	}
	return s, nil
}

// StateBefore is the state just before log entry e was written (at e's
// time, without e and the entries after it): the state a report produced
// right before a lock saw.
func (db *DB) StateBefore(ctx context.Context, e ReviewEntry) (State, error) {
	s, err := db.StateAt(ctx, e.At)
	if err != nil {
		return s, err
	}
	s.Entry = e.ID - 1
	return s, nil
}

// lastImportAt is the id of the last import recorded at or before t. The
// times are RFC 3339 texts of varying length, compared as times.
func lastImportAt(ctx context.Context, tx *Tx, t time.Time) (int64, error) {
	var last int64
	err := each(ctx, tx, `SELECT id, imported_at FROM imports ORDER BY id`, func(r *sql.Rows) error {
		var id int64
		var at string
		if err := r.Scan(&id, &at); err != nil {
			return err
		}
		it, err := parseImported(id, at)
		if err != nil {
			return err
		}
		if !it.After(t) {
			last = id
		}
		return nil
	})
	return last, err
}

// FrameworkIn returns the framework version of state s.
func (db *DB) FrameworkIn(ctx context.Context, s State) (*indicators.Framework, error) {
	if s.Version == 0 {
		var n int
		err := db.ReadTx(ctx, func(tx *Tx) error {
			return tx.QueryRowContext(ctx, `SELECT count(*) FROM framework_versions`).Scan(&n)
		})
		if err != nil {
			return nil, err
		}
		if has, _ := db.HasFramework(ctx); has && n == 0 {
			return nil, fmt.Errorf("%w: this database's framework was stored before rmf kept framework versions, so its state at %s cannot be told; versions are kept from the next rmf framework import",
				ErrNoFramework, s.At.Format(time.RFC3339))
		}
		return nil, fmt.Errorf("%w: no framework had been imported at %s", ErrNoFramework, s.At.Format(time.RFC3339))
	}
	fw, id, err := db.FrameworkAt(ctx, s.At)
	if err != nil {
		return nil, err
	}
	if id != s.Version {
		return nil, fmt.Errorf("framework at %s: version %d, expected %d", s.At.Format(time.RFC3339), id, s.Version)
	}
	return fw, nil
}

// asOfFigures selects, from measurements m, the revisions current in
// state batch: the latest revision of each figure among those imported by
// then.
const asOfFigures = ` m.batch_id <= ? AND m.revision = (SELECT max(k.revision) FROM measurements k
	WHERE k.indicator = m.indicator AND k.period = m.period AND k.dims = m.dims AND k.batch_id <= ?)`

// MeasurementsIn returns the figures current in state s whose period ends
// on or before upto (all when zero), as Measurements returns the current
// ones: by the position of their indicator in order (the codes of the
// framework of s), then by period and disaggregation.
func (db *DB) MeasurementsIn(ctx context.Context, s State, upto time.Time, order []string) ([]indicators.Measurement, error) {
	revs, err := db.RevisionsIn(ctx, s, upto, order)
	if err != nil {
		return nil, err
	}
	var out []indicators.Measurement
	for _, r := range revs {
		out = append(out, r.Measurement)
	}
	return out, nil
}

// RevisionsIn is MeasurementsIn with the import each figure came from.
func (db *DB) RevisionsIn(ctx context.Context, s State, upto time.Time, order []string) ([]indicators.Revision, error) {
	q := `SELECT ` + figureSelect + `, m.revision, m.batch_id, b.imported_at
		FROM measurements m JOIN imports b ON b.id = m.batch_id WHERE` + asOfFigures
	args := []any{s.Batch, s.Batch}
	if !upto.IsZero() {
		q += ` AND m.period_end <= ?`
		args = append(args, date(upto))
	}
	var out []indicators.Revision
	cache := periodCache{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return each(ctx, tx, q+` ORDER BY m.indicator, m.period_end, m.period_start, m.period, m.dims`, func(r *sql.Rows) error {
			var rev indicators.Revision
			if err := cache.scanRevision(r, &rev); err != nil {
				return err
			}
			out = append(out, rev)
			return nil
		}, args...)
	})
	if err != nil {
		return nil, fmt.Errorf("figures at %s: %w", s.At.Format(time.RFC3339), err)
	}
	pos := make(map[string]int, len(order))
	for i, c := range order {
		pos[c] = i
	}
	rank := func(code string) int {
		if p, ok := pos[code]; ok {
			return p
		}
		return -1 // as Measurements: figures of codes outside the framework first (coalesce(i.position, 0))
	}
	slices.SortStableFunc(out, func(a, b indicators.Revision) int { return rank(a.Indicator) - rank(b.Indicator) })
	return out, nil
}

// ExpendituresIn returns the expenditures current in state s whose period
// ends on or before upto (all when zero), as Expenditures orders them.
func (db *DB) ExpendituresIn(ctx context.Context, s State, upto time.Time) ([]indicators.Expenditure, error) {
	out, err := db.expenditures(ctx, `e.batch_id <= ? AND e.revision = (SELECT max(k.revision)
		FROM expenditures k WHERE k.line = e.line AND k.result = e.result AND k.category = e.category AND k.period = e.period
		AND k.reference = e.reference AND k.batch_id <= ?)`, []any{s.Batch, s.Batch}, upto)
	if err != nil {
		return nil, fmt.Errorf("expenditures at %s: %w", s.At.Format(time.RFC3339), err)
	}
	return out, nil
}

// ReviewFiguresIn is ReviewFigures in state s: the figures then current,
// with the review states then set.
func (db *DB) ReviewFiguresIn(ctx context.Context, s State, sel FigureSelection) ([]ReviewFigure, error) {
	var out []ReviewFigure
	err := db.ReadTx(ctx, func(tx *Tx) error {
		if s.Batch == 0 {
			return nil
		}
		var err error
		out, err = reviewFigures(ctx, tx, sel, s.Batch, s.Entry)
		if s.Entry == 0 {
			// No entry yet: every figure was submitted.
			for i := range out {
				out[i].State, out[i].Entry = StateSubmitted, nil
			}
		}
		return err
	})
	return out, err
}

// ReviewLogIn is the review log of state s.
func (db *DB) ReviewLogIn(ctx context.Context, s State) ([]ReviewEntry, error) {
	var out []ReviewEntry
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = reviewLog(ctx, tx, `WHERE l.id <= ?`, s.Entry)
		return err
	})
	return out, err
}

// LocksIn are the locks in force in state s.
func (db *DB) LocksIn(ctx context.Context, s State) ([]ReviewEntry, error) {
	if s.Entry == 0 {
		return nil, nil
	}
	var out []ReviewEntry
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = locks(ctx, tx, s.Entry)
		return err
	})
	return out, err
}

// EvaluationsIn returns the evaluations as they stood in state s: those
// imported by then, each action's log cut to the entries recorded by then
// and its status recomputed from it. The matrix itself (recommendations,
// actions, deadlines) is kept as last imported; changed lists the titles of
// evaluations whose matrix was imported again after s.At, so that the
// caller can say their matrix is shown as it is now.
func (db *DB) EvaluationsIn(ctx context.Context, s State) (evs []indicators.Evaluation, changed []string, err error) {
	all, err := db.Evaluations(ctx)
	if err != nil {
		return nil, nil, err
	}
	imported := map[string]time.Time{}
	err = db.ReadTx(ctx, func(tx *Tx) error {
		return each(ctx, tx, `SELECT title, imported_at FROM evaluations`, func(r *sql.Rows) error {
			var title, at string
			if err := r.Scan(&title, &at); err != nil {
				return err
			}
			t, err := time.Parse(time.RFC3339Nano, at)
			if err != nil {
				return fmt.Errorf("%w: evaluation %q: stored time %q", indicators.ErrInvalid, title, at)
			}
			imported[title] = t
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	forever := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, ev := range all {
		seen := false
		for i := range ev.Recommendations {
			rec := &ev.Recommendations[i]
			for j := range rec.Actions {
				a := &rec.Actions[j]
				var kept []indicators.LogEntry
				for _, e := range a.Log {
					if !e.Recorded.After(s.At) {
						kept = append(kept, e)
					}
				}
				seen = seen || len(kept) > 0
				a.Log = kept
				a.Status = a.StatusAt(forever)
			}
		}
		at, ok := imported[ev.Title]
		switch {
		case ok && !at.After(s.At):
		case seen:
			changed = append(changed, ev.Title)
		default:
			continue // imported after s.At
		}
		evs = append(evs, ev)
	}
	return evs, changed, nil
}
