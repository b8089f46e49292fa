package indicators

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

func TestParsePeriodValid(t *testing.T) {
	tests := []struct {
		in   string
		kind PeriodKind
		want string // canonical String()
	}{
		// canonical forms
		{"2021", KindYear, "2021"},
		{"2021S1", KindSemester, "2021S1"},
		{"2021S2", KindSemester, "2021S2"},
		{"2021Q3", KindQuarter, "2021Q3"},
		{"2021-07", KindMonth, "2021-07"},
		{"2021-07-15", KindDay, "2021-07-15"},
		{"2020-09-01..2021-02-28", KindRange, "2020-09-01..2021-02-28"},
		// quarters
		{"2021-Q3", KindQuarter, "2021Q3"},
		{"2021 Q3", KindQuarter, "2021Q3"},
		{"Q3 2021", KindQuarter, "2021Q3"},
		{"Q3-2021", KindQuarter, "2021Q3"},
		{"q3/2021", KindQuarter, "2021Q3"},
		{"  q1 2020 ", KindQuarter, "2020Q1"},
		{"2021q4", KindQuarter, "2021Q4"},
		{"Quarter 2, 2021", KindQuarter, "2021Q2"},
		{"3rd quarter 2021", KindQuarter, "2021Q3"},
		{"Q3 - 2021", KindQuarter, "2021Q3"},
		// semesters
		{"2021-S1", KindSemester, "2021S1"},
		{"S1 2021", KindSemester, "2021S1"},
		{"s2-2021", KindSemester, "2021S2"},
		{"H1 2021", KindSemester, "2021S1"},
		{"2021H2", KindSemester, "2021S2"},
		{"2nd half 2021", KindSemester, "2021S2"},
		// months
		{"Jul 2021", KindMonth, "2021-07"},
		{"July 2021", KindMonth, "2021-07"},
		{"JULY 2021", KindMonth, "2021-07"},
		{"Sept 2021", KindMonth, "2021-09"},
		{"2021 Jul", KindMonth, "2021-07"},
		{"Jul-21", KindMonth, "2021-07"},
		{"2021/07", KindMonth, "2021-07"},
		{"07/2021", KindMonth, "2021-07"},
		{"7/2021", KindMonth, "2021-07"},
		{"2021-7", KindMonth, "2021-07"},
		{"2011-12", KindMonth, "2011-12"},
		// days
		{"15/07/2021", KindDay, "2021-07-15"},
		{"15.07.2021", KindDay, "2021-07-15"},
		{"5/7/2021", KindDay, "2021-07-05"},
		{"15 July 2021", KindDay, "2021-07-15"},
		{"15th July 2021", KindDay, "2021-07-15"},
		{"July 15, 2021", KindDay, "2021-07-15"},
		{"2021-Jul-15", KindDay, "2021-07-15"},
		{"20210715", KindDay, "2021-07-15"},
		{"2021-07-15T00:00:00Z", KindDay, "2021-07-15"},
		{"2021-07-15T00:00:00.000Z", KindDay, "2021-07-15"},
		{"2021-07-15T23:30:00+02:00", KindDay, "2021-07-15"},
		{"2021-07-15 00:00:00", KindDay, "2021-07-15"},
		{"2021-07-15T10:30", KindDay, "2021-07-15"},
		{"44378", KindDay, "2021-07-01"},
		{"44378.75", KindDay, "2021-07-01"},
		{"2020-02-29", KindDay, "2020-02-29"},
		// ranges
		{"2020-09-01 .. 2021-02-28", KindRange, "2020-09-01..2021-02-28"},
		{"2020-09-01 to 2021-02-28", KindRange, "2020-09-01..2021-02-28"},
		{"From 1 September 2020 to 28 February 2021", KindRange, "2020-09-01..2021-02-28"},
		{"2020-09-01 - 2021-02-28", KindRange, "2020-09-01..2021-02-28"},
		{"01/09/2020 - 28/02/2021", KindRange, "2020-09-01..2021-02-28"},
		{"2020-09-01 – 2021-02-28", KindRange, "2020-09-01..2021-02-28"},
		{"Sep 2020 to Feb 2021", KindRange, "2020-09-01..2021-02-28"},
		{"2021Q1..2021Q2", KindRange, "2021-01-01..2021-06-30"},
		{"2020 - 2021", KindRange, "2020-01-01..2021-12-31"},
		{"2021-07-15..2021-07-15", KindRange, "2021-07-15..2021-07-15"},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in)
		if err != nil {
			t.Errorf("ParsePeriod(%q): %v", tt.in, err)
			continue
		}
		if p.Kind != tt.kind || p.String() != tt.want {
			t.Errorf("ParsePeriod(%q) = %v %q, want %v %q", tt.in, p.Kind, p.String(), tt.kind, tt.want)
		}
		if !p.Valid() {
			t.Errorf("ParsePeriod(%q) = %#v is not Valid", tt.in, p)
		}
	}
}

