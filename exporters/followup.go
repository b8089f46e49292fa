package exporters

// The "Follow-up of recommendations" section of the reports: where the key
// actions of the management response stand at the report's date (counts by
// status, the overdue actions, each recommendation with its actions, and
// the actions linked to each result). The report writers call these when
// Report.FollowUp is not nil; the JSON report is the FollowUp struct itself.

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/rmf-project/rmf/indicators"
)

// fuWidth is the line width of the text section.
const fuWidth = 100

// fuStatusCounts lists the non-zero action counts in the order of
// indicators.ActionStatuses: "2 not started, 12 ongoing, 4 completed".
func fuStatusCounts(c map[indicators.ActionStatus]int) string {
	if parts := countParts(c, indicators.ActionStatuses, true); len(parts) > 0 {
		return strings.Join(parts, ", ")
	}
	return "none"
}

// fuResponseCounts lists the recommendations by response: "11 accepted, 1 rejected".
func fuResponseCounts(c map[indicators.Response]int) string {
	return strings.Join(countParts(c, indicators.Responses, false), ", ")
}

// fuEvaluations names the evaluations: "Mid-term review (2021-12-10)".
func fuEvaluations(fu *indicators.FollowUp) []string {
	var out []string
	for _, e := range fu.Evaluations {
		s := e.Title
		if e.Date != "" {
			s += " (" + e.Date + ")"
		}
		out = append(out, s)
	}
	return out
}

// fuSummary is the one-line summary of the follow-up.
func fuSummary(fu *indicators.FollowUp) string {
	recs := len(fu.Recommendations)
	s := fmt.Sprintf("%d recommendation%s", recs, fuPlural(recs))
	if rc := fuResponseCounts(fu.ResponseCounts); rc != "" {
		s += " (" + rc + ")"
	}
	s += fmt.Sprintf(", %d key action%s: %s; %d overdue", fu.Actions, fuPlural(fu.Actions), fuStatusCounts(fu.StatusCounts), fu.OverdueCount)
	return s
}

// FollowUpSummary is the one-line summary of fu ("12 recommendations (12
// accepted), 18 key actions: 2 not started, 12 ongoing, 4 completed; 1
// overdue"), for the command line.
func FollowUpSummary(fu *indicators.FollowUp) string { return fuSummary(fu) }

func fuPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// fuDue describes an action's deadline: "2022-05, by 2022-05-31, 30 days
// overdue", "project end, by 2023-08-31", "every reporting period".
func fuDue(a indicators.FollowUpAction) string {
	s := a.Deadline
	switch {
	case s == "":
		s = "no deadline"
	case a.Due != "" && a.Due != a.Deadline:
		s += ", by " + a.Due
	}
	if a.Overdue {
		s += fmt.Sprintf(", %d day%s overdue", a.DaysOverdue, fuPlural(a.DaysOverdue))
	}
	return s
}

// fuLast is an action's latest comment on one line: "2022-04-20: text".
func fuLast(a indicators.FollowUpAction) string {
	if a.LastComment == nil {
		return ""
	}
	t := strings.Join(strings.Fields(a.LastComment.Text), " ")
	if a.LastComment.Date != "" {
		return a.LastComment.Date + ": " + t
	}
	return t
}

// fuWrap writes text wrapped at fuWidth, the first line after first and the
// others indented by indent spaces.
func fuWrap(w *bufio.Writer, first string, indent int, text string) {
	room := max(fuWidth-indent, 30)
	line, n := first, utf8.RuneCountInString(first)-indent
	for _, word := range strings.Fields(text) {
		k := utf8.RuneCountInString(word)
		if n > 0 && n+1+k > room {
			fmt.Fprintln(w, strings.TrimRight(line, " "))
			line, n = strings.Repeat(" ", indent), 0
		}
		if n > 0 && !strings.HasSuffix(line, " ") {
			line += " "
			n++
		}
		line += word
		n += k
	}
	fmt.Fprintln(w, strings.TrimRight(line, " "))
}

