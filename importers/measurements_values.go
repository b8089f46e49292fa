package importers

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// allDigitsDot is true for codes of digits and at most one point.
func allDigitsDot(s string) bool {
	return s != "" && strings.Count(s, ".") <= 1 && allDigits(strings.Replace(s, ".", "", 1))
}

// monthFirstHint explains a date written month first (7/15/2021): dates
// in text are read day first.
func monthFirstHint(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) == 3 && len(parts[2]) == 4 {
		m, err1 := strconv.Atoi(parts[0])
		d, err2 := strconv.Atoi(parts[1])
		if err1 == nil && err2 == nil && m >= 1 && m <= 12 && d > 12 && d <= 31 {
			return fmt.Sprintf(" (dates in text are read day first: write %02d/%02d/%s or %s-%02d-%02d)", d, m, parts[2], parts[2], m, d)
		}
	}
	return ""
}

// trimSentinel drops the sentinel's text from the front of err's message.
func trimSentinel(err, sentinel error) string {
	return strings.TrimPrefix(err.Error(), sentinel.Error()+": ")
}

// numberDetail is the parenthesised detail of a number that did not parse,
// or "" when it only repeats what the message already says.
func numberDetail(err error) string {
	d := trimSentinel(err, ErrNumber)
	if strings.Contains(d, "expected a number such as") {
		return ""
	}
	return " (" + d + ")"
}

// value reads the value cell c (at 0-based column col) into m for
// indicator ind, and reports what is wrong with it. It returns false on a
// problem.
func (im *measurementImporter) value(rc *rowCtx, ind *indicators.Indicator, col int, c Cell, m *indicators.Measurement) bool {
	bad := func(sentinel error, format string, args ...any) bool {
		im.fail(rc, col, "value", sentinel, format, args...)
		return false
	}
	if ind.Computed() {
		return bad(indicators.ErrInvalid, "indicator %s was given the value %s, expected no value: it is computed from its formula %s",
			ind.Code, im.shown(c), ind.Formula)
	}
	switch ind.Unit {
	case indicators.Text:
		m.Text = strings.TrimSpace(c.Raw)
		return true
	case indicators.YesNo:
		var v float64
		var err error
		switch c.Kind {
		case CellBool:
			v, _, err = c.Number()
		default:
			v, err = ParseYesNo(c.Raw)
		}
		if err != nil {
			return bad(indicators.ErrInvalid, "%s is a yes/no indicator and the value is %s, expected yes or no", ind.Code, im.shown(c))
		}
		m.Value = &v
		return true
	}
	if c.Kind == CellText && IsDash(c.Raw) {
		return bad(indicators.ErrInvalid, "%s is a %s indicator and the value is %s, expected %s (%s)", ind.Code, unitName(ind.Unit), im.shown(c), expectedFor(ind.Unit), DashHelp)
	}
	v, pct, err := im.number(c)
	if err != nil {
		return bad(indicators.ErrInvalid, "%s is a %s indicator and the value is %s, expected %s%s", ind.Code, unitName(ind.Unit), im.shown(c), expectedFor(ind.Unit), numberDetail(err))
	}
	if indicators.CheckValue(v) != nil {
		return bad(indicators.ErrOutOfRange, "%s: the value %s is beyond the largest number rmf accepts, expected at most 1e15 (a million billion) in size", ind.Code, im.shown(c))
	}
	switch ind.Unit {
	case indicators.Percent:
		if pct && c.Kind == CellPercent {
			v = Round15(v * 100)
		}
		if v < 0 || v > 100 {
			return bad(indicators.ErrOutOfRange, "%s is a percentage and the value is %s, expected a percentage from 0 to 100",
				ind.Code, im.shown(c))
		}
	case indicators.Number:
		if pct {
			return bad(indicators.ErrInvalid, "%s counts a number and the value is the percentage %s, expected a number such as 1250", ind.Code, im.shown(c))
		}
		if v < 0 {
			return bad(indicators.ErrOutOfRange, "%s counts a number and the value is %s, expected zero or more", ind.Code, im.shown(c))
		}
	case indicators.Ratio:
		if pct && c.Kind != CellPercent {
			v = Round15(v / 100)
		}
	case indicators.Currency:
		if pct {
			return bad(indicators.ErrInvalid, "%s is an amount of money and the value is the percentage %s, expected an amount such as 12500", ind.Code, im.shown(c))
		}
	}
	m.Value = &v
	return true
}

func unitName(u indicators.Unit) string {
	if u == "" {
		return "number"
	}
	return string(u)
}

func expectedFor(u indicators.Unit) string {
	switch u {
	case indicators.Percent:
		return "a percentage such as 75, 75% or a cell formatted as a percentage"
	case indicators.Ratio:
		return "a ratio such as 0.75"
	case indicators.Currency:
		return "an amount such as 12500 or 12,500.50"
	}
	return "a number such as 1250, 1,250 or 12.5"
}

// number reads c as a number: a number cell, or text as people type it
// (ParseNumber, or with a decimal comma when the options say so).
func (im *measurementImporter) number(c Cell) (float64, bool, error) {
	if c.Kind == CellText && im.opt.DecimalComma {
		return parseDecimalComma(c.Raw)
	}
	if c.Kind == CellDate {
		return 0, false, fmt.Errorf("%w: %s is a date", ErrNumber, im.shown(c))
	}
	if im.semicolon && c.Kind == CellText && strings.Contains(c.Raw, ",") {
		if _, _, err := ParseNumber(c.Raw); err == nil {
			return 0, false, fmt.Errorf("%w: %s is ambiguous in a file separated by semicolons, where the comma is usually the decimal separator "+
				"(1,234 may be 1.234 or 1234); import it with %s if commas are decimals, or write the number without thousands separators", ErrNumber, im.shown(c), im.opt.Words.Say(OptDecimalComma, ""))
		}
	}
	v, pct, err := c.Number()
	if err != nil && c.Kind == CellText && looksDecimalComma(c.Raw) {
		err = fmt.Errorf("%w; if the file writes decimals with a comma (1 234,5), import it with %s", err, im.opt.Words.Say(OptDecimalComma, ""))
	}
	return v, pct, err
}

