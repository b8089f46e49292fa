package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// ExpenditureImport is an expenditure file being imported. Expenditures
// are staged by AddExpenditure (in memory: finance exports are small) and
// written by Finish in one transaction, with the same guarantees as
// measurement imports: nothing is written when any row is refused, a file
// imported twice changes nothing, a changed amount is a new revision and
// the old one is kept, and the import is recorded as a batch of Kind
// "expenditures".
//
// An expenditure is identified by budget line, result, category, period
// and reference (indicators.Expenditure.Key). Rows of one file with the
// same key and no reference are separate transactions of one day or
// period: they are added up. Rows with the same key and reference are the
// same transaction: given twice with different amounts they are refused.
type ExpenditureImport struct {
	db       *DB
	ctx      context.Context
	batch    indicators.Batch
	staged   []indicators.Expenditure
	rejected rejects
	rowsRead int
	done     bool
	again    bool // the file's bytes had been imported when Finish took the write lock
	force    bool // ImportAgain: write even then
}

// Compile-time check: the store is the expenditure importers' sink.
var _ indicators.ExpenditureSink = (*ExpenditureImport)(nil)

// BeginExpenditureImport starts importing one expenditure file described by
// b (File and SHA256; Kind is set to "expenditures"). Add the rows with
// AddExpenditure, then Finish; call Rollback (safe after Finish) in a defer.
func (db *DB) BeginExpenditureImport(ctx context.Context, b indicators.Batch) (*ExpenditureImport, error) {
	if strings.TrimSpace(b.File) == "" {
		return nil, fmt.Errorf("%w: import: no file name", indicators.ErrRequired)
	}
	b.Kind = "expenditures"
	b.ID, b.Added, b.Changed, b.Unchanged = 0, 0, 0, 0
	return &ExpenditureImport{db: db, ctx: ctx, batch: b, rowsRead: b.RowsRead}, nil
}

// SetRowsRead records how many data rows the importer read.
func (im *ExpenditureImport) SetRowsRead(n int) { im.rowsRead = n }

// ImportAgain makes Finish write the file even when its bytes had been
// imported before.
func (im *ExpenditureImport) ImportAgain() { im.force = true }

// ImportedBefore reports, after Finish, whether a file with the batch's
// SHA-256 had been imported when Finish took the write lock: of two imports
// of the same file at once, the second sees the first. Finish then wrote
// nothing unless ImportAgain was called (it counted as a dry run does).
func (im *ExpenditureImport) ImportedBefore() bool { return im.again }

// AddExpenditure stages one expenditure. One that cannot be stored (no
// result, line or category; an invalid period; an amount that is negative
// or not finite) is refused with a *indicators.CellError naming its cell;
// Finish then refuses the whole file.
func (im *ExpenditureImport) AddExpenditure(e indicators.Expenditure) error {
	if im.done {
		return ErrImportDone
	}
	if err := checkExpenditure(e); err != nil {
		im.rejected.add(err)
		return err
	}
	e.Period = indicators.Normalize(e.Period)
	im.staged = append(im.staged, e)
	return nil
}

func checkExpenditure(e indicators.Expenditure) error {
	l := e.Loc
	if e.Result == "" && e.Line == "" && e.Category == "" {
		return l.Errorf("result", indicators.ErrRequired, "expenditure without a result, budget line or category")
	}
	if !e.Period.Valid() {
		return l.Errorf("period", indicators.ErrInvalid, "period %q is not a valid period", e.Period.String())
	}
	if math.IsNaN(e.Amount) || math.IsInf(e.Amount, 0) || e.Amount < 0 || indicators.CheckValue(e.Amount) != nil {
		return l.Errorf("amount", indicators.ErrOutOfRange, "amount %s, expected an amount from 0 to 1e15", indicators.FormatValueShort(e.Amount))
	}
	return nil
}

// Rollback abandons the import; safe after Finish.
func (im *ExpenditureImport) Rollback() error {
	im.done = true
	return nil
}

