// Package postgres is the PostgreSQL store of rmf: the store of package
// sqlstore (the same SQL as package sqlite's) over a PostgreSQL server,
// where several projects live side by side in one database.
//
// # Projects: a schema each
//
// A project is named in the URL, postgres://user@host:port/dbname?project=CODE,
// and lives in a schema of its own (p_ and the code in lower case, '-' and
// '.' as '_'), whose tables are exactly SQLite's (postgres/migrations mirror
// sqlite/migrations number by number). A schema per project rather than a
// project key in every table, because:
//   - isolation is by construction: every connection of a project has its
//     schema as search_path (set in the connection's configuration, so
//     that every pooled connection has it), and no query of the store can
//     reach another project's rows, whatever it forgets to filter;
//   - the tables, constraints and queries stay SQLite's: no key column in
//     every primary key, unique index and join, and one store (sqlstore)
//     for both engines;
//   - a project is backed up or moved alone (pg_dump -n p_mig_mn) and
//     removed with DROP SCHEMA, and `rmf db copy` copies table by table.
//
// The projects are listed in a small registry, the table rmf.rmf_projects
// (code, schema, created_at), written in the transaction that creates the
// project's schema and tables: a project is there entirely or not at all.
//
// # Transactions
//
// Every method is one transaction. Reads are REPEATABLE READ, READ ONLY:
// one snapshot, never waiting for a writer. Writers are serialised per
// project by a transaction-level advisory lock keyed by the schema, taken
// at the start of every write transaction (READ COMMITTED, so that a
// writer that waited sees what the writer before it committed): when it is
// taken, DB.Waiting is called once and the writer waits for as long as its
// context lives. An import stages its figures with COPY into a temporary
// table dropped at commit.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

//go:embed migrations/*.sql
var embeddedMigrations embed.FS

// migrationFS holds the migrations as migrations/NNN_name.sql; tests
// replace it.
var migrationFS fs.FS = embeddedMigrations

// DB is an rmf database: the shared SQL store over one project of a
// PostgreSQL database.
type DB = sqlstore.DB

// Store is DB as engine's storage port (engine.Store) and engine.Users.
type Store = sqlstore.Store

// NewStore is db as engine.Store (and engine.Users).
func NewStore(db *DB) Store { return sqlstore.NewStore(db) }

// Project is one project of a PostgreSQL database.
type Project struct {
	Code    string    // as in the URL's project=
	Schema  string    // the schema holding its tables
	Created time.Time // when it was created

	// Read from the project's tables as they are, without bringing its
	// schema up to date (a listing never migrates a project that
	// colleagues still open with an older rmf): its title when it holds a
	// framework, its current figures, or why they could not be read.
	HasFramework bool
	Title        string
	Figures      int
	Err          error
}

// IsURL reports whether s names a PostgreSQL database (postgres:// or
// postgresql://) rather than a SQLite file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// projectCode is what a project code may be made of (as a framework's
// codes, SPEC 1), at most 40 characters so that its schema name fits
// PostgreSQL's 63-byte identifiers.
var projectCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// SchemaName is the schema of project code: p_ and the code in lower case,
// '-' and '.' written '_'.
func SchemaName(code string) string {
	return "p_" + strings.NewReplacer("-", "_", ".", "_").Replace(strings.ToLower(code))
}

// target is a parsed database URL: the server's (what pgx sees, without
// project=) and the project.
type target struct {
	server  string // the URL without project=
	shown   string // the URL without a password, for messages
	full    string // shown with the project
	project string
	schema  string
}

