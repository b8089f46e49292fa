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
