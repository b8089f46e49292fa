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
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

//go:embed migrations/*.sql
var embeddedMigrations embed.FS

// migrationFS holds the migrations as migrations/NNN_name.sql; tests
// replace it to check that a failing migration leaves nothing behind.
var migrationFS fs.FS = embeddedMigrations

// DB is an rmf database: the shared SQL store (package sqlstore) over a
// SQLite file.
type DB = sqlstore.DB

// Store is DB as engine's storage port (engine.Store) and engine.Users.
type Store = sqlstore.Store

// NewStore is db as engine.Store.
func NewStore(db *DB) Store { return sqlstore.NewStore(db) }

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

// dialect is SQLite's way of doing what sqlstore.Dialect asks.
type dialect struct{}

func (dialect) Numbered() bool { return false }

func (dialect) MapError(err error) error { return MapError(err) }

// BeginWrite begins a write transaction (BEGIN IMMEDIATE, from the DSN) on
// conn, waiting for another writer (another import, in this or another
// process) for as long as ctx lives. waiting, when set, is called once
// when it has to wait.
func (dialect) BeginWrite(ctx context.Context, conn *sql.Conn, waiting func()) (*sql.Tx, error) {
	told := false
	for {
		tx, err := conn.BeginTx(ctx, nil)
		if err == nil || !isBusy(err) {
			return tx, err
		}
		if !told && waiting != nil {
			waiting()
			told = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// BeginRead begins a deferred transaction (WAL: it never waits for a writer).
func (dialect) BeginRead(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	return db.BeginTx(ctx, nil)
}

// CreateStaging creates the staging table in the temporary database (a
// file: memory does not grow with the file imported); a larger page cache
// for it and for the main database (see dsn) keeps the merge of large
// files from thrashing. Both are bounded.
func (dialect) CreateStaging(ctx context.Context, tx *sqlstore.Tx, name, cols string) error {
	if _, err := tx.ExecContext(ctx, `PRAGMA temp.cache_size = -16384`); err != nil {
		return err
	}

	_, err := tx.ExecContext(ctx, `CREATE TEMP TABLE `+name+` (`+cols+`)`)
	return err
}

// DropStaging drops the staging table before commit: a temporary table
// created in a committed transaction would outlive it on this pooled
// connection.
func (dialect) DropStaging(ctx context.Context, tx *sqlstore.Tx, name string) error {
	_, err := tx.ExecContext(ctx, `DROP TABLE temp.`+name)
	return err
}

func (dialect) IndexStaging(ctx context.Context, tx *sqlstore.Tx, name, cols string) error {
	_, err := tx.ExecContext(ctx, `CREATE INDEX temp.`+name+`_key ON `+name+` (`+cols+`)`)
	return err
}

// Pack packs texts with json_array.
func (dialect) Pack(exprs ...string) string { return `json_array(` + strings.Join(exprs, ", ") + `)` }

// Tables lists the tables of the database file.
func (dialect) Tables(ctx context.Context, tx *sqlstore.Tx) ([]string, error) {
	var out []string
	err := sqlstore.Each(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`, func(r *sql.Rows) error {
		var n string
		if err := r.Scan(&n); err != nil {
			return err
		}
		out = append(out, n)
		return nil
	})
	return out, err
}

// Stamp is the largest rowid of every table but the users' and sessions'.
// A pure UPDATE without an insert would not be seen (none known).
func (dialect) Stamp(ctx context.Context, tx *sqlstore.Tx) (string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT IN ('users', 'sessions') AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return "", err
	}
	var parts []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return "", err
		}
		parts = append(parts, `coalesce((SELECT max(rowid) FROM "`+strings.ReplaceAll(n, `"`, `""`)+`"), 0)`)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	var st string
	err = tx.QueryRowContext(ctx, `SELECT `+strings.Join(parts, ` || ',' || `)).Scan(&st)
	return st, err
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
	rw, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	ro, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		rw.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := sqlstore.New(path, dialect{}, rw, ro, now)
	if err := rw.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	// Figure packs (migration 018): kept from now on, and made for the
	// indicators that have none (a database migrated or copied).
	if err := usePacks(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: pack figures: %w", path, err)
	}
	return db, nil
}

// usePacks turns figure packs on when the database has their table (a
// test's own migrations may have none).
func usePacks(ctx context.Context, db *DB) error {
	var n int
	err := db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'figure_packs'`).Scan(&n)
	})
	if err != nil || n == 0 {
		return err
	}
	return db.UsePacks(ctx)
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
func migrate(ctx context.Context, db *DB) error {
	names, err := migrations()
	if err != nil {
		return err
	}
	applied, err := appliedMigrations(ctx, db)
	if err != nil {
		return err
	}
	// A migration this binary does not know was applied by a newer rmf:
	// this one would misread (or damage) what it added.
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	var newer []string
	for n := range applied {
		if !known[n] {
			newer = append(newer, n)
		}
	}
	if len(newer) > 0 && len(names) > 0 {
		sort.Strings(newer)
		return fmt.Errorf("%w: it was migrated by a newer rmf (migration %s, this rmf knows up to %s): upgrade rmf",
			indicators.ErrInvalid, newer[len(newer)-1], names[len(names)-1])
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
	if err := db.Tx(ctx, func(tx *sqlstore.Tx) error {
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
		if err := migrateFile(ctx, db, name); err != nil {
			return err
		}
	}
	return nil
}

// appliedMigrations reads the recorded migrations, read-only; a database
// without a migrations table has none.
func appliedMigrations(ctx context.Context, db *DB) (map[string]bool, error) {
	applied := map[string]bool{}
	err := db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrations'`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		return sqlstore.Each(ctx, tx, `SELECT name FROM migrations`, func(r *sql.Rows) error {
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

func migrateFile(ctx context.Context, db *DB, name string) error {
	return db.Tx(ctx, func(tx *sqlstore.Tx) error {
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
	return sqlstore.Wrap(sentinel, err)
}
