package indicators

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Figures as text. Every output prints figures through the functions of
// this file: the reports (text, Markdown, HTML, the donor workbook's text
// cells), the web pages, history, due, the framework listing and the
// messages. FormatDecimal is the core; Unit.Format is a figure as the
// reports show it, Unit.FormatExact as it was stored; YesNoText reads a
// yes/no value (0.5 and up is yes) for all of them; FormatAmount prints
// money.

// NoValue is printed in place of a figure that is missing or not a number.
const NoValue = "–"

// FormatDecimal prints x with at most dec decimals (dec < 0: as many as it
// has), trailing zeros dropped, and when group the whole part's thousands
// separated by commas: FormatDecimal(10753.456, 1, true) is "10,753.5".
func FormatDecimal(x float64, dec int, group bool) string {
	s := strconv.FormatFloat(x, 'f', dec, 64)
	if dec > 0 && strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	if group {
		s = GroupThousands(s)
	}
	return s
}

// Format prints a figure of unit u as the reports show it: yes/no as yes
// or no (YesNoText); percent with one decimal and a % sign ("71.4%");
// other units with decimals by size (two below 100, one below 1,000, none
// from 1,000; a ratio three below 10), thousands grouped ("10,753"); "0",
// never "-0"; NoValue for NaN and infinities.
func (u Unit) Format(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return NoValue
	}
	switch u {
	case YesNo:
		return YesNoText(v)
	case Percent:
		return FormatRounded(v, 1) + "%"
	}
	return FormatRounded(v, u.decimals(v))
}

// FormatExact prints a figure of unit u with every digit it was stored
// with (a percent rounded to one decimal, as a cell shows it), thousands
// grouped: "10,753.25", "71.4%", "yes". History, due and the listings
// print figures this way, so that an officer finds the number typed.
func (u Unit) FormatExact(v float64) string {
	switch u {
	case YesNo:
		return YesNoText(v)
	case Percent:
		return FormatDecimal(roundTo(v, 1), -1, true) + "%"
	}
	return FormatDecimal(v, -1, true)
}

// FormatRounded is FormatDecimal with thousands grouped, "0" for a
// negative that rounds to zero and NoValue for NaN and infinities: the
// reports' numbers (a difference "12.5 points", a share).
func FormatRounded(x float64, dec int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return NoValue
	}
	// FormatDecimal's steps, inline: the reports print many figures, and
	// the formatted digits then stay off the heap until grouped.
	s := strconv.FormatFloat(x, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return GroupThousands(s)
}

// decimals is how many decimals Format shows of a value x of unit u.
func (u Unit) decimals(x float64) int {
	switch {
	case u == Ratio && math.Abs(x) < 10:
		return 3
	case u == Ratio && math.Abs(x) < 100:
		return 2
	case math.Abs(x) >= 1000:
		return 0
	case math.Abs(x) >= 100:
		return 1
	}
	return 2
}

// roundTo rounds v to digits decimals as FormatFloat prints it.
func roundTo(v float64, digits int) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', digits, 64), 64)
	return r
}

// YesNoText is how every output reads a yes/no value: "yes" from 0.5 up,
// else "no". Stored figures, baselines and targets are 0 or 1; a value
// between (a mean over a disaggregation, an expected point between two
// milestones) reads as the nearer answer.
func YesNoText(v float64) string {
	if v >= 0.5 {
		return "yes"
	}
	return "no"
}

// formatNumber prints a number the short way people write it: 12, 0.5, 71.43.
func formatNumber(v float64) string { return FormatDecimal(v, 2, false) }

// FormatNumber prints v as the reports do: no trailing zeros, at most two
// decimals (12, 0.5, 71.43).
func FormatNumber(v float64) string { return formatNumber(v) }

// GroupThousands puts commas between the thousands of the whole part of a
// number as printed: "-10753.5" -> "-10,753.5". groupedNumber, FormatAmount
// and the report writers (exporters) all group digits with it.
func GroupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	out := make([]byte, 0, len(s)+len(intPart)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, intPart[i])
	}
	if frac != "" {
		out = append(out, '.')
		out = append(out, frac...)
	}
	return string(out)
}

// groupedNumber is formatNumber with the thousands separated by commas, as
// the reports print them: 10753 -> "10,753".
func groupedNumber(v float64) string { return GroupThousands(formatNumber(v)) }

// FormatAmount writes an amount with thousands separators and no decimals
// when it is whole (3,336,140), else two decimals (1,250.50).
func FormatAmount(x float64) string {
	neg := x < 0
	if neg {
		x = -x
	}
	r := math.Round(x * 100)
	whole := math.Floor(r / 100)
	cents := int64(r) % 100
	out := GroupThousands(fmt.Sprintf("%.0f", whole))
	if cents != 0 {
		out += fmt.Sprintf(".%02d", cents)
	}
	if neg {
		out = "-" + out
	}
	return out
}

// FormatValueShort prints v for a message: 1e+308 as 1e308.
func FormatValueShort(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'g', -1, 64), "e+", "e", 1)
}
