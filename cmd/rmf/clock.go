package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/internal/dbcopy"
	"github.com/rmf-project/rmf/internal/sqlstore"
	"github.com/rmf-project/rmf/postgres"
	"github.com/rmf-project/rmf/sqlite"
)

// clock is the time the database records imports, log entries and
// framework versions at: now, or the fixed time $RMF_NOW gives (RFC 3339,
// "2006-01-02T15:04" or a day YYYY-MM-DD, read as UTC), so that a session
// can be replayed and tests of as-of reports are deterministic.
func clock() (func() time.Time, error) {
	v := strings.TrimSpace(os.Getenv("RMF_NOW"))
	if v == "" {
		return time.Now, nil
	}
	t, err := engine.ParseMoment(v)
	if err != nil {
		return nil, fmt.Errorf("$RMF_NOW: %w", err)
	}
	return func() time.Time { return t }, nil
}

// openEngine opens the database at path with the clock.
func openEngine(ctx context.Context, path string) (*engine.Engine, error) {
	now, err := clock()
	if err != nil {
		return nil, err
	}
	return openEngineAt(ctx, path, now)
}

// openEngineAt opens the database at path with clock now.
func openEngineAt(ctx context.Context, path string, now func() time.Time) (*engine.Engine, error) {
	return openEngineOpt(ctx, path, now, engine.Options{LimitReportMemory: true})
}

// openEngineOpt opens the database at path with clock now and the
// engine's options opt (rmf serve leaves the report memory limit off: it
// is process-wide). A PostgreSQL project must exist; a SQLite file is
// created when missing (openDB checks first that it exists).
func openEngineOpt(ctx context.Context, path string, now func() time.Time, opt engine.Options) (*engine.Engine, error) {
	s, _, err := openStore(ctx, path, now, false)
	if err != nil {
		return nil, err
	}
	return engine.New(s, opt), nil
}

// createEngine opens the database at path, creating it (a SQLite file, a
// PostgreSQL project) when missing; created says whether it did.
func createEngine(ctx context.Context, path string, now func() time.Time) (e *engine.Engine, created bool, err error) {
	s, created, err := openStore(ctx, path, now, true)
	if err != nil {
		return nil, false, err
	}
	return engine.New(s, engine.Options{LimitReportMemory: true}), created, nil
}

// openStore is the one place that opens a store: PostgreSQL when path is
// a postgres:// URL, else the SQLite file at path. With create, a missing
// PostgreSQL project is created (created is true); a SQLite file is
// created by opening it, and created stays false (createDB knows).
func openStore(ctx context.Context, path string, now func() time.Time, create bool) (s engine.Store, created bool, err error) {
	if postgres.IsURL(path) {
		var db *postgres.DB
		if create {
			db, created, err = postgres.CreateAt(ctx, path, now)
		} else {
			db, err = postgres.OpenAt(ctx, path, now)
		}
		if err != nil {
			return nil, false, err
		}
		return postgres.NewStore(db), created, nil
	}
	db, err := sqlite.OpenAt(ctx, path, now)
	if err != nil {
		return nil, false, err
	}
	return sqlite.NewStore(db), false, nil
}

// isURL reports whether the database argument names a PostgreSQL project
// rather than a SQLite file.
func isURL(path string) bool { return postgres.IsURL(path) }

// urlProject is the project= of a PostgreSQL URL.
func urlProject(path string) string {
	u, err := url.Parse(path)
	if err != nil {
		return ""
	}
	return u.Query().Get("project")
}

// dbName names the database path in messages: a file as given, a URL
// without its password.
func dbName(path string) string {
	if !isURL(path) {
		return path
	}
	return postgres.Redact(path)
}

// copyEnd is one database of "rmf db copy", opened for the copy.
type copyEnd struct {
	side    dbcopy.DB
	db      *sqlstore.DB
	path    string
	created bool // the command created it: Discard removes it again
}

// copySide returns db's transactions as the copy takes them: reads in one
// snapshot, writes holding the database's write lock.
func copySide(name string, e dbcopy.Engine, db *sqlstore.DB) dbcopy.DB {
	return dbcopy.DB{
		Name:   name,
		Engine: e,
		Read: func(ctx context.Context, fn func(*sql.Tx) error) error {
			return db.ReadTx(ctx, func(tx *sqlstore.Tx) error { return fn(tx.SQLTx()) })
		},
		Write: func(ctx context.Context, fn func(*sql.Tx) error) error {
			return db.Tx(ctx, func(tx *sqlstore.Tx) error { return fn(tx.SQLTx()) })
		},
	}
}