func TestParsePeriodInvalid(t *testing.T) {
	tests := []struct {
		in   string
		want string // part of the error text
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"2021Q5", `period "2021Q5": quarter 5 out of range (expected Q1 to Q4)`},
		{"Q0 2021", "quarter 0 out of range"},
		{"2021S3", "semester 3 out of range (expected S1 or S2)"},
		{"H3 2021", "semester 3"},
		{"2021-13", "month 13 out of range"},
		{"13/2021", "month 13 out of range"},
		{"2021-02-30", "no day 30 in 2021-02"},
		{"2021-02-29", "no day 29 in 2021-02"},
		{"31/04/2021", "no day 31 in 2021-04"},
		{"07/15/2021", "day first"},
		{"Jux 2021", `unknown word "jux"`},
		{"hello", `period "hello": unknown word "hello"`},
		{"2021Q3!", `unexpected character '!'`},
		{"0999", "year 999 is outside the years rmf accepts (1950 to 2100)"},
		{"1949Q4", "year 1949 is outside"}, {"2101", "year 2101 is outside"}, {"0001-01-01", "year 1 is outside"},
		{"9999-12-31", "year 9999 is outside"}, {"99999", "year 2173 is outside"},
		{"20210", "not a period"}, // 5-digit text is an Excel serial; this one is fine actually
		{"123", "not a period"},
		{"Jul", "not a period"},
		{"Jul 5", "month without a year"},
		{"2021-07-15..2021-07-01", "range ends (2021-07-01) before it starts (2021-07-15)"},
		{"2021-07-15..", "range with an empty side"},
		{"2021-07-15..bad", `in range, "bad": unknown word "bad"`},
		{"2021-07-15 to 2021-02-30", `in range, "2021-02-30": no day 30 in 2021-02`},
		{"FY2021", "need the project calendar"},
		{"PY1", "need the project calendar"},
		{"2020/21", "looks like a fiscal year"},
		{"2021-07-15T25:00:00Z", "unexpected character ':'"},
		{"60", "not a period"},
		{"00060", "29 February 1900"},
		{"2021 Q3 Q4", "not a period"},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in)
		if tt.in == "20210" { // 20210 is serial 20210 = 1955-05-01: valid
			if err != nil || p.String() != "1955-05-01" {
				t.Errorf("ParsePeriod(%q) = %v, %v; want 1955-05-01", tt.in, p, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParsePeriod(%q) = %v, want an error", tt.in, p)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("ParsePeriod(%q) error %v does not wrap ErrInvalid", tt.in, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePeriod(%q) error %q, want it to contain %q", tt.in, err, tt.want)
		}
	}
	// The generic message lists the accepted forms.
	_, err := ParsePeriod("whenever")
	if err == nil || !strings.Contains(err.Error(), "2021Q3") || !strings.Contains(err.Error(), "2020-09-01..2021-02-28") {
		t.Errorf("generic error should list accepted forms: %v", err)
	}
}

func TestStringRoundTrip(t *testing.T) {
	ps := []Period{
		Day(d(2021, 7, 15)), Month(2021, 7), Month(2020, 12), Quarter(2021, 1), Quarter(2021, 4),
		Semester(2021, 1), Semester(2021, 2), Year(2021), Year(1950), Year(2100),
		Range(d(2020, 9, 1), d(2021, 2, 28)), Range(d(2021, 7, 1), d(2021, 9, 30)), Range(d(2021, 7, 15), d(2021, 7, 15)),
	}
	for _, p := range ps {
		q, err := ParsePeriod(p.String())
		if err != nil {
			t.Errorf("ParsePeriod(%q): %v", p, err)
			continue
		}
		if q.Kind != p.Kind || !q.Equal(p) || !q.Start.Equal(p.Start) || !q.End.Equal(p.End) {
			t.Errorf("round trip of %q gave %v %q", p, q.Kind, q)
		}
	}
	if s := (Period{}).String(); s != "" {
		t.Errorf("zero Period prints %q, want empty", s)
	}
}

