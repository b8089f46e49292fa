package indicators

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// PeriodKind is the granularity of a period.
type PeriodKind int

const (
	KindRange    PeriodKind = iota // start..end
	KindDay                        // 2021-07-15
	KindMonth                      // 2021-07
	KindQuarter                    // 2021Q3
	KindSemester                   // 2021S1
	KindYear                       // 2021
)

// String returns the kind's name: range, day, month, quarter, semester, year.
func (k PeriodKind) String() string {
	switch k {
	case KindRange:
		return "range"
	case KindDay:
		return "day"
	case KindMonth:
		return "month"
	case KindQuarter:
		return "quarter"
	case KindSemester:
		return "semester"
	case KindYear:
		return "year"
	}
	return fmt.Sprintf("PeriodKind(%d)", int(k))
}

// Period is a closed interval of days. Start and End are dates at midnight
// UTC; End is the last day included.
type Period struct {
	Kind  PeriodKind
	Start time.Time
	End   time.Time
}

// Range returns the period start..end (both days included).
func Range(start, end time.Time) Period {
	return Period{Kind: KindRange, Start: start, End: end}
}

// Compare orders periods by end, then by start (longer first): -1, 0 or +1.
func (p Period) Compare(q Period) int {
	switch {
	case p.End.Before(q.End):
		return -1
	case p.End.After(q.End):
		return 1
	case p.Start.Before(q.Start):
		return -1
	case p.Start.After(q.Start):
		return 1
	}
	return 0
}

// Calendar knows the project's own year (for project years that start in
// another month than January).
type Calendar struct {
	Start     time.Time  // project start
	YearStart time.Month // month a project year starts in; 0 means January
}

// ---------------------------------------------------------------------------
// Days

// pdDate returns y-m-d at midnight UTC (out-of-range values normalise like
// time.Date).
func pdDate(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// pdDay returns the calendar day of t (in t's own location) at midnight UTC.
func pdDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return pdDate(y, m, d)
}

// pdDayNum numbers the calendar day of t (in t's own location): days since
// 1970-01-01.
func pdDayNum(t time.Time) int64 {
	return pdDay(t).Unix() / 86400
}

func pdDaysIn(y int, m time.Month) int {
	return pdDate(y, m+1, 0).Day()
}

// ---------------------------------------------------------------------------
// Constructors

// Day returns the day of t (its calendar date in t's own location).
func Day(t time.Time) Period {
	d := pdDay(t)
	return Period{Kind: KindDay, Start: d, End: d}
}

// Month returns month m of year y. Out-of-range months normalise like
// time.Date (month 13 is January of the next year).
func Month(y int, m time.Month) Period {
	s := pdDate(y, m, 1)
	return Period{Kind: KindMonth, Start: s, End: s.AddDate(0, 1, -1)}
}

// Quarter returns quarter q (1..4) of year y; out-of-range quarters
// normalise like time.Date (quarter 5 is Q1 of the next year).
func Quarter(y, q int) Period {
	s := pdDate(y, time.Month((q-1)*3+1), 1)
	return Period{Kind: KindQuarter, Start: s, End: s.AddDate(0, 3, -1)}
}

// Semester returns semester s (1 or 2) of year y; out-of-range semesters
// normalise like time.Date.
func Semester(y, s int) Period {
	st := pdDate(y, time.Month((s-1)*6+1), 1)
	return Period{Kind: KindSemester, Start: st, End: st.AddDate(0, 6, -1)}
}

// Year returns the calendar year y.
func Year(y int) Period {
	return Period{Kind: KindYear, Start: pdDate(y, 1, 1), End: pdDate(y, 12, 31)}
}

// PeriodOf returns the period of the given calendar kind (day, month,
// quarter, semester, year) that contains the day of t. For KindRange or an
// unknown kind it returns the zero Period.
func PeriodOf(kind PeriodKind, t time.Time) Period {
	y, m, _ := t.Date()
	switch kind {
	case KindDay:
		return Day(t)
	case KindMonth:
		return Month(y, m)
	case KindQuarter:
		return Quarter(y, (int(m)-1)/3+1)
	case KindSemester:
		return Semester(y, (int(m)-1)/6+1)
	case KindYear:
		return Year(y)
	}
	return Period{}
}

