// Package dbcopy moves an rmf project from one database to another: SQLite
// to PostgreSQL, back, or SQLite to SQLite ("rmf db copy").
//
// The copy is generic, table by table, over database/sql: both adapters
// keep the same tables with the same columns (the PostgreSQL schema mirrors
// SQLite's table for table and column for column), so a row read from one
// is inserted into the other as it is, ids included. Of rmf's tables it
// knows only the few it skips (each database's own migrations table, the
// web sessions), the first migration's date (the project's creation,
// carried over) and the two it names when it refuses a destination that
// is not empty (project, measurements).
//
// Guarantees:
//   - the source is read in one consistent snapshot, the destination written
//     in one transaction (its foreign keys deferred to the commit, so that
//     tables referencing themselves or each other go in any order): a copy
//     that fails for any reason leaves the destination as it was;
//   - a destination that already holds rows is refused (NotEmptyError);
//   - a table or a column on one side only is an error naming it, never
//     silently dropped (SchemaError);
//   - after the copy, every table of the destination is read back in the
//     same transaction and must have the same row count and content
//     checksum as the source (an order-independent sum of the rows'
//     SHA-256), else nothing is committed;
//   - PostgreSQL identity sequences are moved past the copied ids, so that
//     the next row inserted gets a new id;
//   - the project's creation travels: the destination's first migration is
//     dated as the source's (rmf reads a database's creation from it, and
//     as-of reports refuse a moment before it).
//
// The package has no command-line code: cmd/rmf/dbcopy.go opens both stores
// and prints the Report.
package dbcopy

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Engine is the SQL dialect of a database.
type Engine int

const (
	SQLite Engine = iota + 1
	PostgreSQL
)

func (e Engine) String() string {
	switch e {
	case SQLite:
		return "SQLite"
	case PostgreSQL:
		return "PostgreSQL"
	}
	return fmt.Sprintf("Engine(%d)", int(e))
}

// TxFunc runs fn in a transaction of the database: Read in a read-only
// consistent snapshot, Write in a write transaction committed when fn
// returns nil (and rolled back otherwise).
type TxFunc func(ctx context.Context, fn func(*sql.Tx) error) error

// TxOf runs fn in a transaction of db begun with opts, committing it when
// fn returns nil: for a database that offers no transaction function of
// its own.
func TxOf(db *sql.DB, opts *sql.TxOptions) TxFunc {
	return func(ctx context.Context, fn func(*sql.Tx) error) error {
		tx, err := db.BeginTx(ctx, opts)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit()
	}
}

// DB is one side of a copy.
type DB struct {
	Name   string // names the database in messages: a file, a URL without its password
	Engine Engine
	Read   TxFunc // needed of the source
	Write  TxFunc // needed of the destination
}

// Skipped are the tables never copied, with the reason the report gives.
var Skipped = map[string]string{
	"migrations": "each database records its own schema",
	"sessions":   "logins to rmf serve: users log in again on the new database",
	// Figure packs are made from the figures copied, when the copy is
	// next opened (or written).
	"figure_packs": "made from the figures: each database makes its own",
}

// Table is one table copied: its rows and their checksum, the same on both
// sides.
type Table struct {
	Name     string
	Rows     int64
	Checksum string // hex of the order-independent sum of the rows' SHA-256
}

// Report is what a copy did.
type Report struct {
	Project string   // the code of the project copied ("" when the source holds no framework)
	Tables  []Table  // in name order
	Skipped []string // tables of the source left out (Skipped), in name order
}

// Rows is the number of rows copied in all.
func (r *Report) Rows() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Rows
	}
	return n
}

// NotEmptyError is a destination that already holds rows.
type NotEmptyError struct {
	DB      string
	Project string           // the code of the project it holds, when it holds one
	Figures int64            // rows of measurements
	Tables  map[string]int64 // every table with rows, and how many
}