func TestConstructors(t *testing.T) {
	tests := []struct {
		p          Period
		start, end time.Time
		s          string
	}{
		{Day(time.Date(2021, 7, 15, 23, 59, 0, 0, time.FixedZone("X", 8*3600))), d(2021, 7, 15), d(2021, 7, 15), "2021-07-15"},
		{Month(2020, 2), d(2020, 2, 1), d(2020, 2, 29), "2020-02"},
		{Month(2021, 13), d(2022, 1, 1), d(2022, 1, 31), "2022-01"},
		{Quarter(2021, 3), d(2021, 7, 1), d(2021, 9, 30), "2021Q3"},
		{Quarter(2021, 5), d(2022, 1, 1), d(2022, 3, 31), "2022Q1"},
		{Semester(2021, 2), d(2021, 7, 1), d(2021, 12, 31), "2021S2"},
		{Year(2021), d(2021, 1, 1), d(2021, 12, 31), "2021"},
	}
	for _, tt := range tests {
		if !tt.p.Start.Equal(tt.start) || !tt.p.End.Equal(tt.end) || tt.p.String() != tt.s || !tt.p.Valid() {
			t.Errorf("%v: got %v..%v %q valid=%v", tt.s, tt.p.Start, tt.p.End, tt.p.String(), tt.p.Valid())
		}
		if tt.p.Start.Location() != time.UTC {
			t.Errorf("%v: start not UTC", tt.s)
		}
	}
}

func TestExcelSerial(t *testing.T) {
	// Worked by hand: 1900 system, serial n is 1899-12-31 + n days up to 59
	// and 1899-12-30 + n days from 61 (Excel's phantom 1900-02-29 is 60);
	// 1904 system, serial n is 1904-01-01 + n days. 2025-01-01 is 45658 in
	// the first and 45658 - 1462 = 44196 in the second.
	tests := []struct {
		f        float64
		date1904 bool
		want     time.Time
	}{
		{1, false, d(1900, 1, 1)},
		{1.99, false, d(1900, 1, 1)},
		{31, false, d(1900, 1, 31)},
		{59, false, d(1900, 2, 28)},
		{61, false, d(1900, 3, 1)},
		{44378, false, d(2021, 7, 1)},
		{44378.5, false, d(2021, 7, 1)},
		{43709, false, d(2019, 9, 1)},
		{45658, false, d(2025, 1, 1)},
		{2958465, false, d(9999, 12, 31)},
		{0, true, d(1904, 1, 1)},
		{0.75, true, d(1904, 1, 1)},
		{59, true, d(1904, 2, 29)}, // 1904 was a leap year
		{366, true, d(1905, 1, 1)},
		{44196, true, d(2025, 1, 1)},
		{42916, true, d(2021, 7, 1)},
		{2957003, true, d(9999, 12, 31)},
	}
	for _, tt := range tests {
		got, err := DateFromExcelSerial(tt.f, tt.date1904)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("DateFromExcelSerial(%v, %v) = %v, %v; want %v", tt.f, tt.date1904, got, err, tt.want)
		}
		p, err := PeriodFromExcelSerial(tt.f, tt.date1904)
		if err != nil || p.Kind != KindDay || !p.Start.Equal(tt.want) || !p.End.Equal(tt.want) {
			t.Errorf("PeriodFromExcelSerial(%v, %v) = %v, %v", tt.f, tt.date1904, p, err)
		}
	}
	bad := []struct {
		f        float64
		date1904 bool
	}{
		{0, false}, {0.5, false}, {-1, false}, {60, false}, {60.5, false}, {2958466, false}, {1e12, false},
		{math.NaN(), false}, {math.Inf(1), false},
		{-0.5, true}, {-1, true}, {2957004, true}, {math.NaN(), true}, {math.Inf(-1), true},
	}
	for _, tt := range bad {
		if _, err := DateFromExcelSerial(tt.f, tt.date1904); !errors.Is(err, ErrInvalid) {
			t.Errorf("DateFromExcelSerial(%v, %v): err = %v, want ErrInvalid", tt.f, tt.date1904, err)
		}
		if _, err := PeriodFromExcelSerial(tt.f, tt.date1904); !errors.Is(err, ErrInvalid) {
			t.Errorf("PeriodFromExcelSerial(%v, %v): err = %v, want ErrInvalid", tt.f, tt.date1904, err)
		}
	}
	_, err := DateFromExcelSerial(60, false)
	if err == nil || !strings.Contains(err.Error(), "29 February 1900") {
		t.Errorf("serial 60: %v", err)
	}
	if _, err := DateFromExcelSerial(60, true); err != nil {
		t.Errorf("serial 60 of 1904 (1904-03-01): %v", err)
	}
}

