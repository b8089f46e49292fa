package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

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

// rejects are the rows an import's Add refused: the first maxListed of
// them, and how many there were.
type rejects struct {
	listed indicators.Problems
	n      int
}

func (r *rejects) add(err error) {
	r.n++
	if len(r.listed) < maxListed {
		r.listed = append(r.listed, err)
	}
}

// problems lists the refused rows (nil when none), the last entry saying
// how many more invalid what of file there are.
func (r *rejects) problems(file, what string) indicators.Problems {
	if len(r.listed) == 0 {
		return nil
	}
	p := append(indicators.Problems{}, r.listed...)
	if more := r.n - len(r.listed); more > 0 {
		p = append(p, fmt.Errorf("%w: %s: and %d more invalid %s", indicators.ErrInvalid, file, more, what))
	}
	return p
}

// where names a figure's place for messages: "sheet Q1, row 17".
func where(l indicators.Loc) string {
	var parts []string
	if l.File != "" {
		parts = append(parts, l.File)
	}
	if l.Sheet != "" {
		parts = append(parts, "sheet "+l.Sheet)
	}
	if l.Row > 0 {
		parts = append(parts, "row "+strconv.Itoa(l.Row))
	}
	if len(parts) == 0 {
		return "figure"
	}
	return strings.Join(parts, ", ")
}

func checkFigure(m *indicators.Measurement) error {
	l := m.Loc
	if strings.TrimSpace(m.Indicator) == "" {
		return l.Errorf("indicator", indicators.ErrRequired, "figure without an indicator code")
	}
	if !m.Period.Valid() {
		return l.Errorf("period", indicators.ErrInvalid, "indicator %s: period %q (%s to %s) is not a valid period",
			m.Indicator, m.Period.String(), m.Period.Start.Format(time.DateOnly), m.Period.End.Format(time.DateOnly))
	}
	if err := checkDims(m.Dims); err != nil {
		return l.Errorf("disaggregation", err, "indicator %s", m.Indicator)
	}
	if m.Value == nil && m.Text == "" && m.Numerator == nil && m.Denominator == nil {
		return l.Errorf("value", indicators.ErrRequired, "indicator %s, %s: no value, text, numerator or denominator", m.Indicator, m.Period)
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"value", m.Value}, {"numerator", m.Numerator}, {"denominator", m.Denominator}} {
		if f.v != nil && (math.IsNaN(*f.v) || math.IsInf(*f.v, 0)) {
			return l.Errorf(f.name, indicators.ErrInvalid, "indicator %s, %s: %s is %v, expected a finite number", m.Indicator, m.Period, f.name, *f.v)
		}
		if f.v != nil && indicators.CheckValue(*f.v) != nil {
			return l.Errorf(f.name, indicators.ErrOutOfRange, "indicator %s, %s: %s is %s, expected a number of at most 1e15 in size", m.Indicator, m.Period, f.name, indicators.FormatValueShort(*f.v))
		}
	}
	switch m.Verified {
	case indicators.VerifiedUnknown, indicators.VerifiedYes, indicators.VerifiedNo, indicators.Unverifiable:
	default:
		return l.Errorf("verified", indicators.ErrInvalid, "indicator %s, %s: verified %q, expected yes, no, unverifiable or empty", m.Indicator, m.Period, m.Verified)
	}
	return nil
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

// scanRevision scans a row of figureSelect followed by m.revision,
// m.batch_id and the import's imported_at (then extra) into rev, with the
// time of its import.
func (c *periodCache) scanRevision(r *sql.Rows, rev *indicators.Revision, extra ...any) error {
	var at string
	if err := c.scanFigure(r, &rev.Measurement, append([]any{&rev.Revision, &rev.BatchID, &at}, extra...)...); err != nil {
		return err
	}
	var err error
	rev.Imported, err = parseImported(rev.BatchID, at)
	return err
}

// parseImported reads back the time import id was recorded at.
func parseImported(id int64, at string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return t, fmt.Errorf("%w: import %d: stored time %q, expected RFC 3339", indicators.ErrInvalid, id, at)
	}
	return t, nil
}

