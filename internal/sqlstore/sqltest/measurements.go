package sqltest

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

// fig builds a figure of code for period (canonical text) read from row of
// sheet Q of q.xlsx; dims are "name=value" pairs.
func fig(t testing.TB, code, period string, value float64, row int, dims ...string) indicators.Measurement {
	t.Helper()
	p, err := indicators.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	var d indicators.Disagg
	for _, kv := range dims {
		k, v, _ := strings.Cut(kv, "=")
		d = d.With(k, v)
	}
	return indicators.Measurement{Indicator: code, Period: p, Dims: d, Value: fp(value),
		Loc: indicators.Loc{File: "q.xlsx", Sheet: "Q", Row: row}}
}

func textFig(t testing.TB, code, period, text string, row int) indicators.Measurement {
	m := fig(t, code, period, 0, row)
	m.Value, m.Text = nil, text
	return m
}

// frameworkDB opens a database holding fullFramework.
func frameworkDB(t testing.TB) (*DB, *clock) {
	t.Helper()
	db, c := openTest(t)
	if _, err := db.SaveFramework(context.Background(), fullFramework()); err != nil {
		t.Fatal(err)
	}
	return db, c
}

// runImport imports figs as file in one batch.
func runImport(t testing.TB, db *DB, file string, dryRun bool, figs ...indicators.Measurement) (indicators.Batch, error) {
	t.Helper()
	im, err := db.BeginImport(context.Background(), indicators.Batch{File: file, SHA256: "sha-" + file})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for _, m := range figs {
		if err := im.Add(m); err != nil {
			t.Fatalf("Add %+v: %v", m, err)
		}
	}
	return im.Finish(dryRun)
}

func counts(b indicators.Batch) [3]int { return [3]int{b.Added, b.Changed, b.Unchanged} }

