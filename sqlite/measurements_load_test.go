package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

// TestMeasurementsStoredPeriodChecked: a figure whose stored kind or dates
// do not match its period's text is an error naming the indicator and the
// period, not a figure of the wrong period.
func TestMeasurementsStoredPeriodChecked(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct{ name, set string }{
		{"kind", `period_kind = 4`},
		{"end", `period_end = '2021-12-30'`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := frameworkDB(t)
			if _, err := runImport(t, db, "p.xlsx", false, fig(t, "1.1a", "2021Q3", 1, 2), fig(t, "1.1a", "2021Q4", 2, 3)); err != nil {
				t.Fatal(err)
			}
			err := db.Tx(ctx, func(tx *sqlstore.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE measurements SET `+tt.set+` WHERE period = '2021Q4'`)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.Measurements(ctx, MeasurementFilter{})
			if !errors.Is(err, indicators.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			for _, want := range []string{"1.1a", `"2021Q4"`} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %s", err, want)
				}
			}
		})
	}
}

// TestMeasurementsValuesDistinct: figures loaded together have their own
// values (the store keeps them in shared slabs) and share equal strings.
func TestMeasurementsValuesDistinct(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	var figs []indicators.Measurement
	for i, p := range []string{"2021Q1", "2021Q2", "2021Q3", "2021Q4", "2022Q1"} {
		figs = append(figs, fig(t, "1.1a", p, float64(i+1), i+2))
	}
	if _, err := runImport(t, db, "p.xlsx", false, figs...); err != nil {
		t.Fatal(err)
	}
	got, err := db.Measurements(ctx, MeasurementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(figs) {
		t.Fatalf("%d figures, want %d", len(got), len(figs))
	}
	for i := range got {
		if got[i].Value == nil || *got[i].Value != float64(i+1) {
			t.Errorf("figure %d: value %v, want %d", i, got[i].Value, i+1)
		}
	}
	*got[0].Value = -1 // a caller changing one figure changes no other
	if *got[1].Value != 2 {
		t.Errorf("figure 1: value %v after figure 0 changed, want 2", *got[1].Value)
	}
}

// TestMeasurementsPackedTexts: texts holding the packing's own characters
// (digits, ':') come back as stored.
func TestMeasurementsPackedTexts(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	a := fig(t, "1.1a", "2021Q1", 1, 2, "Location=12:3")
	a.Comment, a.Source, a.Loc.Sheet, a.Loc.File = "3:abc:", "0:", "Q1: 2021", "p:1.xlsx"
	b := fig(t, "1.1a", "2021Q2", 2, 3)
	b.Comment, b.Source, b.Verified = "", "ünïcödé: 5", indicators.VerifiedNo
	if _, err := runImport(t, db, "p:1.xlsx", false, a, b); err != nil {
		t.Fatal(err)
	}
	got, err := db.Measurements(ctx, MeasurementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d figures, want 2", len(got))
	}
	for i, want := range []indicators.Measurement{a, b} {
		g := got[i]
		if g.Comment != want.Comment || g.Source != want.Source || g.Loc.Sheet != want.Loc.Sheet || g.Loc.File != want.Loc.File ||
			g.Verified != want.Verified || g.Dims.Key() != want.Dims.Key() || g.Period != want.Period {
			t.Errorf("figure %d: got %+v, want %+v", i, g, want)
		}
	}
}

func TestJSONStrings(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want []string // nil: an error
	}{
		{`["2021Q1","sex=female"]`, 2, []string{"2021Q1", "sex=female"}},
		{`["",""]`, 2, []string{"", ""}},
		{`["2021Q1", "sex=female"]`, 2, []string{"2021Q1", "sex=female"}}, // PostgreSQL
		{`["a\"b\\c\/","\n\t\r\b\f\u0001","\ud83d\ude00é"]`, 3, []string{`a"b\c/`, "\n\t\r\b\f\x01", "😀é"}},
		{"[\"\xff\xfe\",\"x\"]", 2, []string{"\xff\xfe", "x"}},
		{`["a"]`, 2, nil},
		{`["a","b","c"]`, 2, nil},
		{`["a",1]`, 2, nil},
		{`["a\q","b"]`, 2, nil},
		{`["a\u12","b"]`, 2, nil},
		{`["a","b`, 2, nil},
		{`"a","b"]`, 2, nil},
		{`["a\`, 1, nil},
	} {
		out := make([]string, tt.n)
		err := sqlstore.JSONStrings(tt.in, out)
		if tt.want == nil {
			if err == nil {
				t.Errorf("jsonStrings(%q): no error, got %q", tt.in, out)
			}
			continue
		}
		if err != nil || !slices.Equal(out, tt.want) {
			t.Errorf("jsonStrings(%q) = %q, %v; want %q", tt.in, out, err, tt.want)
		}
	}
}

// FuzzJSONStrings: whatever SQLite's json_array makes of two texts,
// jsonStrings gives the texts back.
func FuzzJSONStrings(f *testing.F) {
	f.Add("as reported", "Q1: \"x\"\n")
	f.Add("\xff", "\u2028\x00")
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	f.Fuzz(func(t *testing.T, a, b string) {
		var packed string
		if err := db.QueryRow(`SELECT json_array(CAST(? AS TEXT), CAST(? AS TEXT))`, a, b).Scan(&packed); err != nil {
			t.Skip(err)
		}
		out := make([]string, 2)
		if err := sqlstore.JSONStrings(packed, out); err != nil {
			t.Fatalf("jsonStrings(%q): %v", packed, err)
		}
		if out[0] != a || out[1] != b {
			t.Errorf("%q, %q packed as %q, unpacked as %q", a, b, packed, out)
		}
	})
}

func TestCountMeasurements(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	if n, err := db.CountMeasurements(ctx, MeasurementFilter{}); err != nil || n != 0 {
		t.Fatalf("empty database: %d, %v", n, err)
	}
	figs := []indicators.Measurement{fig(t, "1.1a", "2021Q1", 1, 2), fig(t, "1.1a", "2021Q2", 2, 3), fig(t, "n", "2021Q2", 3, 4)}
	if _, err := runImport(t, db, "p.xlsx", false, figs...); err != nil {
		t.Fatal(err)
	}
	figs[0].Value = nil
	figs[0].Text = "corrected" // a new revision: still one current figure
	if _, err := runImport(t, db, "q.xlsx", false, figs[0]); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		f    MeasurementFilter
		want int
	}{
		{MeasurementFilter{}, 3},
		{MeasurementFilter{Indicator: "1.1a"}, 2},
		{MeasurementFilter{Upto: day(2021, 3, 31)}, 1},
		{MeasurementFilter{Indicator: "n", Upto: day(2021, 3, 31)}, 0},
	} {
		n, err := db.CountMeasurements(ctx, tt.f)
		if err != nil || n != tt.want {
			t.Errorf("CountMeasurements(%+v) = %d, %v; want %d", tt.f, n, err, tt.want)
		}
		all, _ := db.Measurements(ctx, tt.f)
		if len(all) != n {
			t.Errorf("Measurements(%+v) gives %d figures, CountMeasurements %d", tt.f, len(all), n)
		}
	}
}

// TestMeasurementsOrphanFigures: a figure whose indicator is not in the
// framework (possible only with the foreign keys off, say after an edit
// by hand) is still loaded, as it was before figures were read indicator
// by indicator.
func TestMeasurementsOrphanFigures(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	if _, err := runImport(t, db, "p.xlsx", false, fig(t, "1.1a", "2021Q1", 1, 2), fig(t, "n", "2021Q1", 2, 3)); err != nil {
		t.Fatal(err)
	}
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`PRAGMA foreign_keys = off`,
		`INSERT INTO measurements (indicator, period, period_kind, period_start, period_end, value, batch_id, revision)
			SELECT 'zz', period, period_kind, period_start, period_end, 7, batch_id, 1 FROM measurements LIMIT 1`,
		`PRAGMA foreign_keys = on`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()
	all, err := db.Measurements(ctx, MeasurementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, m := range all {
		codes = append(codes, m.Indicator)
	}
	if len(all) != 3 || !slices.Contains(codes, "zz") {
		t.Errorf("figures of %v, want 1.1a, n and zz", codes)
	}
}
