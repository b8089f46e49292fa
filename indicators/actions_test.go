package indicators

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func actDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseDeadline(t *testing.T) {
	tests := []struct {
		in    string
		kind  DeadlineKind
		canon string
		due   string // with project end 2023-08-31; "" when no due date
	}{
		{"", DeadlineNone, "", ""},
		{"2022-06-28", DeadlineDate, "2022-06-28", "2022-06-28"},
		{"28 June 2022", DeadlineDate, "2022-06-28", "2022-06-28"},
		{"28/06/2022", DeadlineDate, "2022-06-28", "2022-06-28"},
		{"June 28, 2022", DeadlineDate, "2022-06-28", "2022-06-28"},
		{"May 2022", DeadlineDate, "2022-05", "2022-05-31"},
		{"by May 2022", DeadlineDate, "2022-05", "2022-05-31"},
		{"2022-05", DeadlineDate, "2022-05", "2022-05-31"},
		{"05/2022", DeadlineDate, "2022-05", "2022-05-31"},
		{"Aug. 2022", DeadlineDate, "2022-08", "2022-08-31"},
		{"2022Q3", DeadlineDate, "2022Q3", "2022-09-30"},
		{"Q3 2022", DeadlineDate, "2022Q3", "2022-09-30"},
		{"2022S2", DeadlineDate, "2022S2", "2022-12-31"},
		{"2022", DeadlineDate, "2022", "2022-12-31"},
		{"end of 2022", DeadlineDate, "2022", "2022-12-31"},
		{"no later than 15 September 2022", DeadlineDate, "2022-09-15", "2022-09-15"},
		{"before end of project period", DeadlineProjectEnd, "project end", "2023-08-31"},
		{"Before the end of the project", DeadlineProjectEnd, "project end", "2023-08-31"},
		{"project end", DeadlineProjectEnd, "project end", "2023-08-31"},
		{"by project completion", DeadlineProjectEnd, "project end", "2023-08-31"},
		{"EOP", DeadlineProjectEnd, "project end", "2023-08-31"},
		{"every reporting period", DeadlineRecurring, "every reporting period", ""},
		{"Every report", DeadlineRecurring, "every report", ""},
		{"quarterly", DeadlineRecurring, "every quarter", ""},
		{"continuous", DeadlineRecurring, "continuous", ""},
		{"2022-03..2022-09", DeadlineWindow, "2022-03..2022-09", "2022-09-30"},
		{"March to September 2022", DeadlineWindow, "2022-03..2022-09", "2022-09-30"},
		{"2022-03 - 2022-09", DeadlineWindow, "2022-03..2022-09", "2022-09-30"},
		{"between May 2022 and August 2022", DeadlineWindow, "2022-05..2022-08", "2022-08-31"},
		{"from 2022-04", DeadlineWindow, "from 2022-04", ""},
		{"starting April 2022 onwards", DeadlineWindow, "from 2022-04", ""},
		{"from April 2022 to June 2023", DeadlineWindow, "2022-04..2023-06", "2023-06-30"},
		{"before the selection", DeadlineEvent, "before the selection", ""},
		{"At the next steering committee", DeadlineEvent, "at the next steering committee", ""},
	}
	end := actDate("2023-08-31")
	for _, tt := range tests {
		d, err := ParseDeadline(tt.in)
		if err != nil {
			t.Errorf("ParseDeadline(%q): %v", tt.in, err)
			continue
		}
		if d.Kind != tt.kind || d.String() != tt.canon {
			t.Errorf("ParseDeadline(%q) = %s %q, want %s %q", tt.in, d.Kind, d.String(), tt.kind, tt.canon)
		}
		due, ok := d.Due(end)
		got := ""
		if ok {
			got = due.Format(time.DateOnly)
		}
		if got != tt.due {
			t.Errorf("ParseDeadline(%q).Due = %q, want %q", tt.in, got, tt.due)
		}
		// The canonical text reads back to the same deadline.
		back, err := ParseDeadline(d.String())
		if err != nil || !reflect.DeepEqual(back, d) {
			t.Errorf("ParseDeadline(%q) -> %q -> %+v, %v; want %+v", tt.in, d.String(), back, err, d)
		}
	}
}

func TestParseDeadlineBad(t *testing.T) {
	for _, in := range []string{"soon", "2022-13", "31 February 2022", "2022-09..2022-03", "tbd", "asap", "from someday", "between x and y"} {
		d, err := ParseDeadline(in)
		if err == nil {
			t.Errorf("ParseDeadline(%q) = %+v, want an error", in, d)
			continue
		}
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), in) {
			t.Errorf("ParseDeadline(%q) error %q: want ErrInvalid naming the input", in, err)
		}
	}
}

