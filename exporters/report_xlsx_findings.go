package exporters

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// findings writes the Findings sheet: the data-quality findings, then the
// indicators' warnings that are not findings. A large project has
// hundreds of thousands (a missing report per indicator, period and
// district): what to list is worked out once (dwFindingsOf), then the rows
// are made twice, first to count them (the autofilter's range) and keep
// the first b.widthSample for the column widths, then again as they are
// written, never all held.
func (b *dwBook) findings(r *indicators.Report) error {
	s := &dwSheet{name: dwFindings, freeze: "A2", titles: "$1:$1", wide: true, maxW: map[int]float64{6: 100}, noWidth: map[int]bool{}}
	plan := dwFindingsOf(r)
	n := 0
	b.findingsRows(r, plan, func(row []excelize.Cell, group bool) {
		n++
		if group {
			s.merge(n, 1, n, len(row))
		}
		if n <= b.widthSample+1 { // the header and the sample
			if group {
				s.skipWidth()
			}
			s.add(row)
		}
	})
	s.widths = map[int]float64{5: 40}
	s.filter = fmt.Sprintf("A1:F%d", n)
	if b.err != nil {
		return b.err
	}
	st, err := b.begin(s)
	if err != nil {
		return err
	}
	s.rows = nil
	b.findingsRows(r, plan, func(row []excelize.Cell, _ bool) {
		if err == nil {
			err = st.row(row, excelize.RowOpts{})
		}
	})
	if err != nil {
		return err
	}
	return st.end()
}

// dwFindingsList is what the Findings sheet lists: the missing reports by
// who owes them (resps in order), the text of their findings, the other
// findings (those not listed as missing reports) and the indicators'
// warnings that are not findings.
type dwFindingsList struct {
	names  map[string]string
	listed map[string]bool // code and period of each missing report
	msg    map[string]string
	resps  []string
	byResp map[string][]indicators.MissingReport
	warns  []dwWarning
}

// dwWarning is an indicator's warning that is not a finding.
type dwWarning struct {
	ind *indicators.ReportIndicator
	w   string
}

func dwFindingsOf(r *indicators.Report) *dwFindingsList {
	l := &dwFindingsList{names: map[string]string{}, listed: map[string]bool{}, msg: map[string]string{}, byResp: map[string][]indicators.MissingReport{}}
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			l.names[ind.Code] = ind.Name
		}
	}
	// Missing reports first, grouped by who owes them (SPEC 5, "What is
	// due"); each is also a finding of kind missing, listed there only.
	for _, m := range r.Missing {
		l.listed[m.Indicator+"\x00"+m.Period] = true
	}
	said := map[string]bool{}
	for _, f := range r.Findings {
		if f.Kind == "missing" && l.listed[f.Code+"\x00"+f.Period] {
			l.msg[f.Code+"\x00"+f.Period] = f.Message
			continue
		}
		said[f.Code+"\x00"+strings.Join(strings.Fields(f.Message), " ")] = true
	}
	for _, m := range r.Missing {
		if _, ok := l.byResp[m.Responsible]; !ok {
			l.resps = append(l.resps, m.Responsible)
		}
		l.byResp[m.Responsible] = append(l.byResp[m.Responsible], m)
	}
	sort.SliceStable(l.resps, func(i, j int) bool {
		if (l.resps[i] == indicators.NoOneNamed) != (l.resps[j] == indicators.NoOneNamed) {
			return l.resps[j] == indicators.NoOneNamed
		}
		return strings.ToLower(l.resps[i]) < strings.ToLower(l.resps[j])
	})
	for i := range r.Results {
		for j := range r.Results[i].Indicators {
			ind := &r.Results[i].Indicators[j]
			for _, w := range ind.Warnings {
				if !said[ind.Code+"\x00"+strings.Join(strings.Fields(w), " ")] {
					l.warns = append(l.warns, dwWarning{ind, w})
				}
			}
		}
	}
	return l
}

// findingsRows makes the Findings sheet's rows in order, calling emit
// with each (group: a heading merged across the sheet, left out of the
// column widths).
func (b *dwBook) findingsRows(r *indicators.Report, l *dwFindingsList, emit func(row []excelize.Cell, group bool)) {
	cols := []string{"Code", "Severity", "Kind", "Period", "Indicator", "Finding"}
	head := make([]excelize.Cell, len(cols))
	for j, h := range cols {
		head[j] = b.text(h, dwHeader)
	}
	emit(head, false)
	n := 1
	add := func(row []excelize.Cell) {
		n++
		emit(row, false)
	}
	sev := map[indicators.Severity]string{indicators.SevError: "F4B6B6", indicators.SevWarning: "FFD966"}
	group := func(text string) {
		row := make([]excelize.Cell, len(cols))
		st := dwStyle{Bold: true, Fill: dwLevelFill[indicators.Outcome], Border: true}
		for j := range row {
			row[j] = b.text("", st)
		}
		row[0] = b.text(text, st)
		n++
		emit(row, true)
	}
	for _, resp := range l.resps {
		ms := l.byResp[resp]
		group(fmt.Sprintf("Missing reports: %s (%s)", resp, dwCount(len(ms), "figure", "figures")))
		for _, m := range ms {
			text := l.msg[m.Indicator+"\x00"+m.Period]
			if text == "" {
				text = "no figure for " + m.Period
			}
			name := m.Name
			if name == "" {
				name = l.names[m.Indicator]
			}
			add([]excelize.Cell{b.text(m.Indicator, dwPlain), b.text(string(indicators.SevWarning), dwStyle{Border: true, VAlign: "top", Fill: sev[indicators.SevWarning]}),
				b.text("missing", dwPlain), b.text(m.Period, dwPlain), b.text(name, dwWrap), b.text(text, dwWrap)})
		}
	}
	others := false
	for _, f := range r.Findings {
		if f.Kind == "missing" && l.listed[f.Code+"\x00"+f.Period] {
			continue // listed above
		}
		if !others && len(l.resps) > 0 {
			group("Other findings")
		}
		others = true
		add([]excelize.Cell{b.text(f.Code, dwPlain), b.text(string(f.Severity), dwStyle{Border: true, VAlign: "top", Fill: sev[f.Severity]}),
			b.text(f.Kind, dwPlain), b.text(f.Period, dwPlain), b.text(l.names[f.Code], dwWrap), b.text(f.Message, dwWrap)})
	}
	for _, x := range l.warns {
		if !others && len(l.resps) > 0 {
			group("Other findings")
		}
		others = true
		add([]excelize.Cell{b.text(x.ind.Code, dwPlain), b.text(string(indicators.SevWarning), dwStyle{Border: true, VAlign: "top", Fill: sev[indicators.SevWarning]}),
			b.text("warning", dwPlain), b.text(r.Period.Code, dwPlain), b.text(x.ind.Name, dwWrap), b.text(x.w, dwWrap)})
	}
	if n == 1 {
		add([]excelize.Cell{b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain),
			b.text("No findings: every figure is verified and every check holds.", dwWrap)})
	}
}