func TestParseDate(t *testing.T) {
	good := map[string]time.Time{
		"2021-07-15":                d(2021, 7, 15),
		"15/07/2021":                d(2021, 7, 15),
		"15.07.2021":                d(2021, 7, 15),
		"15 July 2021":              d(2021, 7, 15),
		"15 jul 2021":               d(2021, 7, 15),
		"July 15, 2021":             d(2021, 7, 15),
		"2021-07-15T00:00:00Z":      d(2021, 7, 15),
		"2021-07-15T00:00:00+05:00": d(2021, 7, 15),
		"2021-07-15 13:45:10":       d(2021, 7, 15),
		"44392":                     d(2021, 7, 15),
		" 44392.25 ":                d(2021, 7, 15),
		"20210715":                  d(2021, 7, 15),
		"1/9/2019":                  d(2019, 9, 1),
	}
	for in, want := range good {
		got, err := ParseDate(in)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":           "empty",
		"2021":       "not a date",
		"2021-07":    "not a date",
		"2021Q3":     "not a date",
		"2021-02-29": "no day 29 in 2021-02",
		"13/13/2021": "month 13 out of range",
		"07/15/2021": "day first",
		"00060":      "29 February 1900",
		"someday":    `date "someday": not a date; use 2021-07-15`,
	}
	for in, want := range bad {
		_, err := ParseDate(in)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDate(%q) error %v, want ErrInvalid containing %q", in, err, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		p    Period
		want string
		kind PeriodKind
	}{
		{Range(d(2021, 7, 1), d(2021, 9, 30)), "2021Q3", KindQuarter},
		{Range(d(2021, 7, 1), d(2021, 7, 31)), "2021-07", KindMonth},
		{Range(d(2021, 7, 1), d(2021, 12, 31)), "2021S2", KindSemester},
		{Range(d(2021, 1, 1), d(2021, 12, 31)), "2021", KindYear},
		{Range(d(2021, 7, 4), d(2021, 7, 4)), "2021-07-04", KindDay},
		{Range(d(2020, 9, 1), d(2021, 8, 31)), "2020-09-01..2021-08-31", KindRange},
		{Range(d(2021, 8, 1), d(2021, 10, 31)), "2021-08-01..2021-10-31", KindRange},
		{Quarter(2021, 2), "2021Q2", KindQuarter},
	}
	for _, tt := range tests {
		got := Normalize(tt.p)
		if got.String() != tt.want || got.Kind != tt.kind {
			t.Errorf("Normalize(%v) = %v %q, want %v %q", tt.p, got.Kind, got, tt.kind, tt.want)
		}
	}
	// Parsed ranges keep their kind until normalised.
	p, _ := ParsePeriod("2021-07-01..2021-09-30")
	if p.Kind != KindRange || p.String() != "2021-07-01..2021-09-30" {
		t.Errorf("range kept as parsed: got %v %q", p.Kind, p)
	}
}

