package indicators

import (
	"testing"
	"time"
)

// FuzzParsePeriod checks that ParsePeriod and Calendar.ParsePeriod never
// panic, that what they accept is a valid interval, and that the canonical
// form reads back as the same interval (and, for ParsePeriod, the same kind).
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{
		"2021", "2021S1", "2021Q3", "2021-07", "2021-07-15", "2020-09-01..2021-02-28",
		"2021-Q3", "2021 Q3", "Q3 2021", "Q3-2021", "q3/2021", "2021-S1", "S1 2021", "H1 2021", "2021H1",
		"Jul 2021", "July 2021", "Jul-21", "2021/07", "07/2021", "2021-7", "15/07/2021", "15.07.2021",
		"15 July 2021", "July 15, 2021", "2021-07-15T00:00:00Z", "2021-07-15 10:30:00", "44378", "44378.5",
		"2020-09-01 to 2021-02-28", "2020-09-01 - 2021-02-28", "Sep 2020 – Feb 2021", "3rd quarter 2021",
		"PY1", "PY 2", "FY2021", "FY2020/21", "2020/21", "2020-2021", "FY21", "PY1..PY3",
		"2021Q5", "2021-02-30", "", "..", " to ", "9999Q4", "1000-01-01", "00060", "99999",
	} {
		f.Add(s)
	}
	cal := Calendar{Start: time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC), YearStart: time.September}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err == nil {
			checkParsed(t, s, p, true)
		}
		p, err = cal.ParsePeriod(s)
		if err == nil {
			checkParsed(t, s, p, false)
		}
		if d, err := ParseDate(s); err == nil {
			if !d.Equal(pdDay(d)) || d.Location() != time.UTC {
				t.Fatalf("ParseDate(%q) = %v, not midnight UTC", s, d)
			}
			if p, err := ParsePeriod(d.Format("2006-01-02")); err != nil || !p.Start.Equal(d) {
				t.Fatalf("ParseDate(%q) = %v does not read back: %v", s, d, err)
			}
		}
	})
}

func checkParsed(t *testing.T, s string, p Period, sameKind bool) {
	t.Helper()
	if p.Start.After(p.End) {
		t.Fatalf("%q: start %v after end %v", s, p.Start, p.End)
	}
	if !p.Valid() {
		t.Fatalf("%q: parsed %#v is not Valid", s, p)
	}
	q, err := ParsePeriod(p.String())
	if err != nil {
		t.Fatalf("%q parsed as %q, which does not read back: %v", s, p.String(), err)
	}
	if !q.Equal(p) || (sameKind && q.Kind != p.Kind) {
		t.Fatalf("%q parsed as %v %q; reading that back gives %v %q", s, p.Kind, p, q.Kind, q)
	}
}
