package indicators

// The follow-up of an evaluation: the management response matrix. For each
// recommendation of an evaluation, management gives a priority and a
// response, then key actions with a deadline, a responsible unit, a status
// and a dated log of monitoring comments.

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Response is management's answer to a recommendation.
type Response string

const (
	Accepted          Response = "accepted"
	PartiallyAccepted Response = "partially accepted"
	Rejected          Response = "rejected"
)

// Responses lists every response.
var Responses = []Response{Accepted, PartiallyAccepted, Rejected}

// ParseResponse reads a response as people write it.
func ParseResponse(s string) (Response, error) {
	switch norm(s) {
	case "accepted", "accept", "fullyaccepted", "agreed", "agree", "yes":
		return Accepted, nil
	case "partiallyaccepted", "partlyaccepted", "partially", "partly", "partial", "acceptedinpart", "partiallyagreed":
		return PartiallyAccepted, nil
	case "rejected", "reject", "notaccepted", "declined", "disagree", "no":
		return Rejected, nil
	}
	return "", fmt.Errorf("%w: response %q, expected accepted, partially accepted or rejected", ErrInvalid, s)
}

// ActionStatus is where a key action stands.
type ActionStatus string

const (
	NotStarted ActionStatus = "not started"
	Ongoing    ActionStatus = "ongoing"
	Completed  ActionStatus = "completed"
	Cancelled  ActionStatus = "cancelled"
)

// ActionStatuses lists every action status in the order of the work.
var ActionStatuses = []ActionStatus{NotStarted, Ongoing, Completed, Cancelled}

// ParseActionStatus reads an action status as people write it.
func ParseActionStatus(s string) (ActionStatus, error) {
	switch norm(s) {
	case "notstarted", "notyetstarted", "planned", "pending", "todo", "open":
		return NotStarted, nil
	case "ongoing", "inprogress", "started", "underway", "active", "progressing":
		return Ongoing, nil
	case "completed", "complete", "done", "finished", "implemented", "closed", "achieved":
		return Completed, nil
	case "cancelled", "canceled", "dropped", "abandoned", "withdrawn":
		return Cancelled, nil
	}
	return "", fmt.Errorf("%w: status %q, expected not started, ongoing, completed or cancelled", ErrInvalid, s)
}

// Closed is true for completed and cancelled actions: they are never overdue.
func (s ActionStatus) Closed() bool { return s == Completed || s == Cancelled }

// ParsePriority reads a priority: 1 (highest) to 3, also written high,
// medium, low or P1..P3. Empty gives 0 (not given).
func ParsePriority(s string) (int, error) {
	n := norm(s)
	switch n {
	case "":
		return 0, nil
	case "high":
		return 1, nil
	case "medium":
		return 2, nil
	case "low":
		return 3, nil
	}
	// The number as written (norm drops dots and minus signs).
	n = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "p")
	f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
	if err != nil || f != float64(int(f)) {
		return 0, fmt.Errorf("%w: priority %q, expected 1, 2 or 3", ErrInvalid, s)
	}
	if f < 1 || f > 3 {
		return 0, fmt.Errorf("%w: priority %v, expected 1, 2 or 3", ErrOutOfRange, f)
	}
	return int(f), nil
}

// ---------------------------------------------------------------------------
// Deadlines

// DeadlineKind says what a deadline is.
type DeadlineKind string

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

// ---------------------------------------------------------------------------
// Monitoring comments

// LogEntry is one dated line of an action's monitoring log: a comment, a
// status change, or both. Entries are only ever added.
type LogEntry struct {
	Date     Period       // when it happened (a day or a month); zero when the comment had no date
	Status   ActionStatus // the status from then on; "" for a plain comment
	Text     string
	Source   string    // the file it was imported from, or "rmf actions update"
	Recorded time.Time // when it was stored (zero before)
	Seq      int       // order of recording (ties between entries of the same date)
	Loc      Loc
}

var actCommentSep = regexp.MustCompile(`^\s*(?:\s*[:–—-]|\s*,|\s*\))\s*`)

