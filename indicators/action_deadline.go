package indicators

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DeadlineKind says what a deadline is.
type DeadlineKind string

// Deadline is when a key action is due. Its canonical text (String) reads
// back through ParseDeadline to the same deadline.
type Deadline struct {
	Kind DeadlineKind
	From Period // window: first period (zero for none)
	By   Period // date: the period due by its last day; window: last period (zero when open-ended)
	// What: for recurring deadlines, how often ("reporting period",
	// "quarter", "continuous"); for events, the phrase ("before the selection").
	What string
}

// String is the canonical text of d: "2022-06-28", "2022-05", "project
// end", "every reporting period", "before the selection",
// "2022-03..2022-09", "from 2022-04"; "" for no deadline.
func (d Deadline) String() string {
	switch d.Kind {
	case DeadlineDate:
		return d.By.String()
	case DeadlineProjectEnd:
		return "project end"
	case DeadlineRecurring:
		if d.What == "continuous" {
			return "continuous"
		}
		return "every " + d.What
	case DeadlineEvent:
		return d.What
	case DeadlineWindow:
		if d.By.IsZero() {
			return "from " + d.From.String()
		}
		return d.From.String() + ".." + d.By.String()
	}
	return ""
}

// Due returns the last day the action is due by, and false when it has no
// due date (recurring, event, open window, none, or project end when
// projectEnd is zero).
func (d Deadline) Due(projectEnd time.Time) (time.Time, bool) {
	switch d.Kind {
	case DeadlineDate:
		return d.By.End, true
	case DeadlineWindow:
		if !d.By.IsZero() {
			return d.By.End, true
		}
	case DeadlineProjectEnd:
		if !projectEnd.IsZero() {
			return actDay(projectEnd), true
		}
	}
	return time.Time{}, false
}

// Passed is true when the deadline's due day is before the day of asOf.
func (d Deadline) Passed(asOf, projectEnd time.Time) bool {
	due, ok := d.Due(projectEnd)
	return ok && actDay(asOf).After(due)
}

func actDay(t time.Time) time.Time {
	y, m, dd := t.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

var (
	actSpaces    = regexp.MustCompile(`\s+`)
	actRangeSep  = regexp.MustCompile(`^(.+?)\s*(?:\.\.|\s[-–—]\s|\s+to\s+|\s+until\s+|\s+till\s+|\s+and\s+)\s*(.+)$`)
	actProjWords = regexp.MustCompile(`\b(project|programme|program|phase)\b`)
	actEndWords  = regexp.MustCompile(`\b(end|close|closure|completion|closing|ends)\b`)
)

var actRecurring = map[string]string{
	"monthly": "month", "quarterly": "quarter", "semiannually": "semester", "semiannual": "semester",
	"biannually": "semester", "halfyearly": "semester", "annually": "year", "yearly": "year", "annual": "year",
	"continuous": "continuous", "continuously": "continuous", "ongoing": "continuous", "regularly": "continuous",
	"permanent": "continuous", "permanently": "continuous",
}

var actEventWords = []string{"before ", "after ", "upon ", "at ", "on ", "following ", "once ", "when ",
	"prior to ", "ahead of ", "with ", "during ", "for ", "in time for "}

var actDatePrefixes = []string{"no later than ", "not later than ", "at the latest by ", "latest by ", "by the end of ",
	"by end of ", "before the end of ", "before end of ", "end of ", "by ", "before ", "until ", "till ", "due ",
	"deadline ", "in ", "within "}

// ParseDeadline reads a deadline as written in a matrix: a date ("2022-06-28",
// "28 June 2022", "May 2022", "06/2022", "2022Q3"), the project end ("before
// end of project period"), a recurrence ("every reporting period",
// "quarterly"), a window ("2022-03..2022-09", "March to September 2022",
// "from 2022-04") or an event with no date ("before the selection"). Empty
// gives the zero Deadline.
func ParseDeadline(s string) (Deadline, error) {
	t := strings.ToLower(strings.TrimSpace(actSpaces.ReplaceAllString(s, " ")))
	t = strings.TrimSpace(strings.TrimRight(t, ".;"))
	if t == "" {
		return Deadline{}, nil
	}
	bad := func(why string) (Deadline, error) {
		return Deadline{}, fmt.Errorf("%w: deadline %q%s, expected a date (2022-06-28, May 2022), the project end, "+
			"a window (2022-03..2022-09, from 2022-04), a recurrence (every reporting period) or an event (before the selection)",
			ErrInvalid, s, why)
	}
	// The project end, when no date is written.
	if _, ok := actFindDate(t); !ok {
		if t == "eop" || t == "end" || (actProjWords.MatchString(t) && actEndWords.MatchString(t)) {
			return Deadline{Kind: DeadlineProjectEnd}, nil
		}
	}
	// Recurring.
	if w, ok := actRecurring[norm(t)]; ok {
		return Deadline{Kind: DeadlineRecurring, What: w}, nil
	}
	for _, p := range []string{"every ", "each ", "per ", "for every ", "for each "} {
		if rest, ok := strings.CutPrefix(t, p); ok && rest != "" {
			return Deadline{Kind: DeadlineRecurring, What: rest}, nil
		}
	}
	// Open window.
	for _, p := range []string{"starting from ", "starting ", "from ", "as of ", "as from ", "since ", "beginning "} {
		if rest, ok := strings.CutPrefix(t, p); ok {
			rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(rest, " onwards"), " onward"))
			if m := actRangeSep.FindStringSubmatch(rest); m != nil {
				return actWindow(m[1], m[2], bad)
			}
			from, ok := actParseDate(rest)
			if !ok {
				return bad("")
			}
			return Deadline{Kind: DeadlineWindow, From: from}, nil
		}
	}
	if rest, ok := strings.CutPrefix(t, "between "); ok {
		if m := actRangeSep.FindStringSubmatch(rest); m != nil {
			return actWindow(m[1], m[2], bad)
		}
		return bad("")
	}
	// A plain date.
	if p, ok := actParseDate(t); ok {
		return Deadline{Kind: DeadlineDate, By: p}, nil
	}
	// A window A..B.
	if m := actRangeSep.FindStringSubmatch(t); m != nil {
		if _, ok := actParseDate(m[2]); ok {
			return actWindow(m[1], m[2], bad)
		}
	}
	// A date after a preposition: "by May 2022", "before 2022-06-28".
	for _, p := range actDatePrefixes {
		if rest, ok := strings.CutPrefix(t, p); ok {
			if d, ok := actParseDate(rest); ok {
				return Deadline{Kind: DeadlineDate, By: d}, nil
			}
		}
	}
	// An event with no date.
	if _, ok := actFindDate(t); !ok {
		for _, p := range actEventWords {
			if strings.HasPrefix(t, p) && len(t) > len(p) {
				return Deadline{Kind: DeadlineEvent, What: t}, nil
			}
		}
	}
	return bad("")
}

