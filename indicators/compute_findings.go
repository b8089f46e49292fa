package indicators

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// message is the text of the mismatch, for its finding and its warning.
func (m mismatch) message() string {
	what := "total"
	if m.key != "" {
		what = m.key
	}
	return fmt.Sprintf("%s: the %s given (%s) does not match the sum of its breakdown (%s); the %s given is used",
		m.ptext, what, formatNumber(m.total), formatNumber(m.sum), what)
}

// figuresOf calls fn for what the report keeps of every figure behind t
// (for computed indicators, the figures of their inputs), with the series
// that holds it.
func (b *rbuilder) figuresOf(t *rtrack, seen map[string]bool, fn func(*series, *figRec)) {
	if t == nil || seen[t.ind.Code] {
		return
	}
	seen[t.ind.Code] = true
	switch {
	case t.s != nil:
		for i := range t.s.recs {
			fn(t.s, &t.s.recs[i])
		}
	case t.ratio:
		b.figuresOf(t.num, seen, fn)
		b.figuresOf(t.den, seen, fn)
	case t.f != nil:
		for _, r := range t.refs {
			b.figuresOf(r, seen, fn)
		}
	}
}

// sources fills Sources and Verified from the figures behind t.
func (b *rbuilder) sources(t *rtrack, ri *ReportIndicator) {
	type fs = figLoc
	rows := map[fs][]int{}
	counts := map[fs]int{}
	var keys []fs
	var n, yes, no, unv int
	var last fs
	var lastRows []int
	lastN := 0
	flush := func() {
		if lastN > 0 {
			counts[last] += lastN
			rows[last] = lastRows
		}
	}
	b.figuresOf(t, map[string]bool{}, func(s *series, m *figRec) {
		k := s.locs[m.loc]
		if lastN == 0 || k != last {
			flush()
			if _, ok := counts[k]; !ok {
				keys = append(keys, k)
			}
			last, lastRows, lastN = k, rows[k], 0
		}
		lastN++
		if row := s.rowOf(m); row > 0 {
			lastRows = append(lastRows, row)
		}
		n++
		switch verOfRec(m) {
		case VerifiedYes:
			yes++
		case VerifiedNo:
			no++
		case Unverifiable:
			unv++
		}
	})
	flush()
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].file != keys[j].file {
			return keys[i].file < keys[j].file
		}
		return keys[i].sheet < keys[j].sheet
	})
	for _, k := range keys {
		rs := rows[k]
		sort.Ints(rs)
		u := rs[:0]
		for i, r := range rs {
			if i == 0 || r != rs[i-1] {
				u = append(u, r)
			}
		}
		ri.Sources = append(ri.Sources, Source{File: baseName(k.file), Sheet: k.sheet, Rows: u, Figures: counts[k]})
	}
	switch {
	case n == 0 || yes+no+unv == 0:
		ri.Verified = ""
	case yes == n:
		ri.Verified = string(VerifiedYes)
	case yes > 0:
		ri.Verified = "partly"
	case unv == n:
		ri.Verified = string(Unverifiable)
	case no > 0:
		ri.Verified = string(VerifiedNo)
	default:
		ri.Verified = string(Unverifiable)
	}
}

// dataFindings lists the mismatches, unverified figures and formula
// failures of t.
func (b *rbuilder) dataFindings(t *rtrack) {
	code := t.ind.Code
	if t.s != nil {
		for _, m := range t.s.mism {
			b.findings = append(b.findings, Finding{Code: code, Severity: SevWarning, Kind: "mismatch", Period: m.period,
				Message: m.text})
		}
		b.unverifiedFindings(t)
		return
	}
	// computed: the total in the slots of P
	var first string
	var nfail int
	for j := b.pLo; j < b.pHi; j++ {
		a := t.val(j, "")
		if a.ok || a.reason == reasonNoFigures || !b.problemReason(t, j, a.reason) {
			continue
		}
		if nfail == 0 {
			first = fmt.Sprintf("%s: no data: %s", b.slots[j], a.reason)
		}
		nfail++
	}
	if nfail > 0 {
		if nfail > 1 {
			first += fmt.Sprintf(" (and %d more periods)", nfail-1)
		}
		b.findings = append(b.findings, Finding{Code: code, Severity: SevWarning, Kind: "formula", Period: b.p.String(), Message: first})
	}
}