// SplitComments splits a monitoring-comments cell into log entries. A line
// that begins with a date ("15 June 2022: ...", "2022-06-15 - ...",
// "06/2022: ...", "[2022-06] ...") starts a new entry; lines that do not
// continue the entry above; text before the first dated line is one entry
// with no date. Blank lines separate paragraphs and are dropped.
func SplitComments(cell string) []LogEntry {
	var out []LogEntry
	cell = strings.ReplaceAll(strings.ReplaceAll(cell, "\r\n", "\n"), "\r", "\n")
	for _, line := range strings.Split(cell, "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimLeft(line, "•*·–- \t")
		if line == "" {
			continue
		}
		if d, rest, ok := actDatePrefix(line); ok {
			out = append(out, LogEntry{Date: d, Text: rest})
			continue
		}
		if len(out) == 0 {
			out = append(out, LogEntry{Text: line})
			continue
		}
		last := &out[len(out)-1]
		if last.Text == "" {
			last.Text = line
		} else {
			last.Text += "\n" + line
		}
	}
	return out
}

// actDatePrefix finds a date at the start of line, followed by a separator
// (":", "-", "–", ",", ")") or, for a day or a month, by a space.
func actDatePrefix(line string) (Period, string, bool) {
	s := line
	bracket := ""
	if strings.HasPrefix(s, "(") {
		bracket = ")"
	} else if strings.HasPrefix(s, "[") {
		bracket = "]"
	}
	if bracket != "" {
		if i := strings.Index(s, bracket); i > 0 {
			if p, ok := actParseDate(s[1:i]); ok {
				return p, strings.TrimSpace(strings.TrimLeft(s[i+1:], ":–—-, ")), true
			}
		}
		return Period{}, "", false
	}
	// Try every cut point within the first words, longest date first.
	words := strings.Fields(s)
	limit := min(len(words), 4)
	for n := limit; n >= 1; n-- {
		head := strings.Join(words[:n], " ")
		// The separator may stick to the last word: "2022:" or "2022-06-15:".
		for _, suf := range []string{":", ",", " -", "-", "–", "—", ")"} {
			if h, ok := strings.CutSuffix(head, suf); ok {
				if p, ok := actParseDate(h); ok {
					return p, strings.TrimSpace(strings.Join(words[n:], " ")), true
				}
			}
		}
		p, ok := actParseDate(head)
		if !ok {
			continue
		}
		rest := strings.Join(words[n:], " ")
		if loc := actCommentSep.FindStringIndex(rest); loc != nil && loc[1] > 0 && rest != "" && !strings.HasPrefix(rest, "-") {
			return p, strings.TrimSpace(rest[loc[1]:]), true
		}
		if strings.HasPrefix(rest, "- ") || strings.HasPrefix(rest, "– ") || strings.HasPrefix(rest, "— ") || rest == "-" {
			return p, strings.TrimSpace(rest[strings.IndexByte(rest, ' ')+1:]), true
		}
		// No separator: only a day or a month counts ("2022-06-15 revised plan").
		if p.Kind == KindDay || p.Kind == KindMonth {
			return p, strings.TrimSpace(rest), true
		}
	}
	return Period{}, "", false
}

// ---------------------------------------------------------------------------
// The matrix

// Evaluation is an evaluation (or review) and management's response to it.
type Evaluation struct {
	Title           string
	Date            time.Time // zero when not given
	Recommendations []Recommendation
	Source          string // file it was last imported from
	Loc             Loc
}

// Recommendation is one recommendation and management's response.
type Recommendation struct {
	Number      string // as numbered in the evaluation: "1", "R2", "3a"
	Text        string
	AddressedTo string
	Priority    int // 1 (highest) to 3; 0 when not given
	Response    Response
	Reason      string // why it was not (fully) accepted
	Actions     []KeyAction
	Loc         Loc // cells: number, text, addressed_to, priority, response, reason
}

// KeyAction is what management will do about a recommendation.
type KeyAction struct {
	ID          int64  // store id; 0 before it is stored
	Number      string // "1.1", unique within the evaluation
	Text        string
	Deadline    Deadline
	Responsible string
	// Status as read from a matrix; for stored actions, the latest status in Log.
	Status ActionStatus
	Links  []string   // linked result, activity or indicator codes
	Log    []LogEntry // in order of date, then of recording
	Loc    Loc        // cells: number, text, deadline, responsible, status, comments, links
}