func actWindow(a, b string, bad func(string) (Deadline, error)) (Deadline, error) {
	to, ok := actParseDate(b)
	if !ok {
		return bad("")
	}
	from, ok := actParseDate(a)
	if !ok {
		// "March to September 2022": the year is written once.
		if m, ok2 := actMonthName(strings.TrimSpace(a)); ok2 && to.Kind == KindMonth {
			from, ok = Month(to.Start.Year(), m), true
			if from.Start.After(to.Start) {
				from = Month(to.Start.Year()-1, m)
			}
		}
	}
	if !ok {
		return bad("")
	}
	if to.End.Before(from.Start) {
		return bad(": the window ends before it starts")
	}
	return Deadline{Kind: DeadlineWindow, From: from, By: to}, nil
}

// actFindDate is true when s holds something that reads as a date at any
// word boundary (used to keep "before 2022-06-28" away from events).
var actDateLike = regexp.MustCompile(`\b(19|20)\d\d\b`)

func actFindDate(s string) (string, bool) {
	m := actDateLike.FindString(s)
	return m, m != ""
}

var actMonths = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
	"sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
	"dec": 12, "december": 12,
}

func actMonthName(s string) (time.Month, bool) {
	m, ok := actMonths[strings.TrimSuffix(strings.ToLower(s), ".")]
	return m, ok
}

var (
	actISODay    = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	actDMY       = regexp.MustCompile(`^(\d{1,2})[./](\d{1,2})[./](\d{4})$`)
	actISOMonth  = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})$`)
	actMY        = regexp.MustCompile(`^(\d{1,2})[-/.](\d{4})$`)
	actDayName   = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?[ -]([a-z]+\.?),?[ -](\d{4})$`)
	actNameDay   = regexp.MustCompile(`^([a-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$`)
	actNameMonth = regexp.MustCompile(`^([a-z]+\.?)[ -],?\s*(\d{4})$`)
	actQuarter   = regexp.MustCompile(`^(?:(\d{4})\s*-?\s*q([1-4])|q([1-4])\s*[- ]?\s*(\d{4}))$`)
	actSemester  = regexp.MustCompile(`^(?:(\d{4})\s*-?\s*[sh]([12])|[sh]([12])\s*[- ]?\s*(\d{4}))$`)
	actYear      = regexp.MustCompile(`^(\d{4})$`)
)