func testImportCounts(t *testing.T) {
	ctx := context.Background()
	db, c := frameworkDB(t)
	withComment := func(m indicators.Measurement, s string) indicators.Measurement { m.Comment = s; return m }
	withSource := func(m indicators.Measurement, s string) indicators.Measurement { m.Source = s; return m }
	verified := func(m indicators.Measurement, v indicators.Verified) indicators.Measurement { m.Verified = v; return m }
	ratio := func(m indicators.Measurement, n, d float64) indicators.Measurement {
		m.Numerator, m.Denominator = fp(n), fp(d)
		return m
	}
	moved := func(m indicators.Measurement, row int) indicators.Measurement { m.Loc.Row = row; return m }
	base := []indicators.Measurement{
		fig(t, "1.1a", "2021Q1", 5, 2),
		fig(t, "1.1a", "2021Q1", 3, 3, "Location=Darkhan", "sex=female"),
		fig(t, "1.1a", "2021Q1", 2, 4, "Location=Darkhan", "sex=male"),
		ratio(fig(t, "O1a", "2021Q1", 40, 5), 40, 100),
		textFig(t, "O2t", "2021S1", "draft written", 6),
	}
	steps := []struct {
		name     string
		figs     []indicators.Measurement
		want     [3]int
		recorded bool
	}{
		{"first import", base, [3]int{5, 0, 0}, true},
		{"same figures again", base, [3]int{0, 0, 5}, false},
		{"same figures from other rows", []indicators.Measurement{moved(base[0], 20), moved(base[4], 21)}, [3]int{0, 0, 2}, false},
		{"value corrected, one new", []indicators.Measurement{fig(t, "1.1a", "2021Q1", 6, 2), base[1], fig(t, "1.1a", "2021Q2", 4, 7)}, [3]int{1, 1, 1}, true},
		{"comment counts", []indicators.Measurement{withComment(base[1], "recounted")}, [3]int{0, 1, 0}, true},
		{"source counts", []indicators.Measurement{withSource(base[2], "register")}, [3]int{0, 1, 0}, true},
		{"verified counts", []indicators.Measurement{verified(base[4], indicators.VerifiedYes)}, [3]int{0, 1, 0}, true},
		{"denominator counts", []indicators.Measurement{ratio(fig(t, "O1a", "2021Q1", 40, 5), 40, 101)}, [3]int{0, 1, 0}, true},
		{"text counts", []indicators.Measurement{verified(textFig(t, "O2t", "2021S1", "draft adopted", 6), indicators.VerifiedYes)}, [3]int{0, 1, 0}, true},
		{"identical repeat counts once", []indicators.Measurement{fig(t, "1.1a", "2021Q3", 1, 2), fig(t, "1.1a", "2021Q3", 1, 9), fig(t, "1.1a", "2021Q2", 4, 10)}, [3]int{1, 0, 1}, true},
		{"value removed, only ratio left", []indicators.Measurement{func() indicators.Measurement {
			m := ratio(fig(t, "O1a", "2021Q1", 0, 5), 40, 101)
			m.Value = nil
			return m
		}()}, [3]int{0, 1, 0}, true},
		{"empty file", nil, [3]int{0, 0, 0}, false},
	}
	var wantImports []indicators.Batch
	for _, s := range steps {
		c.step(time.Hour)
		file := strings.ReplaceAll(s.name, " ", "_") + ".xlsx"
		b, err := runImport(t, db, file, false, s.figs...)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if counts(b) != s.want {
			t.Errorf("%s: added, changed, unchanged = %v, want %v", s.name, counts(b), s.want)
		}
		if (b.ID != 0) != s.recorded {
			t.Errorf("%s: batch id %d, recorded should be %v", s.name, b.ID, s.recorded)
		}
		if !b.Imported.Equal(c.now()) || b.File != file || b.Kind != "measurements" || b.SHA256 != "sha-"+file || b.RowsRead != len(s.figs) {
			t.Errorf("%s: batch %+v", s.name, b)
		}
		if s.recorded {
			wantImports = append(wantImports, b)
		}
	}
	got, err := db.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantImports) {
		t.Errorf("Imports:\n got %+v\nwant %+v", got, wantImports)
	}
	// Current figures: 1.1a Q1 total, two breakdowns, Q2, Q3; O1a; O2t.
	ms, err := db.Measurements(ctx, MeasurementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, m := range ms {
		v := "-"
		if m.Value != nil {
			v = strconv.FormatFloat(*m.Value, 'g', -1, 64)
		}
		lines = append(lines, m.Indicator+" "+m.Period.String()+" "+m.Dims.String()+" "+v+" "+m.Text)
	}
	want := []string{
		"1.1a 2021Q1 total 6 ",
		"1.1a 2021Q1 Location=Darkhan; sex=female 3 ",
		"1.1a 2021Q1 Location=Darkhan; sex=male 2 ",
		"1.1a 2021Q2 total 4 ",
		"1.1a 2021Q3 total 1 ",
		"O1a 2021Q1 total - ",
		"O2t 2021S1 total - draft adopted",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("current figures:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func testCorrectionHistory(t *testing.T) {
	ctx := context.Background()
	db, c := frameworkDB(t)
	q1 := fig(t, "1.1a", "2021Q1", 5, 7)
	q1.Loc.File = "q1.xlsx"
	other := fig(t, "1.1a", "2021Q2", 9, 8)
	b1, err := runImport(t, db, "q1.xlsx", false, q1, other)
	if err != nil {
		t.Fatal(err)
	}
	c.step(24 * time.Hour)
	fixed := fig(t, "1.1a", "2021Q1", 6, 9)
	fixed.Loc = indicators.Loc{File: "q1-fixed.xlsx", Sheet: "Data", Row: 9}
	fixed.Comment = "recount"
	b2, err := runImport(t, db, "q1-fixed.xlsx", false, fixed)
	if err != nil {
		t.Fatal(err)
	}
	c.step(24 * time.Hour)
	back := q1
	back.Loc.Row = 30
	b3, err := runImport(t, db, "q1-again.xlsx", false, back)
	if err != nil {
		t.Fatal(err)
	}
	if counts(b2) != [3]int{0, 1, 0} || counts(b3) != [3]int{0, 1, 0} {
		t.Fatalf("corrections counted %v and %v, want one change each", counts(b2), counts(b3))
	}

	p := indicators.Quarter(2021, 1)
	hist, err := db.History(ctx, "1.1a", &p)
	if err != nil {
		t.Fatal(err)
	}
	want := []indicators.Revision{
		{Measurement: q1, Revision: 1, BatchID: b1.ID, Imported: b1.Imported},
		{Measurement: fixed, Revision: 2, BatchID: b2.ID, Imported: b2.Imported},
		{Measurement: back, Revision: 3, BatchID: b3.ID, Imported: b3.Imported, Current: true},
	}
	if !reflect.DeepEqual(hist, want) {
		t.Errorf("History:\n got %+v\nwant %+v", hist, want)
	}
	if b1.Imported.Equal(b2.Imported) || !b2.Imported.Equal(b1.Imported.Add(24*time.Hour)) {
		t.Errorf("import times %v %v", b1.Imported, b2.Imported)
	}
	// The range spelling of the quarter selects the same figure.
	r := indicators.Range(p.Start, p.End)
	if h, err := db.History(ctx, "1.1a", &r); err != nil || len(h) != 3 {
		t.Errorf("History by range: %d revisions, %v", len(h), err)
	}
	all, err := db.History(ctx, "1.1a", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || all[3].Period.String() != "2021Q2" || !all[3].Current || all[3].Revision != 1 {
		t.Errorf("History of all periods: %+v", all)
	}
	// Only the last revision is current.
	ms, err := db.Measurements(ctx, MeasurementFilter{Indicator: "1.1a"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || !reflect.DeepEqual(ms[0], back) || !reflect.DeepEqual(ms[1], other) {
		t.Errorf("current figures %+v", ms)
	}
	if h, err := db.History(ctx, "n", nil); err != nil || len(h) != 0 {
		t.Errorf("History of an indicator without figures: %v, %v", h, err)
	}
	if _, err := db.History(ctx, "nope", nil); !errors.Is(err, indicators.ErrUnknownCode) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("History of an unknown code: %v, want ErrUnknownCode", err)
	}
}

func testDryRunWritesNothing(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	if _, err := runImport(t, db, "a.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, db)
	b, err := runImport(t, db, "b.xlsx", true, fig(t, "1.1a", "2021Q1", 6, 2), fig(t, "1.1a", "2021Q2", 1, 3), fig(t, "n", "2021", 100, 4))
	if err != nil {
		t.Fatal(err)
	}
	if counts(b) != [3]int{2, 1, 0} || b.ID != 0 {
		t.Errorf("dry run: %+v, want 2 added, 1 changed, no id", b)
	}
	if after := countRows(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("dry run wrote: before %v, after %v", before, after)
	}
	// The staging table went with the transaction: a real import follows.
	b, err = runImport(t, db, "b.xlsx", false, fig(t, "1.1a", "2021Q1", 6, 2))
	if err != nil || counts(b) != [3]int{0, 1, 0} {
		t.Errorf("import after a dry run: %+v, %v", b, err)
	}
	if imps, _ := db.Imports(ctx); len(imps) != 2 {
		t.Errorf("%d imports recorded, want 2", len(imps))
	}
}

func testIdempotentImport(t *testing.T) {
	db, _ := frameworkDB(t)
	var figs []indicators.Measurement
	for i, per := range []string{"2021Q1", "2021Q2", "2021Q3", "2021Q4", "2022-01", "2022-01-15", "2022S1", "2023", "2022-02-01..2022-03-15"} {
		figs = append(figs, fig(t, "1.1a", per, float64(i), i+2), fig(t, "1.1a", per, float64(i), i+20, "sex=female", "Location=Ulaanbaatar City"))
	}
	b, err := runImport(t, db, "all.xlsx", false, figs...)
	if err != nil || counts(b) != [3]int{18, 0, 0} {
		t.Fatalf("first import: %+v, %v", b, err)
	}
	before := countRows(t, db)
	b, err = runImport(t, db, "all.xlsx", false, figs...)
	if err != nil {
		t.Fatal(err)
	}
	if counts(b) != [3]int{0, 0, 18} || b.ID != 0 {
		t.Errorf("second import: %+v, want 18 unchanged and nothing recorded", b)
	}
	if after := countRows(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("second import wrote: before %v, after %v", before, after)
	}
}

// TestPeriodsAndFilters checks that every kind of period, and
// disaggregations spelled as declared, load back equal, with Loc.
func testPeriodsAndFilters(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	figs := []indicators.Measurement{
		fig(t, "1.1a", "2021", 1, 2),
		fig(t, "1.1a", "2021S2", 2, 3),
		fig(t, "1.1a", "2021Q4", 3, 4, "Location=Ulaanbaatar City"),
		fig(t, "1.1a", "2021-12", 4, 5),
		fig(t, "1.1a", "2021-12-31", 5, 6),
		fig(t, "1.1a", "2021-11-15..2022-01-14", 6, 7),
		fig(t, "n", "2022Q1", 7, 8),
		fig(t, "O1a", "2020Q4", 8, 9),
	}
	figs[4].Comment, figs[4].Source, figs[4].Verified = "hand count", "register", indicators.Unverifiable
	if _, err := runImport(t, db, "p.xlsx", false, figs...); err != nil {
		t.Fatal(err)
	}
	all, err := db.Measurements(ctx, MeasurementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// Framework order (1.1a, O1a, n), then by end of period, longer first.
	want := []indicators.Measurement{figs[0], figs[1], figs[2], figs[3], figs[4], figs[5], figs[7], figs[6]}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("Measurements:\n got %+v\nwant %+v", all, want)
	}
	for _, tt := range []struct {
		f    MeasurementFilter
		want []indicators.Measurement
	}{
		{MeasurementFilter{Indicator: "n"}, []indicators.Measurement{figs[6]}},
		{MeasurementFilter{Indicator: "d"}, nil},
		{MeasurementFilter{Upto: day(2021, 12, 30)}, []indicators.Measurement{figs[7]}},
		{MeasurementFilter{Upto: day(2021, 12, 31)}, []indicators.Measurement{figs[0], figs[1], figs[2], figs[3], figs[4], figs[7]}},
		{MeasurementFilter{Indicator: "1.1a", Upto: time.Date(2022, 1, 14, 23, 0, 0, 0, time.UTC)}, want[:6]},
	} {
		got, err := db.Measurements(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Measurements(%+v):\n got %+v\nwant %+v", tt.f, got, tt.want)
		}
	}
	// A range that covers exactly a quarter is that quarter's figure.
	r := fig(t, "n", "2022Q1", 7, 8)
	r.Period = indicators.Range(day(2022, 1, 1), day(2022, 3, 31))
	b, err := runImport(t, db, "r.xlsx", false, r)
	if err != nil || counts(b) != [3]int{0, 0, 1} {
		t.Errorf("range spelling of a quarter: %+v, %v", b, err)
	}
}

func testRepeatedFigureWithOtherValue(t *testing.T) {
	db, _ := frameworkDB(t)
	before := countRows(t, db)
	a := fig(t, "1.1a", "2021Q1", 5, 7)
	same := fig(t, "1.1a", "2021Q1", 5, 8)
	other := fig(t, "1.1a", "2021Q1", 6, 12)
	other.Comment = "late"
	otherSheet := fig(t, "1.1a", "2021Q1", 4, 3)
	otherSheet.Loc.Sheet = "Q2"
	fine := fig(t, "1.1a", "2021Q2", 1, 13)
	_, err := runImport(t, db, "q.xlsx", false, a, same, fine, other, otherSheet)
	var p indicators.Problems
	if !errors.As(err, &p) || len(p) != 2 {
		t.Fatalf("err = %v, want 2 problems", err)
	}
	var ce *indicators.CellError
	if !errors.As(p[0], &ce) || ce.File != "q.xlsx" || ce.Sheet != "Q" || ce.Row != 12 || ce.Field != "value" || !errors.Is(ce, indicators.ErrDuplicate) {
		t.Errorf("first problem %#v", p[0])
	}
	wantText := []string{
		`q.xlsx: sheet Q, row 12 (value): duplicate: indicator 1.1a, period 2021Q1, total is also given at row 7 with other content (value 5 there, 6 here; comment "" there, "late" here); expected one figure, or identical repeats`,
		`q.xlsx: sheet Q2, row 3 (value): duplicate: indicator 1.1a, period 2021Q1, total is also given at sheet Q, row 7 with other content (value 5 there, 4 here); expected one figure, or identical repeats`,
	}
	for i, w := range wantText {
		if p[i].Error() != w {
			t.Errorf("problem %d:\n got %s\nwant %s", i, p[i], w)
		}
	}
	if after := countRows(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("rows before %v, after %v", before, after)
	}
}

// TestRepeatedFigureCells: when the importer names the value cells, the
// conflict names both cells.
func testRepeatedFigureCells(t *testing.T) {
	db, _ := frameworkDB(t)
	a := fig(t, "1.1a", "2021Q1", 5, 7)
	a.Loc.Cells = map[string]string{"value": "C7"}
	b := fig(t, "1.1a", "2021Q1", 6, 9)
	b.Loc.Cells = map[string]string{"value": "C9"}
	_, err := runImport(t, db, "q.xlsx", false, a, b)
	want := `q.xlsx: sheet Q, cell C9 (value): duplicate: indicator 1.1a, period 2021Q1, total is also given at cell C7 with other content (value 5 there, 6 here); expected one figure, or identical repeats`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

func testUnknownIndicatorRefused(t *testing.T) {
	db, _ := frameworkDB(t)
	before := countRows(t, db)
	_, err := runImport(t, db, "q.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2), fig(t, "9.9", "2021Q1", 5, 3), fig(t, "9.8", "2021Q1", 5, 4))
	var p indicators.Problems
	if !errors.As(err, &p) || len(p) != 2 || !errors.Is(err, indicators.ErrUnknownCode) {
		t.Fatalf("err = %v, want 2 unknown codes", err)
	}
	if !strings.Contains(p[0].Error(), `sheet Q, row 3 (indicator): unknown code: "9.9"`) || !strings.Contains(p[1].Error(), `row 4`) {
		t.Errorf("problems:\n%v", err)
	}
	if after := countRows(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("rows before %v, after %v", before, after)
	}
}

func testAddRefusesInvalidFigures(t *testing.T) {
	db, _ := frameworkDB(t)
	before := countRows(t, db)
	nan := fig(t, "1.1a", "2021Q1", 0, 3)
	*nan.Value = nanValue()
	noValue := fig(t, "1.1a", "2021Q1", 0, 4)
	noValue.Value = nil
	noValue.Comment = "n/a"
	badPeriod := fig(t, "1.1a", "2021Q1", 1, 5)
	badPeriod.Period.End = badPeriod.Period.End.AddDate(0, 0, 1) // a quarter one day too long
	badVerified := fig(t, "1.1a", "2021Q1", 1, 6)
	badVerified.Verified = "maybe"
	badDims := fig(t, "1.1a", "2021Q1", 1, 7, "sex=f;m")
	noCode := fig(t, "", "2021Q1", 1, 8)
	tests := []struct {
		m     indicators.Measurement
		want  error
		field string
	}{
		{nan, indicators.ErrInvalid, "value"},
		{noValue, indicators.ErrRequired, "value"},
		{badPeriod, indicators.ErrInvalid, "period"},
		{badVerified, indicators.ErrInvalid, "verified"},
		{badDims, indicators.ErrInvalid, "disaggregation"},
		{noCode, indicators.ErrRequired, "indicator"},
	}
	im, err := db.BeginImport(context.Background(), indicators.Batch{File: "q.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := im.Add(fig(t, "1.1a", "2021Q2", 1, 2)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		err := im.Add(tt.m)
		var ce *indicators.CellError
		if !errors.As(err, &ce) || !errors.Is(err, tt.want) || ce.Row != tt.m.Loc.Row || ce.Field != tt.field || ce.Sheet != "Q" {
			t.Errorf("Add row %d: %v, want %v at field %s", tt.m.Loc.Row, err, tt.want, tt.field)
		}
	}
	if im.Staged() != 1 {
		t.Errorf("staged %d, want 1", im.Staged())
	}
	_, err = im.Finish(false)
	var p indicators.Problems
	if !errors.As(err, &p) || len(p) != len(tests) {
		t.Errorf("Finish after refused figures: %v, want %d problems", err, len(tests))
	}
	if after := countRows(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("rows before %v, after %v", before, after)
	}
}

func testImportLifecycle(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	if _, err := db.BeginImport(ctx, indicators.Batch{}); !errors.Is(err, indicators.ErrRequired) {
		t.Errorf("BeginImport without a file: %v", err)
	}
	im, err := db.BeginImport(ctx, indicators.Batch{File: "q.xlsx", Kind: "partners", RowsRead: 99})
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Add(fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	// Readers do not wait for the open import and do not see it.
	if ms, err := db.Measurements(ctx, MeasurementFilter{}); err != nil || len(ms) != 0 {
		t.Errorf("read during an import: %d figures, %v", len(ms), err)
	}
	im.SetRowsRead(120)
	b, err := im.Finish(false)
	if err != nil || b.RowsRead != 120 || b.Kind != "partners" || b.ID == 0 {
		t.Errorf("Finish: %+v, %v", b, err)
	}
	if err := im.Add(fig(t, "1.1a", "2021Q2", 5, 3)); !errors.Is(err, ErrImportDone) {
		t.Errorf("Add after Finish: %v", err)
	}
	if _, err := im.Finish(false); !errors.Is(err, ErrImportDone) {
		t.Errorf("Finish twice: %v", err)
	}
	if err := im.Rollback(); err != nil {
		t.Errorf("Rollback after Finish: %v", err)
	}
	if ms, _ := db.Measurements(ctx, MeasurementFilter{}); len(ms) != 1 {
		t.Errorf("Rollback after Finish undid the import: %d figures", len(ms))
	}
	imps, err := db.Imports(ctx)
	if err != nil || len(imps) != 1 || imps[0].RowsRead != 120 || imps[0].Kind != "partners" {
		t.Errorf("Imports: %+v, %v", imps, err)
	}
	// The write lock was released: the framework can be saved.
	if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
		t.Errorf("save after an import: %v", err)
	}
}

// TestAbandonedImportLeavesNothing: an import rolled back, or whose context
// is cancelled, before Finish keeps nothing.
func testAbandonedImportLeavesNothing(t *testing.T) {
	db, _ := frameworkDB(t)
	if _, err := runImport(t, db, "a.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, db)

	im, err := db.BeginImport(context.Background(), indicators.Batch{File: "b.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		if err := im.Add(fig(t, "1.1a", "2021-01-01", float64(i), i+2, "sex=female")); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Rollback(); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Finish(false); !errors.Is(err, ErrImportDone) {
		t.Errorf("Finish after Rollback: %v", err)
	}
	if after := countRows(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("after Rollback: before %v, after %v", before, after)
	}

	ctx, cancel := context.WithCancel(context.Background())
	im, err = db.BeginImport(ctx, indicators.Batch{File: "c.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Add(fig(t, "1.1a", "2021Q3", 1, 2)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := im.Finish(false); err == nil {
		t.Error("Finish after cancel: no error")
	}
	im.Rollback()
	if after := countRows(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("after cancel: before %v, after %v", before, after)
	}
	// The database is usable again.
	if _, err := runImport(t, db, "d.xlsx", false, fig(t, "1.1a", "2021Q3", 1, 2)); err != nil {
		t.Errorf("import after abandoned ones: %v", err)
	}
}

func nanValue() float64 { return math.NaN() }

func testProblemListsAreCapped(t *testing.T) {
	db, _ := frameworkDB(t)
	var figs []indicators.Measurement
	for i := 0; i < sqlstore.MaxListed+50; i++ {
		figs = append(figs, fig(t, "X"+strconv.Itoa(i%3), "2021Q1", float64(i), i+2))
	}
	_, err := runImport(t, db, "big.xlsx", false, figs...)
	var p indicators.Problems
	if !errors.As(err, &p) || len(p) != sqlstore.MaxListed+1 {
		t.Fatalf("%d problems, want %d", len(p), sqlstore.MaxListed+1)
	}
	if last := p[sqlstore.MaxListed].Error(); last != "unknown code: big.xlsx: and 50 more figures of unknown indicators" {
		t.Errorf("last problem %q", last)
	}
}

func testImportedBefore(t *testing.T) {
	db, _ := frameworkDB(t)
	ctx := context.Background()
	check := func(sha string, want bool) {
		t.Helper()
		if got, err := db.ImportedBefore(ctx, sha); err != nil || got != want {
			t.Errorf("ImportedBefore(%s) = %v, %v; want %v", sha, got, err, want)
		}
	}
	check("sha-a.xlsx", false)
	if _, err := runImport(t, db, "a.xlsx", true, fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	check("sha-a.xlsx", false) // a dry run records nothing
	if _, err := runImport(t, db, "a.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	check("sha-a.xlsx", true)
	check("sha-b.xlsx", false)
}

// testImportedBeforeUnderLock: of two imports of the same file at once,
// the second, which waits for the first's write lock, sees it imported.
func testImportedBeforeUnderLock(t *testing.T) {
	db, _ := frameworkDB(t)
	ctx := context.Background()
	waiting := make(chan struct{}, 1)
	db.Waiting = func() { waiting <- struct{}{} }
	first, err := db.BeginImport(ctx, indicators.Batch{File: "a.xlsx", SHA256: "sha-a"})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback()
	if first.ImportedBefore() {
		t.Error("first import: ImportedBefore true")
	}
	if err := first.Add(fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	type begun struct {
		im  *sqlstore.Import
		err error
	}
	second := make(chan begun, 1)
	go func() {
		im, err := db.BeginImport(ctx, indicators.Batch{File: "a.xlsx", SHA256: "sha-a"})
		second <- begun{im, err}
	}()
	<-waiting // the second waits for the first's lock
	if _, err := first.Finish(false); err != nil {
		t.Fatal(err)
	}
	b := <-second
	if b.err != nil {
		t.Fatal(b.err)
	}
	defer b.im.Rollback()
	if !b.im.ImportedBefore() {
		t.Error("second import of the same file, begun while the first ran: ImportedBefore false")
	}
}
