package exporters

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

func fuFixture(t *testing.T) *indicators.FollowUp {
	t.Helper()
	dl := func(s string) indicators.Deadline {
		d, err := indicators.ParseDeadline(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	act := func(n, text, deadline, resp, comments string, st indicators.ActionStatus, links ...string) indicators.KeyAction {
		a := indicators.KeyAction{Number: n, Text: text, Deadline: dl(deadline), Responsible: resp, Status: st, Links: links,
			Log: indicators.SplitComments(comments)}
		a.AddMatrixStatus(time.Date(2021, 12, 10, 0, 0, 0, 0, time.UTC))
		return a
	}
	ev := indicators.Evaluation{Title: "Mid-term review", Date: time.Date(2021, 12, 10, 0, 0, 0, 0, time.UTC),
		Recommendations: []indicators.Recommendation{
			{Number: "1", Text: "Write a fuller roadmap for migration data and policy mainstreaming, owned by national and local stakeholders.",
				AddressedTo: "Project management", Priority: 1, Response: indicators.Accepted, Actions: []indicators.KeyAction{
					act("1.1", "Revise activity 2.2.3 into a roadmap.", "before end of project period", "PMU",
						"15 June 2022: revised plan to the steering committee", indicators.Ongoing, "2.2", "A2.2.3"),
				}},
			{Number: "6", Text: "Move funds to NGO capacity | more projects.", Priority: 1, Response: indicators.PartiallyAccepted,
				Reason: "Only part of the *reserve* can move.", Actions: []indicators.KeyAction{
					act("6.1", "Revise the budget of outputs 3.3.2 and 3.3.6.", "May 2022", "PMU; donor office",
						"2022-04-20: revision drafted and sent to the donor", indicators.Ongoing, "A3.3.2", "2.2"),
					act("6.2", "Select four more NGOs.", "2022-03..2022-09", "Selection committee", "2022-05-25: four NGOs selected", indicators.Completed, "3.3"),
					act("6.3", "Hold a forum.", "2022-06-28", "Ministry", "", indicators.NotStarted),
				}},
			{Number: "13", Text: "Close the project early.", Priority: 3, Response: indicators.Rejected, Reason: "Not justified."},
		}}
	fu := indicators.BuildFollowUp([]indicators.Evaluation{ev}, time.Date(2022, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(2023, 8, 31, 0, 0, 0, 0, time.UTC))
	return &fu
}

func TestFollowUpGolden(t *testing.T) {
	fu := fuFixture(t)
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer, *indicators.FollowUp) error
	}{
		{"followup.txt", func(b *bytes.Buffer, fu *indicators.FollowUp) error { return writeFollowUpText(b, fu) }},
		{"followup.md", func(b *bytes.Buffer, fu *indicators.FollowUp) error { return writeFollowUpMarkdown(b, fu) }},
		{"followup.html", func(b *bytes.Buffer, fu *indicators.FollowUp) error { return writeFollowUpHTML(b, fu) }},
	} {
		var buf bytes.Buffer
		if err := tc.write(&buf, fu); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.name, buf.Bytes())
		var empty bytes.Buffer
		if err := tc.write(&empty, nil); err != nil || empty.Len() != 0 {
			t.Errorf("%s: nil follow-up wrote %q, %v", tc.name, empty.String(), err)
		}
	}
}

func TestFollowUpContent(t *testing.T) {
	fu := fuFixture(t)
	var txt, md bytes.Buffer
	if err := writeFollowUpText(&txt, fu); err != nil {
		t.Fatal(err)
	}
	if err := writeFollowUpMarkdown(&md, fu); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"FOLLOW-UP OF RECOMMENDATIONS (as of 2022-06-30)", "3 recommendations (1 accepted, 1 partially accepted, 1 rejected)", "1 completed; 2 overdue.",
		"Overdue actions", "6.1", "30 days overdue", "last: 2022-04-20: revision drafted", "Actions by linked result", "2.2      1.1, 6.1"} {
		if !strings.Contains(txt.String(), want) {
			t.Errorf("text section lacks %q:\n%s", want, txt.String())
		}
	}
	for _, want := range []string{"## Follow-up of recommendations", "| **overdue** | **2** |", `Move funds to NGO capacity \| more projects.`,
		`Only part of the \*reserve\* can move.`, "| 6.1 | Revise the budget", "**overdue** (30 days)", "### Key actions by linked result"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown section lacks %q:\n%s", want, md.String())
		}
	}
	for _, line := range strings.Split(txt.String(), "\n") {
		if n := len([]rune(line)); n > fuWidth {
			t.Errorf("text line of %d runes: %q", n, line)
		}
	}
	// The JSON report has the recommendations as an array and the rest of
	// the follow-up under "follow_up".
	b, err := json.Marshal(indicators.Report{Recommendations: fu.Recommendations, FollowUp: fu})
	if err != nil || !strings.Contains(string(b), `"recommendations":[{"evaluation":`) || !strings.Contains(string(b), `"follow_up":{"as_of":"2022-06-30"`) {
		t.Errorf("JSON: %.200s, %v", b, err)
	}
}