// parseURL reads a postgres:// URL with its project= parameter. needProject
// false accepts a URL without one (Projects).
func parseURL(s string, needProject bool) (target, error) {
	if !IsURL(s) {
		return target{}, fmt.Errorf("%w: database URL %q: expected postgres://user@host:port/dbname?project=CODE", indicators.ErrInvalid, redact(s))
	}
	u, err := url.Parse(s)
	if err != nil {
		return target{}, fmt.Errorf("%w: database URL %q: %v; expected postgres://user@host:port/dbname?project=CODE", indicators.ErrInvalid, redact(s), errors.Unwrap(err))
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return target{}, fmt.Errorf("%w: database URL %q: its parameters: %v; expected name=value pairs separated by '&' (percent-encode other characters)", indicators.ErrInvalid, redact(s), err)
	}
	t := target{project: strings.TrimSpace(q.Get("project"))}
	if len(q["project"]) > 1 {
		return target{}, fmt.Errorf("%w: database URL %s: project= is given %d times, expected once", indicators.ErrInvalid, redact(s), len(q["project"]))
	}
	q.Del("project")
	u.RawQuery = q.Encode()
	t.server = u.String()
	hidePassword(u)
	t.shown = u.String()
	if t.project != "" {
		shownQ, _ := url.ParseQuery(u.RawQuery) // parsed above; its password hidden
		shownQ.Set("project", t.project)
		u.RawQuery = shownQ.Encode()
	}
	t.full = u.String()
	if u.Path == "" || u.Path == "/" {
		return target{}, fmt.Errorf("%w: database URL %s: no database name, expected postgres://user@host:port/dbname?project=CODE", indicators.ErrRequired, t.shown)
	}
	if t.project == "" {
		if needProject {
			return target{}, fmt.Errorf("%w: database URL %s: no project, expected ?project=CODE at its end (one database holds several projects)", indicators.ErrRequired, t.shown)
		}
		return t, nil
	}
	if !projectCode.MatchString(t.project) {
		return target{}, fmt.Errorf("%w: database URL %s: project %q, expected a code of letters, digits, '.', '_' and '-' (at most 40, starting with a letter or digit)", indicators.ErrInvalid, t.shown, t.project)
	}
	t.schema = SchemaName(t.project)
	return t, nil
}

// Redact is the database URL s as rmf shows it (messages, logs, the
// store's Path): every password, as user:password@ or as a password=
// parameter, replaced by xxxxx.
func Redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return redact(s)
	}
	hidePassword(u)
	return u.String()
}

// hidePassword replaces u's password (user:password@, password=) by xxxxx.
func hidePassword(u *url.URL) {
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		u.RawQuery = passwordParam.ReplaceAllString(u.RawQuery, "${1}xxxxx")
		return
	}
	hidden := false
	for k := range q {
		if strings.EqualFold(k, "password") {
			q[k] = []string{"xxxxx"}
			hidden = true
		}
	}
	if hidden {
		u.RawQuery = q.Encode()
	}
}

// redact hides the passwords of a URL that did not parse.
var (
	passwordPart  = regexp.MustCompile(`(://[^:/@]*:)[^@]*@`)
	passwordParam = regexp.MustCompile(`(?i)((?:^|[?&])password=)[^&]*`)
)

func redact(s string) string {
	return passwordParam.ReplaceAllString(passwordPart.ReplaceAllString(s, "${1}xxxxx@"), "${1}xxxxx")
}

// where names the project for messages: "project MIG-MN of postgres://...".
func (t target) where() string {
	return fmt.Sprintf("project %s of %s", t.project, t.shown)
}

// connect opens a pool on the server; with a schema every connection has
// it as its search_path.
func connect(ctx context.Context, t target, schema string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(t.server)
	if err != nil {
		return nil, fmt.Errorf("%w: database URL %s: %v", indicators.ErrInvalid, t.shown, err)
	}
	if schema != "" {
		cfg.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	}
	if cfg.ConnectTimeout == 0 { // no connect_timeout= in the URL
		cfg.ConnectTimeout = defaultConnectTimeout
	}
	cfg.RuntimeParams["timezone"] = "UTC"
	// The staging table of an import lives in the session's temporary
	// buffers (8 MB by default; allocated only as used).
	cfg.RuntimeParams["temp_buffers"] = "64MB"
	db := stdlib.OpenDB(*cfg)
	// A bound on the server's connections (PostgreSQL's default limit is
	// 100 for every client together): beyond it, readers queue in the pool
	// rather than fail with "too many clients" under a burst of rmf serve's
	// pages. A writer waiting for the project's lock holds its connection,
	// so the bound leaves room for many at once.
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, connectError(t, err)
	}
	return db, nil
}

// maxConns bounds one process's connections to the server.
const maxConns = 24

// defaultConnectTimeout bounds the wait for a server that does not answer
// (a firewall dropping packets), unless the URL says connect_timeout=.
const defaultConnectTimeout = 15 * time.Second

