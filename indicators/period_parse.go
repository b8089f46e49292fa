package indicators

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Parsing: the spellings of periods and dates people write (SPEC 1).

const (
	periodForms = "use 2021, 2021S1, 2021Q3, 2021-07, 2021-07-15 or 2020-09-01..2021-02-28 (also Q3 2021, Jul 2021, 15/07/2021)"
	dateForms   = "use 2021-07-15, 15/07/2021, 15.07.2021, 15 July 2021, July 15, 2021 or an Excel date serial"
)

// pdTimestamp matches an ISO date followed by a time, as a date cell read as
// text gives it: 2021-07-15T00:00:00Z, 2021-07-15 00:00:00, ...
var pdTimestamp = regexp.MustCompile(`^(\d{4}-\d{1,2}-\d{1,2})[t ]([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?( ?(z|utc|[+-]\d{2}(:?\d{2})?))?$`)

// pdSerial matches an Excel serial written as text: five digits (10000 is
// 1927-05-18, 99999 is 2173-10-14), optionally with a fraction.
var pdSerial = regexp.MustCompile(`^\d{5}(\.\d+)?$`)

var pdMonths = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
	"nov": 11, "november": 11, "dec": 12, "december": 12,
}

// A pdTok is a token of a period spelling: a run of digits or of letters.
type pdTok struct {
	text  string
	class byte // 'Y' 4 digits, 'n' 1-2 digits, '8' 8 digits, 'x' other digits; words: 'q' quarter, 's' semester, 'm' month name, 'p' project year, 'f' fiscal year, 'w' unknown
	num   int
	month time.Month
}

// pdTokens splits lower-cased s into runs of digits and runs of letters.
// Spaces and - / . , _ separate; any other character is an error.
func pdTokens(s string) ([]pdTok, string) {
	var toks []pdTok
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			t := pdTok{text: string(rs[i:j])}
			switch len(t.text) {
			case 1, 2:
				t.class = 'n'
			case 4:
				t.class = 'Y'
			case 8:
				t.class = '8'
			default:
				t.class = 'x'
			}
			if t.class != 'x' {
				t.num, _ = strconv.Atoi(t.text)
			}
			toks = append(toks, t)
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && unicode.IsLetter(rs[j]) {
				j++
			}
			toks = append(toks, pdTok{text: string(rs[i:j]), class: 'w'})
			i = j
		case unicode.IsSpace(r) || strings.ContainsRune("-/.,_", r):
			i++
		default:
			return nil, fmt.Sprintf("unexpected character %q", r)
		}
	}
	// Drop ordinal suffixes (15th, 3rd quarter) and "project" of "project year".
	out := toks[:0]
	for i, t := range toks {
		if t.class == 'w' {
			switch t.text {
			case "st", "nd", "rd", "th":
				if i > 0 && toks[i-1].class == 'n' {
					continue
				}
			case "project":
				if i+1 < len(toks) && toks[i+1].text == "year" {
					continue
				}
			}
		}
		out = append(out, t)
	}
	for i := range out {
		t := &out[i]
		if t.class != 'w' {
			continue
		}
		switch t.text {
		case "q", "qtr", "quarter":
			t.class = 'q'
		case "s", "sem", "semester", "h", "half", "hy":
			t.class = 's'
		case "py", "year", "yr", "y":
			t.class = 'p'
		case "fy":
			t.class = 'f'
		default:
			if m, ok := pdMonths[t.text]; ok {
				t.class, t.month = 'm', m
			}
		}
	}
	return out, ""
}

func pdShape(toks []pdTok) string {
	b := make([]byte, len(toks))
	for i, t := range toks {
		b[i] = t.class
	}
	return string(b)
}

// pdParser parses one spelling; what is "period" or "date" for messages.
type pdParser struct {
	cal  *Calendar // nil: no project or fiscal years
	what string    // "period" or "date"
	orig string    // the text as given, spaces trimmed
}