// Periods returns the periods of a calendar kind that overlap from..to (days
// of from and to included), in order. The first may start before from and
// the last end after to: the quarters of 2019-09-01..2023-08-31 run from
// 2019Q3 to 2023Q3. For KindRange it returns the single range from..to. It
// returns nil when to is before from or the kind is unknown, and never more
// than MaxPeriods periods (dates are checked against MinYear..MaxYear where
// they come in; this bounds what an unchecked span could cost).
func Periods(from, to time.Time, kind PeriodKind) []Period {
	f, t := pdDay(from), pdDay(to)
	if t.Before(f) {
		return nil
	}
	if kind == KindRange {
		return []Period{Range(f, t)}
	}
	p := PeriodOf(kind, f)
	if p.Start.IsZero() {
		return nil
	}
	var out []Period
	for !p.Start.After(t) && len(out) < MaxPeriods {
		out = append(out, p)
		p = p.Next()
	}
	return out
}

// ---------------------------------------------------------------------------
// Methods

func (p Period) first() int64 { return pdDayNum(p.Start) }
func (p Period) last() int64  { return pdDayNum(p.End) }

// IsZero reports whether p is the zero Period (no period).
func (p Period) IsZero() bool {
	return p.Kind == KindRange && p.Start.IsZero() && p.End.IsZero()
}

// String returns the canonical form of p for its kind: 2021, 2021S1,
// 2021Q3, 2021-07, 2021-07-15, or 2020-09-01..2021-02-28 for a range (a
// range that happens to cover a calendar quarter still prints as a range; see
// Normalize). The zero Period prints as "".
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	y, m, _ := p.Start.Date()
	switch p.Kind {
	case KindDay:
		return p.Start.Format("2006-01-02")
	case KindMonth:
		return fmt.Sprintf("%04d-%02d", y, int(m))
	case KindQuarter:
		return fmt.Sprintf("%04dQ%d", y, (int(m)-1)/3+1)
	case KindSemester:
		return fmt.Sprintf("%04dS%d", y, (int(m)-1)/6+1)
	case KindYear:
		return fmt.Sprintf("%04d", y)
	}
	return p.Start.Format("2006-01-02") + ".." + p.End.Format("2006-01-02")
}

// Normalize returns the calendar period (day, month, quarter, semester or
// year) that covers exactly the same days as p, or p unchanged when there is
// none. Use it for wide-layout headers and imported ranges.
func Normalize(p Period) Period {
	if p.IsZero() || p.first() > p.last() {
		return p
	}
	for _, k := range []PeriodKind{KindDay, KindMonth, KindQuarter, KindSemester, KindYear} {
		if q := PeriodOf(k, p.Start); q.Equal(p) {
			return q
		}
	}
	return p
}

// Valid reports whether p is a well-formed period: a known kind, Start and
// End at midnight UTC with Start <= End, and for a calendar kind exactly the
// days of that calendar period.
func (p Period) Valid() bool {
	if p.Kind < KindRange || p.Kind > KindYear || p.Start.IsZero() || p.End.IsZero() {
		return false
	}
	for _, t := range []time.Time{p.Start, p.End} {
		if _, off := t.Zone(); off != 0 || !t.Equal(pdDay(t)) {
			return false
		}
	}
	if p.Start.After(p.End) {
		return false
	}
	if p.Kind == KindRange {
		return true
	}
	return PeriodOf(p.Kind, p.Start).Equal(p)
}

// InYears reports whether p lies within the years MinYear..MaxYear.
func (p Period) InYears() bool {
	return p.Start.Year() >= MinYear && p.End.Year() <= MaxYear
}

// MaxPeriods bounds the lists Periods builds: the days of
// MinYear..MaxYear (55,153) and a little more.
const MaxPeriods = 60000

// Equal reports whether p and q cover the same days, whatever their kinds
// (2021Q3 equals 2021-07-01..2021-09-30). Compare Kind too for the same
// spelling.
func (p Period) Equal(q Period) bool {
	return p.first() == q.first() && p.last() == q.last()
}

