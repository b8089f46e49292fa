package sqlite

import (
	"context"
	"errors"
	"maps"
	"strconv"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

// dayFigures are n distinct figures of indicator 1.1a, one a day from
// 2021-01-01, the value of day i being i, given in reverse key order.
func dayFigures(n int) []indicators.Measurement {
	out := make([]indicators.Measurement, n)
	for i := range out {
		v := float64(i)
		out[n-1-i] = indicators.Measurement{Indicator: "1.1a", Period: indicators.Day(day(2021, 1, 1).AddDate(0, 0, i)), Value: &v,
			Loc: indicators.Loc{File: "days.xlsx", Sheet: "Days", Row: n + 1 - i}}
	}
	return out
}

// TestLoaderChunks imports files whose sizes fall on either side of the
// loader's statements (loadRows) and chunks (loadChunk): every figure is
// stored once, with its value.
func TestLoaderChunks(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{1, loadRows - 1, loadRows, loadRows + 1, loadChunk - 1, loadChunk, loadChunk + 1, (loadAhead+2)*loadChunk + loadRows + 3} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			db, _ := frameworkDB(t)
			b, err := runImport(t, db, "days.xlsx", false, dayFigures(n)...)
			if err != nil {
				t.Fatal(err)
			}
			if counts(b) != [3]int{n, 0, 0} || b.RowsRead != n {
				t.Fatalf("counts %v, rows read %d; want %d added", counts(b), b.RowsRead, n)
			}
			got, err := db.Measurements(ctx, sqlstore.MeasurementFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("%d figures stored, want %d", len(got), n)
			}
			for i, m := range got {
				if m.Value == nil || *m.Value != float64(i) || !m.Period.Equal(indicators.Day(day(2021, 1, 1).AddDate(0, 0, i))) || m.Loc.Row != n+1-i {
					t.Fatalf("figure %d: %s %v row %d", i, m.Period, m.Value, m.Loc.Row)
				}
			}
			// Stored in key order: ids follow the periods' texts.
			var unordered int
			err = db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
				return tx.QueryRowContext(ctx, `SELECT count(*) FROM measurements a JOIN measurements b ON b.id = a.id + 1 WHERE b.period < a.period`).Scan(&unordered)
			})
			if err != nil || unordered > 0 {
				t.Errorf("%d figures out of key order (%v)", unordered, err)
			}
		})
	}
}

// TestLoaderAbandoned rolls back, or cancels, imports while the loader's
// goroutine is storing their rows: nothing is kept, and the database takes
// the next import.
func TestLoaderAbandoned(t *testing.T) {
	figs := dayFigures((loadAhead + 3) * loadChunk)
	for _, how := range []string{"rollback", "cancel"} {
		t.Run(how, func(t *testing.T) {
			db, _ := frameworkDB(t)
			before := countRows(t, db)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			im, err := db.BeginImport(ctx, indicators.Batch{File: "days.xlsx", SHA256: "days"})
			if err != nil {
				t.Fatal(err)
			}
			var addErr error
			for i, m := range figs {
				if how == "cancel" && i == 2*loadChunk+5 {
					cancel()
				}
				if addErr = im.Add(m); addErr != nil {
					break
				}
			}
			switch how {
			case "rollback":
				if addErr != nil {
					t.Fatal(addErr)
				}
				if err := im.Rollback(); err != nil {
					t.Fatal(err)
				}
			case "cancel":
				_, err := im.Finish(false)
				if err == nil {
					t.Fatal("a cancelled import finished")
				}
				if !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "context canceled") {
					t.Errorf("cancelled import: %v (Add: %v), want context.Canceled", err, addErr)
				}
				im.Rollback()
			}
			if after := countRows(t, db); !maps.Equal(before, after) {
				t.Errorf("rows before %v, after %v", before, after)
			}
			b, err := runImport(t, db, "days.xlsx", false, figs[:loadChunk+1]...)
			if err != nil || b.Added != loadChunk+1 {
				t.Errorf("the next import: %+v, %v", b, err)
			}
		})
	}
}

// TestLoaderErrors: a value of a type the loader does not store is refused
// by Add; a row SQLite refuses fails the load at Flush, naming why.
func TestLoaderErrors(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	err := db.Tx(ctx, func(tx *sqlstore.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE t (a INTEGER NOT NULL, b TEXT)`); err != nil {
			return err
		}
		defer tx.ExecContext(ctx, `DROP TABLE temp.t`)
		l, err := dialect{}.Loader(ctx, tx, "t", []string{"a", "b"})
		if err != nil {
			return err
		}
		defer l.Close()
		if err := l.Add(ctx, []any{1, true}); err == nil || !strings.Contains(err.Error(), "bool") {
			t.Errorf("a bool: %v, want an error naming the type", err)
		}
		if err := l.Add(ctx, []any{1}); err == nil {
			t.Error("a row of one value for two columns: no error")
		}
		for i := 0; i < 3*loadChunk; i++ {
			var a any = i
			if i == loadChunk+7 {
				a = nil
			}
			if err := l.Add(ctx, []any{a, "x"}); err != nil {
				break // the goroutine's failure, seen by a later Add
			}
		}
		err = l.Flush(ctx)
		if err == nil || !strings.Contains(err.Error(), "NOT NULL") {
			t.Errorf("a NULL in a NOT NULL column: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