// dwCount is "1 figure", "3 figures".
func dwCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// dwRecCols are the columns of the management response matrix (the
// headings the actions importer reads).
var dwRecCols = []string{"Rec. no.", "Recommendation", "Addressed to", "Priority", "Response", "Reason", "Action no.", "Key action",
	"Deadline", "Responsible", "Comments", "Status", "Linked to"}

// recommendations is the Recommendations sheet, laid out like the
// management response matrix: a block per recommendation whose cells are
// merged over its key actions, one row per key action.
func (b *dwBook) recommendations(fu *indicators.FollowUp) *dwSheet {
	s := &dwSheet{name: dwRecommendations, freeze: "A3", titles: "$3:$3", wide: true,
		widths: map[int]float64{1: 9, 2: 50, 3: 18, 4: 9, 5: 14, 6: 30, 7: 9, 8: 50, 9: 22, 10: 20, 11: 40, 12: 13, 13: 16}}
	s.add([]excelize.Cell{b.text(fmt.Sprintf("Follow-up of recommendations as of %s: %s", fu.AsOf, fuSummary(fu)), dwTitle)})
	s.add(nil)
	head := make([]excelize.Cell, len(dwRecCols))
	for j, h := range dwRecCols {
		head[j] = b.text(h, dwHeader)
	}
	s.add(head)
	actionFill := map[indicators.ActionStatus]string{}
	for _, st := range indicators.ActionStatuses {
		switch {
		case strings.Contains(string(st), "complete"):
			actionFill[st] = dwStatusFill[indicators.StatusOnTrack]
		case strings.Contains(string(st), "not"):
			actionFill[st] = dwStatusFill[indicators.StatusNoData]
		}
	}
	evaluation := ""
	for _, rec := range fu.Recommendations {
		if rec.Evaluation != evaluation && len(fu.Evaluations) > 1 {
			evaluation = rec.Evaluation
			row := s.add([]excelize.Cell{b.text(rec.Evaluation, dwStyle{Bold: true, Fill: dwLevelFill[indicators.Outcome], Border: true})})
			s.merge(row, 1, row, len(dwRecCols))
		}
		n := max(len(rec.Actions), 1)
		first := len(s.rows) + 1
		for i := 0; i < n; i++ {
			recCells := []excelize.Cell{b.text(rec.Number, dwPlain), b.text(rec.Text, dwWrap), b.text(rec.AddressedTo, dwWrap)}
			if rec.Priority > 0 {
				recCells = append(recCells, excelize.Cell{StyleID: b.style(dwStyle{Border: true, VAlign: "top", HAlign: "center"}), Value: rec.Priority})
			} else {
				recCells = append(recCells, b.text("", dwPlain))
			}
			recCells = append(recCells, b.text(string(rec.Response), dwPlain), b.text(rec.Reason, dwWrap))
			if i > 0 { // merged below the first row: the cells keep only their style
				for j := range recCells {
					recCells[j].Value = nil
				}
			}
			if len(rec.Actions) == 0 {
				s.add(append(recCells, b.text("", dwPlain), b.text("no key action", dwStyle{Border: true, VAlign: "top", Italic: true}),
					b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain)))
				continue
			}
			a := rec.Actions[i]
			status := dwStyle{Border: true, VAlign: "top", Fill: actionFill[a.Status]}
			due := fuDue(a)
			if a.Overdue {
				status.Fill = dwStatusFill[indicators.StatusOffTrack]
			}
			s.add(append(recCells, b.text(a.Number, dwPlain), b.text(a.Text, dwWrap), b.text(due, dwWrap), b.text(a.Responsible, dwWrap),
				b.text(fuLast(a), dwWrap), b.text(string(a.Status), status), b.text(strings.Join(a.Links, ", "), dwWrap)))
		}
		if n > 1 {
			for c := 1; c <= 6; c++ {
				s.merge(first, c, first+n-1, c)
			}
		}
	}
	return s
}
