package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

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
// transaction (ON COMMIT DROP; a rollback removes it too).
func (dialect) CreateStaging(ctx context.Context, tx *sqlstore.Tx, name, cols string) error {
	_, err := tx.ExecContext(ctx, `CREATE TEMP TABLE `+pgx.Identifier{name}.Sanitize()+` (`+pgColumns(cols)+`) ON COMMIT DROP`)
	return err
}

func (dialect) DropStaging(ctx context.Context, tx *sqlstore.Tx, name string) error {
	_, err := tx.ExecContext(ctx, `DROP TABLE pg_temp.`+pgx.Identifier{name}.Sanitize())
	return err
}

// IndexStaging indexes the staging table and gathers its statistics
// (autovacuum never analyses temporary tables; without them the planner
// guesses the size of a million-row import).
func (dialect) IndexStaging(ctx context.Context, tx *sqlstore.Tx, name, cols string) error {
	t := pgx.Identifier{name}.Sanitize()
	if _, err := tx.ExecContext(ctx, `CREATE INDEX ON pg_temp.`+t+` (`+cols+`)`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `ANALYZE pg_temp.`+t)
	return err
}

// copyBatch is how many rows the loader buffers before a COPY.
const copyBatch = 10000

// Loader stages rows with COPY, copyBatch rows at a time, on the write
// transaction's connection (through database/sql's Conn.Raw to pgx's own
// connection, so that the COPY is part of the transaction).
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
	rows  [][]any
}

func (l *copyLoader) Add(ctx context.Context, row []any) error {
	l.rows = append(l.rows, row)
	if len(l.rows) >= copyBatch {
		return l.Flush(ctx)
	}
	return nil
}

func (l *copyLoader) Flush(ctx context.Context) error {
	if len(l.rows) == 0 {
		return nil
	}
	err := l.tx.Conn().Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("bulk load: driver connection %T, expected pgx's", dc)
		}
		n, err := c.Conn().CopyFrom(ctx, l.table, l.cols, pgx.CopyFromRows(l.rows))
		if err == nil && int(n) != len(l.rows) {
			err = fmt.Errorf("bulk load: %d rows copied of %d", n, len(l.rows))
		}
		return err
	})
	l.rows = l.rows[:0]
	return err
}

func (l *copyLoader) Close() error {
	l.rows = nil
	return nil
}

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

// Pack packs texts with json_build_array (which writes ", " between them).
func (dialect) Pack(exprs ...string) string {
	return `json_build_array(` + strings.Join(exprs, ", ") + `)::text`
}

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
	parts := make([]string, len(tables))
	for i, t := range tables {
		id := pgx.Identifier{t.name}.Sanitize()
		if t.hasID {
			parts[i] = `coalesce((SELECT max(id) FROM ` + id + `), 0)::text`
		} else {
			parts[i] = `(SELECT count(*) FROM ` + id + `)::text`
		}
	}
	var st string
	err = tx.QueryRowContext(ctx, `SELECT `+strings.Join(parts, ` || ',' || `)).Scan(&st)
	return st, err
}