// StatusAt returns the status at the day of asOf: the status of the latest
// log entry that sets one and is dated on or before asOf (undated entries
// count as of their recording); not started when there is none.
func (a KeyAction) StatusAt(asOf time.Time) ActionStatus {
	day := actDay(asOf)
	st, found := NotStarted, false
	var best LogEntry
	for _, e := range a.Log {
		if e.Status == "" {
			continue
		}
		when := e.Date.Start
		if e.Date.IsZero() {
			when = actDay(e.Recorded)
		}
		if when.After(day) {
			continue
		}
		if !found || actLogLess(best, e) {
			best, st, found = e, e.Status, true
		}
	}
	return st
}

// AddMatrixStatus appends the status read from a matrix (a.Status) to the
// log as a status entry. A matrix gives no date for its status column, so
// the entry is dated from the comments: an ongoing action by its earliest
// dated comment (the first reported progress), a completed or cancelled one
// by its latest; an action not started, or with no dated comment, by
// evalDate (the date of the management response), else undated. It does
// nothing when a.Status is empty.
func (a *KeyAction) AddMatrixStatus(evalDate time.Time) {
	if a.Status == "" {
		return
	}
	var when Period
	if a.Status != NotStarted {
		for _, e := range a.Log {
			if e.Date.IsZero() || e.Status != "" {
				continue
			}
			if when.IsZero() || (a.Status == Ongoing && e.Date.Start.Before(when.Start)) ||
				(a.Status != Ongoing && e.Date.Start.After(when.Start)) {
				when = e.Date
			}
		}
	}
	if when.IsZero() && !evalDate.IsZero() {
		when = Day(evalDate)
	}
	a.Log = append(a.Log, LogEntry{Date: when, Status: a.Status, Loc: a.Loc, Seq: len(a.Log) + 1})
}

// actLogLess orders log entries by date (start, then end), then by the
// order they were recorded; undated entries sort by recording day.
func actLogLess(a, b LogEntry) bool {
	da, db := a.Date.Start, b.Date.Start
	if a.Date.IsZero() {
		da = actDay(a.Recorded)
	}
	if b.Date.IsZero() {
		db = actDay(b.Recorded)
	}
	if !da.Equal(db) {
		return da.Before(db)
	}
	return a.Seq < b.Seq
}

// SortLog orders a log by date, then by order of recording.
func SortLog(log []LogEntry) {
	sort.SliceStable(log, func(i, j int) bool { return actLogLess(log[i], log[j]) })
}

// Overdue is true when the action's deadline passed before the day of asOf
// and it was neither completed nor cancelled at asOf.
func (a KeyAction) Overdue(asOf, projectEnd time.Time) bool {
	return a.Deadline.Passed(asOf, projectEnd) && !a.StatusAt(asOf).Closed()
}

// ExpandCodes splits a cell of linked codes ("2.1.10..2.1.13; 3.2.5, 3.3.2")
// into codes; a range a..b whose ends differ only in a last numeric part
// stands for every code between them.
func ExpandCodes(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == ',' || r == '\n' || r == ' ' || r == '\t' || r == '/'
	}) {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		a, b, ok := strings.Cut(f, "..")
		if !ok {
			add(f)
			continue
		}
		pa, na, okA := actLastNumber(a)
		pb, nb, okB := actLastNumber(b)
		if !okA || !okB || pa != pb || nb < na || nb-na > 200 {
			return out, fmt.Errorf("%w: code range %q, expected two codes that differ in their last number, such as 2.1.10..2.1.13", ErrInvalid, f)
		}
		for n := na; n <= nb; n++ {
			add(pa + strconv.Itoa(n))
		}
	}
	return out, nil
}

func actLastNumber(c string) (string, int, bool) {
	i := len(c)
	for i > 0 && c[i-1] >= '0' && c[i-1] <= '9' {
		i--
	}
	if i == len(c) {
		return "", 0, false
	}
	n, err := strconv.Atoi(c[i:])
	return c[:i], n, err == nil
}

