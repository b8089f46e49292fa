package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
)

// maxListed caps the problems an import lists of one kind; the last entry
// then says how many more there are.
const maxListed = MaxListed

// MaxListed caps the problems an import lists of one kind.
const MaxListed = 100

// Import is a file being imported: one write transaction from BeginImport
// to Finish. Figures are staged by Add into a temporary table (by the
// dialect's bulk loader, in a goroutine of its own while the file is read:
// prepared INSERTs of 16 rows in SQLite, a COPY in PostgreSQL), then merged
// into the figures by a few set-based statements in Finish, in key order.
// A first import into an empty indicator set (no current figure of any of
// the file's indicators: Fresh) skips the comparison with the current
// figures; what it stores is what the comparison would store, ids
// included. Until Finish commits, nothing is visible to
// readers; an import that is never finished (an error, Rollback, DB.Close,
// a killed process) leaves the database as it was.
//
// While an import is open it holds the database's write lock: other writers
// (in this or another process) wait for it, for as long as their context
// lives (DB.Waiting tells); readers are not blocked. An Import is used by one goroutine at a time.
type Import struct {
	db     *DB
	ctx    context.Context
	tx     *Tx
	load   Loader
	batch  indicators.Batch
	staged int
	// rowsRead is the number of data rows the importer read, when it told
	// (SetRowsRead); otherwise the batch counts the figures staged.
	rowsRead int
	rowsSet  bool
	again    bool                               // the file's bytes were imported before (ImportedBefore)
	fastPath bool                               // Finish found no current figures to compare with (fresh)
	rejected rejects                            // figures Add refused
	changes  []FigureChange                     // a dry run's figures to add or change (listChanges)
	periods  map[indicators.Period]stagedPeriod // periodCols
	packs    *importPacks                       // the figures' packs, should the import be a first one (packs.go)
	done     bool
}

// Compile-time check: the store is the importers' sink.
var _ indicators.MeasurementSink = (*Import)(nil)

// stagedCols are the columns of the temporary table staged that Add
// fills (types as SQLite names them; the dialect translates). seq is the
// order of Add, old_id, old_rev and same are set by Finish from the
// current figures.
const stagedCols = `
	seq          INTEGER PRIMARY KEY,
	indicator    TEXT NOT NULL,
	period       TEXT NOT NULL,
	period_kind  INTEGER NOT NULL,
	period_start TEXT NOT NULL,
	period_end   TEXT NOT NULL,
	dims         TEXT NOT NULL,
	value        REAL,
	text         TEXT NOT NULL,
	numerator    REAL,
	denominator  REAL,
	comment      TEXT NOT NULL,
	source       TEXT NOT NULL,
	verified     TEXT NOT NULL,
	file         TEXT NOT NULL,
	sheet        TEXT NOT NULL,
	row          INTEGER NOT NULL,
	cell         TEXT NOT NULL DEFAULT '', -- the value cell (C17), for messages
	old_id       INTEGER,
	old_rev      INTEGER,
	same         INTEGER NOT NULL DEFAULT 0
`

// stagedLoad are the columns Add gives, in order.
var stagedLoad = append(append([]string{"seq"}, strings.Split(figureCols, ", ")...), "cell")

// figureCols are the columns a figure shares between staged and measurements.
const figureCols = `indicator, period, period_kind, period_start, period_end, dims, value, text, numerator, denominator, comment, source, verified, file, sheet, row`

// sameFigure is true when figures a and b say the same thing: value, text,
// numerator, denominator, comment, source and verified all count; where
// they were read from (file, sheet, row) does not.
func sameFigure(a, b string) string {
	r := strings.NewReplacer("A.", a+".", "B.", b+".")
	return r.Replace(`(A.value IS NOT DISTINCT FROM B.value AND A.text = B.text AND A.numerator IS NOT DISTINCT FROM B.numerator AND
		A.denominator IS NOT DISTINCT FROM B.denominator AND A.comment = B.comment AND A.source = B.source AND A.verified = B.verified)`)
}