// pdError is a parse error: what was seen and why it is refused. It wraps
// ErrInvalid, and also ErrOutOfRange for a year outside MinYear..MaxYear.
type pdError struct {
	what, seen, reason string
	outOfRange         bool
}

func (e *pdError) Error() string {
	return fmt.Sprintf("%v: %s %q: %s", ErrInvalid, e.what, e.seen, e.reason)
}

func (e *pdError) Unwrap() []error {
	if e.outOfRange {
		return []error{ErrInvalid, ErrOutOfRange}
	}
	return []error{ErrInvalid}
}

func (ps *pdParser) fail(reason string) error {
	return &pdError{what: ps.what, seen: ps.orig, reason: reason}
}

func (ps *pdParser) year(y int) error {
	if y < MinYear || y > MaxYear {
		return &pdError{what: ps.what, seen: ps.orig, outOfRange: true,
			reason: fmt.Sprintf("year %d is outside the years rmf accepts (%d to %d)", y, MinYear, MaxYear)}
	}
	return nil
}

// MinYear and MaxYear bound every date rmf accepts: project dates,
// milestones, baselines and figures' periods. A project ending in 9999
// would make every list of its periods (reports, IATI) tens of thousands
// long; a year 1 is a typing slip, not a date.
const (
	MinYear = 1950
	MaxYear = 2100
)

// CheckYear returns an ErrOutOfRange error, naming what (such as "project
// start") and the date, when t lies outside the years MinYear..MaxYear.
func CheckYear(what string, t time.Time) error {
	if y := t.Year(); y < MinYear || y > MaxYear {
		return fmt.Errorf("%w: %s %s is outside the years rmf accepts (%d to %d)", ErrOutOfRange, what, t.Format("2006-01-02"), MinYear, MaxYear)
	}
	return nil
}

func (ps *pdParser) ymd(y, m, d int) (time.Time, error) {
	if err := ps.year(y); err != nil {
		return time.Time{}, err
	}
	if m < 1 || m > 12 {
		return time.Time{}, ps.fail(fmt.Sprintf("month %d out of range (expected 1 to 12)", m))
	}
	if d < 1 || d > pdDaysIn(y, time.Month(m)) {
		return time.Time{}, ps.fail(fmt.Sprintf("no day %d in %04d-%02d", d, y, m))
	}
	return pdDate(y, time.Month(m), d), nil
}

// date parses a single day; ok is false when s does not look like a date at
// all (err is then nil).
func (ps *pdParser) date(s string) (t time.Time, ok bool, err error) {
	if m := pdTimestamp.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	if pdSerial.MatchString(s) {
		f, _ := strconv.ParseFloat(s, 64)
		// A serial typed as text: the 1900 date system, Excel's default.
		if reason := excelSerialProblem(f, false); reason != "" {
			return t, true, ps.fail("Excel date serial: " + reason)
		}
		t, _ := DateFromExcelSerial(f, false)
		if err := ps.year(t.Year()); err != nil {
			return t, true, err
		}
		return t, true, nil
	}
	toks, bad := pdTokens(s)
	if bad != "" {
		return t, false, nil
	}
	switch pdShape(toks) {
	case "8": // 20210715
		n := toks[0].num
		t, err = ps.ymd(n/10000, n/100%100, n%100)
	case "Ynn": // 2021-07-15
		t, err = ps.ymd(toks[0].num, toks[1].num, toks[2].num)
	case "nnY": // 15/07/2021, 15.07.2021
		d, m := toks[0].num, toks[1].num
		if m > 12 && d <= 12 {
			return t, true, ps.fail(fmt.Sprintf("month %d out of range: dates with / or . are day first (15/07/2021)", m))
		}
		t, err = ps.ymd(toks[2].num, m, d)
	case "nmY": // 15 July 2021
		t, err = ps.ymd(toks[2].num, int(toks[1].month), toks[0].num)
	case "mnY": // July 15, 2021
		t, err = ps.ymd(toks[2].num, int(toks[0].month), toks[1].num)
	case "Ymn": // 2021-Jul-15
		t, err = ps.ymd(toks[0].num, int(toks[1].month), toks[2].num)
	default:
		return t, false, nil
	}
	return t, true, err
}

