package indicators

import "time"

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