// Contains reports whether every day of q is in p.
func (p Period) Contains(q Period) bool {
	return p.first() <= q.first() && q.last() <= p.last()
}

// Overlaps reports whether p and q share at least one day.
func (p Period) Overlaps(q Period) bool {
	return p.first() <= q.last() && q.first() <= p.last()
}

// ContainsDate reports whether the day of t (in t's own location) is in p.
func (p Period) ContainsDate(t time.Time) bool {
	n := pdDayNum(t)
	return p.first() <= n && n <= p.last()
}

// Days returns the number of days in p, both ends included (0 or less when
// End is before Start).
func (p Period) Days() int {
	return int(p.last() - p.first() + 1)
}

// Next returns the following period of the same kind: the next month,
// quarter, ...; for a range of whole months (2020-09-01..2021-02-28), the
// same number of months after it (2021-03-01..2021-08-31); for another
// range, the range of the same length that starts the day after p ends.
func (p Period) Next() Period {
	if p.Kind == KindRange {
		if n, ok := p.wholeMonths(); ok {
			s := pdDay(p.End).AddDate(0, 0, 1)
			return Range(s, s.AddDate(0, n, -1))
		}
		n := p.Days()
		s := pdDay(p.End).AddDate(0, 0, 1)
		return Range(s, s.AddDate(0, 0, n-1))
	}
	return PeriodOf(p.Kind, pdDay(p.End).AddDate(0, 0, 1))
}

// Prev returns the preceding period of the same kind; for a range of whole
// months, the same number of months before it; for another range, the
// range of the same length that ends the day before p starts.
func (p Period) Prev() Period {
	if p.Kind == KindRange {
		if n, ok := p.wholeMonths(); ok {
			s := pdDay(p.Start).AddDate(0, -n, 0)
			return Range(s, pdDay(p.Start).AddDate(0, 0, -1))
		}
		n := p.Days()
		e := pdDay(p.Start).AddDate(0, 0, -1)
		return Range(e.AddDate(0, 0, -(n-1)), e)
	}
	return PeriodOf(p.Kind, pdDay(p.Start).AddDate(0, 0, -1))
}

// wholeMonths reports whether p starts on the first day of a month and
// ends on the last day of a month, and how many months it spans.
func (p Period) wholeMonths() (int, bool) {
	s, e := pdDay(p.Start), pdDay(p.End)
	if s.Day() != 1 || e.AddDate(0, 0, 1).Day() != 1 || e.Before(s) {
		return 0, false
	}
	n := (e.Year()-s.Year())*12 + int(e.Month()) - int(s.Month()) + 1
	return n, true
}

// Elapsed returns the share of the project's days elapsed by the end of day
// asOf, clamped to [0,1]: 1 on the project's last day, 1/Days() on its first,
// 0 before it starts or when the project period is empty.
func Elapsed(project Period, asOf time.Time) float64 {
	total := project.Days()
	if total <= 0 || project.Start.IsZero() || project.End.IsZero() {
		return 0
	}
	done := pdDayNum(asOf) - project.first() + 1
	switch {
	case done <= 0:
		return 0
	case done >= int64(total):
		return 1
	}
	return float64(done) / float64(total)
}

// KindFromReporting maps a project's reporting frequency to a period kind:
// monthly; quarterly; semiannual, semi-annual, biannual, half-yearly
// (semester); annual, annually, yearly. Case and spaces are ignored.
func KindFromReporting(s string) (PeriodKind, error) {
	w := strings.ToLower(strings.Join(strings.Fields(s), " "))
	switch strings.NewReplacer(" ", "", "-", "", "_", "").Replace(w) {
	case "monthly", "month":
		return KindMonth, nil
	case "quarterly", "quarter":
		return KindQuarter, nil
	case "semiannual", "semiannually", "biannual", "biannually", "halfyearly", "semester", "semestrial", "sixmonthly":
		return KindSemester, nil
	case "annual", "annually", "yearly", "year":
		return KindYear, nil
	}
	return KindRange, fmt.Errorf("%w: reporting frequency %q: expected monthly, quarterly, semiannual or annual", ErrInvalid, strings.TrimSpace(s))
}