// writeFollowUpText writes the follow-up section of the text report.
func writeFollowUpText(w io.Writer, fu *indicators.FollowUp) error {
	if fu == nil {
		return nil
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "\nFOLLOW-UP OF RECOMMENDATIONS (as of %s)\n", fu.AsOf)
	for _, e := range fuEvaluations(fu) {
		fuWrap(bw, "  ", 2, e)
	}
	fuWrap(bw, "  ", 2, fuSummary(fu)+".")
	if len(fu.Overdue) > 0 {
		fmt.Fprintln(bw, "\n  Overdue actions")
		for _, a := range fu.Overdue {
			fuWrap(bw, fmt.Sprintf("    %-6s ", a.Number), 11, a.Text)
			fuWrap(bw, strings.Repeat(" ", 11), 11, fmt.Sprintf("%s; %s; %s", fuDue(a), a.Status, fuOr(a.Responsible, "no responsible unit")))
			if l := fuLast(a); l != "" {
				fuWrap(bw, strings.Repeat(" ", 11)+"last: ", 11, l)
			}
		}
	}
	fmt.Fprintln(bw, "\n  Recommendations and key actions")
	for _, r := range fu.Recommendations {
		head := string(r.Response)
		if r.Priority > 0 {
			head = fmt.Sprintf("priority %d, %s", r.Priority, r.Response)
		}
		fuWrap(bw, fmt.Sprintf("    %-4s ", r.Number), 9, fmt.Sprintf("%s [%s]", r.Text, head))
		if r.Reason != "" {
			fuWrap(bw, strings.Repeat(" ", 9)+"reason: ", 9, r.Reason)
		}
		for _, a := range r.Actions {
			mark := " "
			if a.Overdue {
				mark = "!"
			}
			fuWrap(bw, fmt.Sprintf("       %s%-6s %-12s ", mark, a.Number, a.Status), 28, a.Text+" — "+fuDue(a))
		}
	}
	if len(fu.ByCode) > 0 {
		fmt.Fprintln(bw, "\n  Actions by linked result")
		for _, c := range fu.ByCode {
			s := strings.Join(c.Actions, ", ") + ": " + fuStatusCounts(c.StatusCounts)
			if c.Overdue > 0 {
				s += fmt.Sprintf("; %d overdue", c.Overdue)
			}
			fuWrap(bw, fmt.Sprintf("    %-8s ", c.Code), 13, s)
		}
	}
	return bw.Flush()
}

func fuOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// fuMD escapes text for a Markdown table cell or paragraph: pipes,
// asterisks, underscores, backslashes and brackets; line breaks become spaces.
func fuMD(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}

// writeFollowUpMarkdown writes the follow-up section of the Markdown report.
func writeFollowUpMarkdown(w io.Writer, fu *indicators.FollowUp) error {
	if fu == nil {
		return nil
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "\n## Follow-up of recommendations\n\n")
	evs := fuEvaluations(fu)
	for i, e := range evs {
		evs[i] = "*" + fuMD(e) + "*"
	}
	fmt.Fprintf(bw, "As of %s. %s: %s.\n\n", fu.AsOf, strings.Join(evs, "; "), fuMD(fuSummary(fu)))
	fmt.Fprintf(bw, "| Status | Key actions |\n|---|---:|\n")
	for _, s := range indicators.ActionStatuses {
		fmt.Fprintf(bw, "| %s | %d |\n", s, fu.StatusCounts[s])
	}
	fmt.Fprintf(bw, "| **overdue** | **%d** |\n", fu.OverdueCount)
	if len(fu.Overdue) > 0 {
		fmt.Fprintf(bw, "\n### Overdue actions\n\n| Action | Key action | Due | Days overdue | Status | Responsible | Latest comment |\n|---|---|---|---:|---|---|---|\n")
		for _, a := range fu.Overdue {
			fmt.Fprintf(bw, "| %s | %s | %s | %d | %s | %s | %s |\n", fuMD(a.Number), fuMD(a.Text), fuMD(fuOr(a.Due, a.Deadline)),
				a.DaysOverdue, a.Status, fuMD(a.Responsible), fuMD(fuLast(a)))
		}
	}
	fmt.Fprintf(bw, "\n### Recommendations and key actions\n")
	for _, r := range fu.Recommendations {
		meta := []string{string(r.Response)}
		if r.Priority > 0 {
			meta = append([]string{fmt.Sprintf("priority %d", r.Priority)}, meta...)
		}
		if r.AddressedTo != "" {
			meta = append(meta, "addressed to "+fuMD(r.AddressedTo))
		}
		fmt.Fprintf(bw, "\n**%s. %s** (%s)", fuMD(r.Number), fuMD(r.Text), strings.Join(meta, "; "))
		if r.Reason != "" {
			fmt.Fprintf(bw, " Reason: %s", fuMD(r.Reason))
		}
		fmt.Fprintln(bw)
		if len(r.Actions) == 0 {
			fmt.Fprintf(bw, "\nNo key action.\n")
			continue
		}
		fmt.Fprintf(bw, "\n| Action | Key action | Deadline | Responsible | Status | Linked to | Latest comment |\n|---|---|---|---|---|---|---|\n")
		for _, a := range r.Actions {
			st := string(a.Status)
			if a.Overdue {
				st += fmt.Sprintf(", **overdue** (%d days)", a.DaysOverdue)
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s | %s |\n", fuMD(a.Number), fuMD(a.Text), fuMD(fuOr(a.Deadline, "–")),
				fuMD(a.Responsible), st, fuMD(strings.Join(a.Links, ", ")), fuMD(fuLast(a)))
		}
	}
	if len(fu.ByCode) > 0 {
		fmt.Fprintf(bw, "\n### Key actions by linked result\n\n| Result | Key actions | Status | Overdue |\n|---|---|---|---:|\n")
		for _, c := range fu.ByCode {
			fmt.Fprintf(bw, "| %s | %s | %s | %d |\n", fuMD(c.Code), fuMD(strings.Join(c.Actions, ", ")), fuStatusCounts(c.StatusCounts), c.Overdue)
		}
	}
	return bw.Flush()
}