// unverifiedFindings lists the figures of t (imported) marked not
// verified or unverifiable, by period, and how much of the actual rests
// on them.
func (b *rbuilder) unverifiedFindings(t *rtrack) {
	code := t.ind.Code
	type pk struct {
		p Period
		v Verified
	}
	var order []pk
	s := t.s
	where := map[pk][]figRec{}
	for _, m := range s.recs {
		v := verOfRec(&m)
		if v != VerifiedNo && v != Unverifiable {
			continue
		}
		k := pk{s.fper[m.period], v}
		if _, ok := where[k]; !ok {
			order = append(order, k)
		}
		where[k] = append(where[k], m)
	}
	if len(order) == 0 {
		return // every figure verified (or not said): no finding, and no totals to count
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].p.Compare(order[j].p) < 0 })
	// the amount behind the findings, when every figure of a period is
	// unverified: that period's total, counted in a sum indicator's actual
	// (the evaluators' "10,753 migrants served could not be verified")
	nfig, nunv := map[Period]int{}, map[Period]int{}
	for _, m := range s.recs {
		p := s.fper[m.period]
		nfig[p]++
		if v := verOfRec(&m); v == VerifiedNo || v == Unverifiable {
			nunv[p]++
		}
	}
	sums := t.s.u.add && t.agg == Sum
	row := -1
	if r, ok := t.s.kidx[""]; ok {
		row = r
	}
	periodTotal := func(p Period) (float64, bool) {
		if !sums || row < 0 || nunv[p] != nfig[p] {
			return 0, false
		}
		for i, q := range t.s.periods {
			if q.Compare(p) == 0 {
				a := &t.s.vals[row][i]
				return a.val, a.ok
			}
		}
		return 0, false
	}
	var unvSum float64
	var unvFrom, unvTo string
	done := map[Period]bool{}
	for _, k := range order {
		ms := where[k]
		what := "not verified"
		if k.v == Unverifiable {
			what = "unverifiable"
		}
		fig := "figure"
		if len(ms) > 1 {
			fig = fmt.Sprintf("%d figures", len(ms))
		}
		msg := fmt.Sprintf("%s of %s marked %s", fig, k.p, what)
		if v, ok := periodTotal(k.p); ok {
			msg += ": " + groupedNumber(v) + " in all"
			if !done[k.p] {
				done[k.p] = true
				unvSum += v
				if unvFrom == "" {
					unvFrom = k.p.String()
				}
				unvTo = k.p.String()
			}
		}
		if w := locsText(s, ms); w != "" {
			msg += " (" + w + ")"
		}
		b.findings = append(b.findings, Finding{Code: code, Severity: SevWarning, Kind: "unverified", Period: k.p.String(), Message: msg})
	}
	// how much of the actual rests on such figures
	if act := t.cum(len(b.slots)-1, ""); len(done) > 0 && act.ok && act.val != 0 {
		span := unvFrom
		if unvTo != unvFrom {
			span += " to " + unvTo
		}
		b.findings = append(b.findings, Finding{Code: code, Severity: SevWarning, Kind: "unverified", Period: b.p.String(),
			Message: fmt.Sprintf("%s of the %s counted up to %s (%.0f%%) rest on figures not verified or unverifiable (%s)",
				groupedNumber(unvSum), groupedNumber(act.val), upTo(b.p), 100*unvSum/act.val, span)})
	}
}

// problemReason tells whether a computed indicator's missing value at slot
// j is a problem worth a finding: a division by zero or a formula error, or
// missing inputs while some of its inputs have data (nothing reported at
// all is plain no data).
func (b *rbuilder) problemReason(t *rtrack, j int, reason string) bool {
	if strings.Contains(reason, "division by zero") || !strings.Contains(reason, ErrNoData.Error()) && !strings.HasPrefix(reason, "no data for") {
		return true
	}
	refs := t.refs // nil unless t has a formula
	if t.ratio {
		refs = []*rtrack{t.num, t.den}
	}
	for _, r := range refs {
		if r != nil && r.val(j, "").ok {
			return true
		}
	}
	return false
}

// locsText says where figures came from: "file.xlsx, sheet Data, rows
// 5-18, 21" per file and sheet.
func locsText(s *series, ms []figRec) string {
	type fs = figLoc
	var keys []fs
	rows := map[fs][]int{}
	for _, m := range ms {
		k := s.locs[m.loc]
		if _, ok := rows[k]; !ok {
			keys = append(keys, k)
			rows[k] = nil
		}
		if row := s.rowOf(&m); row > 0 {
			rows[k] = append(rows[k], row)
		}
	}
	var parts []string
	for _, k := range keys {
		var p []string
		if k.file != "" {
			p = append(p, baseName(k.file))
		}
		if k.sheet != "" {
			p = append(p, "sheet "+k.sheet)
		}
		if rs := rows[k]; len(rs) > 0 {
			sort.Ints(rs)
			word := "row "
			if len(rs) > 1 {
				word = "rows "
			}
			p = append(p, word+FormatRanges(rs))
		}
		if len(p) > 0 {
			parts = append(parts, strings.Join(p, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// FormatRanges prints sorted numbers (rows of a sheet) as ranges: 5-18, 21;
// "" for none.
func FormatRanges(rs []int) string {
	var b strings.Builder
	for i := 0; i < len(rs); {
		j := i
		for j+1 < len(rs) && rs[j+1] <= rs[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if rs[j] == rs[i] {
			fmt.Fprintf(&b, "%d", rs[i])
		} else {
			fmt.Fprintf(&b, "%d-%d", rs[i], rs[j])
		}
		i = j + 1
	}
	return b.String()
}

// ruleFindings evaluates the Rules sheet at every slot.
func (b *rbuilder) ruleFindings() {
	for i, f := range b.comp.Rules {
		if f == nil || i >= len(b.fw.Rules) {
			continue
		}
		rule := b.fw.Rules[i]
		sev := rule.Severity
		if sev == "" {
			sev = SevWarning
		}
		reported := false
		for j, s := range b.slots {
			ok, err := f.EvalCheck(b.env(j, ""))
			b.envDepth--
			if err != nil {
				if !errors.Is(err, ErrNoData) && !reported {
					reported = true
					b.findings = append(b.findings, Finding{Code: rule.Code, Severity: SevWarning, Kind: "formula", Period: s.String(),
						Message: fmt.Sprintf("rule %s could not be checked: %v", rule.Code, err)})
				}
				continue
			}
			if !ok {
				msg := rule.Message
				if msg == "" {
					msg = "the check does not hold"
				}
				b.findings = append(b.findings, Finding{Code: rule.Code, Severity: sev, Kind: "rule", Period: s.String(),
					Message: fmt.Sprintf("%s (%s: %s fails)", msg, s, rule.Check)})
			}
		}
	}
}

// upTo names the end of period p in a sentence: "the end of 2021Q3" for a
// calendar period, "2021-02-28" for a window ("the end of
// 2020-09-01..2021-02-28" reads badly).
func upTo(p Period) string {
	if p.Kind == KindRange {
		return p.End.Format(time.DateOnly)
	}
	return "the end of " + p.String()
}
