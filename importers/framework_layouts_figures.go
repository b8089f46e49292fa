package importers

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/rmf-project/rmf/indicators"
)

// key is the matching key of a heading or label: lower-case letters and
// digits only ("PROGRAMME TITLE:" is "programmetitle").
func key(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// placeholder is true for template text that is not data: [Insert ...],
// <...>, "Enter ...", "Insert ...", "TBC"-like markers are not placeholders
// (they say the value is not known yet: see notKnownYet).
func placeholder(s string) bool {
	t := strings.TrimSpace(s)
	if t == "" {
		return true
	}
	if (strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]")) || (strings.HasPrefix(t, "<") && strings.HasSuffix(t, ">")) {
		return true
	}
	l := strings.ToLower(t)
	for _, p := range []string{"insert ", "enter ", "type ", "add ", "fill in", "e.g.", "xx"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// notKnownYet is true for a figure cell that says the value is to come:
// TBC, TBD, to be confirmed, to be determined (read as empty; check
// reports the missing baseline or target).
func notKnownYet(s string) bool {
	k := key(s)
	if strings.HasPrefix(k, "tobeconfirmed") || strings.HasPrefix(k, "tobedetermined") || strings.HasPrefix(k, "tobeagreed") {
		return true
	}
	l := strings.ToLower(strings.TrimSpace(s))
	for _, w := range []string{"tbc", "tbd", "tba"} {
		if l == w || strings.HasPrefix(l, w) && !unicode.IsLetter(rune(l[3])) {
			return true
		}
	}
	return false
}

// figure is a value cell of a logframe read as people fill them in:
// 1,250, 45%, £2.5m, "1,200 households", yes, or text.
type figure struct {
	cell     Cell
	empty    bool // empty, N/A, a placeholder or TBC
	number   bool
	v        float64
	percent  bool
	currency bool
	yesno    bool
	words    string // unit words after the number ("households")
	note     string // the text in brackets after it ("Mar 2013" of "500 (Mar 2013)")
	text     string // the text when not a number
}

var figureRE = regexp.MustCompile(`^(?i)(£|\$|€|gbp|usd|eur|chf)?\s*([+-]?[0-9][0-9,]*(?:\.[0-9]+)?|[+-]?\.[0-9]+)\s*(%|percent\b|per cent\b|k\b|m\b|mn\b|million\b|thousand\b|bn\b|billion\b)?\s*(.*)$`)

// readFigure reads one value cell.
func readFigure(c Cell) figure {
	f := figure{cell: c}
	t := strings.TrimSpace(c.Raw)
	if c.Empty() || NotAvailable(c) || (c.Kind == CellText && (placeholder(t) || notKnownYet(t))) {
		f.empty = true
		return f
	}
	switch c.Kind {
	case CellNumber, CellPercent:
		v, err := strconv.ParseFloat(t, 64)
		if err == nil {
			f.number, f.v = true, v
			if c.Kind == CellPercent {
				f.v, f.percent = Round15(v*100), true
			}
			return f
		}
	case CellBool:
		f.yesno, f.number = true, true
		if t == "1" || strings.EqualFold(t, "true") {
			f.v = 1
		}
		return f
	case CellDate:
		f.text = t
		return f
	}
	full := t
	// A note in brackets after the figure ("45% (2011)", "120 (est.)",
	// "Yes (Dec 2013)") is not part of it; a text keeps it.
	if i := strings.LastIndex(t, "("); i > 0 && strings.HasSuffix(t, ")") {
		f.note = strings.TrimSpace(t[i+1 : len(t)-1])
		t = strings.TrimSpace(t[:i])
	}
	if v, err := ParseYesNo(t); err == nil && !allDigits(t) {
		f.yesno, f.number, f.v = true, true, v
		return f
	}
	m := figureRE.FindStringSubmatch(t)
	if m == nil {
		f.text, f.note = full, ""
		return f
	}
	v, _, err := ParseNumber(m[2])
	if err != nil {
		f.text, f.note = full, ""
		return f
	}
	switch strings.ToLower(m[3]) {
	case "%", "percent", "per cent":
		f.percent = true
	case "k", "thousand":
		v = Round15(v * 1e3)
	case "m", "mn", "million":
		v = Round15(v * 1e6)
	case "bn", "billion":
		v = Round15(v * 1e9)
	}
	f.number, f.v = true, v
	f.currency = m[1] != ""
	f.words = strings.TrimSpace(m[4])
	if f.words != "" && !strings.ContainsFunc(f.words, unicode.IsLetter) {
		// "12 / 40", "5-10": not one number.
		f.number, f.text, f.note = false, full, ""
	}
	return f
}

// unitOf infers an indicator's unit from its figures: text when none is a
// number, yes/no when all are yes/no, percent when one is written as a
// percentage, currency when one has a currency sign, else number.
func unitOf(fs []figure) indicators.Unit {
	anyNum, allYes, anyPct, anyCur, anyText := false, true, false, false, false
	for _, f := range fs {
		if f.empty {
			continue
		}
		if !f.number {
			anyText = true
			continue
		}
		anyNum = true
		allYes = allYes && f.yesno
		anyPct = anyPct || f.percent
		anyCur = anyCur || f.currency
	}
	switch {
	case !anyNum && anyText:
		return indicators.Text
	case !anyNum:
		return indicators.Number
	case allYes:
		return indicators.YesNo
	case anyPct:
		return indicators.Percent
	case anyCur:
		return indicators.Currency
	}
	return indicators.Number
}

// periodText reads a date or period written in a heading ("Milestone 1
// (Mar 2013)": "Mar 2013") or a dates row: a date cell is its day; text
// is a date (31/03/2013), a month (Mar 2013, March 2013, 2013-03), a
// quarter or a year.
func periodText(s string) (indicators.Period, bool) {
	t := strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "()[]-–:,"))
	if t == "" {
		return indicators.Period{}, false
	}
	if d, err := ParseDate(t); err == nil {
		return indicators.Day(d), true
	}
	// "March 2013", "Mar-13", "Sept 2014"
	for _, l := range []string{"Jan 2006", "January 2006", "Jan-06", "Jan-2006", "Jan 06", "January, 2006", "01/2006", "1/2006", "2006-01"} {
		if d, err := time.Parse(l, strings.ReplaceAll(t, "Sept", "Sep")); err == nil {
			return indicators.Month(d.Year(), d.Month()), true
		}
	}
	if p, err := indicators.ParsePeriod(t); err == nil {
		return indicators.Normalize(p), true
	}
	return indicators.Period{}, false
}

// cellPeriodOf reads a period from a dates-row cell.
func cellPeriodOf(c Cell, date1904 bool) (indicators.Period, bool) {
	switch c.Kind {
	case CellDate:
		d, err := c.Date(date1904)
		if err != nil {
			return indicators.Period{}, false
		}
		return indicators.Day(d), true
	case CellNumber:
		if v, err := strconv.ParseFloat(c.Text(), 64); err == nil && v == float64(int(v)) && v >= 1990 && v <= 2100 {
			return indicators.Year(int(v)), true
		}
		return indicators.Period{}, false
	}
	return periodText(c.Raw)
}
