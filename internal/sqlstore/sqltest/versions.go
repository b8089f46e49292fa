package sqltest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

func testFrameworkVersions(t *testing.T) {
	ctx := context.Background()
	db, c := openTest(t)
	t0 := c.now()
	if _, _, err := db.FrameworkAt(ctx, t0); !errors.Is(err, ErrNoFramework) {
		t.Errorf("FrameworkAt on an empty database: %v", err)
	}
	ch, err := db.SaveFrameworkVersion(ctx, fullFramework(), VersionInfo{File: "v1.xlsx", Actor: "alice"})
	if err != nil || ch.Version != 1 || len(ch.Revisions) != 0 {
		t.Fatalf("first save: %+v, %v", ch, err)
	}
	// Saving the same framework again records no version.
	c.step(time.Hour)
	if ch, err := db.SaveFramework(ctx, fullFramework()); err != nil || ch.Version != 0 {
		t.Fatalf("same framework: %+v, %v", ch, err)
	}
	v1, err := db.Framework(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.step(24 * time.Hour)
	t2 := c.now()
	fw := fullFramework()
	fw.Indicators[0].Target = fp(30)                                // 40 -> 30
	fw.Milestones[0].Target = 8                                     // 2021: 10 -> 8
	fw.Milestones = append(fw.Milestones[:2], fw.Milestones[3:]...) // drop 1.1a's 2022-07..2023-02 milestone
	fw.Results = append(fw.Results, indicators.Result{Code: "1.2", Level: indicators.Output, Parent: "O1", Statement: "Latrines"})
	fw.Indicators = append(fw.Indicators, indicators.Indicator{Code: "1.2a", Result: "1.2", Name: "Latrines built", Unit: indicators.Number, Target: fp(12)})
	fw.Project.End = day(2024, 6, 30)
	reasons := []indicators.ChangeRecord{{Date: day(2022, 11, 15), Version: "2.0", Level: "output 1.1",
		Reason: "Mid-term review: drilling costs doubled", ReasonCode: "budget realignment", ApprovedBy: "Steering committee"}}
	ch, err = db.SaveFrameworkVersion(ctx, fw, VersionInfo{File: "v2.xlsx", Actor: "bob", Reasons: reasons})
	if err != nil || ch.Version != 2 || len(ch.Reasons) != 1 {
		t.Fatalf("revised save: %+v, %v", ch, err)
	}
	var got []string
	for _, r := range ch.Revisions {
		got = append(got, r.String())
	}
	want := []string{
		"MN-WASH end: 2023-12-31 -> 2024-06-30",
		"output 1.2 added",
		"1.1a target: 40 -> 30",
		"1.1a milestone 2021: 10 -> 8",
		"1.1a milestone 2022-07-01..2023-02-28: 25 -> none",
		"indicator 1.2a added",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("revisions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The framework of a past moment is the version then in force, equal to
	// what was loaded then.
	at, id, err := db.FrameworkAt(ctx, t2.Add(-time.Second))
	if err != nil || id != 1 {
		t.Fatalf("FrameworkAt before the revision: %d, %v", id, err)
	}
	if !reflect.DeepEqual(at, v1) {
		t.Errorf("FrameworkAt(v1) differs from the framework loaded then:\n%+v\n%+v", at.Project, v1.Project)
	}
	now, err := db.Framework(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if at, id, err := db.FrameworkAt(ctx, t2); err != nil || id != 2 || !reflect.DeepEqual(at, now) {
		t.Errorf("FrameworkAt(v2): %d, %v", id, err)
	}
	if _, _, err := db.FrameworkAt(ctx, t0.Add(-time.Hour)); !errors.Is(err, indicators.ErrOutOfRange) {
		t.Errorf("FrameworkAt before the first version: %v", err)
	}
	if orig, err := db.OriginalFramework(ctx); err != nil || *orig.Indicators[0].Target != 40 {
		t.Errorf("OriginalFramework: %v", err)
	}
	// The same reasons again (a later version of the workbook keeps its
	// record of changes) are not recorded twice.
	c.step(time.Hour)
	fw.Indicators[0].Target = fp(32)
	ch, err = db.SaveFrameworkVersion(ctx, fw, VersionInfo{Reasons: reasons})
	if err != nil || ch.Version != 3 || len(ch.Reasons) != 0 {
		t.Fatalf("third save: %+v, %v", ch, err)
	}
	hist, err := db.FrameworkHistory(ctx, "1.1a")
	if err != nil || len(hist) != 2 || hist[0].ID != 2 || len(hist[0].Revisions) != 3 || hist[0].Reasons[0].ReasonCode != "budget realignment" ||
		hist[1].Revisions[0].String() != "1.1a target: 30 -> 32" || hist[0].Actor != "bob" || !hist[0].SavedAt.Equal(t2) {
		t.Errorf("history of 1.1a: %+v, %v", hist, err)
	}
	// A reason without text is refused and nothing is written.
	fw.Indicators[0].Target = fp(33)
	if _, err := db.SaveFrameworkVersion(ctx, fw, VersionInfo{Reasons: []indicators.ChangeRecord{{Version: "3"}}}); !errors.Is(err, indicators.ErrRequired) {
		t.Errorf("empty reason: %v", err)
	}
	if cur, _ := db.Framework(ctx); *cur.Indicators[0].Target != 32 {
		t.Errorf("a refused save changed the framework: target %v", *cur.Indicators[0].Target)
	}
	for _, q := range []string{`UPDATE framework_versions SET body = ''`, `DELETE FROM framework_versions`,
		`UPDATE framework_revisions SET new = ''`, `DELETE FROM framework_revisions`,
		`UPDATE framework_reasons SET reason = 'x'`, `DELETE FROM framework_reasons`} {
		err := db.Tx(ctx, func(tx *sqlstore.Tx) error { _, err := tx.ExecContext(ctx, q); return err })
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want append-only refusal", q, err)
		}
	}
}