// Finish writes the staged expenditures, unless dryRun, in one
// transaction, and returns the batch with Added, Changed and Unchanged
// counted over expenditures (after adding up same-key rows). An import that
// adds or changes nothing records nothing (ID 0). Problems (rows refused by
// AddExpenditure, results not in the framework, one transaction given
// twice with different amounts) come back as indicators.Problems and
// nothing is written.
func (im *ExpenditureImport) Finish(dryRun bool) (indicators.Batch, error) {
	if im.done {
		return indicators.Batch{}, ErrImportDone
	}
	im.done = true
	if p := im.rejected.problems(im.batch.File, "rows"); p != nil {
		return indicators.Batch{}, p
	}
	rows, probs := im.merged()
	b := im.batch
	b.RowsRead = im.rowsRead
	if b.RowsRead == 0 {
		b.RowsRead = len(im.staged)
	}
	b.Imported = im.db.Now().UTC().Round(0)
	err := im.db.Tx(im.ctx, func(tx *Tx) error {
		if b.SHA256 != "" {
			var n int
			if err := tx.QueryRowContext(im.ctx, `SELECT count(*) FROM imports WHERE sha256 = ?`, b.SHA256).Scan(&n); err != nil {
				return fmt.Errorf("look up earlier imports: %w", err)
			}
			if im.again = n > 0; im.again && !im.force {
				dryRun = true // counted as a dry run would, nothing written
			}
		}
		if err := unknownResults(im.ctx, tx, rows, &probs); err != nil {
			return err
		}
		if len(probs) > 0 {
			return probs
		}
		todo, err := planExpenditures(im.ctx, tx, rows, &b)
		if err != nil {
			return err
		}
		if dryRun || len(todo) == 0 {
			return errDryRun
		}
		return writeExpenditures(im.ctx, tx, todo, &b)
	})
	if errors.Is(err, errDryRun) {
		b.ID = 0
		return b, nil
	}
	if err != nil {
		var p indicators.Problems
		if errors.As(err, &p) {
			return indicators.Batch{}, p
		}
		return indicators.Batch{}, fmt.Errorf("import %s: %w", b.File, err)
	}
	return b, nil
}

// merged adds up the staged rows of one key (a transaction given twice with
// different amounts is a problem) and returns them in the file's order.
func (im *ExpenditureImport) merged() ([]indicators.Expenditure, indicators.Problems) {
	type merged struct {
		e     indicators.Expenditure
		first indicators.Loc
	}
	var order []string
	byKey := map[string]*merged{}
	var probs indicators.Problems
	for _, e := range im.staged {
		k := e.Key()
		m, ok := byKey[k]
		if !ok {
			byKey[k] = &merged{e: e, first: e.Loc}
			order = append(order, k)
			continue
		}
		if e.Reference == "" {
			m.e.Amount += e.Amount
			if m.e.Description == "" {
				m.e.Description = e.Description
			}
			continue
		}
		if e.Amount != m.e.Amount || e.Description != m.e.Description {
			if len(probs) < maxListed {
				probs = append(probs, e.Loc.Errorf("amount", indicators.ErrDuplicate,
					"transaction %s of %s %s is also at %s with amount %s, here %s: give each transaction once",
					e.Reference, expWhat(e), e.Period, where(m.first), indicators.FormatAmount(m.e.Amount), indicators.FormatAmount(e.Amount)))
			}
		}
	}
	rows := make([]indicators.Expenditure, len(order))
	for i, k := range order {
		rows[i] = byKey[k].e
	}
	return rows, probs
}

// unknownResults adds a problem for each row whose result is not one of
// the framework's.
func unknownResults(ctx context.Context, tx *Tx, rows []indicators.Expenditure, probs *indicators.Problems) error {
	results := map[string]bool{}
	if err := each(ctx, tx, `SELECT code FROM results`, func(r *sql.Rows) error {
		var c string
		if err := r.Scan(&c); err != nil {
			return err
		}
		results[c] = true
		return nil
	}); err != nil {
		return err
	}
	for _, e := range rows {
		if e.Result != "" && !results[e.Result] && len(*probs) < maxListed {
			*probs = append(*probs, e.Loc.Errorf("result", indicators.ErrUnknownCode, "result %q is not a result of the framework", e.Result))
		}
	}
	return nil
}

// expenditureWrite is a row to store: new (oldID 0) or a new revision of
// the current one.
type expenditureWrite struct {
	e      indicators.Expenditure
	oldID  int64
	oldRev int
}

// planExpenditures compares each row with the current one of its key,
// counting b's added, changed and unchanged, and returns what to write.
func planExpenditures(ctx context.Context, tx *Tx, rows []indicators.Expenditure, b *indicators.Batch) ([]expenditureWrite, error) {
	var todo []expenditureWrite
	for _, e := range rows {
		var id int64
		var rev int
		var amount float64
		var desc string
		err := tx.QueryRowContext(ctx, `SELECT id, revision, amount, description FROM expenditures
			WHERE line = ? AND result = ? AND category = ? AND period = ? AND reference = ? AND current = 1`,
			e.Line, e.Result, e.Category, e.Period.String(), e.Reference).Scan(&id, &rev, &amount, &desc)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			b.Added++
			todo = append(todo, expenditureWrite{e: e})
		case err != nil:
			return nil, err
		case amount == e.Amount && desc == e.Description:
			b.Unchanged++
		default:
			b.Changed++
			todo = append(todo, expenditureWrite{e: e, oldID: id, oldRev: rev})
		}
	}
	return todo, nil
}

