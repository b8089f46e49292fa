// Package sqlstore is the SQL store of rmf shared by its two database
// adapters, package sqlite (one file per project) and package postgres
// (projects side by side on a server): every method of engine.Store and
// engine.Users, written once in SQL that both engines run.
//
// Why one package and not two copies: the store is some 4,000 lines of
// queries, checks and merges whose behaviour (what an import counts, what
// a lock refuses, what a past report sees) must be the same on both
// engines; two copies would drift. What differs between the engines is
// small and lives behind Dialect, which each adapter implements:
// placeholders (SQLite's ? rewritten to $n once per query text and
// cached), the mapping of driver errors to the sentinels of package
// indicators, how a write transaction waits for another writer, the
// read transaction's snapshot, the staging table of an import and its
// bulk load (a prepared INSERT in SQLite, COPY in PostgreSQL), and
// packing text columns into one.
//
// The SQL is written to run on both: INSERT ... RETURNING id instead of
// LastInsertId, ON CONFLICT ... DO UPDATE instead of INSERT OR REPLACE,
// IS NOT DISTINCT FROM instead of IS, integer flags compared with = 1
// rather than used as booleans, "user" quoted. The schema is the
// adapter's (its numbered migrations), table by table the same in both.
//
// The shape follows benbjohnson/wtf's sqlite package: one transaction per
// method (BeginTx, defer Rollback, Commit) and driver errors mapped to the
// sentinel errors of package indicators with errors.As.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// Dialect is what an engine does its own way.
type Dialect interface {
	// Numbered reports whether queries take $1, $2, ... instead of ?.
	Numbered() bool
	// MapError wraps driver errors in the sentinels of package
	// indicators (ErrDuplicate, ErrUnknownCode, ErrInvalid); other
	// errors are returned as they are.
	MapError(err error) error
	// BeginWrite begins a write transaction on conn that holds the
	// project's write lock, waiting for another writer for as long as
	// ctx lives and calling waiting (when not nil) once if it has to.
	BeginWrite(ctx context.Context, conn *sql.Conn, waiting func()) (*sql.Tx, error)
	// BeginRead begins a read-only transaction on db that sees one
	// consistent state and never waits for a writer.
	BeginRead(ctx context.Context, db *sql.DB) (*sql.Tx, error)
	// CreateStaging creates the temporary table name, of the columns
	// cols (a column list as in CREATE TABLE), for one transaction;
	// DropStaging removes it before commit.
	CreateStaging(ctx context.Context, tx *Tx, name, cols string) error
	DropStaging(ctx context.Context, tx *Tx, name string) error
	// IndexStaging indexes the staging table on cols.
	IndexStaging(ctx context.Context, tx *Tx, name, cols string) error
	// Loader returns a bulk loader of rows of columns cols into the
	// staging table name.
	Loader(ctx context.Context, tx *Tx, name string, cols []string) (Loader, error)
	// Pack is an expression of the texts exprs packed into one JSON
	// array of strings (as unpacked by jsonStrings), or "" when the
	// engine reads the figures' texts faster column by column.
	Pack(exprs ...string) string
	// Tables lists the tables of the database (of the project), by name,
	// without the engine's own (sqlite_sequence, ...).
	Tables(ctx context.Context, tx *Tx) ([]string, error)
	// Stamp is a text that changes whenever a row is inserted in (or
	// updated in) a table other than users and sessions.
	Stamp(ctx context.Context, tx *Tx) (string, error)
}

// Loader loads rows into a staging table: Add may buffer them, Flush
// sends what is buffered. Close releases it.
type Loader interface {
	Add(ctx context.Context, row []any) error
	Flush(ctx context.Context) error
	Close() error
}

// DB is an rmf database of either engine.
type DB struct {
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Waiting, when set, is called (once per transaction) when a write
	// has to wait for another writer to finish, such as a long import.
	Waiting func()
	// CompareAlways compares every import with the current figures, a
	// first import into an empty indicator set too (Import.Fresh is then
	// never true): for tests that check that the first-import path stores
	// what the comparison would.
	CompareAlways bool

	path     string
	d        Dialect
	figPacks atomic.Bool // figure packs are kept (UsePacks)
	mu       sync.Mutex
	open     map[*Import]bool // imports begun and not yet finished or rolled back
	rw       *sql.DB          // writers
	ro       *sql.DB          // readers
	rebound  sync.Map         // query text with ? -> with $n
}

// New returns the store over the writers' and readers' pools (which may be
// the same), naming the database path in messages. Close closes both.
func New(path string, d Dialect, rw, ro *sql.DB, now func() time.Time) *DB {
	if now == nil {
		now = time.Now
	}
	return &DB{Now: now, path: path, d: d, rw: rw, ro: ro}
}

// Path is the file or URL the database was opened from.
func (db *DB) Path() string { return db.path }

// SQL is the writers' pool (for copying a database table by table).
func (db *DB) SQL() *sql.DB { return db.rw }

// Reader is the readers' pool.
func (db *DB) Reader() *sql.DB { return db.ro }

// Dialect is the engine's dialect.
func (db *DB) Dialect() Dialect { return db.d }

// Tables lists the tables of the database (for a PostgreSQL database, of
// the project), by name, the migrations table included.
func (db *DB) Tables(ctx context.Context) ([]string, error) {
	var out []string
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = db.d.Tables(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	return out, nil
}

// MapError maps driver errors as the dialect does.
func (db *DB) MapError(err error) error { return db.d.MapError(err) }

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
	if db.ro != nil && db.ro != db.rw {
		errs = append(errs, db.ro.Close())
	}
	if db.rw != nil {
		errs = append(errs, db.rw.Close())
	}
	return errors.Join(errs...)
}