func (e *NotEmptyError) Error() string {
	var what string
	switch {
	case e.Project != "" && e.Figures > 0:
		what = fmt.Sprintf("the framework of project %s and %d figures", e.Project, e.Figures)
	case e.Project != "":
		what = fmt.Sprintf("the framework of project %s", e.Project)
	case e.Figures > 0:
		what = fmt.Sprintf("%d figures", e.Figures)
	default:
		names := make([]string, 0, len(e.Tables))
		for n, c := range e.Tables {
			names = append(names, fmt.Sprintf("%s (%d rows)", n, c))
		}
		sort.Strings(names)
		what = "rows in " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s already holds %s: copy into a new project (another project= in the URL) or a new file", e.DB, what)
}

// SchemaError is a table or a column on one side only.
type SchemaError struct {
	Table, Column string // Column empty: the whole table
	In, NotIn     string // the database that has it, the one that lacks it
}

func (e *SchemaError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("table %s is in %s but not in %s: both must be created by the same rmf (run \"rmf init\" on each with this rmf)", e.Table, e.In, e.NotIn)
	}
	return fmt.Sprintf("column %s.%s is in %s but not in %s: both must be created by the same rmf (run \"rmf init\" on each with this rmf)", e.Table, e.Column, e.In, e.NotIn)
}

// Options tune a copy.
type Options struct {
	// Progress, when set, is called after each table with its name and the
	// rows copied.
	Progress func(table string, rows int64)
	// corrupt, for tests, changes a row after it is inserted into the
	// destination, to check that verification catches it.
	corrupt func(ctx context.Context, tx *sql.Tx) error
}

