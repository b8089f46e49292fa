package sqltest

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

func actOpen(t *testing.T) (*DB, *time.Time) {
	t.Helper()
	db, _ := openTest(t)
	now := time.Date(2022, 7, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	return db, &now
}

func actDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// actMatrix is a small evaluation as the importer returns it.
func actMatrix() *indicators.Evaluation {
	ev := actMatrixNoStatus()
	for i := range ev.Recommendations {
		for j := range ev.Recommendations[i].Actions {
			ev.Recommendations[i].Actions[j].AddMatrixStatus(ev.Date)
		}
	}
	return ev
}

func actMatrixNoStatus() *indicators.Evaluation {
	may, _ := indicators.ParseDeadline("May 2022")
	pe, _ := indicators.ParseDeadline("before end of project period")
	return &indicators.Evaluation{Title: "Mid-term review", Date: actDay("2021-12-15"), Source: "matrix.xlsx",
		Loc: indicators.Loc{File: "matrix.xlsx", Sheet: "Matrix"},
		Recommendations: []indicators.Recommendation{
			{Number: "5", Text: "Review the selection committee.", AddressedTo: "PMU", Priority: 1, Response: indicators.Accepted,
				Actions: []indicators.KeyAction{{Number: "5.1", Text: "Procedure approved.", Status: indicators.Completed,
					Links: []string{"3.3"},
					Log:   indicators.SplitComments("January 2022: procedure approved by donor and ministry")}}},
			{Number: "6", Text: "Move funds to NGO capacity.", Priority: 1, Response: indicators.PartiallyAccepted, Reason: "half only",
				Actions: []indicators.KeyAction{
					{Number: "6.1", Text: "Budget revision.", Deadline: may, Responsible: "PMU", Status: indicators.Ongoing,
						Log: indicators.SplitComments("2022-03-10: draft\n2022-05-20: sent to donor")},
					{Number: "6.2", Text: "Four more NGOs.", Deadline: pe, Status: indicators.NotStarted, Links: []string{"3.3", "A3.3.1"}},
				}},
		}}
}

func testSaveEvaluationRoundTripAndIdempotence(t *testing.T) {
	ctx := context.Background()
	db, now := actOpen(t)
	ch, err := db.SaveEvaluation(ctx, actMatrix(), false)
	if err != nil {
		t.Fatal(err)
	}
	want := ActionsChange{Evaluation: "Mid-term review", NewEvaluation: true, RecommendationsAdded: 2, ActionsAdded: 3, LogAdded: 3 + 2}
	if !reflect.DeepEqual(ch, want) {
		t.Errorf("first import: %+v\nwant %+v", ch, want)
	}
	evs, err := db.Evaluations(ctx)
	if err != nil || len(evs) != 1 {
		t.Fatalf("Evaluations: %v, %v", evs, err)
	}
	ev := evs[0]
	if ev.Title != "Mid-term review" || !ev.Date.Equal(actDay("2021-12-15")) || len(ev.Recommendations) != 2 {
		t.Fatalf("evaluation: %+v", ev)
	}
	r6 := ev.Recommendations[1]
	if r6.Response != indicators.PartiallyAccepted || r6.Reason != "half only" || len(r6.Actions) != 2 {
		t.Errorf("recommendation 6: %+v", r6)
	}
	a61 := r6.Actions[0]
	if a61.ID == 0 || a61.Deadline.String() != "2022-05" || a61.Status != indicators.Ongoing || len(a61.Log) != 3 {
		t.Fatalf("action 6.1: %+v", a61)
	}
	// The status entry of an ongoing action is dated by its first comment.
	if st := a61.Log[1]; st.Status != indicators.Ongoing || st.Date.String() != "2022-03-10" || st.Text != "" {
		t.Errorf("status entry: %+v", st)
	}
	if !a61.Overdue(actDay("2022-06-30"), actDay("2023-08-31")) {
		t.Error("6.1 not overdue on 2022-06-30")
	}
	if a := r6.Actions[1]; !reflect.DeepEqual(a.Links, []string{"3.3", "A3.3.1"}) || a.Deadline.Kind != indicators.DeadlineProjectEnd {
		t.Errorf("action 6.2: %+v", a)
	}
	// 6.2 is "not started", which an empty log already says: no entry.
	if l := r6.Actions[1].Log; len(l) != 0 || r6.Actions[1].Status != indicators.NotStarted {
		t.Errorf("6.2 log: %+v", l)
	}

	// The same file again: nothing changes.
	*now = now.Add(time.Hour)
	ch, err = db.SaveEvaluation(ctx, actMatrix(), false)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Changed() || ch.LogKept != 3 || !strings.Contains(ch.String(), "unchanged") {
		t.Errorf("re-import changed: %+v (%s)", ch, ch)
	}
	again, _ := db.Evaluations(ctx)
	if !reflect.DeepEqual(again, evs) {
		t.Errorf("re-import changed the stored evaluation")
	}

	// A newer matrix: a new comment, a new status, a changed deadline, a dropped action.
	m := actMatrixNoStatus()
	a := &m.Recommendations[1].Actions[0]
	a.Log = indicators.SplitComments("2022-03-10: draft\n2022-05-20: sent to donor\n2022-07-05: approved")
	a.Status = indicators.Completed
	for i := range m.Recommendations {
		for j := range m.Recommendations[i].Actions {
			m.Recommendations[i].Actions[j].AddMatrixStatus(m.Date)
		}
	}
	a.Deadline, _ = indicators.ParseDeadline("2022-07")
	m.Recommendations[1].Actions = m.Recommendations[1].Actions[:1]
	ch, err = db.SaveEvaluation(ctx, m, false)
	if err != nil {
		t.Fatal(err)
	}
	if ch.ActionsChanged != 1 || ch.LogAdded != 2 || ch.LogKept != 3 || !reflect.DeepEqual(ch.Missing, []string{"6.2"}) {
		t.Errorf("newer matrix: %+v", ch)
	}
	evs, _ = db.Evaluations(ctx)
	a61 = evs[0].Recommendations[1].Actions[0]
	if a61.Status != indicators.Completed || len(a61.Log) != 5 || a61.Deadline.String() != "2022-07" {
		t.Errorf("6.1 after the newer matrix: %+v", a61)
	}
	if a61.StatusAt(actDay("2022-06-30")) != indicators.Ongoing {
		t.Error("the history was lost: 6.1 not ongoing at 2022-06-30")
	}
	if n := len(evs[0].Recommendations[1].Actions); n != 2 {
		t.Errorf("the dropped action was removed: %d actions", n)
	}
}

func testSaveEvaluationDryRun(t *testing.T) {
	ctx := context.Background()
	db, _ := actOpen(t)
	ch, err := db.SaveEvaluation(ctx, actMatrix(), true)
	if err != nil || !ch.NewEvaluation || ch.ActionsAdded != 3 {
		t.Fatalf("dry run: %+v, %v", ch, err)
	}
	if evs, err := db.Evaluations(ctx); err != nil || len(evs) != 0 {
		t.Errorf("dry run wrote: %v, %v", evs, err)
	}
}

func testActionLogAppendOnly(t *testing.T) {
	ctx := context.Background()
	db, now := actOpen(t)
	if _, err := db.SaveEvaluation(ctx, actMatrix(), false); err != nil {
		t.Fatal(err)
	}
	ref, err := db.FindAction(ctx, "6.1")
	if err != nil || ref.Number != "6.1" || ref.Recommendation != "6" || ref.Evaluation != "Mid-term review" {
		t.Fatalf("FindAction: %+v, %v", ref, err)
	}
	if byID, err := db.FindAction(ctx, "#"+itoa(ref.ID)); err != nil || byID != ref {
		t.Errorf("FindAction by id: %+v, %v", byID, err)
	}
	if _, err := db.FindAction(ctx, "9.9"); !errors.Is(err, indicators.ErrUnknownCode) {
		t.Errorf("unknown action: %v", err)
	}
	if _, err := db.FindAction(ctx, "#x"); !errors.Is(err, indicators.ErrInvalid) {
		t.Errorf("bad id: %v", err)
	}
	*now = now.Add(24 * time.Hour)
	e, err := db.AppendActionLog(ctx, ref.ID, indicators.LogEntry{Date: indicators.Day(actDay("2022-07-02")),
		Status: indicators.Completed, Text: "revision approved", Source: "rmf actions update"})
	if err != nil || e.Seq == 0 || !e.Recorded.Equal(*now) {
		t.Fatalf("AppendActionLog: %+v, %v", e, err)
	}
	if _, err := db.AppendActionLog(ctx, ref.ID, indicators.LogEntry{}); !errors.Is(err, indicators.ErrRequired) {
		t.Errorf("empty entry: %v", err)
	}
	if _, err := db.AppendActionLog(ctx, 999, indicators.LogEntry{Text: "x"}); !errors.Is(err, indicators.ErrUnknownCode) {
		t.Errorf("unknown id: %v", err)
	}
	evs, _ := db.Evaluations(ctx)
	a := evs[0].Recommendations[1].Actions[0]
	if a.Status != indicators.Completed || len(a.Log) != 4 || a.Log[3].Text != "revision approved" {
		t.Errorf("after update: %+v", a)
	}
	// Re-importing the old matrix does not undo the update nor repeat anything.
	ch, err := db.SaveEvaluation(ctx, actMatrix(), false)
	if err != nil || ch.Changed() {
		t.Errorf("re-import after update: %+v, %v", ch, err)
	}
	// The database itself refuses to change or delete log entries.
	for _, q := range []string{`UPDATE action_log SET text = 'x'`, `DELETE FROM action_log`} {
		err := db.Tx(ctx, func(tx *sqlstore.Tx) error { _, err := tx.ExecContext(ctx, q); return err })
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want append-only refusal", q, err)
		}
	}
}

func testFindActionAmbiguous(t *testing.T) {
	ctx := context.Background()
	db, _ := actOpen(t)
	if _, err := db.SaveEvaluation(ctx, actMatrix(), false); err != nil {
		t.Fatal(err)
	}
	m := actMatrix()
	m.Title = "Final evaluation"
	if _, err := db.SaveEvaluation(ctx, m, false); err != nil {
		t.Fatal(err)
	}
	_, err := db.FindAction(ctx, "6.1")
	if !errors.Is(err, indicators.ErrDuplicate) || !strings.Contains(err.Error(), "Final evaluation") {
		t.Errorf("ambiguous number: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
