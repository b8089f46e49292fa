package sqltest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

func fp(f float64) *float64 { return &f }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func loc(sheet string, row int) indicators.Loc {
	return indicators.Loc{File: "logframe.xlsx", Sheet: sheet, Row: row}
}

// fullFramework sets every field the store keeps.
func fullFramework() *indicators.Framework {
	bdate := day(2020, 12, 31)
	return &indicators.Framework{
		Project: indicators.Project{
			Code: "MN-WASH", Title: "Water for Darkhan", Start: day(2021, 1, 1), End: day(2023, 12, 31),
			Donor: "EU", Currency: "EUR", Reporting: "quarterly", YearStart: 7,
			StatusRule: `progress >= 1 ? "achieved" : "on track"`, IATIIdentifier: "XM-DAC-41114-1",
			ReportingOrg: "UNDP", ReportingOrgID: "XM-DAC-41114", Description: "Safe water; two provinces.",
			Loc: loc("Project", 2),
		},
		Results: []indicators.Result{
			{Code: "OO", Level: indicators.Goal, Statement: "Better health", Assumptions: "Peace", Loc: loc("Results", 2)},
			{Code: "O1", Level: indicators.Outcome, Parent: "OO", Statement: "Safe water used", Loc: loc("Results", 3)},
			{Code: "O2", Level: indicators.Outcome, Parent: "OO", Statement: "Hygiene", Loc: loc("Results", 4)},
			{Code: "1.1", Level: indicators.Output, Parent: "O1", Statement: "Wells built", ContributesTo: []string{"O2"}, Loc: loc("Results", 5)},
			{Code: "1.1.1", Level: indicators.Activity, Parent: "1.1", Statement: "Drill", Loc: loc("Results", 6)},
		},
		Indicators: []indicators.Indicator{
			{Code: "1.1a", Result: "1.1", Name: "Wells built", Definition: "Working wells", Unit: indicators.Number,
				Direction: indicators.Increase, Baseline: fp(0), BaselineDate: &bdate, Target: fp(40),
				Aggregation: indicators.Sum, Disaggregations: []string{"Location", "sex"},
				DataSource: "Site reports", CollectionMethod: "Visit", Frequency: "quarterly", Responsible: "WASH officer",
				MeansOfVerification: "Photos", Notes: "Count each well once", StatusRule: `"on track"`, Loc: loc("Indicators", 2)},
			{Code: "O1a", Result: "O1", Name: "Share using safe water", Unit: indicators.Percent, Direction: indicators.Increase,
				Baseline: fp(31.5), Target: fp(80), Formula: `100 * value("n") / value("d")`, Loc: loc("Indicators", 3)},
			{Code: "O1b", Result: "O1", Name: "Coverage", Unit: indicators.Ratio, Numerator: "n", Denominator: "d", Loc: loc("Indicators", 4)},
			{Code: "O2t", Result: "O2", Name: "Story of change", Unit: indicators.Text, BaselineText: "none",
				TargetText: "a policy", Direction: indicators.Maintain, Aggregation: indicators.Last, Loc: loc("Indicators", 5)},
			{Code: "n", Name: "households using", Unit: indicators.Number, Loc: loc("Indicators", 6)},
			{Code: "d", Name: "households", Unit: indicators.Number, Direction: indicators.Decrease, Loc: loc("Indicators", 7)},
		},
		Milestones: []indicators.Milestone{
			{Indicator: "1.1a", Period: indicators.Year(2021), Target: 10, Loc: loc("Milestones", 2)},
			{Indicator: "1.1a", Period: indicators.Quarter(2022, 2), Target: 6, Dims: indicators.Disagg{"Location": "Darkhan", "sex": "female"}, Loc: loc("Milestones", 3)},
			{Indicator: "1.1a", Period: indicators.Range(day(2022, 7, 1), day(2023, 2, 28)), Target: 25, Loc: loc("Milestones", 4)},
			{Indicator: "O2t", Period: indicators.Semester(2022, 2), TargetText: "draft policy", Loc: loc("Milestones", 5)},
			{Indicator: "O1a", Period: indicators.Month(2023, 6), Target: 70, Loc: loc("Milestones", 6)},
			{Indicator: "O1a", Period: indicators.Day(day(2023, 12, 31)), Target: 80, Loc: loc("Milestones", 7)},
		},
		Dimensions: []indicators.Dimension{
			{Name: "sex", Values: []string{"female", "male"}, Loc: loc("Dimensions", 2)},
			{Name: "Location", Values: []string{"Darkhan", "Ulaanbaatar City"}, Loc: loc("Dimensions", 4)},
		},
		Rules: []indicators.Rule{
			{Code: "R1", Check: `value("n") <= value("d")`, Severity: indicators.SevError, Message: "more users than households", Loc: loc("Rules", 2)},
			{Code: "R2", Check: `value("1.1a") >= 0`, Severity: indicators.SevWarning, Loc: loc("Rules", 3)},
		},
	}
}

func testFrameworkRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	if _, err := db.Framework(ctx); !errors.Is(err, ErrNoFramework) {
		t.Fatalf("empty database: %v, want ErrNoFramework", err)
	}
	if ok, err := db.HasFramework(ctx); ok || err != nil {
		t.Fatalf("HasFramework on empty database = %v, %v", ok, err)
	}
	fw := fullFramework()
	fw.Indicators[0].Loc.Cells = map[string]string{"code": "A2"} // not stored
	ch, err := db.SaveFramework(ctx, fw)
	if err != nil {
		t.Fatal(err)
	}
	want := fullFramework()
	items := 1 + len(want.Results) + len(want.Indicators) + len(want.Milestones) + len(want.Dimensions) + len(want.Rules)
	if ch.Added != items || ch.Updated != 0 || ch.Removed != 0 || ch.Unchanged != 0 || len(ch.Changes) != items {
		t.Errorf("first save: %v (%d lines), want %d added", ch, len(ch.Changes), items)
	}
	got, err := db.Framework(ctx)
	if err != nil {
		t.Fatal(err)
	}
	diffFramework(t, got, want)

	// Saving the same framework again changes nothing.
	ch, err = db.SaveFramework(ctx, fullFramework())
	if err != nil {
		t.Fatal(err)
	}
	if ch.Added+ch.Updated+ch.Removed != 0 || ch.Unchanged != items || len(ch.Changes) != 0 {
		t.Errorf("second save: %v %v, want all unchanged", ch, ch.Changes)
	}
	if ok, err := db.HasFramework(ctx); !ok || err != nil {
		t.Errorf("HasFramework = %v, %v", ok, err)
	}
}

// diffFramework compares field by field so that a failure names the item.
func diffFramework(t *testing.T, got, want *indicators.Framework) {
	t.Helper()
	if !reflect.DeepEqual(got.Project, want.Project) {
		t.Errorf("project:\n got %+v\nwant %+v", got.Project, want.Project)
	}
	cmp := func(what string, n, m int, eq func(i int) bool, show func(i int) string) {
		if n != m {
			t.Errorf("%s: %d loaded, %d saved", what, n, m)
			return
		}
		for i := 0; i < n; i++ {
			if !eq(i) {
				t.Errorf("%s %d: %s", what, i, show(i))
			}
		}
	}
	cmp("result", len(got.Results), len(want.Results), func(i int) bool { return reflect.DeepEqual(got.Results[i], want.Results[i]) },
		func(i int) string { return fmt.Sprintf("\n got %+v\nwant %+v", got.Results[i], want.Results[i]) })
	cmp("indicator", len(got.Indicators), len(want.Indicators), func(i int) bool { return reflect.DeepEqual(got.Indicators[i], want.Indicators[i]) },
		func(i int) string { return fmt.Sprintf("\n got %+v\nwant %+v", got.Indicators[i], want.Indicators[i]) })
	cmp("milestone", len(got.Milestones), len(want.Milestones), func(i int) bool { return reflect.DeepEqual(got.Milestones[i], want.Milestones[i]) },
		func(i int) string { return fmt.Sprintf("\n got %+v\nwant %+v", got.Milestones[i], want.Milestones[i]) })
	cmp("dimension", len(got.Dimensions), len(want.Dimensions), func(i int) bool { return reflect.DeepEqual(got.Dimensions[i], want.Dimensions[i]) },
		func(i int) string { return fmt.Sprintf("\n got %+v\nwant %+v", got.Dimensions[i], want.Dimensions[i]) })
	cmp("rule", len(got.Rules), len(want.Rules), func(i int) bool { return reflect.DeepEqual(got.Rules[i], want.Rules[i]) },
		func(i int) string { return fmt.Sprintf("\n got %+v\nwant %+v", got.Rules[i], want.Rules[i]) })
	if !reflect.DeepEqual(got, want) {
		t.Errorf("frameworks differ (reflect.DeepEqual)")
	}
}