// single parses a period that is not a range.
func (ps *pdParser) single(s string) (Period, error) {
	if s == "" {
		return Period{}, ps.fail("empty; " + periodForms)
	}
	if t, ok, err := ps.date(s); ok {
		if err != nil {
			return Period{}, err
		}
		return Day(t), nil
	}
	toks, bad := pdTokens(s)
	if bad != "" {
		return Period{}, ps.fail(bad + "; " + periodForms)
	}
	for _, t := range toks {
		if t.class == 'w' {
			return Period{}, ps.fail(fmt.Sprintf("unknown word %q; %s", t.text, periodForms))
		}
	}
	shape := pdShape(toks)
	quarter, semester, month := ps.quarter, ps.semester, ps.month
	num := func(i int) int { return toks[i].num }
	// fyShort reports whether toks[1] is the two-digit year after toks[0]: 2020/21.
	fyShort := func() bool { return len(toks[1].text) == 2 && num(1) == (num(0)+1)%100 }
	switch shape {
	case "Y": // 2021
		if err := ps.year(num(0)); err != nil {
			return Period{}, err
		}
		return Year(num(0)), nil
	case "Yqn": // 2021Q3, 2021-Q3, 2021 Q3
		return quarter(num(0), num(2))
	case "qnY", "nqY": // Q3 2021, Q3-2021, q3/2021, 3rd quarter 2021
		return quarter(num(2), num(shape2idx(shape)))
	case "Ysn": // 2021S1, 2021-S1, 2021H1
		return semester(num(0), num(2))
	case "snY", "nsY": // S1 2021, H1 2021, 1st half 2021
		return semester(num(2), num(shape2idx(shape)))
	case "Yn": // 2021-07, 2021/07, 2021-7; in a calendar 2020/21 is a fiscal year
		if (num(1) > 12 || num(1) == 0) && fyShort() {
			if ps.cal == nil {
				return Period{}, ps.fail("looks like a fiscal year: fiscal and project years need the project calendar; " + periodForms)
			}
			return ps.fiscal(num(0))
		}
		return month(num(0), num(1))
	case "nY": // 07/2021
		return month(num(1), num(0))
	case "mY": // Jul 2021
		return month(num(1), int(toks[0].month))
	case "Ym": // 2021 Jul
		return month(num(0), int(toks[1].month))
	case "mn": // Jul-21, as Excel shows mmm-yy
		if len(toks[1].text) != 2 {
			return Period{}, ps.fail("month without a year; " + periodForms)
		}
		return month(2000+num(1), int(toks[0].month))
	case "YY", "fYY", "fYn", "fY", "fn", "pn":
		return ps.calendarYear(shape, toks)
	}
	return Period{}, ps.fail("not a period; " + periodForms)
}

// quarter is quarter q of year y, checked.
func (ps *pdParser) quarter(y, q int) (Period, error) {
	if err := ps.year(y); err != nil {
		return Period{}, err
	}
	if q < 1 || q > 4 {
		return Period{}, ps.fail(fmt.Sprintf("quarter %d out of range (expected Q1 to Q4)", q))
	}
	return Quarter(y, q), nil
}

// semester is semester h of year y, checked.
func (ps *pdParser) semester(y, h int) (Period, error) {
	if err := ps.year(y); err != nil {
		return Period{}, err
	}
	if h < 1 || h > 2 {
		return Period{}, ps.fail(fmt.Sprintf("semester %d out of range (expected S1 or S2)", h))
	}
	return Semester(y, h), nil
}