// ---------------------------------------------------------------------------
// Excel serials

// excelMaxSerial is 9999-12-31 in Excel's 1900 date system.
const excelMaxSerial = 2958465

// excel1904Offset is how many days the 1904 date system's serials lag the
// 1900 system's: serial 0 of 1904 (1904-01-01) is serial 1462 of 1900.
const excel1904Offset = 1462

// DateFromExcelSerial converts an Excel serial date to a day at midnight
// UTC; it is the one converter of Excel serials (the importers read date
// cells with it). The fraction (time of day) is ignored.
//
// In the 1900 date system (date1904 false, Excel's default) 1 is
// 1900-01-01; Excel counts a 29 February 1900 that never existed (serial
// 60), so serials from 61 on are one day ahead of a plain count: 59 is
// 1900-02-28, 61 is 1900-03-01, 45658 is 2025-01-01. Serial 60 and serials
// below 1 or above 2958465 (9999-12-31) are errors.
//
// In the 1904 date system (date1904 true: a workbook whose
// xl/workbook.xml says <workbookPr date1904="1"/>, as Excel for Mac may
// save it) 0 is 1904-01-01 and 44196 is 2025-01-01; serials below 0 or
// above 2957003 (9999-12-31) are errors.
func DateFromExcelSerial(f float64, date1904 bool) (time.Time, error) {
	if reason := excelSerialProblem(f, date1904); reason != "" {
		return time.Time{}, &pdError{what: "Excel date serial", seen: strconv.FormatFloat(f, 'g', -1, 64), reason: reason}
	}
	n := int(math.Floor(f))
	switch {
	case date1904:
		return pdDate(1904, 1, 1+n), nil
	case n < 60:
		return pdDate(1899, 12, 31+n), nil
	}
	return pdDate(1899, 12, 30+n), nil
}

// excelSerialProblem says why f is not a usable Excel serial date, or "".
func excelSerialProblem(f float64, date1904 bool) string {
	if date1904 {
		if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f >= excelMaxSerial-excel1904Offset+1 {
			return fmt.Sprintf("expected a number from 0 (1904-01-01) to %d (9999-12-31) in a workbook that counts dates from 1904", excelMaxSerial-excel1904Offset)
		}
		return ""
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 1 || f >= excelMaxSerial+1 {
		return fmt.Sprintf("expected a number from 1 (1900-01-01) to %d (9999-12-31)", excelMaxSerial)
	}
	if math.Floor(f) == 60 {
		return "serial 60 is 29 February 1900, a day that does not exist (Excel's 1900 leap-year bug)"
	}
	return ""
}

// PeriodFromExcelSerial returns the day of an Excel serial date; see
// DateFromExcelSerial.
func PeriodFromExcelSerial(f float64, date1904 bool) (Period, error) {
	t, err := DateFromExcelSerial(f, date1904)
	if err != nil {
		return Period{}, err
	}
	return Day(t), nil
}

// ---------------------------------------------------------------------------
// Parsing

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

func (c Calendar) yearStart() time.Month {
	if c.YearStart < 1 || c.YearStart > 12 {
		return time.January
	}
	return c.YearStart
}

// fiscalYear returns the project (fiscal) year that starts in the calendar's
// year-start month of year y, as a range.
func (c Calendar) fiscalYear(y int) Period {
	s := pdDate(y, c.yearStart(), 1)
	return Range(s, s.AddDate(1, 0, -1))
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

// ProjectYear returns the n-th project year (n = 1 is the project year that
// contains c.Start), aligned on c.YearStart, as a range.
func (c Calendar) ProjectYear(n int) Period {
	first := c.YearOf(c.Start)
	return c.fiscalYear(first.Start.Year() + n - 1)
}

// YearOf returns the project year (starting in month c.YearStart) that
// contains the day of t, as a range.
func (c Calendar) YearOf(t time.Time) Period {
	y, m, _ := t.Date()
	if m < c.yearStart() {
		y--
	}
	return c.fiscalYear(y)
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