// openCopySource opens the database a copy reads: it must exist.
func openCopySource(ctx context.Context, path string, now func() time.Time) (*copyEnd, error) {
	if isURL(path) {
		db, err := postgres.OpenAt(ctx, path, now)
		if err != nil {
			return nil, fmt.Errorf("--from: %w", err)
		}
		return &copyEnd{side: copySide(dbName(path), dbcopy.PostgreSQL, db), db: db, path: path}, nil
	}
	if err := dbExists(&Env{DBPath: path}); err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	db, err := sqlite.OpenAt(ctx, path, now)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	return &copyEnd{side: copySide(path, dbcopy.SQLite, db), db: db, path: path}, nil
}

// openCopyDest opens the database a copy writes, creating it (a file, a
// PostgreSQL project) when missing.
func openCopyDest(ctx context.Context, path string, now func() time.Time) (*copyEnd, error) {
	if isURL(path) {
		db, created, err := postgres.CreateAt(ctx, path, now)
		if err != nil {
			return nil, fmt.Errorf("--to: %w", err)
		}
		return &copyEnd{side: copySide(dbName(path), dbcopy.PostgreSQL, db), db: db, path: path, created: created}, nil
	}
	created := false
	if _, err := os.Stat(path); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("--to: database %s: %w", path, err)
		}
		dir := filepath.Dir(path)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("--to: database %s: folder %s does not exist; create it first or name another file", path, dir)
		}
		created = true
	}
	db, err := sqlite.OpenAt(ctx, path, now)
	if err != nil {
		if created {
			removeSQLite(path)
		}
		return nil, fmt.Errorf("--to: %w", err)
	}
	return &copyEnd{side: copySide(path, dbcopy.SQLite, db), db: db, path: path, created: created}, nil
}

// Close closes the database.
func (c *copyEnd) Close() error { return c.db.Close() }

// Discard closes the database and, when the copy created it, removes it:
// a failed copy leaves no empty database behind.
func (c *copyEnd) Discard(ctx context.Context) error {
	err := c.db.Close()
	if !c.created {
		return err
	}
	if isURL(c.path) {
		if derr := dropProject(ctx, c.path); derr != nil {
			return fmt.Errorf("remove the project the copy created: %w", derr)
		}
		return nil
	}
	removeSQLite(c.path)
	return nil
}

// removeSQLite removes a SQLite database file and its companions.
func removeSQLite(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		os.Remove(p)
	}
}

// dropProject removes the PostgreSQL project url names (its schema and its
// entry in the registry, in one transaction): for a copy that created it
// and failed.
// Only while it is still empty: what another user wrote into it since the
// copy created it is never lost (then it stays, and the copy says so).
func dropProject(ctx context.Context, rawURL string) error {
	dropped, err := postgres.DropIfEmpty(ctx, rawURL)
	if err == nil && !dropped && !projectMissing(ctx, rawURL) {
		return fmt.Errorf("project %s was written to by someone else since the copy created it: it is left as it is", urlProject(rawURL))
	}
	return err
}

// projectMissing reports whether the project of rawURL is not registered.
func projectMissing(ctx context.Context, rawURL string) bool {
	gone, err := projectGone(ctx, rawURL, urlProject(rawURL))
	return err == nil && gone
}

// withProject returns the PostgreSQL URL with project=code (none for "").
func withProject(rawURL, code string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	q := u.Query()
	q.Set("project", code)
	if code == "" {
		q.Del("project")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// projectGone reports whether project code is no longer registered.
func projectGone(ctx context.Context, rawURL, code string) (bool, error) {
	list, err := postgres.Projects(ctx, rawURL)
	if err != nil {
		return false, err
	}
	for _, p := range list {
		if p.Code == code {
			return false, nil
		}
	}
	return true, nil
}

// projectInfo is one line of "rmf projects".
type projectInfo struct {
	Code         string
	Created      time.Time
	HasFramework bool
	Title        string
	Figures      int   // current figures
	Broken       error // the project could not be opened
}

// listProjects lists the projects of the PostgreSQL database at url, each
// with its title and current figures read as its tables stand (a listing
// never migrates a project).
func listProjects(ctx context.Context, rawURL string) ([]projectInfo, error) {
	list, err := postgres.Projects(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	out := make([]projectInfo, 0, len(list))
	for _, p := range list {
		info := projectInfo{Code: p.Code, Created: p.Created, HasFramework: p.HasFramework, Title: p.Title, Figures: p.Figures}
		if p.Err != nil {
			if gone, _ := projectGone(ctx, rawURL, p.Code); gone {
				continue // removed since it was listed
			}
			// One project that cannot be read (being removed, or damaged)
			// does not hide the others.
			info.Figures, info.Broken = -1, p.Err
		}
		out = append(out, info)
	}
	return out, nil
}
