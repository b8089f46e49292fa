package postgres

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rmf-project/rmf/internal/pgtest"
	"github.com/rmf-project/rmf/sqlite"
)

// TestSchemaMirrorsSQLite: a project has the tables of a SQLite database,
// each with the same columns in the same order (rmf db copy copies table
// by table, column by column), and the same migrations recorded.
func TestSchemaMirrorsSQLite(t *testing.T) {
	ctx := context.Background()
	pg, _, err := CreateAt(ctx, pgtest.URL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rmf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pgTables, err := pg.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	liteTables, err := lite.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pgTables, liteTables) {
		t.Fatalf("tables:\npostgres %v\nsqlite   %v", pgTables, liteTables)
	}
	columns := func(db *sql.DB, q, table string) []string {
		t.Helper()
		rows, err := db.QueryContext(ctx, q, table)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
		return out
	}
	for _, table := range pgTables {
		p := columns(pg.SQL(), `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
		l := columns(lite.SQL(), `SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
		if !slices.Equal(p, l) {
			t.Errorf("table %s:\npostgres %v\nsqlite   %v", table, p, l)
		}
	}
	m := func(db *sql.DB) []string {
		return columns(db, `SELECT name FROM migrations WHERE name <> $1 ORDER BY name`, "")
	}
	if p, l := m(pg.SQL()), m(lite.SQL()); !slices.Equal(p, l) {
		t.Errorf("migrations:\npostgres %v\nsqlite   %v", p, l)
	}
}