// connectError says in one line why the server could not be reached.
func connectError(t target, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01", "28000":
			return fmt.Errorf("%s: password authentication failed for the user (%s): check the user and password in the URL or ~/.pgpass", t.shown, pe.Message)
		case "3D000":
			return fmt.Errorf("%s: %s: create the database first (createdb) or name an existing one", t.shown, pe.Message)
		}
		return fmt.Errorf("%s: %s (SQLSTATE %s)", t.shown, oneLine(pe.Message), pe.Code)
	}
	if msg := err.Error(); strings.Contains(msg, "TLS") || strings.Contains(msg, "SSL") || strings.Contains(msg, "x509") || strings.Contains(msg, "certificate") {
		return fmt.Errorf("%s: the secure connection (TLS) failed: %s: check sslmode= in the URL (sslmode=disable for a server without TLS, verify-full needs the server's certificate trusted)", t.shown, oneLine(rootCause(err).Error()))
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) || strings.Contains(err.Error(), "connect") {
		return fmt.Errorf("%s: cannot reach the PostgreSQL server: %s: check the host and port, and that the server runs", t.shown, oneLine(rootCause(err).Error()))
	}
	return fmt.Errorf("%s: %s", t.shown, oneLine(err.Error()))
}

// oneLine joins the distinct lines of s (pgconn lists every address it
// tried on a line of its own) with "; ".
func oneLine(s string) string {
	var out []string
	seen := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return strings.Join(out, "; ")
}

// rootCause is the innermost error of err's chain (pgconn's connect errors
// repeat the host several times).
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// OpenAt opens project of the database at url (postgres://...?project=CODE):
// it must exist (CreateAt creates it). Its schema is brought up to date; a
// database whose migrations are newer than this rmf is refused.
func OpenAt(ctx context.Context, url string, now func() time.Time) (*DB, error) {
	return open(ctx, url, now)
}

// CreateAt is OpenAt that first creates the project (its schema, tables and
// registry entry, in one transaction) when it does not exist; created says
// whether it did.
func CreateAt(ctx context.Context, url string, now func() time.Time) (db *DB, created bool, err error) {
	t, err := parseURL(url, true)
	if err != nil {
		return nil, false, err
	}
	if now == nil {
		now = time.Now
	}
	admin, err := connect(ctx, t, "")
	if err != nil {
		return nil, false, err
	}
	created, err = createProject(ctx, admin, t, now)
	admin.Close()
	if err != nil {
		return nil, false, err
	}
	db, err = open(ctx, url, now)
	return db, created, err
}

func open(ctx context.Context, url string, now func() time.Time) (*DB, error) {
	t, err := parseURL(url, true)
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	pool, err := connect(ctx, t, t.schema)
	if err != nil {
		return nil, err
	}
	// Two queries: PostgreSQL resolves every relation a statement names
	// before it runs, so one statement guarding rmf.rmf_projects with
	// to_regclass still fails on a database where no project was ever
	// created (42P01) instead of saying the project does not exist.
	var registered bool
	var sameSchema string // a registered code sharing this code's schema (differing in case, '-', '.', '_')
	err = pool.QueryRowContext(ctx, `SELECT to_regclass('rmf.rmf_projects') IS NOT NULL`).Scan(&registered)
	if err == nil && registered {
		err = pool.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM rmf.rmf_projects WHERE code = $1)`, t.project).Scan(&registered)
		if err == nil && !registered {
			err = pool.QueryRowContext(ctx, `SELECT code FROM rmf.rmf_projects WHERE schema = $1`, t.schema).Scan(&sameSchema)
			if errors.Is(err, sql.ErrNoRows) {
				err = nil
			}
		}
	}
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("%s: %w", t.where(), err)
	}
	if !registered && sameSchema != "" {
		pool.Close()
		return nil, fmt.Errorf("%w: %s does not exist, but project %s does (codes differing only in case, '-', '.' or '_' name one project): write project=%s", indicators.ErrUnknownCode, t.where(), sameSchema, sameSchema)
	}
	if !registered {
		pool.Close()
		return nil, fmt.Errorf("%w: %s does not exist: create it with rmf init --db '%s'", indicators.ErrUnknownCode, t.where(), t.full)
	}
	db := sqlstore.New(t.full, dialect{schema: t.schema}, pool, pool, now)
	if err := migrate(ctx, db, pool, t); err != nil {
		db.Close()
		return nil, err
	}
	// Figure packs (migration 018): kept from now on, and made for the
	// indicators that have none (a project migrated or copied).
	if err := usePacks(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: pack figures: %w", t.where(), err)
	}
	return db, nil
}

// usePacks turns figure packs on when the project has their table (a
// test's own migrations may have none).
func usePacks(ctx context.Context, db *DB) error {
	var ok bool
	err := db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT to_regclass('figure_packs') IS NOT NULL`).Scan(&ok)
	})
	if err != nil || !ok {
		return err
	}
	return db.UsePacks(ctx)
}

