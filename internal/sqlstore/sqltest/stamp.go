package sqltest

import (
	"context"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
)

// testStamp: the data stamp of rmf serve changes with every import, review
// and action log entry, and not with reads, users or sessions.
func testStamp(t *testing.T) {
	ctx := context.Background()
	db, c := frameworkDB(t)
	stamp := func() string {
		t.Helper()
		s, err := db.Stamp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	seen := map[string]string{}
	changed := func(what string) {
		t.Helper()
		s := stamp()
		if prev, ok := seen[s]; ok {
			t.Errorf("after %s the stamp is %q, as after %s", what, s, prev)
		}
		seen[s] = what
	}
	same := func(what string, before string) {
		t.Helper()
		if s := stamp(); s != before {
			t.Errorf("%s changed the stamp from %q to %q", what, before, s)
		}
	}
	changed("saving the framework")
	if _, err := runImport(t, db, "a.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	changed("an import")
	before := stamp()
	if _, err := db.Measurements(ctx, MeasurementFilter{}); err != nil {
		t.Fatal(err)
	}
	same("a read", before)
	if err := db.AddUser(ctx, engine.User{Name: "ana", Role: "officer"}, "hash"); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSession(ctx, "token", "ana", "csrf", c.now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	same("a user and a session", before)
	c.step(time.Minute)
	p, _ := indicators.ParsePeriod("2021Q1")
	if _, err := db.Review(ctx, ActApprove, FigureSelection{Period: p}, "", "ana"); err != nil {
		t.Fatal(err)
	}
	changed("an approval")
	if _, err := runImport(t, db, "b.xlsx", false, fig(t, "1.1a", "2021Q1", 6, 2)); err != nil {
		t.Fatal(err)
	}
	changed("a correction")
}