// BeginImport starts importing one file described by b (File, SHA256 and
// Kind; Kind defaults to "measurements"). Add the figures, then Finish;
// call Rollback (safe after Finish) in a defer.
func (db *DB) BeginImport(ctx context.Context, b indicators.Batch) (*Import, error) {
	if strings.TrimSpace(b.File) == "" {
		return nil, fmt.Errorf("%w: import: no file name", indicators.ErrRequired)
	}
	if b.Kind == "" {
		b.Kind = "measurements"
	}
	b.ID, b.Added, b.Changed, b.Unchanged = 0, 0, 0, 0
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, db.d.MapError(fmt.Errorf("import %s: begin transaction: %w", b.File, err))
	}
	im := &Import{db: db, ctx: ctx, tx: tx, batch: b, rowsRead: b.RowsRead, rowsSet: b.RowsRead > 0}
	if db.figPacks.Load() {
		im.packs = &importPacks{keepNegZero: keepsNegativeZero(db.d)}
	}
	if b.SHA256 != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM imports WHERE sha256 = ?`, b.SHA256).Scan(&n); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("import %s: look up earlier imports: %w", b.File, db.d.MapError(err))
		}
		im.again = n > 0
	}
	if err := db.d.CreateStaging(ctx, tx, "staged", stagedCols); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("import %s: create staging table: %w", b.File, err)
	}
	im.load, err = db.d.Loader(ctx, tx, "staged", stagedLoad)
	if err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("import %s: prepare: %w", b.File, err)
	}
	db.mu.Lock()
	if db.open == nil {
		db.open = map[*Import]bool{}
	}
	db.open[im] = true
	db.mu.Unlock()
	return im, nil
}

// ImportedBefore reports whether a file with the batch's SHA-256 had been
// imported when BeginImport took the write lock.
func (im *Import) ImportedBefore() bool { return im.again }

// Fresh reports whether Finish found no current figure of any indicator of
// the staged figures (a first import into an empty indicator set): it then
// stored them without comparing them with the current figures.
func (im *Import) Fresh() bool { return im.fastPath }

// SetRowsRead records how many data rows the importer read (recorded with
// the batch). Without it the batch records the number of figures added.
func (im *Import) SetRowsRead(n int) { im.rowsRead, im.rowsSet = n, true }

// Staged is the number of figures Add accepted so far.
func (im *Import) Staged() int { return im.staged }

// Add stages one figure. A figure that cannot be stored (no indicator, an
// invalid period, no value of any kind, a number that is not finite, an
// unknown verified state, a disaggregation whose names or values hold ';')
// is refused with a *indicators.CellError naming its file, sheet and row;
// Finish then refuses the whole import. Periods are stored as
// indicators.Normalize makes them: a range covering exactly 2021Q3 is the
// figure of 2021Q3.
func (im *Import) Add(m indicators.Measurement) error {
	if im.done {
		return ErrImportDone
	}
	if err := checkFigure(&m); err != nil {
		im.rejected.add(err)
		return err
	}
	p := im.periodCols(m.Period)
	dims := m.Dims.Key()
	err := im.load.Add(im.ctx, []any{im.staged + 1, m.Indicator, p.text, p.kind, p.start, p.end, dims,
		nullFloat(m.Value), m.Text, nullFloat(m.Numerator), nullFloat(m.Denominator), m.Comment, m.Source,
		string(m.Verified), m.Loc.File, m.Loc.Sheet, m.Loc.Row, m.Loc.Cell("value")})
	if err != nil {
		// Kept among the refused figures too, so that Finish refuses the
		// import even if the importer went on.
		err = fmt.Errorf("import %s: stage %s: %w", im.batch.File, where(m.Loc), im.db.d.MapError(err))
		im.rejected.add(err)
		return err
	}
	if im.packs != nil {
		if im.packs.add(&m, p.text, dims); im.packs.bytes > maxStagedBytes {
			im.packs = nil // packed from the rows stored, at commit
		}
	}
	im.staged++
	return nil
}

// stagedPeriod is a period as Add stages it: normalised (a range covering
// exactly 2021Q3 is 2021Q3), as text, kind and dates.
type stagedPeriod struct {
	text, start, end string
	kind             int
}

// maxStagedPeriods bounds the periods Add remembers (a file of figures of
// every day for years has a few thousand).
const maxStagedPeriods = 1 << 12

// periodCols is the staged form of period p, worked out once per period
// of the file rather than once per figure.
func (im *Import) periodCols(p indicators.Period) stagedPeriod {
	if sp, ok := im.periods[p]; ok {
		return sp
	}
	n := indicators.Normalize(p)
	sp := stagedPeriod{text: n.String(), kind: int(n.Kind), start: date(n.Start), end: date(n.End)}
	if im.periods == nil {
		im.periods = map[indicators.Period]stagedPeriod{}
	}
	if len(im.periods) < maxStagedPeriods {
		im.periods[p] = sp
	}
	return sp
}

// Finish merges the staged figures into the database and, unless dryRun,
// commits. The returned batch has Added (figures new to the database),
// Changed (figures that replace a current one with other content, stored
// as a new revision; the old one is kept, no longer current) and Unchanged
// (figures equal to the current ones) set; the same figure given twice in
// the file with identical content counts once.
//
// Nothing is written, and indicators.Problems is returned, when Add refused
// figures, when figures name indicators that are not in the framework, or
// when the file gives the same indicator, period and disaggregation twice
// with different content (each a *indicators.CellError naming file, sheet
// and both rows).
//
// An import that would add or change nothing records nothing either: the
// batch comes back with ID 0, Added and Changed 0 and Unchanged the number
// of figures, so that importing the same file again changes nothing and
// says so ("0 added, 0 changed, 120 unchanged"). Only imports that changed
// something appear in Imports. A dry run rolls back and returns the counts
// the import would have had (ID 0).
func (im *Import) Finish(dryRun bool) (indicators.Batch, error) {
	if im.done {
		return indicators.Batch{}, ErrImportDone
	}
	im.done = true
	defer im.Rollback() // after Commit: does nothing
	if p := im.rejected.problems(im.batch.File, "figures"); p != nil {
		return indicators.Batch{}, p
	}
	return im.merge(dryRun) // a zero batch with any error
}

func (im *Import) merge(dryRun bool) (indicators.Batch, error) {
	ctx, tx, b := im.ctx, im.tx, im.batch
	fail := func(what string, err error) (indicators.Batch, error) {
		return indicators.Batch{}, fmt.Errorf("import %s: %s: %w", b.File, what, im.db.d.MapError(err))
	}
	if err := im.load.Flush(ctx); err != nil {
		return fail("stage figures", err)
	}
	// The file is read: what reading it took goes back to the system
	// before the merge, where the database engine takes memory of its own
	// (a million figures: some 20 MB of each), so that the two do not add
	// up. Only for large imports: it costs a garbage collection.
	if im.staged >= 100_000 {
		debug.FreeOSMemory()
	}
	if err := im.db.d.IndexStaging(ctx, tx, "staged", "indicator, period, dims"); err != nil {
		return fail("index staged figures", err)
	}
	if err := im.checkIndicators(); err != nil {
		return indicators.Batch{}, err
	}
	dropped, err := im.checkDuplicates()
	if err != nil {
		return indicators.Batch{}, err
	}
	// Compare with the current figures: unless there are none of the
	// file's indicators (a first import: nothing to compare, and the
	// UPDATE would find nothing).
	fresh := false
	if !im.db.CompareAlways {
		fresh, err = im.fresh()
	}
	if err != nil {
		return fail("look for current figures", err)
	}
	if fresh {
		im.fastPath = true
	} else if _, err := tx.ExecContext(ctx, `UPDATE staged SET old_id = m.id, old_rev = m.revision, same = CASE WHEN `+sameFigure("m", "staged")+` THEN 1 ELSE 0 END
		FROM measurements AS m
		WHERE m.indicator = staged.indicator AND m.period = staged.period AND m.dims = staged.dims AND m.current = 1`); err != nil {
		return fail("compare with current figures", err)
	}
	// Every staged figure is new in a first import; otherwise counted.
	total, existing, same := im.staged-dropped, 0, 0
	if !fresh {
		if err := tx.QueryRowContext(ctx, `SELECT count(*), count(old_id), coalesce(sum(same), 0) FROM staged`).Scan(&total, &existing, &same); err != nil {
			return fail("count figures", err)
		}
	}
	b.Added, b.Changed, b.Unchanged = total-existing, existing-same, same
	b.RowsRead = im.staged
	if im.rowsSet {
		b.RowsRead = im.rowsRead
	}
	b.Imported = im.db.Now().UTC().Round(0)
	if b.Added+b.Changed > 0 {
		if err := im.checkLocks(); err != nil { // review.go (issue 16)
			return indicators.Batch{}, err
		}
	}
	if dryRun && b.Added+b.Changed > 0 {
		if err := im.listChanges(); err != nil {
			return fail("list the changes", err)
		}
	}
	if dryRun || b.Added+b.Changed == 0 {
		return b, nil // rolled back by Finish: nothing written
	}

	if err := recordImport(ctx, tx, &b); err != nil {
		return fail("record import", err)
	}
	if b.Changed > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE measurements SET current = 0
			WHERE id IN (SELECT old_id FROM staged WHERE old_id IS NOT NULL AND same = 0)`); err != nil {
			return fail("retire corrected figures", err)
		}
	}
	storePacks := im.startPacking(fresh)
	// Inserted in key order, not file order: the indexes of measurements
	// then grow by appends rather than by random inserts (5 to 10 times
	// faster for a million figures). File order is kept in file, sheet, row.
	if _, err := tx.ExecContext(ctx, `INSERT INTO measurements (`+figureCols+`, batch_id, revision, current)
		SELECT `+figureCols+`, ?, coalesce(old_rev, 0) + 1, 1 FROM staged
		WHERE old_id IS NULL OR same = 0 ORDER BY indicator, period, dims`, b.ID); err != nil {
		return fail("store figures", err)
	}
	if err := storePacks(); err != nil {
		return fail("pack figures", err)
	}
	// A temporary table created in a committed transaction would outlive it
	// on this pooled connection.
	if err := im.db.d.DropStaging(ctx, tx, "staged"); err != nil {
		return fail("drop staging table", err)
	}
	if err := tx.Commit(); err != nil {
		return fail("commit", err)
	}
	return b, nil
}