// Tx is a transaction whose queries are written with ? placeholders (the
// dialect rewrites them).
type Tx struct {
	db   *DB
	tx   *sql.Tx
	conn *sql.Conn       // the connection of a write transaction (nil for reads)
	ctx  context.Context // of a write transaction: for packing its figures at Commit
}

// SQLTx is the driver's transaction.
func (tx *Tx) SQLTx() *sql.Tx { return tx.tx }

// Conn is the connection of a write transaction (nil for a read).
func (tx *Tx) Conn() *sql.Conn { return tx.conn }

func (tx *Tx) q(query string) string { return tx.db.rebind(query) }

func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, tx.q(query), args...)
}

func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.q(query), args...)
}

func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.q(query), args...)
}

func (tx *Tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return tx.tx.PrepareContext(ctx, tx.q(query))
}

// insertID runs an INSERT ... RETURNING id and returns the id.
func (tx *Tx) insertID(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, query+` RETURNING id`, args...).Scan(&id)
	return id, err
}

// Commit commits the transaction and releases its connection. A write
// transaction first packs the figures of the indicators it left without a
// pack (packs.go), when the database keeps packs.
func (tx *Tx) Commit() error {
	if tx.conn != nil && tx.db.figPacks.Load() {
		if err := packMissing(tx.ctx, tx); err != nil {
			tx.Rollback()
			return err
		}
	}
	err := tx.tx.Commit()
	tx.release()
	return err
}

// Rollback rolls the transaction back (sql.ErrTxDone after Commit) and
// releases its connection.
func (tx *Tx) Rollback() error {
	err := tx.tx.Rollback()
	tx.release()
	return err
}

func (tx *Tx) release() {
	if tx.conn != nil {
		tx.conn.Close()
		tx.conn = nil
	}
}

// rebind rewrites query's ? placeholders as $1, $2, ... when the dialect
// numbers them, once per query text. A ? inside a quoted string or
// identifier is kept.
func (db *DB) rebind(query string) string {
	if !db.d.Numbered() || !strings.Contains(query, "?") {
		return query
	}
	if q, ok := db.rebound.Load(query); ok {
		return q.(string)
	}
	q := Rebind(query)
	db.rebound.Store(query, q)
	return q
}

// Rebind rewrites the ? placeholders of query as $1, $2, ..., leaving
// those in quoted strings and identifiers alone.
func Rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// beginWrite begins a write transaction on a connection of its own,
// holding the write lock (waiting for another writer as long as ctx
// lives; db.Waiting is told once).
func (db *DB) beginWrite(ctx context.Context) (*Tx, error) {
	return db.beginWriteWaiting(ctx, db.Waiting)
}

// beginWriteWaiting is beginWrite calling waiting (when not nil) once if
// it has to wait for another writer.
func (db *DB) beginWriteWaiting(ctx context.Context, waiting func()) (*Tx, error) {
	conn, err := db.rw.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.d.BeginWrite(ctx, conn, waiting)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &Tx{db: db, tx: tx, conn: conn, ctx: ctx}, nil
}

// errDryRun, returned by the function a dry run gives Tx, rolls its
// transaction back.
var errDryRun = errors.New("dry run")

// Tx runs fn in a write transaction and commits it when fn returns nil; on
// an error or a panic nothing fn did is kept. Driver errors are mapped as
// by the dialect's MapError.
func (db *DB) Tx(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return db.d.MapError(fmt.Errorf("begin transaction: %w", err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return db.d.MapError(err)
	}
	if err := tx.Commit(); err != nil {
		return db.d.MapError(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// ReadTx runs fn in a read transaction: it sees one consistent state of the
// database and never blocks a writer. Anything fn writes is rolled back.
func (db *DB) ReadTx(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.d.BeginRead(ctx, db.ro)
	if err != nil {
		return db.d.MapError(fmt.Errorf("begin transaction: %w", err))
	}
	t := &Tx{db: db, tx: tx}
	defer t.Rollback()
	return db.d.MapError(fn(t))
}

// Each runs query in tx and calls fn for every row.
func Each(ctx context.Context, tx *Tx, query string, fn func(*sql.Rows) error, args ...any) error {
	return each(ctx, tx, query, fn, args...)
}

// ConstraintError is a driver error wrapped in one of the sentinels of
// package indicators (by the dialects' MapError).
type ConstraintError struct {
	Sentinel error
	Err      error
}

func (e *ConstraintError) Error() string   { return e.Sentinel.Error() + ": " + e.Err.Error() }
func (e *ConstraintError) Unwrap() []error { return []error{e.Sentinel, e.Err} }

// Wrap wraps err in sentinel (unless it already is one).
func Wrap(sentinel, err error) error {
	if errors.Is(err, sentinel) {
		return err
	}
	return &ConstraintError{Sentinel: sentinel, Err: err}
}

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

// ParseDims reads a disaggregation stored as indicators.Disagg.Key()
// ("location=Darkhan; sex=female"; "" for the total). Unlike
// indicators.ParseDisagg it keeps the case of dimension names as the
// framework declares them, so that what was saved loads back equal.
func ParseDims(key string) (indicators.Disagg, error) { return parseDims(key) }

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

// CheckDims refuses a disaggregation that would not load back from its
// stored key: a dimension name that is empty or holds '=' or ';', or a
// value that holds ';'.
func CheckDims(d indicators.Disagg) error { return checkDims(d) }

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

// b2i stores a bool in an integer column (0 or 1).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// JSONStrings unpacks a JSON array of len(out) strings, as the dialects'
// Pack makes it, into out.
func JSONStrings(s string, out []string) error { return jsonStrings(s, out) }