// CheckLinks reports every linked code of ev that is neither a result nor
// an indicator of f, at the cell it was read from.
func (ev *Evaluation) CheckLinks(f *Framework) Problems {
	known := map[string]bool{}
	for _, r := range f.Results {
		known[r.Code] = true
	}
	for _, ind := range f.Indicators {
		known[ind.Code] = true
	}
	var probs Problems
	for _, r := range ev.Recommendations {
		for _, a := range r.Actions {
			for _, c := range a.Links {
				if !known[c] {
					probs = append(probs, a.Loc.Errorf("links", ErrUnknownCode,
						"action %s links to %q, which is neither a result nor an indicator of the framework", a.Number, c))
				}
			}
		}
	}
	return probs
}

// ---------------------------------------------------------------------------
// Follow-up, for reports

// FollowUp is where the follow-up of the evaluations stands at a date: the
// domain side of the report's "recommendations" section.
type FollowUp struct {
	AsOf        string               `json:"as_of"`
	Evaluations []FollowUpEvaluation `json:"evaluations"`
	// Recommendations are in the JSON report's top-level recommendations
	// array (Report.Recommendations), not repeated here.
	Recommendations []FollowUpRecommendation `json:"-"`
	// ResponseCounts counts recommendations by response.
	ResponseCounts map[Response]int `json:"response_counts"`
	// StatusCounts counts key actions by status at AsOf.
	StatusCounts map[ActionStatus]int `json:"status_counts"`
	Actions      int                  `json:"actions"`
	OverdueCount int                  `json:"overdue_count"`
	// Overdue lists the overdue actions, longest overdue first.
	Overdue []FollowUpAction `json:"overdue"`
	// ByCode lists, per linked result code, the actions linked to it.
	ByCode []FollowUpCode `json:"by_code"`
}

// FollowUpEvaluation names an evaluation.
type FollowUpEvaluation struct {
	Title string `json:"title"`
	Date  string `json:"date,omitempty"`
}

// FollowUpRecommendation is one recommendation with its actions.
type FollowUpRecommendation struct {
	Evaluation  string           `json:"evaluation"`
	Number      string           `json:"number"`
	Text        string           `json:"text"`
	AddressedTo string           `json:"addressed_to,omitempty"`
	Priority    int              `json:"priority,omitempty"`
	Response    Response         `json:"response"`
	Reason      string           `json:"reason,omitempty"`
	Actions     []FollowUpAction `json:"actions"`
}

// FollowUpAction is one key action at AsOf.
type FollowUpAction struct {
	Evaluation     string       `json:"-"`
	Recommendation string       `json:"recommendation"`
	Number         string       `json:"number"`
	Text           string       `json:"text"`
	Deadline       string       `json:"deadline,omitempty"` // canonical text
	DeadlineKind   DeadlineKind `json:"deadline_kind,omitempty"`
	Due            string       `json:"due,omitempty"` // YYYY-MM-DD, when there is a due date
	Responsible    string       `json:"responsible,omitempty"`
	Status         ActionStatus `json:"status"`
	Overdue        bool         `json:"overdue"`
	DaysOverdue    int          `json:"days_overdue,omitempty"`
	Links          []string     `json:"links,omitempty"`
	LastComment    *FollowUpLog `json:"last_comment,omitempty"`
}

// FollowUpLog is a log entry as shown in reports.
type FollowUpLog struct {
	Date   string       `json:"date,omitempty"` // canonical period, "" when undated
	Status ActionStatus `json:"status,omitempty"`
	Text   string       `json:"text"`
}

// FollowUpCode lists the actions linked to one result code.
type FollowUpCode struct {
	Code         string               `json:"code"`
	Actions      []string             `json:"actions"` // action numbers
	StatusCounts map[ActionStatus]int `json:"status_counts"`
	Overdue      int                  `json:"overdue"`
}