func TestPeriodMethods(t *testing.T) {
	q3 := Quarter(2021, 3)
	if !q3.Contains(Month(2021, 8)) || !q3.Contains(q3) || q3.Contains(Month(2021, 10)) || q3.Contains(Semester(2021, 2)) {
		t.Error("Contains")
	}
	if !q3.Overlaps(Semester(2021, 2)) || !q3.Overlaps(Range(d(2021, 9, 30), d(2022, 1, 5))) || q3.Overlaps(Quarter(2021, 4)) || q3.Overlaps(Month(2021, 6)) {
		t.Error("Overlaps")
	}
	if !q3.ContainsDate(d(2021, 7, 1)) || !q3.ContainsDate(time.Date(2021, 9, 30, 23, 59, 59, 0, time.UTC)) || q3.ContainsDate(d(2021, 10, 1)) || q3.ContainsDate(d(2021, 6, 30)) {
		t.Error("ContainsDate")
	}
	days := map[string]int{"2021Q3": 92, "2020": 366, "2021": 365, "2020-02": 29, "2021-07-15": 1, "2021S1": 181, "2020-09-01..2021-02-28": 181}
	for s, n := range days {
		p, _ := ParsePeriod(s)
		if p.Days() != n {
			t.Errorf("%s.Days() = %d, want %d", s, p.Days(), n)
		}
	}
	if !q3.Equal(Range(d(2021, 7, 1), d(2021, 9, 30))) || q3.Equal(Month(2021, 7)) {
		t.Error("Equal")
	}
	nexts := []struct{ p, next, prev string }{
		{"2021Q4", "2022Q1", "2021Q3"},
		{"2021Q1", "2021Q2", "2020Q4"},
		{"2021-12", "2022-01", "2021-11"},
		{"2021-01", "2021-02", "2020-12"},
		{"2021S2", "2022S1", "2021S1"},
		{"2021", "2022", "2020"},
		{"2020-02-28", "2020-02-29", "2020-02-27"},
		{"2020-09-01..2021-02-28", "2021-03-01..2021-08-31", "2020-03-01..2020-08-31"},
		{"2020-09-15..2021-02-28", "2021-03-01..2021-08-14", "2020-04-01..2020-09-14"},
		{"2019-09-01..2020-08-31", "2020-09-01..2021-08-31", "2018-09-01..2019-08-31"},
	}
	for _, tt := range nexts {
		p, _ := ParsePeriod(tt.p)
		if got := p.Next().String(); got != tt.next {
			t.Errorf("%s.Next() = %s, want %s", tt.p, got, tt.next)
		}
		if got := p.Prev().String(); got != tt.prev {
			t.Errorf("%s.Prev() = %s, want %s", tt.p, got, tt.prev)
		}
		if got := p.Next().Prev(); !got.Equal(p) || got.Kind != p.Kind {
			t.Errorf("%s.Next().Prev() = %s", tt.p, got)
		}
	}
	invalid := []Period{
		{},
		{Kind: KindQuarter, Start: d(2021, 7, 1), End: d(2021, 9, 29)},
		{Kind: KindMonth, Start: d(2021, 7, 2), End: d(2021, 7, 31)},
		Range(d(2021, 7, 2), d(2021, 7, 1)),
		Range(d(2021, 7, 1).Add(time.Hour), d(2021, 7, 3)),
		{Kind: PeriodKind(42), Start: d(2021, 7, 1), End: d(2021, 7, 1)},
	}
	for _, p := range invalid {
		if p.Valid() {
			t.Errorf("%#v should not be Valid", p)
		}
	}
}