// checkIndicators refuses figures of indicators that are not in the
// framework, naming each row.
func (im *Import) checkIndicators() error {
	var p indicators.Problems
	n := 0
	err := each(im.ctx, im.tx, `SELECT s.indicator, s.file, s.sheet, s.row FROM staged s
		WHERE s.indicator IN (SELECT indicator FROM staged EXCEPT SELECT code FROM indicators) ORDER BY s.seq`, func(r *sql.Rows) error {
		var code string
		var l indicators.Loc
		if err := r.Scan(&code, &l.File, &l.Sheet, &l.Row); err != nil {
			return err
		}
		if n++; n <= maxListed {
			p = append(p, l.Errorf("indicator", indicators.ErrUnknownCode, "%q is not an indicator of the framework", code))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import %s: check indicators: %w", im.batch.File, err)
	}
	if n > maxListed {
		p = append(p, fmt.Errorf("%w: %s: and %d more figures of unknown indicators", indicators.ErrUnknownCode, im.batch.File, n-maxListed))
	}
	return p.Err()
}

// checkDuplicates finds figures given more than once in the file. Each
// repeat is compared with the first: a different content is a problem
// naming both rows; an identical repeat is dropped (the first is kept).
// dropped is the number of repeats dropped.
func (im *Import) checkDuplicates() (dropped int, err error) {
	ctx, tx := im.ctx, im.tx
	const groups = `WITH g AS (
		SELECT indicator, period, dims, min(seq) AS first FROM staged
		GROUP BY indicator, period, dims HAVING count(*) > 1)`
	var dups int
	if err := tx.QueryRowContext(ctx, groups+` SELECT count(*) FROM g`).Scan(&dups); err != nil {
		return 0, fmt.Errorf("import %s: find repeated figures: %w", im.batch.File, err)
	}
	if dups == 0 {
		return 0, nil
	}
	cols := func(t string) string {
		return strings.NewReplacer("T.", t+".").Replace(`T.indicator, T.period, T.dims, T.value, T.text, T.numerator,
			T.denominator, T.comment, T.source, T.verified, T.file, T.sheet, T.row, T.cell`)
	}
	var p indicators.Problems
	n := 0
	err = each(ctx, tx, groups+` SELECT `+cols("a")+`, `+cols("b")+` FROM g
		JOIN staged a ON a.seq = g.first
		JOIN staged b ON b.indicator = g.indicator AND b.period = g.period AND b.dims = g.dims AND b.seq > g.first
		WHERE NOT `+sameFigure("a", "b")+` ORDER BY b.seq`, func(r *sql.Rows) error {
		var a, b rawFigure
		if err := r.Scan(append(a.dest(), b.dest()...)...); err != nil {
			return err
		}
		if n++; n <= maxListed {
			p = append(p, conflict(&a, &b))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("import %s: compare repeated figures: %w", im.batch.File, err)
	}
	if n > maxListed {
		p = append(p, fmt.Errorf("%w: %s: and %d more figures given twice with different values", indicators.ErrDuplicate, im.batch.File, n-maxListed))
	}
	if len(p) > 0 {
		return 0, p
	}
	res, err := tx.ExecContext(ctx, groups+` DELETE FROM staged WHERE seq IN (
		SELECT s.seq FROM g JOIN staged s ON s.indicator = g.indicator AND s.period = g.period AND s.dims = g.dims AND s.seq > g.first)`)
	if err != nil {
		return 0, fmt.Errorf("import %s: drop repeated figures: %w", im.batch.File, err)
	}
	deleted, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("import %s: drop repeated figures: %w", im.batch.File, err)
	}
	return int(deleted), nil
}

// rawFigure is a staged figure as stored, for comparing repeats.
type rawFigure struct {
	code, period, dims              string
	value, num, den                 sql.NullFloat64
	text, comment, source, verified string
	file, sheet                     string
	row                             int
	cell                            string // the value cell, "" when the importer did not say
}

func (f *rawFigure) dest() []any {
	return []any{&f.code, &f.period, &f.dims, &f.value, &f.text, &f.num, &f.den, &f.comment, &f.source, &f.verified, &f.file, &f.sheet, &f.row, &f.cell}
}

func showFloat(n sql.NullFloat64) string {
	if !n.Valid {
		return "empty"
	}
	return strconv.FormatFloat(n.Float64, 'g', -1, 64)
}

// conflict describes b, a repeat of a with other content, as a problem at
// b's row naming a's row and what differs.
func conflict(a, b *rawFigure) error {
	var diffs []string
	field := ""
	add := func(name, x, y string) {
		if x == y {
			return
		}
		if field == "" {
			field = name
		}
		diffs = append(diffs, fmt.Sprintf("%s %s there, %s here", name, x, y))
	}
	add("value", showFloat(a.value), showFloat(b.value))
	add("text", strconv.Quote(a.text), strconv.Quote(b.text))
	add("numerator", showFloat(a.num), showFloat(b.num))
	add("denominator", showFloat(a.den), showFloat(b.den))
	add("comment", strconv.Quote(a.comment), strconv.Quote(b.comment))
	add("source", strconv.Quote(a.source), strconv.Quote(b.source))
	add("verified", strconv.Quote(a.verified), strconv.Quote(b.verified))
	first := fmt.Sprintf("row %d", a.row)
	if a.cell != "" {
		first = "cell " + a.cell
	}
	if a.sheet != b.sheet {
		first = fmt.Sprintf("sheet %s, %s", a.sheet, first)
	}
	if a.file != b.file {
		first = fmt.Sprintf("%s, %s", a.file, first)
	}
	dims := "total"
	if a.dims != "" {
		dims = a.dims
	}
	where := "at " + first
	if a.row == b.row && a.sheet == b.sheet && a.file == b.file {
		where = "in another column of the same row (two columns for the same period)"
		if a.cell != "" {
			where = "in cell " + a.cell + " of the same row (two columns for the same period)"
		}
	}
	l := indicators.Loc{File: b.file, Sheet: b.sheet, Row: b.row}
	if b.cell != "" && (field == "value" || field == "text") {
		l.Cells = map[string]string{field: b.cell} // the staged cell is the value cell
	}
	return l.Errorf(field, indicators.ErrDuplicate, "indicator %s, period %s, %s is also given %s with other content (%s); expected one figure, or identical repeats",
		a.code, a.period, dims, where, strings.Join(diffs, "; "))
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

// figureSelect reads the columns scanFigure expects, from measurements m.
const figureSelect = `m.indicator, m.period, m.period_kind, m.period_start, m.period_end, m.dims, m.value, m.text,
	m.numerator, m.denominator, m.comment, m.source, m.verified, m.file, m.sheet, m.row`

// figureOrder sorts figures by framework order of their indicator, then
// by period as Period.Compare does (end, then longer first), then by
// disaggregation (the total first).
const figureOrder = ` ORDER BY coalesce(i.position, 0), m.indicator, m.period_end, m.period_start, m.period, m.dims`

// periodCache parses each stored period text and disaggregation key once
// per query. Figures with the same disaggregation share one Disagg map
// (figures are read-only once loaded): a large project's million figures
// then hold a few hundred maps, not a million. Likewise the repeated
// strings of the figures (codes, comments, sources, files, sheets) are
// shared, and their numbers are stored in slabs rather than one small
// allocation each: a loaded figure then costs little more than its own
// struct, and the garbage collector has far fewer objects to trace.
type periodCache struct {
	periods map[string]indicators.Period
	dims    map[string]indicators.Disagg
	strs    map[string]string
	floats  []float64
	slab    int // size of the next slab of floats
	// unchecked are period texts scanOne parsed that check has not yet
	// compared with their stored kind and dates.
	unchecked []string
	one       oneRow   // scanOne's destinations, allocated once per query
	plain     plainRow // scanPlain's
}

// oneRow holds the columns of figureSelectOne as scanned, and what the
// packed texts seen so far unpack to.
type oneRow struct {
	where, meta     string
	value, num, den sql.NullFloat64
	row             int64
	dest            []any
	extra           []any // more columns after figureSelectOne's (set before the first scan)
	wheres          map[string]whereCols
	metas           map[string]metaCols
}

// whereCols are a figure's period and disaggregation.
type whereCols struct {
	period indicators.Period
	dims   indicators.Disagg
}

// metaCols are a figure's texts.
type metaCols struct {
	text, comment, source, file, sheet string
	verified                           indicators.Verified
}

// metaOf is a figure's six texts as stored (text, comment, source,
// verified, file, sheet), shared through c.
func (c *periodCache) metaOf(cols [6]string) metaCols {
	return metaCols{text: c.intern(cols[0]), comment: c.intern(cols[1]), source: c.intern(cols[2]),
		verified: indicators.Verified(c.intern(cols[3])), file: c.intern(cols[4]), sheet: c.intern(cols[5])}
}

// maxInterned bounds the distinct strings a query shares: past it (a
// file of free-text comments, all different) strings are kept as read.
const maxInterned = 1 << 16

// intern returns the shared copy of s.
func (c *periodCache) intern(s string) string {
	if s == "" {
		return ""
	}
	if t, ok := c.strs[s]; ok {
		return t
	}
	if c.strs == nil {
		c.strs = map[string]string{}
	}
	if len(c.strs) < maxInterned {
		c.strs[s] = s
	}
	return s
}

// float returns a pointer to n's value in the current slab, or nil.
func (c *periodCache) float(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	if len(c.floats) == cap(c.floats) {
		size := max(c.slab, 1024)
		c.floats = make([]float64, 0, size)
		c.slab = min(size*2, 1<<16)
	}
	c.floats = append(c.floats, n.Float64)
	return &c.floats[len(c.floats)-1]
}

// period reads a stored period back with indicators.ParsePeriod and checks
// it against the stored kind and dates.
func (c *periodCache) period(text string, kind int, start, end string) (indicators.Period, error) {
	if p, ok := c.periods[text]; ok {
		return p, nil
	}
	p, err := indicators.ParsePeriod(text)
	if err != nil {
		return p, fmt.Errorf("stored period: %w", err)
	}
	if int(p.Kind) != kind || date(p.Start) != start || date(p.End) != end {
		return p, fmt.Errorf("%w: stored period %q reads as %s %s..%s, but was stored as kind %d, %s..%s",
			indicators.ErrInvalid, text, p.Kind, date(p.Start), date(p.End), kind, start, end)
	}
	if c.periods == nil {
		c.periods = map[string]indicators.Period{}
	}
	c.periods[text] = p
	return p, nil
}

// disagg reads a stored disaggregation key, sharing the map of equal keys.
func (c *periodCache) disagg(key string) (indicators.Disagg, error) {
	if d, ok := c.dims[key]; ok {
		return d, nil
	}
	d, err := parseDims(key)
	if err != nil {
		return nil, err
	}
	if c.dims == nil {
		c.dims = map[string]indicators.Disagg{}
	}
	c.dims[key] = d
	return d, nil
}

// scanFigure scans the columns of figureSelect, followed by extra.
func (c *periodCache) scanFigure(r *sql.Rows, m *indicators.Measurement, extra ...any) error {
	var code, period, start, end, dims, text, comment, source, verified, file, sheet string
	var kind int
	var value, num, den sql.NullFloat64
	dest := []any{&code, &period, &kind, &start, &end, &dims, &value, &text, &num, &den,
		&comment, &source, &verified, &file, &sheet, &m.Loc.Row}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	m.Indicator = c.intern(code)
	var err error
	if m.Period, err = c.period(period, kind, start, end); err != nil {
		return fmt.Errorf("figure of %s: %w", m.Indicator, err)
	}
	if m.Dims, err = c.disagg(dims); err != nil {
		return fmt.Errorf("figure of %s %s: %w", m.Indicator, period, err)
	}
	m.Value, m.Numerator, m.Denominator = c.float(value), c.float(num), c.float(den)
	m.Text, m.Comment, m.Source = c.intern(text), c.intern(comment), c.intern(source)
	m.Verified = indicators.Verified(c.intern(verified))
	m.Loc.File, m.Loc.Sheet = c.intern(file), c.intern(sheet)
	return nil
}

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

// figureSelectOne reads the columns scanOne expects: those of figureSelect
// but the indicator (the query names it) and the period's kind and dates,
// with the text columns packed into two JSON arrays: the driver then makes
// two strings per figure instead of eight (it was most of the load), and
// the packed texts, repeated from figure to figure, are unpacked once each
// (jsonStrings).
//
// An engine that does not pack (Dialect.Pack gives "") reads the same
// columns one by one (scanPlain).
func (db *DB) figureSelectOne() string {
	if !db.packs() {
		return `m.period, m.dims, m.text, m.comment, m.source, m.verified, m.file, m.sheet,
	m.value, m.numerator, m.denominator, m.row`
	}
	return db.d.Pack("m.period", "m.dims") + `, ` + db.d.Pack("m.text", "m.comment", "m.source", "m.verified", "m.file", "m.sheet") + `,
	m.value, m.numerator, m.denominator, m.row`
}

// packs reports whether the dialect packs texts (Dialect.Pack).
func (db *DB) packs() bool { return db.d.Pack("x") != "" }

// jsonStrings unpacks a JSON array of len(out) strings as SQLite's
// json_array (or PostgreSQL's json_build_array, with ", ") writes it into out. Bytes other than escapes are kept as
// they are (a text that is not valid UTF-8 comes back unchanged).
func jsonStrings(s string, out []string) error {
	bad := func(what string) error {
		return fmt.Errorf("%w: packed columns %s: %s", indicators.ErrInvalid, strconv.Quote(s), what)
	}
	rest, ok := strings.CutPrefix(s, "[")
	if !ok {
		return bad("expected '['")
	}
	for i := range out {
		if i > 0 {
			if rest, ok = strings.CutPrefix(rest, ","); !ok {
				return bad("expected ','")
			}
			rest = strings.TrimPrefix(rest, " ") // PostgreSQL's json_build_array writes ", "
		}
		if rest, ok = strings.CutPrefix(rest, `"`); !ok {
			return bad("expected a string")
		}
		end := strings.IndexAny(rest, `"\`)
		if end < 0 {
			return bad("unterminated string")
		}
		if rest[end] == '"' { // no escapes: the common case
			out[i], rest = rest[:end], rest[end+1:]
			continue
		}
		var b strings.Builder
		for {
			end = strings.IndexAny(rest, `"\`)
			if end < 0 || rest[end] == '\\' && end+1 >= len(rest) {
				return bad("unterminated string")
			}
			b.WriteString(rest[:end])
			if rest[end] == '"' {
				rest = rest[end+1:]
				break
			}
			c := rest[end+1]
			rest = rest[end+2:]
			switch c {
			case '"', '\\', '/':
				b.WriteByte(c)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				if len(rest) < 4 {
					return bad("short \\u escape")
				}
				r, err := strconv.ParseUint(rest[:4], 16, 16)
				if err != nil {
					return bad("bad \\u escape")
				}
				rest = rest[4:]
				if utf16.IsSurrogate(rune(r)) && len(rest) >= 6 && rest[:2] == `\u` {
					if r2, err := strconv.ParseUint(rest[2:6], 16, 16); err == nil {
						if c := utf16.DecodeRune(rune(r), rune(r2)); c != utf8.RuneError {
							b.WriteRune(c)
							rest = rest[6:]
							continue
						}
					}
				}
				b.WriteRune(rune(r))
			default:
				return bad("unknown escape")
			}
		}
		out[i] = b.String()
	}
	if rest != "]" {
		return bad("expected ']' after " + strconv.Itoa(len(out)) + " strings")
	}
	return nil
}

// compareFigures orders one indicator's figures as figureOrder does: by
// period end, then start, then the period's text; equal periods keep
// their order (by disaggregation).
func compareFigures(a, b indicators.Measurement) int {
	if c := a.Period.Compare(b.Period); c != 0 || a.Period.Kind == b.Period.Kind {
		return c
	}
	return strings.Compare(a.Period.String(), b.Period.String())
}

// scanOne scans the columns of figureSelectOne into m (whose Indicator is
// set). A period text seen for the first time is parsed and remembered to
// be checked (check) against its stored kind and dates.
func (c *periodCache) scanOne(r *sql.Rows, m *indicators.Measurement) error {
	sc := &c.one
	if sc.dest == nil {
		sc.dest = append([]any{&sc.where, &sc.meta, &sc.value, &sc.num, &sc.den, &sc.row}, sc.extra...)
		sc.wheres, sc.metas = map[string]whereCols{}, map[string]metaCols{}
	}
	if err := r.Scan(sc.dest...); err != nil {
		return err
	}
	w, ok := sc.wheres[sc.where]
	if !ok {
		var cols [2]string
		if err := jsonStrings(sc.where, cols[:]); err != nil {
			return fmt.Errorf("figure of %s: %w", m.Indicator, err)
		}
		var err error
		if w, err = c.whereOf(m.Indicator, cols[0], cols[1]); err != nil {
			return err
		}
		if len(sc.wheres) < maxInterned {
			sc.wheres[sc.where] = w
		}
	}
	mc, ok := sc.metas[sc.meta]
	if !ok {
		var cols [6]string
		if err := jsonStrings(sc.meta, cols[:]); err != nil {
			return fmt.Errorf("figure of %s: %w", m.Indicator, err)
		}
		mc = c.metaOf(cols)
		if len(sc.metas) < maxInterned {
			sc.metas[sc.meta] = mc
		}
	}
	m.Period, m.Dims = w.period, w.dims
	m.Value, m.Numerator, m.Denominator = c.float(sc.value), c.float(sc.num), c.float(sc.den)
	m.Text, m.Comment, m.Source, m.Verified = mc.text, mc.comment, mc.source, mc.verified
	m.Loc.File, m.Loc.Sheet, m.Loc.Row = mc.file, mc.sheet, int(sc.row)
	return nil
}

// plainRow holds the columns of figureSelectOne as scanPlain scans them,
// and what the texts seen so far make.
type plainRow struct {
	where           [2]string // period, dims
	meta            [6]string // text, comment, source, verified, file, sheet
	value, num, den sql.NullFloat64
	row             int64
	dest            []any
	extra           []any // as oneRow's
	wheres          map[[2]string]whereCols
	metas           map[[6]string]metaCols
}

// scanPlain is scanOne for the columns read one by one.
func (c *periodCache) scanPlain(r *sql.Rows, m *indicators.Measurement) error {
	sc := &c.plain
	if sc.dest == nil {
		sc.dest = append([]any{&sc.where[0], &sc.where[1], &sc.meta[0], &sc.meta[1], &sc.meta[2], &sc.meta[3], &sc.meta[4], &sc.meta[5],
			&sc.value, &sc.num, &sc.den, &sc.row}, sc.extra...)
		sc.wheres, sc.metas = map[[2]string]whereCols{}, map[[6]string]metaCols{}
	}
	if err := r.Scan(sc.dest...); err != nil {
		return err
	}
	w, ok := sc.wheres[sc.where]
	if !ok {
		var err error
		if w, err = c.whereOf(m.Indicator, sc.where[0], sc.where[1]); err != nil {
			return err
		}
		if len(sc.wheres) < maxInterned {
			sc.wheres[sc.where] = w
		}
	}
	mc, ok := sc.metas[sc.meta]
	if !ok {
		mc = c.metaOf(sc.meta)
		if len(sc.metas) < maxInterned {
			sc.metas[sc.meta] = mc
		}
	}
	m.Period, m.Dims = w.period, w.dims
	m.Value, m.Numerator, m.Denominator = c.float(sc.value), c.float(sc.num), c.float(sc.den)
	m.Text, m.Comment, m.Source, m.Verified = mc.text, mc.comment, mc.source, mc.verified
	m.Loc.File, m.Loc.Sheet, m.Loc.Row = mc.file, mc.sheet, int(sc.row)
	return nil
}

// whereOf parses a figure's stored period text and disaggregation key; a
// period text seen for the first time is remembered to be checked (check)
// against its stored kind and dates.
func (c *periodCache) whereOf(code, period, dims string) (whereCols, error) {
	p, seen := c.periods[period]
	if !seen {
		var err error
		if p, err = indicators.ParsePeriod(period); err != nil {
			return whereCols{}, fmt.Errorf("figure of %s: stored period: %w", code, err)
		}
		if c.periods == nil {
			c.periods = map[string]indicators.Period{}
		}
		c.periods[period] = p
		c.unchecked = append(c.unchecked, period)
	}
	d, err := c.disagg(dims)
	if err != nil {
		return whereCols{}, fmt.Errorf("figure of %s %s: %w", code, period, err)
	}
	return whereCols{p, d}, nil
}

// check compares the periods scanOne parsed for the first time, read from
// figures of indicator code, with the kind and dates stored with them.
func (c *periodCache) check(ctx context.Context, tx *Tx, code string) error {
	for _, text := range c.unchecked {
		var kind int64
		var start, end string
		if err := tx.QueryRowContext(ctx, `SELECT period_kind, period_start, period_end FROM measurements
			WHERE indicator = ? AND period = ? AND current = 1 LIMIT 1`, code, text).Scan(&kind, &start, &end); err != nil {
			return fmt.Errorf("figure of %s, period %s: %w", code, text, err)
		}
		if p := c.periods[text]; int64(p.Kind) != kind || date(p.Start) != start || date(p.End) != end {
			return fmt.Errorf("figure of %s: %w: stored period %q reads as %s %s..%s, but was stored as kind %d, %s..%s",
				code, indicators.ErrInvalid, text, p.Kind, date(p.Start), date(p.End), kind, start, end)
		}
	}
	c.unchecked = c.unchecked[:0]
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