// month is month m of year y, checked.
func (ps *pdParser) month(y, m int) (Period, error) {
	if err := ps.year(y); err != nil {
		return Period{}, err
	}
	if m < 1 || m > 12 {
		return Period{}, ps.fail(fmt.Sprintf("month %d out of range (expected 1 to 12)", m))
	}
	return Month(y, time.Month(m)), nil
}

// calendarYear reads a fiscal or project year of the shapes YY, fYY, fYn,
// fY, fn and pn (2020/21, FY2020/21, FY2021, FY21, PY2), which need the
// project calendar.
func (ps *pdParser) calendarYear(shape string, toks []pdTok) (Period, error) {
	if ps.cal == nil {
		return Period{}, ps.fail("fiscal and project years (FY2021, 2020/21, PY1) need the project calendar; " + periodForms)
	}
	num := func(i int) int { return toks[i].num }
	switch shape {
	case "pn": // PY2, Year 2, Project year 2
		return ps.projectYear(num(1))
	case "fY": // FY2021: the fiscal year that ends in 2021
		return ps.fiscalEnding(num(1))
	case "fn": // FY21
		return ps.fiscalEnding(2000 + num(1))
	}
	i := 0
	if shape[0] == 'f' {
		i = 1
	}
	a, b := toks[i], toks[i+1]
	switch {
	case b.class == 'Y' && b.num == a.num+1, b.class == 'n' && b.num == (a.num+1)%100:
		if shape == "YY" && ps.cal.yearStart() == time.January {
			return Period{}, ps.fail("two years: write 2020..2021 for a range (this project's years start in January)")
		}
		return ps.fiscal(a.num)
	}
	return Period{}, ps.fail(fmt.Sprintf("fiscal year %s/%s: the second year must follow the first (2020/21)", a.text, b.text))
}

// shape2idx returns the index of the number of a "qnY"/"snY" (1) or
// "nqY"/"nsY" (0) shape.
func shape2idx(shape string) int {
	if shape[0] == 'n' {
		return 0
	}
	return 1
}

func (ps *pdParser) fiscal(y int) (Period, error) {
	if err := ps.year(y); err != nil {
		return Period{}, err
	}
	return ps.cal.fiscalYear(y), nil
}

func (ps *pdParser) fiscalEnding(y int) (Period, error) {
	if err := ps.year(y); err != nil {
		return Period{}, err
	}
	if ps.cal.yearStart() == time.January {
		return ps.cal.fiscalYear(y), nil
	}
	return ps.fiscal(y - 1)
}

func (ps *pdParser) projectYear(n int) (Period, error) {
	if ps.cal.Start.IsZero() {
		return Period{}, ps.fail("project years need the project start date")
	}
	if n < 1 {
		return Period{}, ps.fail(fmt.Sprintf("project year %d (expected PY1 or later)", n))
	}
	p := ps.cal.ProjectYear(n)
	if err := ps.year(p.End.Year()); err != nil {
		return Period{}, err
	}
	return p, nil
}

// pdRangeSeps are tried in order: ".." and " to " always split; the dashes
// only when the whole text is not itself a single period (Q3 - 2021).
var pdRangeSeps = []string{"..", " to ", " - ", "–", "—"}

func (ps *pdParser) parse(s string) (Period, error) {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	ps.orig = strings.Join(strings.Fields(ps.orig), " ")
	for i, sep := range pdRangeSeps {
		a, b, found := strings.Cut(s, sep)
		if !found {
			continue
		}
		if i >= 2 { // a dash: a single period first
			if p, err := ps.single(s); err == nil {
				return p, nil
			}
		}
		a = strings.TrimPrefix(strings.TrimSpace(a), "from ")
		b = strings.TrimSpace(b)
		pa, err := ps.single(a)
		if err != nil {
			return Period{}, ps.rangeErr(a, err)
		}
		pb, err := ps.single(b)
		if err != nil {
			return Period{}, ps.rangeErr(b, err)
		}
		if pb.End.Before(pa.Start) {
			return Period{}, ps.fail(fmt.Sprintf("range ends (%s) before it starts (%s)", pb.End.Format("2006-01-02"), pa.Start.Format("2006-01-02")))
		}
		return Range(pa.Start, pb.End), nil
	}
	return ps.single(s)
}