func TestPeriods(t *testing.T) {
	str := func(ps []Period) string {
		s := make([]string, len(ps))
		for i, p := range ps {
			s[i] = p.String()
		}
		return strings.Join(s, " ")
	}
	from, to := d(2019, 9, 1), d(2023, 8, 31)
	qs := Periods(from, to, KindQuarter)
	if len(qs) != 17 || qs[0].String() != "2019Q3" || qs[len(qs)-1].String() != "2023Q3" {
		t.Errorf("quarters of the project: %s", str(qs))
	}
	for i := 1; i < len(qs); i++ {
		if !qs[i].Start.Equal(qs[i-1].End.AddDate(0, 0, 1)) {
			t.Errorf("gap between %s and %s", qs[i-1], qs[i])
		}
	}
	tests := []struct {
		from, to time.Time
		kind     PeriodKind
		want     string
	}{
		{from, to, KindYear, "2019 2020 2021 2022 2023"},
		{from, to, KindSemester, "2019S2 2020S1 2020S2 2021S1 2021S2 2022S1 2022S2 2023S1 2023S2"},
		{d(2021, 7, 1), d(2021, 9, 30), KindQuarter, "2021Q3"},
		{d(2021, 6, 30), d(2021, 10, 1), KindQuarter, "2021Q2 2021Q3 2021Q4"},
		{d(2021, 7, 1), d(2021, 7, 1), KindQuarter, "2021Q3"},
		{d(2021, 1, 31), d(2021, 3, 1), KindMonth, "2021-01 2021-02 2021-03"},
		{d(2020, 2, 27), d(2020, 3, 1), KindDay, "2020-02-27 2020-02-28 2020-02-29 2020-03-01"},
		{d(2021, 7, 1), d(2021, 9, 30), KindRange, "2021-07-01..2021-09-30"},
		{d(2021, 7, 2), d(2021, 7, 1), KindQuarter, ""},
		{d(2021, 7, 1), d(2021, 7, 2), PeriodKind(42), ""},
	}
	for _, tt := range tests {
		if got := str(Periods(tt.from, tt.to, tt.kind)); got != tt.want {
			t.Errorf("Periods(%s, %s, %v) = %q, want %q", tt.from.Format("2006-01-02"), tt.to.Format("2006-01-02"), tt.kind, got, tt.want)
		}
	}
}

func TestKindFromReporting(t *testing.T) {
	good := map[string]PeriodKind{
		"monthly": KindMonth, "Quarterly": KindQuarter, " QUARTERLY ": KindQuarter,
		"semiannual": KindSemester, "semi-annual": KindSemester, "Semi annual": KindSemester,
		"biannual": KindSemester, "half-yearly": KindSemester, "half yearly": KindSemester,
		"annual": KindYear, "annually": KindYear, "yearly": KindYear,
	}
	for in, want := range good {
		if got, err := KindFromReporting(in); err != nil || got != want {
			t.Errorf("KindFromReporting(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "weekly", "biennial", "sometimes"} {
		_, err := KindFromReporting(in)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "expected monthly, quarterly, semiannual or annual") {
			t.Errorf("KindFromReporting(%q) error %v", in, err)
		}
	}
}

func TestCalendar(t *testing.T) {
	c := Calendar{Start: d(2019, 9, 1), YearStart: time.September}
	tests := []struct{ in, want string }{
		{"PY1", "2019-09-01..2020-08-31"},
		{"py 2", "2020-09-01..2021-08-31"},
		{"Year 4", "2022-09-01..2023-08-31"},
		{"Project year 3", "2021-09-01..2022-08-31"},
		{"2020/21", "2020-09-01..2021-08-31"},
		{"2020-21", "2020-09-01..2021-08-31"},
		{"2020/2021", "2020-09-01..2021-08-31"},
		{"2020-2021", "2020-09-01..2021-08-31"},
		{"FY2020/21", "2020-09-01..2021-08-31"},
		{"fy 2020-2021", "2020-09-01..2021-08-31"},
		{"FY2021", "2020-09-01..2021-08-31"}, // the fiscal year that ends in 2021
		{"FY21", "2020-09-01..2021-08-31"},
		{"2099/00", "2099-09-01..2100-08-31"},
		{"PY1..PY2", "2019-09-01..2021-08-31"},
		{"PY2 to 2021Q4", "2020-09-01..2021-12-31"},
		// everything ParsePeriod reads
		{"2021Q3", "2021Q3"},
		{"Jul 2021", "2021-07"},
		{"2011-12", "2011-12"},
		{"2020-09-01..2021-02-28", "2020-09-01..2021-02-28"},
	}
	for _, tt := range tests {
		p, err := c.ParsePeriod(tt.in)
		if err != nil {
			t.Errorf("Calendar.ParsePeriod(%q): %v", tt.in, err)
			continue
		}
		if p.String() != tt.want || !p.Valid() {
			t.Errorf("Calendar.ParsePeriod(%q) = %q, want %q", tt.in, p, tt.want)
		}
		// Printed project years read back as the same days without the calendar.
		if q, err := ParsePeriod(p.String()); err != nil || !q.Equal(p) {
			t.Errorf("round trip of %q: %v, %v", p, q, err)
		}
	}
	bad := map[string]string{
		"PY0":       "project year 0",
		"FY2020/22": "the second year must follow the first",
		"2020/22":   "month 22 out of range",
		"FY":        "not a period",
		"PY 2x":     "unknown word",
	}
	for in, want := range bad {
		_, err := c.ParsePeriod(in)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("Calendar.ParsePeriod(%q) error %v, want %q", in, err, want)
		}
	}
	if _, err := (Calendar{YearStart: 9}).ParsePeriod("PY1"); err == nil || !strings.Contains(err.Error(), "project start") {
		t.Errorf("PY1 without start: %v", err)
	}

	if got := c.ProjectYear(1).String(); got != "2019-09-01..2020-08-31" {
		t.Errorf("ProjectYear(1) = %s", got)
	}
	// A project that starts mid-year: PY1 is the aligned year containing the start.
	late := Calendar{Start: d(2019, 10, 15), YearStart: time.September}
	if got := late.ProjectYear(2).String(); got != "2020-09-01..2021-08-31" {
		t.Errorf("late.ProjectYear(2) = %s", got)
	}
	early := Calendar{Start: d(2019, 3, 15), YearStart: time.September}
	if got := early.ProjectYear(1).String(); got != "2018-09-01..2019-08-31" {
		t.Errorf("early.ProjectYear(1) = %s", got)
	}
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{d(2021, 8, 31), "2020-09-01..2021-08-31"},
		{d(2021, 9, 1), "2021-09-01..2022-08-31"},
		{d(2021, 1, 1), "2020-09-01..2021-08-31"},
	} {
		if got := c.YearOf(tt.t).String(); got != tt.want {
			t.Errorf("YearOf(%v) = %s, want %s", tt.t, got, tt.want)
		}
	}

	// A calendar with January years: fiscal years are calendar years (as ranges).
	jan := Calendar{Start: d(2019, 9, 1)}
	for in, want := range map[string]string{
		"FY2021":      "2021-01-01..2021-12-31",
		"FY2020/21":   "2020-01-01..2020-12-31",
		"PY1":         "2019-01-01..2019-12-31",
		"2020 - 2021": "2020-01-01..2021-12-31",
	} {
		if p, err := jan.ParsePeriod(in); err != nil || p.String() != want {
			t.Errorf("jan.ParsePeriod(%q) = %v, %v; want %s", in, p, err, want)
		}
	}
	if _, err := jan.ParsePeriod("2020-2021"); err == nil || !strings.Contains(err.Error(), "2020..2021") {
		t.Errorf("jan 2020-2021: %v", err)
	}
}

