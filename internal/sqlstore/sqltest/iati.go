package sqltest

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestIATIPublisherRoundTrip: the reporting organisation's type, the
// secondary-reporter flag and the planned and actual dates are stored with
// the framework, loaded back equal, and a change of any is an update.
func testIATIPublisherRoundTrip(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	fw := fullFramework()
	p := &fw.Project
	p.IATIIdentifier, p.ReportingOrg, p.ReportingOrgID, p.ReportingOrgType = "XM-DAC-1-P", "Org", "XM-DAC-1", "21"
	yes, no := true, false
	p.SecondaryReporter = &yes
	p.PlannedStart, p.ActualStart, p.ActualEnd = day(2019, 9, 1), day(2019, 10, 15), day(2023, 9, 30)
	if _, err := db.SaveFramework(ctx, fw); err != nil {
		t.Fatal(err)
	}
	got, err := db.Framework(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g := got.Project
	if g.IATIIdentifier != "XM-DAC-1-P" || g.ReportingOrg != "Org" || g.ReportingOrgID != "XM-DAC-1" || g.ReportingOrgType != "21" || g.SecondaryReporter == nil || !*g.SecondaryReporter ||
		!g.PlannedStart.Equal(p.PlannedStart) || !g.ActualStart.Equal(p.ActualStart) || !g.PlannedEnd.IsZero() || !g.ActualEnd.Equal(p.ActualEnd) {
		t.Errorf("loaded publisher %+v", g)
	}
	// The same again: no change.
	ch, err := db.SaveFramework(ctx, fw)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Updated != 0 || ch.Added != 0 || ch.Removed != 0 {
		t.Errorf("saving the same framework again: %v %v", ch, ch.Changes)
	}
	for name, edit := range map[string]func(){
		"type":        func() { p.ReportingOrgType = "22" },
		"secondary":   func() { p.SecondaryReporter = &no },
		"planned end": func() { p.PlannedEnd = day(2023, 8, 31) },
		"actual end":  func() { p.ActualEnd = time.Time{} },
	} {
		edit()
		ch, err := db.SaveFramework(ctx, fw)
		if err != nil {
			t.Fatal(err)
		}
		if ch.Updated != 1 || !strings.Contains(strings.Join(ch.Changes, "\n"), "updated project IATI publisher details") {
			t.Errorf("changing the %s: %v %v, want one update of the IATI publisher details", name, ch, ch.Changes)
		}
	}
	got, err = db.Framework(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g := got.Project; g.ReportingOrgType != "22" || g.SecondaryReporter == nil || *g.SecondaryReporter || !g.PlannedEnd.Equal(day(2023, 8, 31)) || !g.ActualEnd.IsZero() {
		t.Errorf("after the edits: %+v", g)
	}
}