// Copy copies every table of from into to (see the package doc for the
// guarantees) and returns what it copied.
func Copy(ctx context.Context, from, to DB, opt Options) (*Report, error) {
	if from.Read == nil || to.Write == nil {
		return nil, errors.New("dbcopy: the source needs Read and the destination Write")
	}
	var rep *Report
	err := from.Read(ctx, func(src *sql.Tx) error {
		srcSchema, err := readSchema(ctx, src, from.Engine)
		if err != nil {
			return fmt.Errorf("read the tables of %s: %w", from.Name, err)
		}
		return to.Write(ctx, func(dst *sql.Tx) error {
			if err := deferConstraints(ctx, dst, to.Engine); err != nil {
				return fmt.Errorf("%s: %w", to.Name, err)
			}
			dstSchema, err := readSchema(ctx, dst, to.Engine)
			if err != nil {
				return fmt.Errorf("read the tables of %s: %w", to.Name, err)
			}
			r, err := compareSchemas(from.Name, srcSchema, to.Name, dstSchema)
			if err != nil {
				return err
			}
			if err := checkEmpty(ctx, dst, to, dstSchema, r); err != nil {
				return err
			}
			if r.Project, err = projectCode(ctx, src, srcSchema); err != nil {
				return fmt.Errorf("%s: %w", from.Name, err)
			}
			for i := range r.Tables {
				t := &r.Tables[i]
				n, sum, err := copyTable(ctx, src, dst, from.Engine, to.Engine, srcSchema[t.Name], dstSchema[t.Name])
				if err != nil {
					return fmt.Errorf("copy table %s from %s to %s: %w", t.Name, from.Name, to.Name, err)
				}
				t.Rows, t.Checksum = n, sum
				if opt.Progress != nil {
					opt.Progress(t.Name, n)
				}
			}
			if to.Engine == PostgreSQL {
				if err := resetIdentities(ctx, dst, dstSchema, r); err != nil {
					return fmt.Errorf("%s: %w", to.Name, err)
				}
			}
			if err := carryCreation(ctx, src, dst, srcSchema, dstSchema, to.Engine); err != nil {
				return fmt.Errorf("%s: %w", to.Name, err)
			}
			if opt.corrupt != nil {
				if err := opt.corrupt(ctx, dst); err != nil {
					return err
				}
			}
			// Read the destination back, in the transaction that wrote it.
			for _, t := range r.Tables {
				n, sum, err := checksumTable(ctx, dst, dstSchema[t.Name], srcSchema[t.Name].sortedNames())
				if err != nil {
					return fmt.Errorf("verify table %s in %s: %w", t.Name, to.Name, err)
				}
				if n != t.Rows || sum != t.Checksum {
					return fmt.Errorf("verify table %s: %s has %d rows (checksum %.12s), %s has %d (checksum %.12s) after the copy; nothing was written",
						t.Name, from.Name, t.Rows, t.Checksum, to.Name, n, sum)
				}
			}
			rep = r
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// Checksums reads every table of db (but Skipped) in one snapshot and
// returns its row count and checksum, as Copy's report gives them: two
// databases holding the same project give the same list.
func Checksums(ctx context.Context, db DB) ([]Table, error) {
	var out []Table
	err := db.Read(ctx, func(tx *sql.Tx) error {
		s, err := readSchema(ctx, tx, db.Engine)
		if err != nil {
			return err
		}
		for _, name := range s.tableNames() {
			if _, skip := Skipped[name]; skip {
				continue
			}
			t := s[name]
			n, sum, err := checksumTable(ctx, tx, t, t.sortedNames())
			if err != nil {
				return fmt.Errorf("table %s: %w", name, err)
			}
			out = append(out, Table{Name: name, Rows: n, Checksum: sum})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", db.Name, err)
	}
	return out, nil
}

// Dump returns every row of table in db as canonical text, one line per
// row, sorted: for tests that show which rows differ.
func Dump(ctx context.Context, db DB, table string) ([]string, error) {
	var out []string
	err := db.Read(ctx, func(tx *sql.Tx) error {
		s, err := readSchema(ctx, tx, db.Engine)
		if err != nil {
			return err
		}
		t, ok := s[table]
		if !ok {
			return fmt.Errorf("no table %s", table)
		}
		cols := t.sortedNames()
		return scanTable(ctx, tx, t.name, cols, func(vals []any) error {
			var b strings.Builder
			for i, v := range vals {
				if i > 0 {
					b.WriteString(" | ")
				}
				b.WriteString(cols[i])
				b.WriteString("=")
				b.WriteString(canonical(v))
			}
			out = append(out, b.String())
			return nil
		})
	})
	sort.Strings(out)
	return out, err
}

// --- schema -----------------------------------------------------------------

// kind is what a column holds, whatever the engine calls its type.
type kind int

const (
	kindAny kind = iota
	kindInt
	kindFloat
	kindText
	kindBool
	kindBytes
)

type column struct {
	name     string
	kind     kind
	identity bool // PostgreSQL: GENERATED ... AS IDENTITY
}

type table struct {
	name string
	cols []column // in the table's order
}

func (t *table) names() []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.name
	}
	return out
}

func (t *table) sortedNames() []string {
	out := t.names()
	sort.Strings(out)
	return out
}

func (t *table) col(name string) (column, bool) {
	for _, c := range t.cols {
		if c.name == name {
			return c, true
		}
	}
	return column{}, false
}

type schema map[string]*table

func (s schema) tableNames() []string {
	out := make([]string, 0, len(s))
	for n := range s {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// readSchema lists the tables of the database tx reads (for PostgreSQL,
// those of the first schema of the search path: the project's) and their
// columns.
func readSchema(ctx context.Context, tx *sql.Tx, e Engine) (schema, error) {
	s := schema{}
	switch e {
	case SQLite:
		var names []string
		err := query(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`, nil, func(r *sql.Rows) error {
			var n string
			if err := r.Scan(&n); err != nil {
				return err
			}
			names = append(names, n)
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			t := &table{name: n}
			err := query(ctx, tx, `SELECT name, type FROM pragma_table_info(?) ORDER BY cid`, []any{n}, func(r *sql.Rows) error {
				var c, typ string
				if err := r.Scan(&c, &typ); err != nil {
					return err
				}
				t.cols = append(t.cols, column{name: c, kind: sqliteKind(typ)})
				return nil
			})
			if err != nil {
				return nil, err
			}
			s[n] = t
		}
	case PostgreSQL:
		err := query(ctx, tx, `SELECT c.table_name, c.column_name, c.data_type, c.is_identity
			FROM information_schema.columns c
			JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
			ORDER BY c.table_name, c.ordinal_position`, nil, func(r *sql.Rows) error {
			var tn, cn, typ, ident string
			if err := r.Scan(&tn, &cn, &typ, &ident); err != nil {
				return err
			}
			t := s[tn]
			if t == nil {
				t = &table{name: tn}
				s[tn] = t
			}
			t.cols = append(t.cols, column{name: cn, kind: pgKind(typ), identity: ident == "YES"})
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(s) == 0 {
			var cur sql.NullString
			if err := tx.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&cur); err != nil {
				return nil, err
			}
			if !cur.Valid {
				return nil, errors.New("no schema on the search path: the project's schema does not exist")
			}
		}
	default:
		return nil, fmt.Errorf("unknown engine %v", e)
	}
	return s, nil
}

// sqliteKind maps a declared SQLite type by SQLite's affinity rules.
func sqliteKind(typ string) kind {
	t := strings.ToUpper(typ)
	switch {
	case strings.Contains(t, "INT"):
		return kindInt
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"):
		return kindText
	case t == "", strings.Contains(t, "BLOB"):
		return kindAny
	case strings.Contains(t, "REAL"), strings.Contains(t, "FLOA"), strings.Contains(t, "DOUB"):
		return kindFloat
	case strings.Contains(t, "BOOL"):
		return kindBool
	}
	return kindAny
}

func pgKind(typ string) kind {
	switch typ {
	case "bigint", "integer", "smallint":
		return kindInt
	case "double precision", "real", "numeric":
		return kindFloat
	case "text", "character varying", "character":
		return kindText
	case "boolean":
		return kindBool
	case "bytea":
		return kindBytes
	}
	return kindAny
}

// compareSchemas checks that both sides have the same tables and columns
// (but Skipped) and returns the report's table list.
func compareSchemas(srcName string, src schema, dstName string, dst schema) (*Report, error) {
	r := &Report{}
	var errs []error
	for _, n := range src.tableNames() {
		if _, skip := Skipped[n]; skip {
			r.Skipped = append(r.Skipped, n)
			continue
		}
		dt, ok := dst[n]
		if !ok {
			errs = append(errs, &SchemaError{Table: n, In: srcName, NotIn: dstName})
			continue
		}
		st := src[n]
		for _, c := range st.cols {
			if _, ok := dt.col(c.name); !ok {
				errs = append(errs, &SchemaError{Table: n, Column: c.name, In: srcName, NotIn: dstName})
			}
		}
		for _, c := range dt.cols {
			if _, ok := st.col(c.name); !ok {
				errs = append(errs, &SchemaError{Table: n, Column: c.name, In: dstName, NotIn: srcName})
			}
		}
		r.Tables = append(r.Tables, Table{Name: n})
	}
	for _, n := range dst.tableNames() {
		if _, skip := Skipped[n]; skip {
			continue
		}
		if _, ok := src[n]; !ok {
			errs = append(errs, &SchemaError{Table: n, In: dstName, NotIn: srcName})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return r, nil
}

// --- the copy ---------------------------------------------------------------

func deferConstraints(ctx context.Context, tx *sql.Tx, e Engine) error {
	var q string
	switch e {
	case SQLite:
		q = `PRAGMA defer_foreign_keys = ON`
	case PostgreSQL:
		q = `SET CONSTRAINTS ALL DEFERRED`
	default:
		return fmt.Errorf("unknown engine %v", e)
	}
	if _, err := tx.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("defer foreign keys: %w", err)
	}
	return nil
}

// checkEmpty refuses a destination holding any row in a table to copy.
func checkEmpty(ctx context.Context, tx *sql.Tx, to DB, s schema, r *Report) error {
	e := &NotEmptyError{DB: to.Name, Tables: map[string]int64{}}
	for _, t := range r.Tables {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+quote(t.Name)).Scan(&n); err != nil {
			return fmt.Errorf("%s: count the rows of %s: %w", to.Name, t.Name, err)
		}
		if n > 0 {
			e.Tables[t.Name] = n
		}
	}
	if len(e.Tables) == 0 {
		return nil
	}
	e.Figures = e.Tables["measurements"]
	if e.Tables["project"] > 0 {
		code, err := projectCode(ctx, tx, s)
		if err != nil {
			return fmt.Errorf("%s: %w", to.Name, err)
		}
		e.Project = code
	}
	return e
}

// projectCode is the code of the project the database holds, "" when none.
func projectCode(ctx context.Context, tx *sql.Tx, s schema) (string, error) {
	p, ok := s["project"]
	if !ok {
		return "", nil
	}
	if _, ok := p.col("code"); !ok {
		return "", nil
	}
	var code sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT code FROM project LIMIT 1`).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the project's code: %w", err)
	}
	return code.String, nil
}

// batchParams bounds the parameters of one multi-row INSERT: SQLite allows
// 32,766, PostgreSQL 65,535.
func batchParams(e Engine) int {
	if e == PostgreSQL {
		return 60000
	}
	return 30000
}

const maxBatchRows = 1000

// copyTable copies every row of st (in src) into dt (in dst), in batches
// of multi-row INSERTs, and returns the rows copied and their checksum.
func copyTable(ctx context.Context, src, dst *sql.Tx, se, de Engine, st, dt *table) (int64, string, error) {
	cols := st.sortedNames()
	kinds := make([]kind, len(cols))
	for i, c := range cols {
		d, _ := dt.col(c)
		kinds[i] = d.kind
	}
	per := batchParams(de) / len(cols)
	if per > maxBatchRows {
		per = maxBatchRows
	}
	if per < 1 {
		per = 1
	}
	var (
		sum   checksum
		rows  int64
		batch = make([]any, 0, per*len(cols))
		full  *sql.Stmt
	)
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	flush := func() error {
		n := len(batch) / len(cols)
		if n == 0 {
			return nil
		}
		var err error
		if n == per {
			if full == nil {
				if full, err = dst.PrepareContext(ctx, insertSQL(de, st.name, cols, n)); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, batch...)
		} else {
			_, err = dst.ExecContext(ctx, insertSQL(de, st.name, cols, n), batch...)
		}
		batch = batch[:0]
		return err
	}
	err := scanTable(ctx, src, st.name, cols, func(vals []any) error {
		sum.add(vals)
		rows++
		for i, v := range vals {
			cv, err := convert(v, kinds[i])
			if err != nil {
				return fmt.Errorf("row %d, column %s: %w", rows, cols[i], err)
			}
			batch = append(batch, cv)
		}
		if len(batch) == per*len(cols) {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return 0, "", err
	}
	return rows, sum.hex(), nil
}

func insertSQL(e Engine, name string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(quote(name))
	b.WriteString(" (")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(c))
	}
	b.WriteString(") VALUES ")
	n := 0
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i := range cols {
			if i > 0 {
				b.WriteString(", ")
			}
			n++
			if e == PostgreSQL {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(n))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// convert turns a value read from one engine into what a column of kind k
// of the other takes.
func convert(v any, k kind) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case int32:
		v = int64(x)
	case int16:
		v = int64(x)
	case []byte:
		if k == kindText {
			return string(x), nil
		}
		return append([]byte(nil), x...), nil
	}
	switch k {
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int64(x), nil
			}
			return nil, fmt.Errorf("%v is not a whole number", x)
		}
	case kindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	case kindText:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
		}
	case kindAny, kindBytes:
		return v, nil
	}
	return nil, fmt.Errorf("cannot store %s in %s column", describeValue(v), k.withArticle())
}

// describeValue names a value for a message: its kind, and the value cut
// short (it may be private text that a message should not carry whole).
func describeValue(v any) string {
	switch x := v.(type) {
	case string:
		if r := []rune(x); len(r) > 20 {
			x = string(r[:20]) + "…"
		}
		return fmt.Sprintf("the text %q", x)
	case []byte:
		return fmt.Sprintf("%d bytes", len(x))
	case float64, int64:
		return fmt.Sprintf("the number %v", x)
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	}
	return fmt.Sprintf("a value of type %T", v)
}

// withArticle is "an integer", "a text", ...
func (k kind) withArticle() string {
	if s := k.String(); strings.IndexByte("aeiou", s[0]) >= 0 {
		return "an " + s
	}
	return "a " + k.String()
}

func (k kind) String() string {
	return [...]string{"untyped", "integer", "floating-point", "text", "boolean", "binary"}[k]
}

// resetIdentities moves each identity sequence past the largest id copied.
func resetIdentities(ctx context.Context, tx *sql.Tx, s schema, r *Report) error {
	for _, t := range r.Tables {
		for _, c := range s[t.Name].cols {
			if !c.identity {
				continue
			}
			q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(%s) FROM %s), 0) + 1, false)`, quote(c.name), quote(t.Name))
			if _, err := tx.ExecContext(ctx, q, quote(t.Name), c.name); err != nil {
				return fmt.Errorf("reset the identity of %s.%s: %w", t.Name, c.name, err)
			}
		}
	}
	return nil
}

// carryCreation dates the destination's first migration as the source's
// when the source is older: rmf takes a database's creation from its first
// migration (as-of reports refuse a moment before it), and a project moved
// to a new database was created when the source was.
func carryCreation(ctx context.Context, src, dst *sql.Tx, ss, ds schema, de Engine) error {
	for _, s := range []schema{ss, ds} {
		t, ok := s["migrations"]
		if !ok {
			return nil
		}
		if _, ok := t.col("applied_at"); !ok {
			return nil
		}
		if _, ok := t.col("name"); !ok {
			return nil
		}
	}
	var srcAt sql.NullString
	if err := src.QueryRowContext(ctx, `SELECT min(applied_at) FROM migrations`).Scan(&srcAt); err != nil {
		return fmt.Errorf("read the source's creation: %w", err)
	}
	var name, dstAt string
	err := dst.QueryRowContext(ctx, `SELECT name, applied_at FROM migrations ORDER BY name LIMIT 1`).Scan(&name, &dstAt)
	if !srcAt.Valid || errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the destination's creation: %w", err)
	}
	st, err1 := time.Parse(time.RFC3339, srcAt.String)
	dt, err2 := time.Parse(time.RFC3339, dstAt)
	if err1 != nil || err2 != nil || !st.Before(dt) {
		return nil
	}
	q := `UPDATE migrations SET applied_at = ? WHERE name = ?`
	if de == PostgreSQL {
		q = `UPDATE migrations SET applied_at = $1 WHERE name = $2`
	}
	if _, err := dst.ExecContext(ctx, q, srcAt.String, name); err != nil {
		return fmt.Errorf("date the project's creation: %w", err)
	}
	return nil
}

// --- reading and checksums --------------------------------------------------

func scanTable(ctx context.Context, tx *sql.Tx, name string, cols []string, fn func([]any) error) error {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quote(c)
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+strings.Join(q, ", ")+" FROM "+quote(name))
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// checksumTable reads t's columns in the order cols (by name, so that both
// sides hash the same sequence) and returns the rows and checksum.
func checksumTable(ctx context.Context, tx *sql.Tx, t *table, cols []string) (int64, string, error) {
	var sum checksum
	var n int64
	err := scanTable(ctx, tx, t.name, cols, func(vals []any) error {
		sum.add(vals)
		n++
		return nil
	})
	return n, sum.hex(), err
}

// checksum is an order-independent digest of a set of rows: the sum, lane
// by lane modulo 2^64, of each row's SHA-256 over its canonical text. Two
// tables with the same rows in any order give the same sum; a row changed,
// added or lost changes it.
type checksum [4]uint64

func (c *checksum) add(vals []any) {
	h := sha256.New()
	for _, v := range vals {
		s := canonical(v)
		var l [8]byte
		binary.BigEndian.PutUint64(l[:], uint64(len(s)))
		h.Write(l[:])
		h.Write([]byte(s))
	}
	d := h.Sum(nil)
	for i := range c {
		c[i] += binary.BigEndian.Uint64(d[8*i:])
	}
}

func (c *checksum) hex() string {
	var b [32]byte
	for i, v := range c {
		binary.BigEndian.PutUint64(b[8*i:], v)
	}
	return hex.EncodeToString(b[:])
}

// canonical is a value's text, the same whichever engine it was read
// from: numbers by value (an integer-valued float as the integer), text
// as it is, booleans as 0 and 1.
func canonical(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return "n" + strconv.FormatInt(x, 10)
	case int32:
		return "n" + strconv.FormatInt(int64(x), 10)
	case int16:
		return "n" + strconv.FormatInt(int64(x), 10)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return "n" + strconv.FormatInt(int64(x), 10)
		}
		return "n" + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		if x {
			return "n1"
		}
		return "n0"
	case string:
		return "s" + x
	case []byte:
		return "s" + string(x)
	case time.Time:
		return "s" + x.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("%T:%v", v, v)
}

func query(ctx context.Context, tx *sql.Tx, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// quote quotes an SQL identifier (both engines take double quotes).
func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
