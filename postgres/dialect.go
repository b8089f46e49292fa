package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

// dialect is PostgreSQL's way of doing what sqlstore.Dialect asks, for the
// project whose schema is schema.
type dialect struct{ schema string }

func (dialect) Numbered() bool { return true }

func (dialect) MapError(err error) error { return mapError(err) }

// mapError wraps PostgreSQL errors in the sentinels of package indicators,
// by SQLSTATE: unique violations are ErrDuplicate, foreign-key violations
// ErrUnknownCode, check and not-null violations ErrInvalid. The server's
// text is kept. Other errors are returned as they are.
func mapError(err error) error {
	var pe *pgconn.PgError
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "23505":
		return sqlstore.Wrap(indicators.ErrDuplicate, err)
	case "23503":
		return sqlstore.Wrap(indicators.ErrUnknownCode, err)
	case "23514", "23502":
		return sqlstore.Wrap(indicators.ErrInvalid, err)
	case "22021", "22P05": // invalid UTF-8, a NUL byte: text PostgreSQL cannot store
		return sqlstore.Wrap(indicators.ErrInvalid, err)
	}
	return err
}

// lockKey is the project's advisory lock: one writer at a time per project.
const lockKey = `hashtextextended('rmf project ' || $1, 0)`

// BeginWrite begins a READ COMMITTED transaction on conn and takes the
// project's advisory lock (released at commit or rollback). When another
// writer holds it, waiting is called once and the lock is waited for as
// long as ctx lives (cancelling ctx cancels the wait). READ COMMITTED: each
// statement sees what the writer before committed.
func (d dialect) BeginWrite(ctx context.Context, conn *sql.Conn, waiting func()) (*sql.Tx, error) {
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return nil, err
	}
	var got bool
	if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock(`+lockKey+`)`, d.schema).Scan(&got); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("take the project's write lock: %w", err)
	}
	if got {
		return tx, nil
	}
	if waiting != nil {
		waiting()
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+lockKey+`)`, d.schema); err != nil {
		tx.Rollback()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("wait for the project's write lock: %w", err)
	}
	return tx, nil
}

// BeginRead begins a REPEATABLE READ, READ ONLY transaction: one snapshot,
// never waiting for a writer.
func (dialect) BeginRead(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	return db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
}

var (
	sqliteInteger = regexp.MustCompile(`\bINTEGER\b`)
	sqliteReal    = regexp.MustCompile(`\bREAL\b`)
	sqliteText    = regexp.MustCompile(`\bTEXT\b`)
)

// pgColumns translates a column list written with SQLite's types.
func pgColumns(cols string) string {
	cols = sqliteInteger.ReplaceAllString(cols, "bigint")
	cols = sqliteReal.ReplaceAllString(cols, "double precision")
	return sqliteText.ReplaceAllString(cols, `text COLLATE "C"`)
}

// CreateStaging creates a temporary table dropped at the end of the
// transaction (ON COMMIT DROP; a rollback removes it too). The import's
// sorts and hashes get importWorkMem (for this transaction only): with
// PostgreSQL's default 4 MB the merge of a large file sorts on disk.
func (dialect) CreateStaging(ctx context.Context, tx *sqlstore.Tx, name, cols string) error {
	if _, err := tx.ExecContext(ctx, `SET LOCAL work_mem = '`+importWorkMem+`'`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `CREATE TEMP TABLE `+pgx.Identifier{name}.Sanitize()+` (`+pgColumns(cols)+`) ON COMMIT DROP`)
	return err
}

// importWorkMem is the work_mem of an import's transaction: a bound the
// server reaches only for large files. Measured on the 1,000,000-figure
// import (BenchmarkLargeImportPostgres): with 64 MB the check for repeated
// figures took 3.8 s and the insert 25 s, with 256 MB 2.0 s and 20.7 s
// (both sort or hash the million staged figures in memory).
const importWorkMem = "256MB"

func (dialect) DropStaging(ctx context.Context, tx *sqlstore.Tx, name string) error {
	_, err := tx.ExecContext(ctx, `DROP TABLE pg_temp.`+pgx.Identifier{name}.Sanitize())
	return err
}

// IndexStaging only gathers the staging table's statistics (autovacuum
// never analyses temporary tables; without them the planner guesses the
// size of a million-row import): PostgreSQL joins and groups the staged
// figures by hashing, and an index on them cost more to build (3.5 s for
// a million figures) than it saved.
func (dialect) IndexStaging(ctx context.Context, tx *sqlstore.Tx, name, cols string) error {
	_, err := tx.ExecContext(ctx, `ANALYZE pg_temp.`+pgx.Identifier{name}.Sanitize())
	return err
}

// copyChunk is how many rows the loader hands to the COPY at a time, and
// copyAhead how many chunks may wait for it.
const (
	copyChunk = 1000
	copyAhead = 4
)

// Loader stages rows with one COPY per import, streamed while the file is
// read: the COPY runs in a goroutine on the write transaction's own
// connection (through database/sql's Conn.Raw to pgx's connection, so
// that it is part of the transaction) and takes the rows Add queues, a
// chunk at a time; Flush ends it. Reading the file and storing its rows
// then overlap, and memory holds a few chunks whatever the file's size.
func (dialect) Loader(ctx context.Context, tx *sqlstore.Tx, name string, cols []string) (sqlstore.Loader, error) {
	if tx.Conn() == nil {
		return nil, errors.New("bulk load outside a write transaction")
	}
	return &copyLoader{tx: tx, table: pgx.Identifier{"pg_temp", name}, cols: cols}, nil
}

type copyLoader struct {
	tx    *sqlstore.Tx
	table pgx.Identifier
	cols  []string
	chunk [][]any
	// While a COPY runs: chunks go to ch, closing abort makes it fail
	// (Close), done gives its end.
	ch    chan [][]any
	abort chan struct{}
	done  chan error
	err   error // the COPY's failure, once seen
}

// Add queues row. A text PostgreSQL cannot store (not UTF-8, or holding a
// NUL byte) is refused here, where the caller can say which figure it is,
// rather than by the COPY.
func (l *copyLoader) Add(ctx context.Context, row []any) error {
	if l.err != nil {
		return l.err
	}
	for i, v := range row {
		if s, ok := v.(string); ok && (!utf8.ValidString(s) || strings.ContainsRune(s, 0)) {
			return fmt.Errorf("%w: %s %q is not UTF-8 text without NUL bytes, which PostgreSQL cannot store", indicators.ErrInvalid, l.cols[i], s)
		}
	}
	l.chunk = append(l.chunk, row)
	if len(l.chunk) >= copyChunk {
		return l.send(ctx)
	}
	return nil
}

// send hands the current chunk to the COPY, starting it if needed.
func (l *copyLoader) send(ctx context.Context) error {
	if len(l.chunk) == 0 {
		return nil
	}
	if l.ch == nil {
		l.start(ctx)
	}
	select {
	case l.ch <- l.chunk:
		l.chunk = make([][]any, 0, copyChunk)
		return nil
	case err := <-l.done: // the COPY ended before taking every row
		l.ch, l.done = nil, nil
		if err == nil {
			err = errors.New("bulk load: the COPY ended early")
		}
		l.err = fmt.Errorf("bulk load: %w", err)
		return l.err
	}
}

func (l *copyLoader) start(ctx context.Context) {
	l.ch, l.abort, l.done = make(chan [][]any, copyAhead), make(chan struct{}), make(chan error, 1)
	src := &chanSource{ch: l.ch, abort: l.abort}
	go func() {
		l.done <- l.tx.Conn().Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("driver connection %T, expected pgx's", dc)
			}
			_, err := c.Conn().CopyFrom(ctx, l.table, l.cols, src)
			return err
		})
	}()
}

// Flush sends the rows queued and waits for the COPY to end.
func (l *copyLoader) Flush(ctx context.Context) error {
	if l.err != nil {
		return l.err
	}
	if err := l.send(ctx); err != nil {
		return err
	}
	if l.ch == nil {
		return nil
	}
	close(l.ch)
	err := <-l.done
	l.ch, l.done = nil, nil
	if err != nil {
		l.err = fmt.Errorf("bulk load: %w", err)
	}
	return l.err
}

// Close abandons the load: a COPY in progress fails (nothing of it is
// kept) and is waited for.
func (l *copyLoader) Close() error {
	if l.ch != nil {
		close(l.abort)
		<-l.done
		l.ch, l.done = nil, nil
	}
	l.chunk = nil
	return nil
}

// errAbandoned fails a COPY that Close abandons.
var errAbandoned = errors.New("import abandoned")

// chanSource is pgx's CopyFromSource over the chunks of a copyLoader.
type chanSource struct {
	ch    <-chan [][]any
	abort <-chan struct{}
	cur   [][]any
	i     int
	err   error
}

func (s *chanSource) Next() bool {
	s.i++
	for s.i >= len(s.cur) {
		select {
		case <-s.abort:
			s.err = errAbandoned
			return false
		case chunk, ok := <-s.ch:
			if !ok {
				return false
			}
			s.cur, s.i = chunk, 0
		}
	}
	return true
}

func (s *chanSource) Values() ([]any, error) { return s.cur[s.i], nil }

func (s *chanSource) Err() error { return s.err }

// Tables lists the tables of the project's schema.
func (dialect) Tables(ctx context.Context, tx *sqlstore.Tx) ([]string, error) {
	var out []string
	err := sqlstore.Each(ctx, tx, `SELECT c.relname FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' ORDER BY c.relname`, func(r *sql.Rows) error {
		var n string
		if err := r.Scan(&n); err != nil {
			return err
		}
		out = append(out, n)
		return nil
	})
	return out, err
}