// writeFollowUpHTML writes the follow-up section as an HTML fragment (a
// <section> with tables), for an HTML report.
func writeFollowUpHTML(w io.Writer, fu *indicators.FollowUp) error {
	if fu == nil {
		return nil
	}
	e := html.EscapeString
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "<section class=\"follow-up\">\n<h2>Follow-up of recommendations</h2>\n<p>As of %s. %s: %s.</p>\n",
		e(fu.AsOf), e(strings.Join(fuEvaluations(fu), "; ")), e(fuSummary(fu)))
	if len(fu.Overdue) > 0 {
		fmt.Fprintf(bw, "<h3>Overdue actions</h3>\n<table>\n<tr><th>Action</th><th>Key action</th><th>Due</th><th>Days overdue</th><th>Status</th><th>Responsible</th><th>Latest comment</th></tr>\n")
		for _, a := range fu.Overdue {
			fmt.Fprintf(bw, "<tr class=\"overdue\"><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
				e(a.Number), e(a.Text), e(fuOr(a.Due, a.Deadline)), a.DaysOverdue, e(string(a.Status)), e(a.Responsible), e(fuLast(a)))
		}
		fmt.Fprintf(bw, "</table>\n")
	}
	fmt.Fprintf(bw, "<h3>Recommendations and key actions</h3>\n<table>\n<tr><th>No.</th><th>Recommendation</th><th>Priority</th><th>Response</th><th>Action</th><th>Key action</th><th>Deadline</th><th>Responsible</th><th>Status</th><th>Linked to</th></tr>\n")
	for _, r := range fu.Recommendations {
		n := max(len(r.Actions), 1)
		rec := fmt.Sprintf("<td rowspan=\"%d\">%s</td><td rowspan=\"%d\">%s</td><td rowspan=\"%d\">%s</td><td rowspan=\"%d\">%s</td>",
			n, e(r.Number), n, e(r.Text), n, fuPriority(r.Priority), n, e(string(r.Response)))
		if len(r.Actions) == 0 {
			fmt.Fprintf(bw, "<tr>%s<td colspan=\"6\">no key action</td></tr>\n", rec)
			continue
		}
		for i, a := range r.Actions {
			cls := ""
			if a.Overdue {
				cls = " class=\"overdue\""
			}
			if i > 0 {
				rec = ""
			}
			fmt.Fprintf(bw, "<tr%s>%s<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", cls, rec,
				e(a.Number), e(a.Text), e(fuDue(a)), e(a.Responsible), e(string(a.Status)), e(strings.Join(a.Links, ", ")))
		}
	}
	fmt.Fprintf(bw, "</table>\n</section>\n")
	return bw.Flush()
}

func fuPriority(p int) string {
	if p == 0 {
		return ""
	}
	return fmt.Sprint(p)
}