// startPacking starts making the packs of a first import's figures (all
// stored: their packs are made from what Add staged) on a goroutine, while
// the figures are stored; the function it returns waits for them and
// stores them. Any other import's packs are made from the figures stored
// (Commit packs the indicators the import left without a pack): the
// function then does nothing.
func (im *Import) startPacking(fresh bool) func() error {
	ip := im.packs
	im.packs = nil
	if !fresh || ip == nil {
		return func() error { return nil }
	}
	type result struct {
		blobs []stagedBlob
		err   error
	}
	done := make(chan result, 1) // the goroutine never waits
	go func() {
		blobs, err := ip.packAll()
		done <- result{blobs, err}
	}()
	return func() error {
		r := <-done
		if r.err != nil {
			return r.err
		}
		return storeBlobs(im.ctx, im.tx, r.blobs)
	}
}

// fresh reports whether no current figure has an indicator of the staged
// figures: every staged figure is then new (a first import into an empty
// indicator set), and the merge needs no comparison with current figures.
func (im *Import) fresh() (bool, error) {
	var n int
	err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM (SELECT DISTINCT indicator FROM staged) s
		WHERE EXISTS (SELECT 1 FROM measurements m WHERE m.indicator = s.indicator AND m.current = 1)`).Scan(&n)
	return n == 0, err
}

// recordImport stores batch b in imports and sets its ID.
func recordImport(ctx context.Context, tx *Tx, b *indicators.Batch) error {
	var err error
	b.ID, err = tx.insertID(ctx, `INSERT INTO imports (file, sha256, kind, imported_at, rows_read, added, changed, unchanged)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, b.File, b.SHA256, b.Kind, b.Imported.Format(time.RFC3339Nano), b.RowsRead, b.Added, b.Changed, b.Unchanged)
	return err
}