func testSaveFrameworkEdits(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		edit func(fw *indicators.Framework)
		want FrameworkChange
	}{
		{"statement changed", func(fw *indicators.Framework) { fw.Results[1].Statement = "Safe water used daily" },
			FrameworkChange{Updated: 1, Unchanged: 21, Changes: []string{"updated result O1"}}},
		{"target and disaggregations changed", func(fw *indicators.Framework) {
			fw.Indicators[0].Target = fp(45)
			fw.Indicators[2].Disaggregations = []string{"sex"}
		}, FrameworkChange{Updated: 2, Unchanged: 20, Changes: []string{"updated indicator 1.1a", "updated indicator O1b"}}},
		{"baseline removed", func(fw *indicators.Framework) { fw.Indicators[1].Baseline = nil },
			FrameworkChange{Updated: 1, Unchanged: 21, Changes: []string{"updated indicator O1a"}}},
		{"contribution removed", func(fw *indicators.Framework) { fw.Results[3].ContributesTo = nil },
			FrameworkChange{Updated: 1, Unchanged: 21, Changes: []string{"updated result 1.1"}}},
		{"order and source rows only", func(fw *indicators.Framework) {
			fw.Rules[0], fw.Rules[1] = fw.Rules[1], fw.Rules[0]
			fw.Indicators[3].Loc.Row = 99
		}, FrameworkChange{Unchanged: 22}},
		{"indicator and result added", func(fw *indicators.Framework) {
			fw.Results = append(fw.Results, indicators.Result{Code: "1.2", Level: indicators.Output, Parent: "O1", Statement: "Taps"})
			fw.Indicators = append(fw.Indicators, indicators.Indicator{Code: "1.2a", Result: "1.2", Name: "Taps", Unit: indicators.Number})
		}, FrameworkChange{Added: 2, Unchanged: 22, Changes: []string{"added result 1.2", "added indicator 1.2a"}}},
		{"indicator removed with its milestones", func(fw *indicators.Framework) {
			fw.Indicators = fw.Indicators[:3] // drop O2t, n, d
			fw.Indicators[1].Formula, fw.Indicators[2].Numerator, fw.Indicators[2].Denominator = "", "", ""
			fw.Milestones = append(fw.Milestones[:3:3], fw.Milestones[4:]...)
			fw.Rules = nil
		}, FrameworkChange{Updated: 2, Removed: 6, Unchanged: 14, Changes: []string{
			"updated indicator O1a", "updated indicator O1b", "removed indicator O2t", "removed indicator n", "removed indicator d",
			"removed milestone O2t 2022S2 total", "removed rule R1", "removed rule R2"}}},
		{"dimension value and milestone target", func(fw *indicators.Framework) {
			fw.Dimensions[1].Values = append(fw.Dimensions[1].Values, "Erdenet")
			fw.Milestones[1].Target = 7
		}, FrameworkChange{Updated: 2, Unchanged: 20, Changes: []string{"updated dimension Location", "updated milestone 1.1a 2022Q2 Location=Darkhan; sex=female"}}},
		{"project renamed, result and rule removed", func(fw *indicators.Framework) {
			fw.Project.Title = "Water for all"
			fw.Results = fw.Results[:4]
			fw.Rules = fw.Rules[:1]
		}, FrameworkChange{Updated: 1, Removed: 2, Unchanged: 19, Changes: []string{"updated project MN-WASH", "removed result 1.1.1", "removed rule R2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := openTest(t)
			if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
				t.Fatal(err)
			}
			fw := fullFramework()
			tt.edit(fw)
			ch, err := db.SaveFramework(ctx, fw)
			if err != nil {
				t.Fatal(err)
			}
			if ch.Added != tt.want.Added || ch.Updated != tt.want.Updated || ch.Removed != tt.want.Removed || ch.Unchanged != tt.want.Unchanged {
				t.Errorf("got %v, want %v", ch, tt.want)
			}
			if strings.Join(ch.Changes, "\n") != strings.Join(tt.want.Changes, "\n") {
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(ch.Changes, "\n"), strings.Join(tt.want.Changes, "\n"))
			}
			got, err := db.Framework(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i := range fw.Indicators {
				fw.Indicators[i].Loc.Cells = nil
			}
			diffFramework(t, got, fw)
		})
	}
}