func TestElapsed(t *testing.T) {
	project := Range(d(2019, 9, 1), d(2023, 8, 31))
	if project.Days() != 1461 {
		t.Fatalf("project days = %d", project.Days())
	}
	tests := []struct {
		asOf time.Time
		want float64
	}{
		{d(2019, 8, 31), 0},
		{d(2019, 9, 1), 1.0 / 1461},
		{d(2021, 8, 31), 731.0 / 1461},
		{time.Date(2021, 8, 31, 18, 0, 0, 0, time.UTC), 731.0 / 1461},
		{d(2023, 8, 30), 1460.0 / 1461},
		{d(2023, 8, 31), 1},
		{d(2030, 1, 1), 1},
	}
	for _, tt := range tests {
		if got := Elapsed(project, tt.asOf); got != tt.want {
			t.Errorf("Elapsed(%v) = %v, want %v", tt.asOf, got, tt.want)
		}
	}
	if got := Elapsed(project, d(2021, 8, 31)); math.Abs(got-0.5) > 0.001 {
		t.Errorf("mid-term elapsed = %v, want about 0.5", got)
	}
	if got := Elapsed(Period{}, d(2021, 1, 1)); got != 0 {
		t.Errorf("Elapsed of the zero period = %v", got)
	}
	if got := Elapsed(Range(d(2021, 2, 1), d(2021, 1, 1)), d(2021, 1, 15)); got != 0 {
		t.Errorf("Elapsed of an inverted period = %v", got)
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[PeriodKind]string{KindRange: "range", KindDay: "day", KindMonth: "month", KindQuarter: "quarter", KindSemester: "semester", KindYear: "year"} {
		if k.String() != want {
			t.Errorf("%d.String() = %s", int(k), k)
		}
	}
}