// Pack packs nothing: PostgreSQL's json_build_array costs the server about
// twice the plain columns (200 against 100 ms per 100,000 figures), more
// than the strings of the plain columns cost the client.
func (dialect) Pack(exprs ...string) string { return "" }

// KeepsNegativeZero: a double precision column gives -0 back as -0
// (sqlstore's figure packs made from staged figures keep it so).
func (dialect) KeepsNegativeZero() bool { return true }

// Stamp is, for every table of the project but users and sessions, the
// largest id where the table has one (an index lookup) and the number of
// rows otherwise; with the newest transaction that wrote a row of the
// table. Every change to the framework, figures, reviews, actions or
// expenditures inserts a row, so a new stamp means a new state.
func (dialect) Stamp(ctx context.Context, tx *sqlstore.Tx) (string, error) {
	type table struct {
		name  string
		hasID bool
	}
	var tables []table
	err := sqlstore.Each(ctx, tx, `SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'id' AND NOT a.attisdropped)
		FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
		AND c.relname NOT IN ('users', 'sessions') ORDER BY c.relname`, func(r *sql.Rows) error {
		var t table
		if err := r.Scan(&t.name, &t.hasID); err != nil {
			return err
		}
		tables = append(tables, t)
		return nil
	})
	if err != nil {
		return "", err
	}
	if len(tables) == 0 {
		return "", nil
	}
	parts := make([]string, 0, len(tables))
	for _, t := range tables {
		id := pgx.Identifier{t.name}.Sanitize()
		switch {
		case t.hasID:
			parts = append(parts, `coalesce((SELECT max(id) FROM `+id+`), 0)::text`)
		case t.name == "review_figures":
			// Append-only, and written only with a new review_log entry
			// (whose id is in the stamp): counting it, up to a row per
			// figure, would scan it on every page of rmf serve.
		default:
			parts = append(parts, `(SELECT count(*) FROM `+id+`)::text`)
		}
	}
	var st string
	err = tx.QueryRowContext(ctx, `SELECT `+strings.Join(parts, ` || ',' || `)).Scan(&st)
	return st, err
}