// writeExpenditures records the import b and stores each row of todo, the
// revision it replaces no longer current.
func writeExpenditures(ctx context.Context, tx *Tx, todo []expenditureWrite, b *indicators.Batch) error {
	if err := recordImport(ctx, tx, b); err != nil {
		return fmt.Errorf("record import: %w", err)
	}
	for _, a := range todo {
		if a.oldID != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE expenditures SET current = 0 WHERE id = ?`, a.oldID); err != nil {
				return err
			}
		}
		e := a.e
		if _, err := tx.ExecContext(ctx, `INSERT INTO expenditures (line, result, category, period, period_kind, period_start,
			period_end, reference, amount, currency, description, batch_id, file, sheet, row, revision, current)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, e.Line, e.Result, e.Category, e.Period.String(), int(e.Period.Kind),
			date(e.Period.Start), date(e.Period.End), e.Reference, e.Amount, e.Currency, e.Description, b.ID,
			e.Loc.File, e.Loc.Sheet, e.Loc.Row, a.oldRev+1); err != nil {
			return fmt.Errorf("store expenditure at %s: %w", where(e.Loc), err)
		}
	}
	return nil
}

func expWhat(e indicators.Expenditure) string {
	switch {
	case e.Line != "":
		return "budget line " + e.Line
	case e.Result != "":
		return "result " + e.Result
	}
	return e.Category
}

const expSelect = `e.line, e.result, e.category, e.period, e.period_kind, e.period_start, e.period_end, e.reference, e.amount,
	e.currency, e.description, e.file, e.sheet, e.row`

func scanExpenditure(r *sql.Rows, cache *periodCache, e *indicators.Expenditure, extra ...any) error {
	var per, start, end string
	var kind int
	dest := []any{&e.Line, &e.Result, &e.Category, &per, &kind, &start, &end, &e.Reference, &e.Amount, &e.Currency,
		&e.Description, &e.Loc.File, &e.Loc.Sheet, &e.Loc.Row}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	p, err := cache.period(per, kind, start, end)
	if err != nil {
		return fmt.Errorf("expenditure at %s: %w", where(e.Loc), err)
	}
	e.Period = p
	return nil
}

// Expenditures returns the current expenditures whose period ends on or
// before upto (all when upto is zero), by period then budget line, result
// and category.
func (db *DB) Expenditures(ctx context.Context, upto time.Time) ([]indicators.Expenditure, error) {
	out, err := db.expenditures(ctx, `e.current = 1`, nil, upto)
	if err != nil {
		return nil, fmt.Errorf("load expenditures: %w", err)
	}
	return out, nil
}

// expenditures returns the expenditures that where (a condition on the
// expenditures e, with its args) selects and whose period ends on or before
// upto (all when upto is zero), by period then budget line, result and
// category: Expenditures (now) and ExpendituresIn (in a past state).
func (db *DB) expenditures(ctx context.Context, where string, args []any, upto time.Time) ([]indicators.Expenditure, error) {
	q := `SELECT ` + expSelect + ` FROM expenditures e WHERE ` + where
	if !upto.IsZero() {
		q += ` AND e.period_end <= ?`
		args = append(args, date(upto))
	}
	q += ` ORDER BY e.period_end, e.period_start, e.line, e.result, e.category, e.reference`
	var out []indicators.Expenditure
	cache := periodCache{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return each(ctx, tx, q, func(r *sql.Rows) error {
			var e indicators.Expenditure
			if err := scanExpenditure(r, &cache, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		}, args...)
	})
	return out, err
}

// ExpenditureHistory returns every stored revision of the expenditures of
// result or budget line code ("" for all), oldest first within each
// expenditure, with the import each came from.
func (db *DB) ExpenditureHistory(ctx context.Context, code string) ([]indicators.ExpenditureRevision, error) {
	q := `SELECT ` + expSelect + `, e.revision, e.batch_id, b.imported_at, e.current
		FROM expenditures e JOIN imports b ON b.id = e.batch_id`
	var args []any
	if code != "" {
		q += ` WHERE e.result = ? OR e.line = ?`
		args = append(args, code, code)
	}
	q += ` ORDER BY e.period_end, e.period_start, e.line, e.result, e.category, e.reference, e.revision`
	var out []indicators.ExpenditureRevision
	cache := periodCache{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return each(ctx, tx, q, func(r *sql.Rows) error {
			var rev indicators.ExpenditureRevision
			var at string
			if err := scanExpenditure(r, &cache, &rev.Expenditure, &rev.Revision, &rev.BatchID, &at, &rev.Current); err != nil {
				return err
			}
			var err error
			if rev.Imported, err = parseImported(rev.BatchID, at); err != nil {
				return err
			}
			out = append(out, rev)
			return nil
		}, args...)
	})
	if err != nil {
		return nil, fmt.Errorf("expenditure history: %w", err)
	}
	return out, nil
}
