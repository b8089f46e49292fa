// Package sqlite is the SQLite store of rmf: the logframe, the imported
// figures and their revisions, in one database file.
//
// The shape follows benbjohnson/wtf's sqlite package: numbered .sql
// migrations embedded in the binary and recorded in a migrations table, one
// transaction per method (BeginTx, defer Rollback, Commit), pragmas set in
// the DSN so that every pooled connection has them, and driver errors mapped
// to the sentinel errors of package indicators with errors.As.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/rmf-project/rmf/indicators"
)

//go:embed migrations/*.sql
var embeddedMigrations embed.FS

// migrationFS holds the migrations as migrations/NNN_name.sql; tests
// replace it to check that a failing migration leaves nothing behind.
var migrationFS fs.FS = embeddedMigrations

// DB is an rmf database.
type DB struct {
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Waiting, when set, is called (once per transaction) when a write
	// has to wait for another writer to finish, such as a long import.
	Waiting func()

	path string
	mu   sync.Mutex
	open map[*Import]bool // imports begun and not yet finished or rolled back
	rw   *sql.DB          // writers: BEGIN IMMEDIATE, so that a writer never fails half-way on a lock upgrade
	ro   *sql.DB          // readers: BEGIN DEFERRED, so that reads run beside a writer (WAL)
}

// dsn returns the go-sqlite3 data source name for path. The pragmas are
// DSN parameters so that the driver sets them on every new connection of
// the pool (an Exec on the pool would reach one connection only). Writers
// get a 16 MiB page cache (instead of SQLite's 2 MiB) for merging large
// imports; it is a bound, allocated only as pages are used. Measured on a
// 1,000,000-figure import (internal/gen BenchmarkLargeImportEngine): 64 MiB
// gave 174 MB peak RSS and a 3.0 s merge, 16 MiB 61 MB and 3.9 s; the
// import's memory target is 100 MB. Readers are opened without SQLite's
// per-connection mutex (_mutex=no, SQLite's multi-thread mode): database/sql
// never uses one connection from two goroutines at once, and taking the
// mutex around every column read cost about 0.3 s of loading a large
// project's 756,000 figures (cmd/rmf BenchmarkReportPipelineLarge).
//
// Locking (WAL): readers never wait for a writer; a writer waits for the
// one writer before it. SQLite's busy handler cannot be interrupted, so a
// writer's busy timeout is short (writerBusyTimeout) and beginWrite retries
// BEGIN IMMEDIATE for as long as the context lives: a second import waits
// for the first however long it runs, and Ctrl-C still stops it at once.
// Readers keep a long busy timeout for the rare moments a WAL reader must
// wait (recovery of a WAL left by a killed process).
func dsn(path string, writer bool) string {
	q := "_foreign_keys=on&_journal_mode=WAL&_synchronous=NORMAL"
	if writer {
		q += fmt.Sprintf("&_busy_timeout=%d&_txlock=immediate&_cache_size=-16384", writerBusyTimeout.Milliseconds())
	} else {
		q += "&_busy_timeout=5000&_txlock=deferred&_mutex=no"
	}
	return path + "?" + q
}

// writerBusyTimeout is how long one attempt to take the write lock waits
// inside SQLite; beginWrite retries until its context ends.
const writerBusyTimeout = 200 * time.Millisecond

