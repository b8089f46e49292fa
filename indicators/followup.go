package indicators

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

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