// Rollback abandons the import: nothing of it is kept. It is safe to call
// after Finish (it then does nothing) and more than once.
func (im *Import) Rollback() error {
	im.done = true
	im.db.mu.Lock()
	delete(im.db.open, im)
	im.db.mu.Unlock()
	if im.load != nil {
		im.load.Close()
	}
	if err := im.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("import %s: rollback: %w", im.batch.File, err)
	}
	return nil
}

// ImportedBefore reports whether a file with these bytes (its hex
// SHA-256) was imported before, of any kind. Imports that changed nothing
// are not recorded, so they do not count.
func (db *DB) ImportedBefore(ctx context.Context, sha256 string) (bool, error) {
	var n int
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM imports WHERE sha256 = ?`, sha256).Scan(&n)
	})
	if err != nil {
		return false, fmt.Errorf("look up earlier imports: %w", err)
	}
	return n > 0, nil
}

// Imports lists the recorded imports, oldest first (newest last).
func (db *DB) Imports(ctx context.Context) ([]indicators.Batch, error) {
	var out []indicators.Batch
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return each(ctx, tx, `SELECT id, file, sha256, kind, imported_at, rows_read, added, changed, unchanged
			FROM imports ORDER BY id`, func(r *sql.Rows) error {
			var b indicators.Batch
			var at string
			if err := r.Scan(&b.ID, &b.File, &b.SHA256, &b.Kind, &at, &b.RowsRead, &b.Added, &b.Changed, &b.Unchanged); err != nil {
				return err
			}
			var err error
			if b.Imported, err = parseImported(b.ID, at); err != nil {
				return err
			}
			out = append(out, b)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("load imports: %w", err)
	}
	return out, nil
}

// listChanges reads, in a dry run, the staged figures that would be added
// or change a current one (at most engine.MaxListedChanges), for Changes.
func (im *Import) listChanges() error {
	rows, err := im.tx.QueryContext(im.ctx, `SELECT s.indicator, s.period, s.dims, s.value, s.text, s.old_id IS NOT NULL, m.value, coalesce(m.text, '')
		FROM staged s LEFT JOIN measurements m ON m.id = s.old_id
		WHERE s.old_id IS NULL OR s.same = 0 ORDER BY s.indicator, s.period_end, s.period, s.dims LIMIT ?`, engine.MaxListedChanges)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c FigureChange
		var v, old sql.NullFloat64
		if err := rows.Scan(&c.Indicator, &c.Period, &c.Dims, &v, &c.Text, &c.Changed, &old, &c.OldText); err != nil {
			return err
		}
		if v.Valid {
			c.Value = &v.Float64
		}
		if old.Valid {
			c.OldValue = &old.Float64
		}
		im.changes = append(im.changes, c)
	}
	return rows.Err()
}

// Changes lists the figures a dry run (Finish(true)) would add or change.
func (im *Import) Changes() []FigureChange { return im.changes }
