package indicators

import (
	"fmt"
	"strings"
	"time"
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
// Project years (parsing: period_parse.go; Excel serials: excel_date.go)

// yearStart is the month the calendar's years start in (January unless
// set).
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