// beginWrite begins a write transaction (BEGIN IMMEDIATE), waiting for
// another writer (another import, in this or another process) for as long
// as ctx lives. db.Waiting, when set, is called once when it has to wait.
func (db *DB) beginWrite(ctx context.Context) (*sql.Tx, error) {
	told := false
	for {
		tx, err := db.rw.BeginTx(ctx, nil)
		if err == nil || !isBusy(err) {
			return tx, err
		}
		if !told && db.Waiting != nil {
			db.Waiting()
			told = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// isBusy reports whether err is SQLite's "database is locked" (SQLITE_BUSY).
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrBusy
}

// Open opens the database at path, creating the file if needed, and
// brings its schema up to date. Opening an up-to-date database changes
// nothing.
func Open(ctx context.Context, path string) (*DB, error) {
	return OpenAt(ctx, path, time.Now)
}

// OpenAt is Open with a clock: now gives the time of everything the
// database records (migrations, imports, the logs), so that tests and
// $RMF_NOW can fix it.
func OpenAt(ctx context.Context, path string, now func() time.Time) (*DB, error) {
	if now == nil {
		now = time.Now
	}
	if path == "" {
		return nil, fmt.Errorf("%w: database path is empty", indicators.ErrRequired)
	}
	if strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("%w: database path %q: expected a file name without '?', '#' or a file: prefix", indicators.ErrInvalid, path)
	}
	db := &DB{Now: now, path: path}
	var err error
	if db.rw, err = sql.Open("sqlite3", dsn(path, true)); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if db.ro, err = sql.Open("sqlite3", dsn(path, false)); err != nil {
		db.rw.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.rw.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return db, nil
}

// Path is the file the database was opened from.
func (db *DB) Path() string { return db.path }

// Close closes the database. An import begun and never finished is rolled
// back first: nothing of it is kept.
func (db *DB) Close() error {
	var errs []error
	db.mu.Lock()
	abandoned := make([]*Import, 0, len(db.open))
	for im := range db.open {
		abandoned = append(abandoned, im)
	}
	db.mu.Unlock()
	for _, im := range abandoned {
		errs = append(errs, im.Rollback())
	}
	if db.ro != nil {
		errs = append(errs, db.ro.Close())
	}
	if db.rw != nil {
		errs = append(errs, db.rw.Close())
	}
	return errors.Join(errs...)
}

var migrationName = regexp.MustCompile(`^([0-9]{3,})_[A-Za-z0-9_]+\.sql$`)

// migrations returns the names of the embedded migrations in the order they
// apply. Every file migrations/NNN_name.sql is one; a .sql file named
// otherwise is an error, so that a misnamed migration is not silently skipped.
func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	seen := map[string]string{}
	for i, n := range names {
		n = strings.TrimPrefix(n, "migrations/")
		names[i] = n
		m := migrationName.FindStringSubmatch(n)
		if m == nil {
			return nil, fmt.Errorf("%w: migration file %q, expected a name like 003_budget.sql", indicators.ErrInvalid, n)
		}
		if prev, dup := seen[m[1]]; dup {
			return nil, fmt.Errorf("%w: migrations %s and %s have the same number", indicators.ErrDuplicate, prev, n)
		}
		seen[m[1]] = n
	}
	sort.Strings(names)
	return names, nil
}

// migrate applies the migrations not yet recorded, each in its own
// transaction together with its record. It first looks, in a read
// transaction, whether every migration is recorded: opening an up-to-date
// database takes no write lock, so that commands start (and read) while
// an import holds the write lock.
func (db *DB) migrate(ctx context.Context) error {
	names, err := migrations()
	if err != nil {
		return err
	}
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	pending := false
	for _, name := range names {
		if !applied[name] {
			pending = true
		}
	}
	if !pending {
		return nil
	}
	if err := db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
			name       TEXT PRIMARY KEY,
			applied_at TEXT NOT NULL
		)`)
		return err
	}); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	for _, name := range names {
		if applied[name] {
			continue
		}
		if err := db.migrateFile(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// appliedMigrations reads the recorded migrations, read-only; a database
// without a migrations table has none.
func (db *DB) appliedMigrations(ctx context.Context) (map[string]bool, error) {
	applied := map[string]bool{}
	err := db.ReadTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrations'`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		return each(ctx, tx, `SELECT name FROM migrations`, func(r *sql.Rows) error {
			var name string
			if err := r.Scan(&name); err != nil {
				return err
			}
			applied[name] = true
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	return applied, nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		// Checked again inside the (immediate) transaction: two processes
		// opening a new database at once apply each migration once.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if n > 0 {
			return nil
		}
		body, err := fs.ReadFile(migrationFS, "migrations/"+name)
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`,
			name, db.Now().UTC().Format(time.RFC3339)); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		return nil
	})
}

// errDryRun, returned by the function a dry run gives Tx, rolls its
// transaction back.
var errDryRun = errors.New("dry run")

// Tx runs fn in a write transaction (BEGIN IMMEDIATE) and commits it when
// fn returns nil; on an error or a panic nothing fn did is kept. Driver
// errors are mapped as by MapError.
func (db *DB) Tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return MapError(fmt.Errorf("begin transaction: %w", err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return MapError(err)
	}
	if err := tx.Commit(); err != nil {
		return MapError(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// ReadTx runs fn in a read transaction: it sees one consistent state of the
// database and never blocks a writer (WAL). Anything fn writes is rolled back.
func (db *DB) ReadTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.ro.BeginTx(ctx, nil)
	if err != nil {
		return MapError(fmt.Errorf("begin transaction: %w", err))
	}
	defer tx.Rollback()
	return MapError(fn(tx))
}

// MapError wraps driver errors in the sentinels of package indicators, so
// that callers can test errors.Is(err, indicators.ErrDuplicate): unique and
// primary-key violations are ErrDuplicate, foreign-key violations
// ErrUnknownCode, check and not-null violations ErrInvalid. The driver's
// text is kept. Other errors are returned as they are.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrConstraint {
		return err
	}
	var sentinel error
	switch se.ExtendedCode {
	case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
		sentinel = indicators.ErrDuplicate
	case sqlite3.ErrConstraintForeignKey:
		sentinel = indicators.ErrUnknownCode
	case sqlite3.ErrConstraintCheck, sqlite3.ErrConstraintNotNull:
		sentinel = indicators.ErrInvalid
	default:
		return err
	}
	if errors.Is(err, sentinel) {
		return err
	}
	return &constraintError{sentinel: sentinel, err: err}
}

type constraintError struct {
	sentinel error
	err      error
}

func (e *constraintError) Error() string   { return e.sentinel.Error() + ": " + e.err.Error() }
func (e *constraintError) Unwrap() []error { return []error{e.sentinel, e.err} }

// date formats t as YYYY-MM-DD.
func date(t time.Time) string { return t.Format(time.DateOnly) }

// parseDate reads a YYYY-MM-DD column as midnight UTC.
func parseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: stored date %q, expected YYYY-MM-DD", indicators.ErrInvalid, s)
	}
	return t, nil
}

// parseDims reads a disaggregation stored as indicators.Disagg.Key()
// ("location=Darkhan; sex=female"; "" for the total). Unlike
// indicators.ParseDisagg it keeps the case of dimension names as the
// framework declares them, so that what was saved loads back equal.
func parseDims(key string) (indicators.Disagg, error) {
	if key == "" {
		return nil, nil
	}
	d := indicators.Disagg{}
	for _, part := range strings.Split(key, "; ") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" || strings.Contains(v, ";") {
			return nil, fmt.Errorf("%w: stored disaggregation %q, expected dimension=value pairs separated by \"; \"", indicators.ErrInvalid, key)
		}
		d[k] = v
	}
	return d, nil
}

// checkDims refuses a disaggregation that would not load back from its
// stored key: a dimension name that is empty or holds '=' or ';', or a
// value that holds ';'.
func checkDims(d indicators.Disagg) error {
	for k, v := range d {
		if k == "" || strings.ContainsAny(k, "=;") || strings.Contains(v, ";") {
			return fmt.Errorf("%w: disaggregation %s=%s: dimension names may not be empty or hold '=' or ';', values may not hold ';'", indicators.ErrInvalid, k, v)
		}
	}
	return nil
}

// nullString stores "" as NULL (for optional references).
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullFloat stores a nil *float64 as NULL.
func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func floatPtr(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}