// actParseDate reads a day, month, quarter, semester or year as written in
// a matrix; day/month order in numeric dates is day first (28/06/2022).
func actParseDate(s string) (Period, bool) {
	s = strings.ToLower(strings.TrimSpace(actSpaces.ReplaceAllString(s, " ")))
	s = strings.TrimSpace(strings.TrimPrefix(s, "the "))
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	day := func(y, m, d int) (Period, bool) {
		if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
			return Period{}, false
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d {
			return Period{}, false
		}
		return Day(t), true
	}
	month := func(y, m int) (Period, bool) {
		if y < 1900 || y > 2200 || m < 1 || m > 12 {
			return Period{}, false
		}
		return Month(y, time.Month(m)), true
	}
	if m := actISODay.FindStringSubmatch(s); m != nil {
		return day(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}
	if m := actDMY.FindStringSubmatch(s); m != nil {
		return day(atoi(m[3]), atoi(m[2]), atoi(m[1]))
	}
	if m := actISOMonth.FindStringSubmatch(s); m != nil {
		return month(atoi(m[1]), atoi(m[2]))
	}
	if m := actMY.FindStringSubmatch(s); m != nil {
		return month(atoi(m[2]), atoi(m[1]))
	}
	if m := actDayName.FindStringSubmatch(s); m != nil {
		if mo, ok := actMonthName(m[2]); ok {
			return day(atoi(m[3]), int(mo), atoi(m[1]))
		}
		return Period{}, false
	}
	if m := actNameDay.FindStringSubmatch(s); m != nil {
		if mo, ok := actMonthName(m[1]); ok {
			return day(atoi(m[3]), int(mo), atoi(m[2]))
		}
		return Period{}, false
	}
	if m := actNameMonth.FindStringSubmatch(s); m != nil {
		if mo, ok := actMonthName(m[1]); ok {
			return month(atoi(m[2]), int(mo))
		}
		return Period{}, false
	}
	if m := actQuarter.FindStringSubmatch(s); m != nil {
		if m[1] != "" {
			return Quarter(atoi(m[1]), atoi(m[2])), true
		}
		return Quarter(atoi(m[4]), atoi(m[3])), true
	}
	if m := actSemester.FindStringSubmatch(s); m != nil {
		if m[1] != "" {
			return Semester(atoi(m[1]), atoi(m[2])), true
		}
		return Semester(atoi(m[4]), atoi(m[3])), true
	}
	if m := actYear.FindStringSubmatch(s); m != nil {
		if y := atoi(m[1]); y >= 1900 && y <= 2200 {
			return Year(y), true
		}
	}
	return Period{}, false
}

// ParseActionDate reads the date of a log entry or an update: a day
// (2022-06-15, 15 June 2022, 15/06/2022), a month (2022-06, June 2022,
// 06/2022), a quarter, a semester or a year.
func ParseActionDate(s string) (Period, error) {
	if p, ok := actParseDate(s); ok {
		return p, nil
	}
	return Period{}, fmt.Errorf("%w: date %q, expected a day (2022-06-15, 15 June 2022) or a month (2022-06, June 2022)", ErrInvalid, s)
}

const (
	// DeadlineNone: no deadline given.
	DeadlineNone DeadlineKind = ""
	// DeadlineDate: due by the last day of a day, month, quarter, semester
	// or year ("2022-06-28", "May 2022", "by 2022Q3").
	DeadlineDate DeadlineKind = "date"
	// DeadlineProjectEnd: due by the end of the project ("before end of
	// project period"); the date is the project's end in the framework.
	DeadlineProjectEnd DeadlineKind = "project end"
	// DeadlineRecurring: done again and again ("every reporting period");
	// it has no due date and is never overdue.
	DeadlineRecurring DeadlineKind = "recurring"
	// DeadlineEvent: due before or at an event that has no date ("before
	// the selection"); never overdue, since the event's date is unknown.
	DeadlineEvent DeadlineKind = "event"
	// DeadlineWindow: done within From..By ("2022-03..2022-09"), or from a
	// start with no end ("from 2022-04"): due by the last day of By, or
	// never overdue when By is zero.
	DeadlineWindow DeadlineKind = "window"
)
