package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

// FuzzDims checks that every disaggregation the store accepts loads back
// equal from its stored key.
func FuzzDims(f *testing.F) {
	f.Add("sex", "female", "Location", "Ulaanbaatar City")
	f.Add("a", "b=c", "a b", " ")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		d := indicators.Disagg{k1: v1, k2: v2}
		if sqlstore.CheckDims(d) != nil {
			return
		}
		got, err := sqlstore.ParseDims(d.Key())
		if err != nil {
			t.Fatalf("sqlstore.ParseDims(%q): %v", d.Key(), err)
		}
		if !reflect.DeepEqual(got, d) {
			t.Fatalf("sqlstore.ParseDims(%q) = %v, want %v", d.Key(), got, d)
		}
	})
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
	all, err := db.Measurements(ctx, engine.MeasurementFilter{})
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
	codes = nil
	err = db.EachMeasurements(ctx, engine.MeasurementFilter{}, func(code string, figs []indicators.Measurement) error {
		codes = append(codes, fmt.Sprintf("%s:%d", code, len(figs)))
		return nil
	})
	if err != nil || !slices.Contains(codes, "zz:1") || len(codes) != 3 {
		t.Errorf("EachMeasurements gives %v (%v), want 1.1a, n and zz, one figure each", codes, err)
	}
}