func TestDeadlineRecurringAndProjectEndWithoutDate(t *testing.T) {
	d, _ := ParseDeadline("before end of project period")
	if _, ok := d.Due(time.Time{}); ok {
		t.Error("project end without a project end date has a due date")
	}
	if d.Passed(actDate("2030-01-01"), time.Time{}) {
		t.Error("project end without a date passed")
	}
	r, _ := ParseDeadline("every reporting period")
	if r.Passed(actDate("2030-01-01"), actDate("2023-08-31")) {
		t.Error("a recurring deadline passed")
	}
}

func TestParseActionStatusResponsePriority(t *testing.T) {
	for in, want := range map[string]ActionStatus{"Ongoing": Ongoing, "in progress": Ongoing, "Not started": NotStarted,
		"COMPLETED": Completed, "done": Completed, "canceled": Cancelled, "Cancelled": Cancelled} {
		if got, err := ParseActionStatus(in); err != nil || got != want {
			t.Errorf("ParseActionStatus(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseActionStatus("halfway"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseActionStatus(halfway): %v, want ErrInvalid", err)
	}
	for in, want := range map[string]Response{"Accepted": Accepted, "partially accepted": PartiallyAccepted,
		"Partially-accepted": PartiallyAccepted, "rejected": Rejected} {
		if got, err := ParseResponse(in); err != nil || got != want {
			t.Errorf("ParseResponse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseResponse("maybe"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseResponse(maybe): %v", err)
	}
	for in, want := range map[string]int{"1": 1, "2": 2, "3.0": 3, "P2": 2, "high": 1, "low": 3, "": 0} {
		if got, err := ParsePriority(in); err != nil || got != want {
			t.Errorf("ParsePriority(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, want := range map[string]error{"4": ErrOutOfRange, "0": ErrOutOfRange, "-1": ErrOutOfRange, "1.5": ErrInvalid, "urgent": ErrInvalid} {
		if _, err := ParsePriority(in); !errors.Is(err, want) {
			t.Errorf("ParsePriority(%q): %v, want %v", in, err, want)
		}
	}
}

func TestSplitComments(t *testing.T) {
	day := func(s string) Period { return Day(actDate(s)) }
	tests := []struct {
		in   string
		want []LogEntry
	}{
		{"", nil},
		{"no date here", []LogEntry{{Text: "no date here"}}},
		{"15 June 2022: revised plan sent to the steering committee",
			[]LogEntry{{Date: day("2022-06-15"), Text: "revised plan sent to the steering committee"}}},
		{"15 June 2022: plan sent.\n28 June 2022 - conference held\nwith 120 participants",
			[]LogEntry{{Date: day("2022-06-15"), Text: "plan sent."}, {Date: day("2022-06-28"), Text: "conference held\nwith 120 participants"}}},
		{"2022-06-15: first\r\n\r\n2022-07: second", []LogEntry{{Date: day("2022-06-15"), Text: "first"}, {Date: Month(2022, 7), Text: "second"}}},
		{"Context first.\n06/2022: then this", []LogEntry{{Text: "Context first."}, {Date: Month(2022, 6), Text: "then this"}}},
		{"[2022-03] report delivered", []LogEntry{{Date: Month(2022, 3), Text: "report delivered"}}},
		{"(15.06.2022) met the ministry", []LogEntry{{Date: day("2022-06-15"), Text: "met the ministry"}}},
		{"• 1 Aug 2022, trainings in the capital", []LogEntry{{Date: day("2022-08-01"), Text: "trainings in the capital"}}},
		{"2022-06-15 revised plan", []LogEntry{{Date: day("2022-06-15"), Text: "revised plan"}}},
		{"January 2022: procedure approved", []LogEntry{{Date: Month(2022, 1), Text: "procedure approved"}}},
		// A year alone without a separator is text, not a date.
		{"2022 was a hard year", []LogEntry{{Text: "2022 was a hard year"}}},
		{"21 provinces covered", []LogEntry{{Text: "21 provinces covered"}}},
	}
	for _, tt := range tests {
		got := SplitComments(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitComments(%q) =\n %+v\nwant\n %+v", tt.in, got, tt.want)
		}
	}
}

func TestExpandCodes(t *testing.T) {
	got, err := ExpandCodes("A2.1.10..A2.1.13; 3.2.5, O1 3.2.5")
	want := []string{"A2.1.10", "A2.1.11", "A2.1.12", "A2.1.13", "3.2.5", "O1"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ExpandCodes = %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"2.1.13..2.1.10", "A1..B2", "x..y"} {
		if _, err := ExpandCodes(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ExpandCodes(%q): %v, want ErrInvalid", bad, err)
		}
	}
}

func TestCompareCodes(t *testing.T) {
	codes := []string{"2.1.10", "2.1.9", "O2", "O1", "1.1", "A2.1.1"}
	for i := range codes {
		for j := range codes {
			a, b := codes[i], codes[j]
			if CompareCodes(a, b) != -CompareCodes(b, a) {
				t.Errorf("CompareCodes(%q,%q) not antisymmetric", a, b)
			}
		}
	}
	if CompareCodes("2.1.9", "2.1.10") >= 0 || CompareCodes("O1", "O2") >= 0 {
		t.Error("CompareCodes does not number numerically")
	}
}

func actionFixture() KeyAction {
	d, _ := ParseDeadline("May 2022")
	return KeyAction{Number: "6.1", Text: "budget revision", Deadline: d, Log: []LogEntry{
		{Date: Month(2022, 1), Status: Ongoing, Text: "revision drafted", Seq: 1},
		{Date: Day(actDate("2022-07-10")), Status: Completed, Text: "revision approved", Seq: 2},
	}}
}

func TestOverdueAt(t *testing.T) {
	a := actionFixture()
	end := actDate("2023-08-31")
	tests := []struct {
		asOf    string
		status  ActionStatus
		overdue bool
		days    int
	}{
		{"2021-12-31", NotStarted, false, 0},
		{"2022-05-31", Ongoing, false, 0},   // the due day itself
		{"2022-06-01", Ongoing, true, 1},    // the day after
		{"2022-07-09", Ongoing, true, 39},   // still ongoing
		{"2022-07-10", Completed, false, 0}, // completed that day
		{"2023-01-01", Completed, false, 0},
	}
	for _, tt := range tests {
		at := actDate(tt.asOf)
		if got := a.StatusAt(at); got != tt.status {
			t.Errorf("StatusAt(%s) = %q, want %q", tt.asOf, got, tt.status)
		}
		if got := a.Overdue(at, end); got != tt.overdue {
			t.Errorf("Overdue(%s) = %v, want %v", tt.asOf, got, tt.overdue)
		}
		fa := FollowActionAt(a, at, end)
		if fa.Overdue != tt.overdue || fa.DaysOverdue != tt.days {
			t.Errorf("FollowActionAt(%s) overdue %v %d days, want %v %d", tt.asOf, fa.Overdue, fa.DaysOverdue, tt.overdue, tt.days)
		}
	}
	// Cancelled actions are never overdue; project-end deadlines use the project end.
	c := KeyAction{Deadline: Deadline{Kind: DeadlineProjectEnd}, Log: []LogEntry{{Date: Month(2022, 1), Status: Cancelled}}}
	if c.Overdue(actDate("2024-01-01"), end) {
		t.Error("cancelled action overdue")
	}
	p := KeyAction{Deadline: Deadline{Kind: DeadlineProjectEnd}}
	if p.Overdue(actDate("2023-08-31"), end) || !p.Overdue(actDate("2023-09-01"), end) {
		t.Error("project-end deadline: wrong overdue day")
	}
}

func TestStatusAtTiesAndUndated(t *testing.T) {
	rec := actDate("2022-09-01")
	a := KeyAction{Log: []LogEntry{
		{Date: Month(2022, 6), Status: Ongoing, Seq: 1},
		{Date: Month(2022, 6), Status: Completed, Seq: 2}, // same date, recorded later: wins
		{Status: Cancelled, Recorded: rec.Add(5 * time.Hour), Seq: 3},
	}}
	if got := a.StatusAt(actDate("2022-06-30")); got != Completed {
		t.Errorf("tie: %q, want completed", got)
	}
	if got := a.StatusAt(actDate("2022-08-31")); got != Completed {
		t.Errorf("before the undated entry was recorded: %q", got)
	}
	if got := a.StatusAt(rec); got != Cancelled {
		t.Errorf("undated entry counts from its recording day: %q", got)
	}
}

func TestBuildFollowUp(t *testing.T) {
	pe, _ := ParseDeadline("before end of project period")
	ev := Evaluation{Title: "Mid-term review", Date: actDate("2021-11-30"), Recommendations: []Recommendation{
		{Number: "5", Text: "review selection", Priority: 1, Response: Accepted, Actions: []KeyAction{
			{Number: "5.1", Text: "procedure", Links: []string{"3.3"}, Log: []LogEntry{{Date: Month(2022, 1), Status: Completed, Text: "approved"}}}}},
		{Number: "6", Text: "move funds", Priority: 1, Response: PartiallyAccepted, Reason: "half", Actions: []KeyAction{
			actionFixture(),
			{Number: "6.2", Text: "four more NGOs", Deadline: pe, Links: []string{"3.3", "A3.3.2"},
				Log: []LogEntry{{Date: Month(2022, 3), Status: Ongoing, Text: "call launched"}}}}},
	}}
	fu := BuildFollowUp([]Evaluation{ev}, actDate("2022-06-30"), actDate("2023-08-31"))
	if fu.AsOf != "2022-06-30" || fu.Actions != 3 || fu.OverdueCount != 1 {
		t.Fatalf("follow-up: %+v", fu)
	}
	if fu.StatusCounts[Completed] != 1 || fu.StatusCounts[Ongoing] != 2 || fu.ResponseCounts[Accepted] != 1 || fu.ResponseCounts[PartiallyAccepted] != 1 {
		t.Errorf("counts: %v %v", fu.StatusCounts, fu.ResponseCounts)
	}
	if fu.Overdue[0].Number != "6.1" || fu.Overdue[0].Recommendation != "6" || fu.Overdue[0].DaysOverdue != 30 {
		t.Errorf("overdue: %+v", fu.Overdue)
	}
	if len(fu.ByCode) != 2 || fu.ByCode[0].Code != "3.3" || !reflect.DeepEqual(fu.ByCode[0].Actions, []string{"5.1", "6.2"}) ||
		fu.ByCode[0].StatusCounts[Completed] != 1 || fu.ByCode[1].Code != "A3.3.2" {
		t.Errorf("by code: %+v", fu.ByCode)
	}
	if lc := fu.Recommendations[1].Actions[0].LastComment; lc == nil || lc.Text != "revision drafted" {
		t.Errorf("last comment at 2022-06-30: %+v (the July entry is after as-of)", lc)
	}
}

func FuzzParseDeadline(f *testing.F) {
	for _, s := range []string{"2022-06-28", "May 2022", "before end of project period", "every reporting period",
		"2022-03..2022-09", "from 2022-04", "before the selection", "March to September 2022", "Q3 2022"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDeadline(s)
		if err != nil {
			return
		}
		back, err := ParseDeadline(d.String())
		if err != nil || !reflect.DeepEqual(back, d) {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, d, d.String(), back, err)
		}
	})
}

func FuzzSplitComments(f *testing.F) {
	f.Add("15 June 2022: a\n2022-07: b\nmore")
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range SplitComments(s) {
			if !e.Date.IsZero() && !e.Date.Valid() {
				t.Fatalf("invalid date %+v from %q", e.Date, s)
			}
		}
	})
}