// rangeErr reports a bad side of a range.
func (ps *pdParser) rangeErr(side string, err error) error {
	if side == "" {
		return ps.fail("range with an empty side; use 2020-09-01..2021-02-28")
	}
	msg := err.Error()
	if e, ok := err.(*pdError); ok {
		msg = e.reason
	}
	return ps.fail(fmt.Sprintf("in range, %q: %s", side, msg))
}

// ParsePeriod reads a period: the canonical forms 2021, 2021S1, 2021Q3,
// 2021-07, 2021-07-15 and 2020-09-01..2021-02-28, and the common spellings
// 2021-Q3, Q3 2021, Q3-2021, q3/2021, 3rd quarter 2021, 2021-S1, S1 2021,
// H1 2021, 2021H1, Jul 2021, July 2021, Jul-21 (Excel's mmm-yy), 2021/07,
// 07/2021, 2021-7, any date ParseDate accepts (day first with slashes or
// dots: 15/07/2021), an ISO timestamp (2021-07-15T00:00:00Z) and an Excel
// serial written as text with five digits (44392). Ranges join two periods
// with "..", " to " or " - " and run from the start of the first to the end
// of the second (Sep 2020 to Feb 2021). Case and surrounding spaces are
// ignored. Fiscal and project years need a Calendar (Calendar.ParsePeriod).
// Errors wrap ErrInvalid.
func ParsePeriod(s string) (Period, error) {
	ps := &pdParser{what: "period", orig: strings.TrimSpace(s)}
	return ps.parse(s)
}

// ParsePeriod reads everything the package-level ParsePeriod reads, plus the
// project's own years, returned as ranges (printed as such):
//   - PY1, PY 2, Year 2, Project year 2: the n-th project year, counted from
//     the project year (starting in month c.YearStart) that contains c.Start;
//   - FY2020/21, FY2020-2021, 2020/21, 2020-21, 2020/2021: the fiscal year
//     that starts in month c.YearStart of 2020 and ends the day before that
//     month in 2021 (2020/2021 without FY only when years do not start in
//     January, else it is an error);
//   - FY2021, FY21: the fiscal year that ENDS in 2021 (with a January year
//     start, simply 2021).
//
// 2011/12 and 2011-12 stay December 2011; write FY2011/12 for the fiscal
// year.
func (c Calendar) ParsePeriod(s string) (Period, error) {
	ps := &pdParser{cal: &c, what: "period", orig: strings.TrimSpace(s)}
	return ps.parse(s)
}

// ParseDate reads a day: 2021-07-15, 15/07/2021 and 15.07.2021 (day first),
// 15 July 2021, 15 Jul 2021, July 15, 2021, 20210715, an ISO timestamp
// (2021-07-15T00:00:00Z, 2021-07-15 10:30:00; the date as written is kept,
// whatever the zone), and an Excel serial written as text with five digits
// and an optional fraction (44392 or 44392.5; shorter numbers are refused:
// they look like years). The result is at midnight UTC. Errors wrap
// ErrInvalid.
func ParseDate(s string) (time.Time, error) {
	orig := strings.Join(strings.Fields(s), " ")
	ps := &pdParser{what: "date", orig: orig}
	t, ok, err := ps.date(strings.ToLower(orig))
	if err != nil {
		return time.Time{}, err
	}
	if !ok {
		if orig == "" {
			return time.Time{}, ps.fail("empty; " + dateForms)
		}
		return time.Time{}, ps.fail("not a date; " + dateForms)
	}
	return t, nil
}