// countRows counts the rows of every table, to check that a failed
// operation changed nothing.
func countRows(t testing.TB, db *DB) map[string]int {
	t.Helper()
	ctx := context.Background()
	out := map[string]int{}
	tables := Tables(t, db)
	err := db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
		for _, n := range tables {
			var c int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM "`+n+`"`).Scan(&c); err != nil {
				return err
			}
			out[n] = c
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func testSaveFrameworkFailureChangesNothing(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		edit func(fw *indicators.Framework)
		want error
		text string
	}{
		// Fails in the database, after the project and the dimensions
		// were written in the same transaction.
		{"bad level", func(fw *indicators.Framework) { fw.Results[4].Level = "task" }, indicators.ErrInvalid, "result 1.1.1"},
		{"unknown parent", func(fw *indicators.Framework) { fw.Results[4].Parent = "X9" }, indicators.ErrUnknownCode, `"X9"`},
		{"unknown milestone indicator", func(fw *indicators.Framework) { fw.Milestones[0].Indicator = "zz" }, indicators.ErrUnknownCode, `"zz"`},
		{"duplicate indicator", func(fw *indicators.Framework) { fw.Indicators[5].Code = "n" }, indicators.ErrDuplicate, "indicator n is defined twice (also at row 6)"},
		{"milestone disaggregation with ';'", func(fw *indicators.Framework) { fw.Milestones[1].Dims = indicators.Disagg{"sex": "f;m"} }, indicators.ErrInvalid, "f;m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, first := range []bool{true, false} {
				db, _ := openTest(t)
				if !first {
					if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
						t.Fatal(err)
					}
				}
				before := countRows(t, db)
				fw := fullFramework()
				fw.Project.Title = "changed"
				fw.Dimensions = append(fw.Dimensions, indicators.Dimension{Name: "age", Values: []string{"young"}})
				tt.edit(fw)
				_, err := db.SaveFramework(ctx, fw)
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) {
					t.Fatalf("err = %v, want %v naming %s", err, tt.want, tt.text)
				}
				if after := countRows(t, db); !reflect.DeepEqual(before, after) {
					t.Errorf("rows before %v, after %v", before, after)
				}
				got, err := db.Framework(ctx)
				if first {
					if !errors.Is(err, ErrNoFramework) {
						t.Errorf("after a failed first save: %v, want ErrNoFramework", err)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				diffFramework(t, got, fullFramework())
			}
		})
	}
}

// insertFigure stores one figure of code straight into the tables, for
// tests of the framework that do not depend on the import code.
func insertFigure(t *testing.T, db *DB, code string) {
	t.Helper()
	ctx := context.Background()
	err := db.Tx(ctx, func(tx *sqlstore.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO imports (file, sha256, kind, imported_at) VALUES ('q1.xlsx', 'x', 'measurements', '2026-01-01T00:00:00Z') RETURNING id`).Scan(&id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO measurements (indicator, period, period_kind, period_start, period_end, value, batch_id, revision)
			VALUES (?, '2021Q1', 3, '2021-01-01', '2021-03-31', 5, ?, 1)`, code, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testRemovingIndicatorWithFiguresIsRefused(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
		t.Fatal(err)
	}
	insertFigure(t, db, "d")
	before := countRows(t, db)
	fw := fullFramework()
	fw.Indicators = fw.Indicators[:4] // drop n (no figures) and d (one figure)
	fw.Indicators[1].Formula, fw.Indicators[2].Numerator, fw.Indicators[2].Denominator = "", "", ""
	fw.Rules = nil
	_, err := db.SaveFramework(ctx, fw)
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("err = %v, want ErrInUse", err)
	}
	var iu *InUseError
	if !errors.As(err, &iu) || iu.Code != "d" || iu.Figures != 1 || iu.Revisions != 1 {
		t.Errorf("err = %#v, want an InUseError for d with 1 figure", err)
	}
	if !strings.Contains(err.Error(), "indicator d has 1 figure (1 revision)") || strings.Contains(err.Error(), "indicator n ") {
		t.Errorf("message %q should name d only", err)
	}
	if after := countRows(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("rows before %v, after %v", before, after)
	}
	// Editing the indicator that has figures is fine: figures are kept.
	fw = fullFramework()
	fw.Indicators[5].Name = "all households"
	if _, err := db.SaveFramework(ctx, fw); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db)["measurements"]; n != 1 {
		t.Errorf("%d figures after editing the framework, want 1", n)
	}
}