func BenchmarkBuildFollowUp(b *testing.B) {
	ev := Evaluation{Title: "Review"}
	for r := range 200 {
		rec := Recommendation{Number: strconv.Itoa(r + 1), Text: "r", Response: Accepted, Priority: 1}
		for a := range 5 {
			act := actionFixture()
			act.Number = rec.Number + "." + strconv.Itoa(a+1)
			act.Links = []string{"O1", "2." + strconv.Itoa(a)}
			rec.Actions = append(rec.Actions, act)
		}
		ev.Recommendations = append(ev.Recommendations, rec)
	}
	asOf, end := actDate("2022-06-30"), actDate("2023-08-31")
	b.ReportAllocs()
	for b.Loop() {
		if fu := BuildFollowUp([]Evaluation{ev}, asOf, end); fu.Actions != 1000 {
			b.Fatal(fu.Actions)
		}
	}
}

func TestAddMatrixStatus(t *testing.T) {
	evDate := actDate("2021-12-10")
	log := "2022-03-10: started\n2022-05: half done\nno date here"
	tests := []struct {
		status ActionStatus
		log    string
		date   string
	}{
		{Ongoing, log, "2022-03-10"},    // the first reported progress
		{Completed, log, "2022-05"},     // the last report
		{Cancelled, log, "2022-05"},     // idem
		{NotStarted, log, "2021-12-10"}, // as of the management response
		{Ongoing, "no date", "2021-12-10"},
	}
	for _, tt := range tests {
		a := KeyAction{Status: tt.status, Log: SplitComments(tt.log)}
		n := len(a.Log)
		a.AddMatrixStatus(evDate)
		if len(a.Log) != n+1 {
			t.Fatalf("%s: no entry added", tt.status)
		}
		e := a.Log[n]
		if e.Status != tt.status || e.Text != "" || e.Date.String() != tt.date {
			t.Errorf("%s: entry %+v, want dated %s", tt.status, e, tt.date)
		}
	}
	a := KeyAction{Log: SplitComments(log)}
	a.AddMatrixStatus(evDate)
	if len(a.Log) != 2 {
		t.Errorf("no status: %d entries, want the 2 comments only", len(a.Log))
	}
	u := KeyAction{Status: Ongoing}
	u.AddMatrixStatus(time.Time{})
	if !u.Log[0].Date.IsZero() {
		t.Errorf("no date at all: %+v", u.Log[0])
	}
}