// registryLock serialises the creation of projects (and their migration)
// across processes: a transaction-level advisory lock.
const registryLock = `SELECT pg_advisory_xact_lock(hashtextextended('rmf registry', 0))`

// createProject creates the registry (when missing), the project's schema,
// its tables and its registry entry in one transaction. It reports false
// when the project existed already.
func createProject(ctx context.Context, admin *sql.DB, t target, now func() time.Time) (bool, error) {
	tx, err := admin.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("%s: %w", t.where(), err)
	}
	defer tx.Rollback()
	fail := func(what string, err error) (bool, error) {
		return false, fmt.Errorf("create %s: %s: %w", t.where(), what, mapError(err))
	}
	if _, err := tx.ExecContext(ctx, registryLock); err != nil {
		return fail("lock the registry", err)
	}
	for _, q := range []string{`CREATE SCHEMA IF NOT EXISTS rmf`,
		`CREATE TABLE IF NOT EXISTS rmf.rmf_projects (
			code       text COLLATE "C" PRIMARY KEY,
			schema     text COLLATE "C" NOT NULL UNIQUE,
			created_at text COLLATE "C" NOT NULL
		)`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fail("create the registry of projects", err)
		}
	}
	var other string
	err = tx.QueryRowContext(ctx, `SELECT code FROM rmf.rmf_projects WHERE schema = $1`, t.schema).Scan(&other)
	switch {
	case err == nil && other == t.project:
		return false, nil
	case err == nil:
		return false, fmt.Errorf("%w: create %s: its schema %s is project %s's: choose another code (codes differing only in case, '-', '.' or '_' share a schema)", indicators.ErrDuplicate, t.where(), t.schema, other)
	case !errors.Is(err, sql.ErrNoRows):
		return fail("read the registry", err)
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, t.schema).Scan(&exists); err != nil {
		return fail("look for the schema", err)
	}
	if exists {
		return false, fmt.Errorf("%w: create %s: a schema %s exists that is not an rmf project: drop or rename it, or choose another code", indicators.ErrDuplicate, t.where(), t.schema)
	}
	if _, err := tx.ExecContext(ctx, `CREATE SCHEMA `+pgx.Identifier{t.schema}.Sanitize()); err != nil {
		return fail("create schema "+t.schema, err)
	}
	if _, err := tx.ExecContext(ctx, `SET LOCAL search_path TO `+pgx.Identifier{t.schema}.Sanitize()); err != nil {
		return fail("set search_path", err)
	}
	names, err := migrations()
	if err != nil {
		return false, err
	}
	if err := createMigrationsTable(ctx, tx); err != nil {
		return fail("create the migrations table", err)
	}
	for _, name := range names {
		if err := applyMigration(ctx, tx, name, now); err != nil {
			return false, fmt.Errorf("create %s: %w", t.where(), err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rmf.rmf_projects (code, schema, created_at) VALUES ($1, $2, $3)`,
		t.project, t.schema, now().UTC().Format(time.RFC3339)); err != nil {
		return fail("register the project", err)
	}
	if err := tx.Commit(); err != nil {
		return fail("commit", err)
	}
	return true, nil
}

func createMigrationsTable(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		name       text COLLATE "C" PRIMARY KEY,
		applied_at text COLLATE "C" NOT NULL
	)`)
	return err
}

func applyMigration(ctx context.Context, tx *sql.Tx, name string, now func() time.Time) error {
	body, err := fs.ReadFile(migrationFS, "migrations/"+name)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migration %s: %w", name, mapError(err))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES ($1, $2)`,
		name, now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	return nil
}

var migrationName = regexp.MustCompile(`^([0-9]{3,})_[A-Za-z0-9_]+\.sql$`)

// migrations returns the names of the embedded migrations in the order they
// apply; a .sql file named otherwise is an error.
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

// migrate applies the migrations the project's schema lacks, in one
// transaction under the registry's lock. It first reads the recorded ones
// without a lock: opening an up-to-date project writes nothing. A project
// with a migration this binary does not know was migrated by a newer rmf:
// it is refused.
func migrate(ctx context.Context, db *DB, pool *sql.DB, t target) error {
	names, err := migrations()
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	applied := map[string]bool{}
	rows, err := pool.QueryContext(ctx, `SELECT name FROM migrations ORDER BY name`)
	if err != nil {
		return fmt.Errorf("%s: read migrations: %w", t.where(), err)
	}
	var newer []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("%s: read migrations: %w", t.where(), err)
		}
		applied[n] = true
		if !known[n] {
			newer = append(newer, n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: read migrations: %w", t.where(), err)
	}
	if len(newer) > 0 {
		return fmt.Errorf("%w: %s was migrated by a newer rmf (migration %s, this rmf knows up to %s): upgrade rmf",
			indicators.ErrInvalid, t.where(), newer[len(newer)-1], names[len(names)-1])
	}
	var pending []string
	for _, n := range names {
		if !applied[n] {
			pending = append(pending, n)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: migrate: %w", t.where(), err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, registryLock); err != nil {
		return fmt.Errorf("%s: migrate: %w", t.where(), err)
	}
	for _, name := range pending {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = $1`, name).Scan(&n); err != nil {
			return fmt.Errorf("%s: migration %s: %w", t.where(), name, err)
		}
		if n > 0 { // another process applied it meanwhile
			continue
		}
		if err := applyMigration(ctx, tx, name, db.Now); err != nil {
			return fmt.Errorf("%s: %w", t.where(), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: migrate: %w", t.where(), mapError(err))
	}
	return nil
}

// Projects lists the projects of the database at url (its project=, if
// any, is ignored), by code.
func Projects(ctx context.Context, url string) ([]Project, error) {
	t, err := parseURL(url, false)
	if err != nil {
		return nil, err
	}
	pool, err := connect(ctx, t, "")
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	var exists bool
	if err := pool.QueryRowContext(ctx, `SELECT to_regclass('rmf.rmf_projects') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("%s: %w", t.shown, err)
	}
	if !exists {
		return nil, nil
	}
	rows, err := pool.QueryContext(ctx, `SELECT code, schema, created_at FROM rmf.rmf_projects ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("%s: list projects: %w", t.shown, err)
	}
	defer rows.Close()
	var out []Project
	for rows.Next() {
		var p Project
		var at string
		if err := rows.Scan(&p.Code, &p.Schema, &at); err != nil {
			return nil, fmt.Errorf("%s: list projects: %w", t.shown, err)
		}
		if p.Created, err = time.Parse(time.RFC3339, at); err != nil {
			return nil, fmt.Errorf("%w: %s: project %s: stored time %q, expected RFC 3339", indicators.ErrInvalid, t.shown, p.Code, at)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: list projects: %w", t.shown, err)
	}
	rows.Close()
	for i := range out {
		out[i].Err = summarise(ctx, pool, &out[i])
	}
	return out, nil
}

// summarise reads p's title and counts its current figures, in one
// snapshot, straight from its schema's tables.
func summarise(ctx context.Context, pool *sql.DB, p *Project) error {
	tx, err := pool.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return mapError(err)
	}
	defer tx.Rollback()
	var title sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT title FROM `+pgx.Identifier{p.Schema, "project"}.Sanitize()).Scan(&title)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return mapError(err)
	default:
		p.HasFramework, p.Title = true, title.String
	}
	err = tx.QueryRowContext(ctx, `SELECT count(*) FROM `+pgx.Identifier{p.Schema, "measurements"}.Sanitize()+` WHERE current = 1`).Scan(&p.Figures)
	return mapError(err)
}

// SyncIdentities sets the next value of every identity column of the
// project (the integer ids) past the largest id stored: after a copy that
// inserted the ids it read, new rows then get new ids.
func SyncIdentities(ctx context.Context, db *DB) error {
	return db.Tx(ctx, func(tx *sqlstore.Tx) error {
		type col struct{ table, column string }
		var cols []col
		err := sqlstore.Each(ctx, tx, `SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
			WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attidentity <> '' AND NOT a.attisdropped
			ORDER BY c.relname`, func(r *sql.Rows) error {
			var c col
			if err := r.Scan(&c.table, &c.column); err != nil {
				return err
			}
			cols = append(cols, c)
			return nil
		})
		if err != nil {
			return err
		}
		for _, c := range cols {
			tbl, column := pgx.Identifier{c.table}.Sanitize(), pgx.Identifier{c.column}.Sanitize()
			// setval(seq, max, true): the next value is max+1; an empty
			// table restarts at 1 (setval(seq, 1, false)).
			if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, ?), coalesce((SELECT max(`+column+`) FROM `+tbl+`), 0) + 1, false)`,
				tbl, c.column); err != nil {
				return fmt.Errorf("identity of %s.%s: %w", c.table, c.column, err)
			}
		}
		return nil
	})
}

// MigrationsTable is the table recording the applied migrations, in both
// engines (a copy between them skips it).
const MigrationsTable = "migrations"

var _ engine.Store = Store{}

// Drop removes the project of url: its schema with every table in it and
// its row in the registry, in one transaction under the registry's lock,
// so that a listing of the projects never sees one without the other. A
// project that does not exist is not an error (there is nothing to
// remove). rmf uses it to take back a project that a failed `rmf db copy`
// created, and the tests to clean up.
func Drop(ctx context.Context, url string) error {
	_, err := drop(ctx, url, false)
	return err
}

// DropIfEmpty is Drop for a project that holds nothing: it waits for the
// project's writer (the same lock an import takes) and drops it only when
// every table but its migrations is empty, so that what someone wrote into
// the project in the meantime is never lost. It reports whether it
// dropped the project. rmf db copy uses it to take back the project a
// failed copy created.
func DropIfEmpty(ctx context.Context, url string) (bool, error) {
	return drop(ctx, url, true)
}

func drop(ctx context.Context, url string, onlyEmpty bool) (bool, error) {
	t, err := parseURL(url, true)
	if err != nil {
		return false, err
	}
	admin, err := connect(ctx, t, "")
	if err != nil {
		return false, err
	}
	defer admin.Close()
	tx, err := admin.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("drop %s: %w", t.where(), mapError(err))
	}
	defer tx.Rollback()
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT to_regclass('rmf.rmf_projects') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return false, mapErrorIn("drop "+t.where(), err)
	}
	if onlyEmpty {
		if empty, err := projectEmpty(ctx, tx, t.schema); err != nil || !empty {
			return false, mapErrorIn("drop "+t.where(), err)
		}
	}
	if _, err := tx.ExecContext(ctx, registryLock); err != nil {
		return false, mapErrorIn("drop "+t.where()+": lock the registry", err)
	}
	var schema string
	err = tx.QueryRowContext(ctx, `DELETE FROM rmf.rmf_projects WHERE code = $1 RETURNING schema`, t.project).Scan(&schema)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, mapErrorIn("drop "+t.where(), err)
	}
	if _, err := tx.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
		return false, mapErrorIn("drop "+t.where()+": schema "+schema, err)
	}
	if err := tx.Commit(); err != nil {
		return false, mapErrorIn("drop "+t.where(), err)
	}
	return true, nil
}

// projectEmpty takes the project's writer lock (waiting for an import that
// runs) and reports whether every table of schema but its migrations is
// empty. A project whose schema is gone is empty.
func projectEmpty(ctx context.Context, tx *sql.Tx, schema string) (bool, error) {
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+lockKey+`)`, schema); err != nil {
		return false, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'migrations'`, schema)
	if err != nil {
		return false, err
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return false, err
		}
		tables = append(tables, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	for _, n := range tables {
		var any bool
		q := `SELECT EXISTS (SELECT 1 FROM ` + pgx.Identifier{schema, n}.Sanitize() + `)`
		if err := tx.QueryRowContext(ctx, q).Scan(&any); err != nil {
			return false, err
		}
		if any {
			return false, nil
		}
	}
	return true, nil
}

// mapErrorIn is nil for nil, else err mapped (mapError) after what.
func mapErrorIn(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, mapError(err))
}
