package sqltest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// TestApprovedMeasurements: the approved figures are each figure's latest
// approved revision. A correction imported after the approval leaves the
// approved value in force until it is approved itself; returning the
// correction keeps the approved value, but returning an approved
// correction does not bring back the value it replaced; figures never
// approved are left out; a past state sees the approvals and figures of
// its moment.
func testApprovedMeasurements(t *testing.T) {
	ctx := context.Background()
	db, c := openTest(t)
	if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
		t.Fatal(err)
	}
	q3 := FigureSelection{Period: indicators.Quarter(2021, 3)}
	approved := func(st *State) string {
		t.Helper()
		ms, err := db.ApprovedMeasurements(ctx, st, time.Time{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, m := range ms {
			s = append(s, fmt.Sprintf("%s=%v", m.Period, *m.Value))
		}
		return strings.Join(s, " ")
	}
	step := func(what string, fn func() error, want string) {
		t.Helper()
		c.step(time.Hour)
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got := approved(nil); got != want {
			t.Errorf("after %s: approved %q, want %q", what, got, want)
		}
	}
	var st State // as it stood after the first approval
	imp := func(file string, figs ...string) func() error {
		return func() error {
			b, err := importFigures(t, db, file, figs...)
			if st.Entry == 0 {
				st.Batch = b.ID
			}
			return err
		}
	}
	review := func(action, reason string) func() error {
		return func() error {
			res, err := db.Review(ctx, action, q3, reason, "bob")
			if err == nil && st.Entry == 0 {
				st.Entry = res.Entry.ID
			}
			return err
		}
	}
	step("the first import", imp("a.xlsx", "2021Q3=4", "2021Q2=3"), "")
	step("the approval of 2021Q3", review(ActApprove, ""), "2021Q3=4")
	step("a correction of 2021Q3", imp("b.xlsx", "2021Q3=6"), "2021Q3=4")
	step("the correction returned", review(ActReturn, "6 is not in the register"), "2021Q3=4")
	step("a second correction", imp("c.xlsx", "2021Q3=5"), "2021Q3=4")
	step("the second correction approved", review(ActApprove, ""), "2021Q3=5")
	// the approved correction returned after all: the value it replaced
	// does not come back (the officer had approved the change)
	step("the approved correction returned", review(ActReturn, "5 came from the wrong register"), "")
	step("a third correction approved", func() error {
		if err := imp("d.xlsx", "2021Q3=7")(); err != nil {
			return err
		}
		return review(ActApprove, "")()
	}, "2021Q3=7")
	if got := approved(&st); got != "2021Q3=4" {
		t.Errorf("as of the first approval: approved %q, want 2021Q3=4", got)
	}
	// with the revision and its import, as of now and as of st
	for _, tt := range []struct {
		st   *State
		want string
	}{{nil, "1.1a 2021Q3 revision 4 of d.xlsx"}, {&st, "1.1a 2021Q3 revision 1 of a.xlsx"}} {
		var got []string
		err := db.EachApprovedRevisions(ctx, tt.st, time.Time{}, nil, func(code string, revs []indicators.Revision) error {
			for _, r := range revs {
				got = append(got, fmt.Sprintf("%s %s revision %d of %s", code, r.Period, r.Revision, r.Loc.File))
				if r.Imported.IsZero() || r.BatchID == 0 {
					t.Errorf("%s %s: no import (%+v)", code, r.Period, r)
				}
			}
			return nil
		})
		if g := strings.Join(got, "; "); err != nil || g != tt.want {
			t.Errorf("EachApprovedRevisions(%v) = %q, %v; want %q", tt.st, g, err, tt.want)
		}
	}
	if ms, err := db.ApprovedMeasurements(ctx, nil, indicators.Quarter(2021, 2).End, nil); err != nil || len(ms) != 0 {
		t.Errorf("approved up to 2021Q2: %d figures, %v; want none", len(ms), err)
	}
}