// BuildFollowUp computes the follow-up of evs at the day of asOf; projectEnd
// resolves "project end" deadlines (zero: they have no due date). Log
// entries dated after asOf are ignored.
func BuildFollowUp(evs []Evaluation, asOf, projectEnd time.Time) FollowUp {
	day := actDay(asOf)
	fu := FollowUp{
		AsOf:            day.Format(time.DateOnly),
		Evaluations:     []FollowUpEvaluation{},
		Recommendations: []FollowUpRecommendation{},
		ResponseCounts:  map[Response]int{},
		StatusCounts:    map[ActionStatus]int{},
		Overdue:         []FollowUpAction{},
		ByCode:          []FollowUpCode{},
	}
	byCode := map[string]*FollowUpCode{}
	for _, ev := range evs {
		fe := FollowUpEvaluation{Title: ev.Title}
		if !ev.Date.IsZero() {
			fe.Date = ev.Date.Format(time.DateOnly)
		}
		fu.Evaluations = append(fu.Evaluations, fe)
		for _, r := range ev.Recommendations {
			fr := FollowUpRecommendation{Evaluation: ev.Title, Number: r.Number, Text: r.Text,
				AddressedTo: r.AddressedTo, Priority: r.Priority, Response: r.Response, Reason: r.Reason,
				Actions: []FollowUpAction{}}
			fu.ResponseCounts[r.Response]++
			for _, a := range r.Actions {
				fa := FollowActionAt(a, day, projectEnd)
				fa.Evaluation, fa.Recommendation = ev.Title, r.Number
				fr.Actions = append(fr.Actions, fa)
				fu.Actions++
				fu.StatusCounts[fa.Status]++
				if fa.Overdue {
					fu.OverdueCount++
					fu.Overdue = append(fu.Overdue, fa)
				}
				for _, c := range a.Links {
					fc := byCode[c]
					if fc == nil {
						fc = &FollowUpCode{Code: c, StatusCounts: map[ActionStatus]int{}}
						byCode[c] = fc
					}
					fc.Actions = append(fc.Actions, a.Number)
					fc.StatusCounts[fa.Status]++
					if fa.Overdue {
						fc.Overdue++
					}
				}
			}
			fu.Recommendations = append(fu.Recommendations, fr)
		}
	}
	sort.SliceStable(fu.Overdue, func(i, j int) bool { return fu.Overdue[i].DaysOverdue > fu.Overdue[j].DaysOverdue })
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return CompareCodes(codes[i], codes[j]) < 0 })
	for _, c := range codes {
		fu.ByCode = append(fu.ByCode, *byCode[c])
	}
	return fu
}

// FollowActionAt describes action a at the day of asOf.
func FollowActionAt(a KeyAction, asOf, projectEnd time.Time) FollowUpAction {
	day := actDay(asOf)
	fa := FollowUpAction{Number: a.Number, Text: a.Text, Deadline: a.Deadline.String(),
		DeadlineKind: a.Deadline.Kind, Responsible: a.Responsible, Status: a.StatusAt(day), Links: a.Links}
	if due, ok := a.Deadline.Due(projectEnd); ok {
		fa.Due = due.Format(time.DateOnly)
		if day.After(due) && !fa.Status.Closed() {
			fa.Overdue = true
			fa.DaysOverdue = int(day.Sub(due).Hours() / 24)
		}
	}
	var last *LogEntry
	for i := range a.Log {
		e := &a.Log[i]
		if e.Text == "" {
			continue
		}
		if !e.Date.IsZero() && e.Date.Start.After(day) {
			continue
		}
		if last == nil || !actLogLess(*e, *last) {
			last = e
		}
	}
	if last != nil {
		fa.LastComment = &FollowUpLog{Date: last.Date.String(), Status: last.Status, Text: last.Text}
	}
	return fa
}

// CompareCodes orders codes as people number them: "2.1.9" before
// "2.1.10", "O1" before "O2"; -1, 0 or +1.
func CompareCodes(a, b string) int {
	pa, pb := actCodeParts(a), actCodeParts(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, y := pa[i], pb[i]
		nx, ex := strconv.Atoi(x)
		ny, ey := strconv.Atoi(y)
		switch {
		case ex == nil && ey == nil:
			if nx != ny {
				if nx < ny {
					return -1
				}
				return 1
			}
		case x != y:
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(pa) < len(pb):
		return -1
	case len(pa) > len(pb):
		return 1
	}
	return strings.Compare(a, b)
}

// actCodeParts splits a code into runs of digits and of other characters.
func actCodeParts(c string) []string {
	var parts []string
	start := 0
	for i := 1; i <= len(c); i++ {
		if i == len(c) || (c[i] >= '0' && c[i] <= '9') != (c[i-1] >= '0' && c[i-1] <= '9') {
			parts = append(parts, c[start:i])
			start = i
		}
	}
	return parts
}
