package sqltest

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

// testFirstImportSameAsMerge imports the same files into two databases,
// one taking the first-import path where it can (no current figures of
// the file's indicators: Import.Fresh) and one comparing every import
// with the current figures (DB.CompareAlways), and compares the two
// databases table by table, row by row, ids included.
func testFirstImportSameAsMerge(t *testing.T) {
	ctx := context.Background()
	files := []struct {
		name  string
		figs  func(t *testing.T) []indicators.Measurement
		fresh bool // the first-import path applies
	}{
		{"first.xlsx", func(t *testing.T) []indicators.Measurement {
			twice := fig(t, "1.1a", "2021Q2", 4, 9, "sex=male")
			again := twice
			again.Loc.Row = 12 // an identical repeat: stored once
			withText := fig(t, "n", "2021Q1", 120, 10)
			withText.Comment, withText.Source, withText.Verified = "counted", "register", indicators.VerifiedYes
			ratio := fig(t, "d", "2021Q1", 300, 11)
			ratio.Numerator, ratio.Denominator = fp(3), fp(10)
			negZero := fig(t, "n", "2021Q2", math.Copysign(0, -1), 14) // stored as 0 by SQLite
			negZero.Comment = "zéro ✓"
			return []indicators.Measurement{
				// Not in key order: the figures are stored in key order.
				fig(t, "1.1a", "2021Q2", 7, 2),
				fig(t, "1.1a", "2021Q1", 5, 3),
				fig(t, "1.1a", "2021Q1", 2, 4, "sex=female", "Location=Darkhan"),
				fig(t, "1.1a", "2021Q1", 3, 5, "sex=male"),
				twice, withText, ratio, again, negZero,
				fig(t, "1.1a", "2021", 15, 13),
			}
		}, true},
		{"corrections.xlsx", func(t *testing.T) []indicators.Measurement {
			return []indicators.Measurement{
				fig(t, "1.1a", "2021Q2", 8, 2),                 // changed
				fig(t, "1.1a", "2021Q1", 5, 3),                 // unchanged
				fig(t, "1.1a", "2022Q1", 1, 4),                 // added
				textFig(t, "O2t", "2022S2", "draft policy", 5), // an indicator without figures, in a file that has others'
			}
		}, false},
		{"coverage.xlsx", func(t *testing.T) []indicators.Measurement {
			// Figures of an indicator that has none, in a project that has others'.
			return []indicators.Measurement{fig(t, "O1b", "2021Q3", 0.4, 2), fig(t, "O1b", "2021Q4", 0.5, 3)}
		}, true},
	}
	var dumps [2]map[string][]string
	for k, compare := range []bool{false, true} {
		db, c := frameworkDB(t)
		db.CompareAlways = compare
		for _, f := range files {
			c.step(time.Hour)
			im, err := db.BeginImport(ctx, indicators.Batch{File: f.name, SHA256: "sha-" + f.name})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range f.figs(t) {
				m.Loc.File = f.name
				if err := im.Add(m); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := im.Finish(false); err != nil {
				t.Fatalf("%s: %v", f.name, err)
			}
			if got, want := im.Fresh(), f.fresh && !compare; got != want {
				t.Errorf("CompareAlways %v, %s: Fresh() = %v, want %v", compare, f.name, got, want)
			}
		}
		dumps[k] = dumpTables(t, db)
	}
	if n := len(dumps[0]["measurements"]); n != 14 { // 9 + a revision and 2 more + 2
		t.Errorf("%d rows of figures, want 14:\n%s", n, strings.Join(dumps[0]["measurements"], "\n"))
	}
	for table, rows := range dumps[1] {
		if !slices.Equal(dumps[0][table], rows) {
			t.Errorf("table %s after the first-import path:\n%s\nafter comparing every import:\n%s",
				table, strings.Join(dumps[0][table], "\n"), strings.Join(rows, "\n"))
		}
	}
	if len(dumps[0]) != len(dumps[1]) {
		t.Errorf("%d tables against %d", len(dumps[0]), len(dumps[1]))
	}
}

// dumpTables reads every row of every table but migrations (dated when the
// database was created) as text, sorted.
func dumpTables(t *testing.T, db *DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	tables := Tables(t, db)
	err := db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
		for _, n := range tables {
			if n == "migrations" {
				continue
			}
			rows, err := tx.QueryContext(ctx, `SELECT * FROM "`+n+`"`)
			if err != nil {
				return err
			}
			lines, err := rowLines(rows)
			if err != nil {
				return fmt.Errorf("%s: %w", n, err)
			}
			slices.Sort(lines)
			out[n] = lines
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func rowLines(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	var lines []string
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		var b strings.Builder
		for i, v := range vals {
			if i > 0 {
				b.WriteString(" | ")
			}
			if x, ok := v.([]byte); ok {
				v = string(x)
			}
			fmt.Fprintf(&b, "%s=%v", cols[i], v)
		}
		lines = append(lines, b.String())
	}
	return lines, rows.Err()
}

// testFigurePacksKept: every indicator with figures has a figure pack after
// a first import and after a correction, and the packs hold what the rows
// hold (read through them, EachMeasurements gives what the table's rows
// hold; -0 as the engine gives it back).
func testFigurePacksKept(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	packs := func() int {
		t.Helper()
		var n int
		err := db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
			return tx.QueryRowContext(ctx, `SELECT count(*) FROM figure_packs`).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	neg := fig(t, "n", "2021Q2", math.Copysign(0, -1), 5)
	if _, err := runImport(t, db, "q1.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2), fig(t, "1.1a", "2021Q1", 2, 3, "sex=female"),
		fig(t, "n", "2021Q1", 120, 4), neg); err != nil {
		t.Fatal(err)
	}
	if n := packs(); n != 2 {
		t.Errorf("after a first import: %d figure packs, want 2 (1.1a, n)", n)
	}
	if _, err := runImport(t, db, "q2.xlsx", false, fig(t, "1.1a", "2021Q1", 6, 7), fig(t, "d", "2021Q1", 300, 8)); err != nil {
		t.Fatal(err)
	}
	if n := packs(); n != 3 {
		t.Errorf("after a correction: %d figure packs, want 3 (1.1a, n, d)", n)
	}
	if err := db.CheckPacks(ctx); err != nil {
		t.Error(err)
	}
	var all []string
	err := db.EachMeasurements(ctx, sqlstore.MeasurementFilter{}, func(code string, figs []indicators.Measurement) error {
		for _, m := range figs {
			all = append(all, fmt.Sprintf("%s %s %s %v row %d", code, m.Period, m.Dims.Key(), *m.Value, m.Loc.Row))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	err = db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
		r, err := tx.QueryContext(ctx, `SELECT indicator, period, dims, value, row FROM measurements WHERE current = 1`)
		if err != nil {
			return err
		}
		defer r.Close()
		for r.Next() {
			var code, period, dims string
			var v float64
			var row int
			if err := r.Scan(&code, &period, &dims, &v, &row); err != nil {
				return err
			}
			rows = append(rows, fmt.Sprintf("%s %s %s %v row %d", code, period, dims, v, row))
		}
		return r.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(all)
	slices.Sort(rows)
	if !slices.Equal(all, rows) {
		t.Errorf("through the packs:\n%s\nrow by row:\n%s", strings.Join(all, "\n"), strings.Join(rows, "\n"))
	}
	// Upto leaves out, in a pack as in the rows, the figures of periods
	// that end after it (n's of 2021Q2, ending 2021-06-30)
	for _, upto := range []time.Time{day(2021, 3, 31), day(2021, 6, 29), day(2021, 6, 30)} {
		var got []string
		err := db.EachMeasurements(ctx, sqlstore.MeasurementFilter{Upto: upto}, func(code string, figs []indicators.Measurement) error {
			for _, m := range figs {
				got = append(got, code+" "+m.Period.String())
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := "1.1a 2021Q1, 1.1a 2021Q1, n 2021Q1, d 2021Q1"
		if upto.Equal(day(2021, 6, 30)) {
			want = "1.1a 2021Q1, 1.1a 2021Q1, n 2021Q1, n 2021Q2, d 2021Q1"
		}
		if strings.Join(got, ", ") != want {
			t.Errorf("up to %s: %s, want %s", upto.Format(time.DateOnly), strings.Join(got, ", "), want)
		}
	}
}

// testFigurePacksFollowOtherWriters: a figure changed, added or deleted by
// another program (straight SQL, not through rmf) drops its indicator's
// pack at once, so that reads see the change; rmf's next write packs it
// again.
func testFigurePacksFollowOtherWriters(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	if _, err := runImport(t, db, "q1.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2), fig(t, "n", "2021Q1", 120, 4)); err != nil {
		t.Fatal(err)
	}
	packed := func() string {
		t.Helper()
		var codes []string
		err := db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
			r, err := tx.QueryContext(ctx, `SELECT indicator FROM figure_packs ORDER BY indicator`)
			if err != nil {
				return err
			}
			defer r.Close()
			for r.Next() {
				var c string
				if err := r.Scan(&c); err != nil {
					return err
				}
				codes = append(codes, c)
			}
			return r.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(codes, " ")
	}
	value := func(code string) float64 {
		t.Helper()
		var v float64
		err := db.EachMeasurements(ctx, sqlstore.MeasurementFilter{Indicator: code}, func(_ string, figs []indicators.Measurement) error {
			v = *figs[0].Value
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	other := func(q string) {
		t.Helper()
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if got := packed(); got != "1.1a n" {
		t.Fatalf("packs %q after the import, want 1.1a n", got)
	}
	other(`UPDATE measurements SET value = 99 WHERE indicator = '1.1a' AND current = 1`)
	if got := packed(); got != "n" {
		t.Errorf("packs %q after another program's UPDATE of 1.1a, want n", got)
	}
	if v := value("1.1a"); v != 99 {
		t.Errorf("1.1a reads %v after the UPDATE, want 99", v)
	}
	other(`DELETE FROM measurements WHERE indicator = 'n'`)
	if got := packed(); got != "" {
		t.Errorf("packs %q after another program's DELETE of n, want none", got)
	}
	if err := db.Tx(ctx, func(*sqlstore.Tx) error { return nil }); err != nil { // a write through rmf
		t.Fatal(err)
	}
	if got := packed(); got != "1.1a" {
		t.Errorf("packs %q after a write through rmf, want 1.1a (n has no figures left)", got)
	}
	if v := value("1.1a"); v != 99 {
		t.Errorf("1.1a reads %v through its new pack, want 99", v)
	}
	if err := db.CheckPacks(ctx); err != nil {
		t.Error(err)
	}
}

// testFigurePacksBesideAnOpenWriter: another program's transaction adds a
// figure and has not committed when rmf writes (which packs what has no
// pack): rmf's write waits for it, so that neither packs what the other
// has not committed; the packs then hold the other program's figure.
func testFigurePacksBesideAnOpenWriter(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	if _, err := runImport(t, db, "q1.xlsx", false, fig(t, "n", "2021Q1", 120, 4)); err != nil {
		t.Fatal(err)
	}
	// n's pack goes: another program's committed change
	if _, err := db.SQL().ExecContext(ctx, `UPDATE measurements SET value = 121 WHERE indicator = 'n'`); err != nil {
		t.Fatal(err)
	}
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	other, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback()
	if _, err := other.ExecContext(ctx, `INSERT INTO measurements (indicator, period, period_kind, period_start, period_end, value, batch_id, revision, dims)
		SELECT 'n', '2021Q2', period_kind, '2021-04-01', '2021-06-30', 130, batch_id, 1, '' FROM measurements WHERE indicator = 'n'`); err != nil {
		t.Fatal(err)
	}
	wrote := make(chan error, 1)
	go func() { wrote <- db.Tx(ctx, func(*sqlstore.Tx) error { return nil }) }() // packs n at commit
	select {
	case err := <-wrote:
		t.Fatalf("rmf's write did not wait for the other program's open transaction (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := other.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	var n int
	err = db.EachMeasurements(ctx, sqlstore.MeasurementFilter{Indicator: "n"}, func(_ string, figs []indicators.Measurement) error {
		n = len(figs)
		return nil
	})
	if err != nil || n != 2 {
		t.Errorf("n reads %d figures (%v), want 2: the other program's among them", n, err)
	}
	if err := db.CheckPacks(ctx); err != nil {
		t.Error(err)
	}
}