// looksDecimalComma is true for text such as "1 234,5" or "12,5".
func looksDecimalComma(s string) bool {
	_, _, err := parseDecimalComma(s)
	return err == nil && strings.Contains(s, ",")
}

// parseDecimalComma reads a number written with a decimal comma: "12,5",
// "1 234,5", "1.234,5", "1234", "75 %". Thousands may be separated by
// spaces (also no-break spaces) or points, in groups of three.
func parseDecimalComma(s string) (float64, bool, error) {
	t := strings.TrimSpace(strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s))
	pct := false
	if strings.HasSuffix(t, "%") {
		pct, t = true, strings.TrimSpace(strings.TrimSuffix(t, "%"))
	}
	bad := fmt.Errorf("%w: %q, expected a number with a decimal comma such as 1234,5 or 1 234,5", ErrNumber, s)
	if t == "" || strings.Count(t, ",") > 1 {
		return 0, false, bad
	}
	intPart, frac, _ := strings.Cut(t, ",")
	sign := ""
	if strings.HasPrefix(intPart, "-") || strings.HasPrefix(intPart, "+") {
		sign, intPart = intPart[:1], intPart[1:]
	}
	groups := strings.FieldsFunc(intPart, func(r rune) bool { return r == ' ' || r == '.' })
	if len(groups) == 0 || strings.HasPrefix(intPart, " ") || strings.HasPrefix(intPart, ".") {
		return 0, false, bad
	}
	if len(groups) > 1 {
		// Separators must come between groups of three digits, one at a time.
		if strings.Contains(intPart, "  ") || strings.Contains(intPart, "..") || (strings.Contains(intPart, " ") && strings.Contains(intPart, ".")) {
			return 0, false, bad
		}
		if len(groups[0]) > 3 {
			return 0, false, bad
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false, bad
			}
		}
	}
	digits := strings.Join(groups, "")
	if !allDigits(digits) || (frac != "" && !allDigits(frac)) || (frac == "" && strings.HasSuffix(t, ",")) {
		return 0, false, bad
	}
	num := sign + digits
	if frac != "" {
		num += "." + frac
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false, bad
	}
	return v, pct, nil
}

// numDen reads the numerator and denominator columns of a long-layout row.
func (im *measurementImporter) numDen(rc *rowCtx, ind *indicators.Indicator, m *indicators.Measurement) {
	var cols [2]int
	for i, field := range []string{"numerator", "denominator"} {
		col, ok := rc.lay.col(field)
		if !ok {
			continue
		}
		cols[i] = col
		c := cellAt(rc.cells, col)
		if noData(c) {
			continue
		}
		if ind.Computed() {
			im.fail(rc, col, field, indicators.ErrInvalid, "indicator %s was given the %s %s, expected none: it is computed from its formula %s",
				ind.Code, field, im.shown(c), ind.Formula)
			continue
		}
		v, pct, err := im.number(c)
		if err == nil && pct {
			err = fmt.Errorf("it is a percentage")
		}
		if err != nil {
			im.fail(rc, col, field, indicators.ErrInvalid, "%s %s, expected a count such as 120%s", field, im.shown(c), numberDetail(err))
			continue
		}
		if v < 0 {
			im.fail(rc, col, field, indicators.ErrOutOfRange, "%s %s, expected zero or more", field, im.shown(c))
			continue
		}
		if indicators.CheckValue(v) != nil {
			im.fail(rc, col, field, indicators.ErrOutOfRange, "%s %s is beyond the largest number rmf accepts, expected at most 1e15 (a million billion)", field, im.shown(c))
			continue
		}
		if i == 0 {
			m.Numerator = &v
		} else {
			m.Denominator = &v
		}
	}
	if m.Numerator != nil && m.Denominator != nil && *m.Numerator > *m.Denominator {
		im.fail(rc, cols[0], "numerator", indicators.ErrOutOfRange, "numerator %s is above its denominator %s (cell %s), expected a numerator no larger than the denominator",
			fmtNum(*m.Numerator), fmtNum(*m.Denominator), cellRef(cols[1], rc.row))
	}
}

func fmtNum(v float64) string { return indicators.FormatDecimal(v, -1, false) }

// parseVerified reads yes, no or unverifiable (and common spellings).
func parseVerified(c Cell) (indicators.Verified, error) {
	if c.Kind == CellBool {
		if strings.TrimSpace(c.Raw) == "1" {
			return indicators.VerifiedYes, nil
		}
		return indicators.VerifiedNo, nil
	}
	switch indicators.Norm(c.Raw) {
	case "yes", "y", "true", "verified", "1", "checked":
		return indicators.VerifiedYes, nil
	case "no", "n", "false", "notverified", "unverified", "0", "notyet", "pending":
		return indicators.VerifiedNo, nil
	case "unverifiable", "cannotbeverified", "notverifiable", "cantverify", "cannotverify":
		return indicators.Unverifiable, nil
	}
	return "", fmt.Errorf("%w: verified %q", indicators.ErrInvalid, c.Raw)
}
