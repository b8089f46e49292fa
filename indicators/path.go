package indicators

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// The expected path of an indicator (SPEC section 5): where it should stand
// on any day of the project, drawn through its baseline, its milestones and
// its end-of-project target.

// MilestoneReading says how an indicator's milestones are written: each one
// where the indicator should stand by the end of its period (cumulative), or
// the amount of its period alone (per period, adding up to the target).
type MilestoneReading string

const (
	// MilestonesCumulative: "40 schools by the end of year 1, 90 by year 2,
	// 120 by the end": each milestone is on the footing of the actual.
	MilestonesCumulative MilestoneReading = "cumulative"
	// MilestonesPerPeriod: "10, 20, 30, 30, 30 water points a semester":
	// amounts that add up to the target.
	MilestonesPerPeriod MilestoneReading = "per period"
)

// MilestoneReadingWords is what the milestones column accepts, for messages.
const MilestoneReadingWords = "cumulative or per period (blank: rmf infers it)"

// ParseMilestoneReading reads the Indicators sheet's milestones column:
// cumulative (also cumulated, running total, to date) or per period (also
// per-period, periodic, incremental, per year, per quarter...); blank is ""
// (inferred, see Framework.MilestoneUse).
func ParseMilestoneReading(s string) (MilestoneReading, error) {
	switch norm(s) {
	case "":
		return "", nil
	case "cumulative", "cumulated", "cumul", "runningtotal", "todate", "bytheendof", "level", "levels", "total":
		return MilestonesCumulative, nil
	case "perperiod", "periodic", "incremental", "increment", "perquarter", "persemester", "peryear", "permonth",
		"eachperiod", "period", "noncumulative", "notcumulative":
		return MilestonesPerPeriod, nil
	}
	return "", fmt.Errorf("%w: milestones %q, expected %s", ErrInvalid, strings.TrimSpace(s), MilestoneReadingWords)
}

// PathShape is the shape of the expected path between its points.
type PathShape string

const (
	// PathLine: a straight line between the points around a day, counting
	// days (the default for numbers, percent, ratio and currency).
	PathLine PathShape = "line"
	// PathSteps: the last point due (the default for yes/no and text, and
	// for indicators measured only at the end of the project).
	PathSteps PathShape = "steps"
)

// PathWords is what the path column accepts, for messages.
const PathWords = "line or steps (blank: line for numbers, steps for yes/no and text)"

// ParsePathShape reads the Indicators sheet's path column: line (also
// linear, straight) or steps (also step, stepwise, staircase); blank is "".
func ParsePathShape(s string) (PathShape, error) {
	switch norm(s) {
	case "":
		return "", nil
	case "line", "linear", "straight", "straightline", "interpolate", "interpolated":
		return PathLine, nil
	case "steps", "step", "stepwise", "staircase", "stairs", "due", "lastdue":
		return PathSteps, nil
	}
	return "", fmt.Errorf("%w: path %q, expected %s", ErrInvalid, strings.TrimSpace(s), PathWords)
}

// PathShapeOrDefault is the path shape in force: as given, else steps for
// yes/no and text indicators and for those measured only at the end of the
// project, line otherwise.
func (ind Indicator) PathShapeOrDefault() PathShape {
	if ind.Path != "" {
		return ind.Path
	}
	if ind.Unit == YesNo || ind.Unit == Text || ind.EndOnly() {
		return PathSteps
	}
	return PathLine
}

// MilestoneUse is how an indicator's milestones are read, and why.
type MilestoneUse struct {
	// Reading is the reading in force: cumulative or per period; "" when
	// the indicator has no milestones or when neither reading fits (Err).
	Reading MilestoneReading
	// Given is true when the milestones column said it.
	Given bool
	// Levels is true for indicators that do not add up over time (any
	// aggregation but sum, yes/no, text): their milestones are levels.
	Levels bool
	// Why says how the reading was decided, in words ("they add up to the
	// target, 200"); "" when Given.
	Why string
	// Err says why neither reading fits a blank milestones column (a check
	// error); "" otherwise.
	Err string
}

// String is the reading as framework import, check -v and the measurement
// plan print it: "per period (given)", "cumulative (inferred: ...)",
// "cumulative (levels: aggregation last)", "none" without milestones,
// "unclear: ..." when neither reading fits.
func (u MilestoneUse) String() string {
	switch {
	case u.Err != "":
		return "unclear: " + u.Err
	case u.Reading == "":
		return "none"
	case u.Given:
		return string(u.Reading) + " (given)"
	case u.Levels:
		return string(u.Reading) + " (levels: " + u.Why + ")"
	}
	return string(u.Reading) + " (inferred: " + u.Why + ")"
}

// milestoneTol is the tolerance of the inference: per period when the
// milestones add up to the target within 1%.
const milestoneTol = 0.01

// addsUp is true for indicators whose milestones may be per-period
// amounts: numbers adding up over time.
func addsUp(ind *Indicator) bool {
	return ind.Unit.Numeric() && ind.Unit != YesNo && ind.AggregationOrDefault() == Sum
}

// MilestoneUse says how the milestones of ind are read (SPEC section 5): as
// the milestones column says; blank, for a sum indicator, per period when
// its milestones for the total add up to the target (±1%), cumulative when
// they never move against the direction and the last equals the target
// (±1%), and otherwise neither (Err, a check error asking the officer to
// say which). A single milestone reads the same both ways (cumulative).
// Milestones of every other aggregation, yes/no and text are levels
// (cumulative). Without a total milestone, a sum indicator whose
// disaggregations each have one milestone reads them as cumulative; with
// more, the reading must be given.
func (f *Framework) MilestoneUse(ind *Indicator) MilestoneUse {
	return milestoneUse(ind, f.MilestonesOf(ind.Code))
}

func milestoneUse(ind *Indicator, ms []Milestone) MilestoneUse {
	if len(ms) == 0 {
		return MilestoneUse{}
	}
	if !addsUp(ind) {
		why := "aggregation " + string(ind.AggregationOrDefault())
		if ind.Unit == YesNo || ind.Unit == Text {
			why = string(ind.Unit)
		}
		return MilestoneUse{Reading: MilestonesCumulative, Levels: true, Why: why}
	}
	if ind.Milestones != "" {
		return MilestoneUse{Reading: ind.Milestones, Given: true}
	}
	var total []Milestone
	perKey := map[string]int{}
	for _, m := range ms {
		if len(m.Dims) == 0 {
			total = append(total, m)
		}
		perKey[m.Dims.Key()]++
	}
	if len(total) == 0 {
		for _, n := range perKey {
			if n > 1 {
				return MilestoneUse{Err: "its milestones are given only by disaggregation, so rmf cannot tell whether they are cumulative or per period"}
			}
		}
		return MilestoneUse{Reading: MilestonesCumulative, Why: "one milestone for each disaggregation reads the same both ways"}
	}
	if len(total) == 1 {
		return MilestoneUse{Reading: MilestonesCumulative, Why: "a single milestone reads the same both ways"}
	}
	sum := 0.0
	for _, m := range total {
		sum += m.Target
	}
	last := total[len(total)-1].Target
	near := func(a, b float64) bool { return math.Abs(a-b) <= milestoneTol*math.Max(math.Abs(b), 1e-9) }
	if ind.Target == nil {
		return MilestoneUse{Err: "it has no end-of-project target to compare its milestones with"}
	}
	t := *ind.Target
	if near(sum, t) {
		return MilestoneUse{Reading: MilestonesPerPeriod, Why: fmt.Sprintf("they add up to the target, %s", formatNumber(t))}
	}
	mono := true
	for i := 1; i < len(total); i++ {
		if against(ind.Direction, total[i-1].Target, total[i].Target) {
			mono = false
		}
	}
	if mono && near(last, t) {
		return MilestoneUse{Reading: MilestonesCumulative, Why: fmt.Sprintf("they never go %s and the last, %s, equals the target",
			map[bool]string{true: "up", false: "down"}[ind.Direction == Decrease], formatNumber(last))}
	}
	return MilestoneUse{Err: fmt.Sprintf("its milestones add up to %s and the last is %s, neither equals the target %s",
		formatNumber(sum), formatNumber(last), formatNumber(t))}
}

// PathPoint is a point of an expected path: Value is due by the end of Day.
type PathPoint struct {
	Day   time.Time
	Value float64
	// Label names the point: "baseline" (the day before the project
	// starts), a milestone's period as the officer wrote it (PY1, 2021S2),
	// or "target" (the project's last day).
	Label string
}

// ExpectedPath is where an indicator should stand over time, on the footing
// of its actual: Points in day order, joined by straight lines counting days
// (Steps false) or held until the next point (Steps true: the last point
// due). Baseline and Target are the path's ends (Target nil without an
// end-of-project target).
type ExpectedPath struct {
	Points   []PathPoint
	Steps    bool
	Baseline float64
	Target   *float64
	// Use is how the milestones were read.
	Use MilestoneUse
}

// ExpectedPath returns the expected path of indicator code for its total
// (SPEC section 5); the zero path when there is no such indicator. See
// PathOf.
func (f *Framework) ExpectedPath(code string) ExpectedPath {
	ind, ok := f.Indicator(code)
	if !ok {
		return ExpectedPath{}
	}
	return PathOf(f.Project, ind, f.MilestonesOf(code), "")
}

// ExpectedAt is the value indicator code is expected to have reached by the
// end of day (ExpectedPath(code).At(day)); false when nothing is expected
// (no such indicator, text, or neither milestones nor target).
func (f *Framework) ExpectedAt(code string, day time.Time) (float64, bool) {
	return f.ExpectedPath(code).At(day)
}

// PathOf builds the expected path of ind for disaggregation key ("" for
// the total; Disagg.Key form) from its milestones ms (any order; those of
// other keys are ignored). For the total the points are (the day before
// the project start, the baseline; a missing baseline counts as 0), each
// milestone at the last day of its period with its cumulative value (per
// period milestones added up; a milestone due before the project start or
// after its end is left out, as check reports it), and (the project end,
// the target). Points that fall on the same day keep the last. For a
// disaggregation the points are its own milestones only, from 0 at the
// start for a sum indicator. Text indicators have no numeric path (no
// points). A path without milestones and without target has only its
// start point: At is false.
func PathOf(p Project, ind *Indicator, ms []Milestone, key string) ExpectedPath {
	use := milestoneUse(ind, ms)
	path := ExpectedPath{Steps: ind.PathShapeOrDefault() == PathSteps, Use: use}
	if ind.Unit == Text {
		return path
	}
	base := 0.0 // a missing baseline counts as 0, as in progress
	if ind.Baseline != nil && key == "" {
		base = *ind.Baseline
	}
	path.Baseline = base
	if key == "" {
		path.Target = ind.Target
	}
	start := p.Start
	var own []Milestone
	for _, m := range ms {
		if m.Dims.Key() == key && !m.Period.IsZero() {
			own = append(own, m)
		}
	}
	sort.SliceStable(own, func(i, j int) bool { return own[i].Period.Compare(own[j].Period) < 0 })
	if key == "" || addsUp(ind) {
		day := start.AddDate(0, 0, -1)
		if start.IsZero() {
			day = time.Time{}
		}
		path.Points = append(path.Points, PathPoint{Day: day, Value: base, Label: "baseline"})
	}
	perPeriod := use.Reading == MilestonesPerPeriod
	run := 0.0
	cal := p.Calendar()
	for _, m := range own {
		v := m.Target
		if perPeriod {
			run += m.Target
			v = run // a sum's actual adds its periods up from 0, and so do these
		}
		if !start.IsZero() && m.Period.End.Before(start) || !p.End.IsZero() && m.Period.End.After(p.End) {
			continue
		}
		path.add(PathPoint{Day: m.Period.End, Value: v, Label: cal.Label(m.Period)})
	}
	if key == "" && ind.Target != nil && !p.End.IsZero() {
		path.add(PathPoint{Day: p.End, Value: *ind.Target, Label: "target"})
	}
	if len(path.Points) == 1 && path.Points[0].Label == "baseline" {
		path.Points = path.Points[:0] // neither milestones nor target: nothing expected
	}
	return path
}

// add appends pt, replacing a point of the same day.
func (path *ExpectedPath) add(pt PathPoint) {
	if n := len(path.Points); n > 0 && path.Points[n-1].Day.Equal(pt.Day) {
		path.Points[n-1] = pt
		return
	}
	path.Points = append(path.Points, pt)
}

// At is the value expected by the end of day: on the straight line between
// the points around day, counting days (Steps: the last point due); the
// first point's value before it, the last point's after it. False when the
// path has no points.
func (path ExpectedPath) At(day time.Time) (float64, bool) {
	pts := path.Points
	if len(pts) == 0 {
		return 0, false
	}
	d := pdDayNum(day)
	if d <= pdDayNum(pts[0].Day) {
		return pts[0].Value, true
	}
	for i := 1; i < len(pts); i++ {
		hi := pdDayNum(pts[i].Day)
		if d >= hi {
			continue
		}
		lo := pts[i-1]
		if path.Steps {
			return lo.Value, true
		}
		l := pdDayNum(lo.Day)
		frac := float64(d-l) / float64(hi-l)
		return lo.Value + frac*(pts[i].Value-lo.Value), true
	}
	return pts[len(pts)-1].Value, true
}

// Share is the share of the way from baseline to target expected by the
// end of day, (At(day) − baseline) / (target − baseline): SPEC 5's
// `expected`. When target equals baseline it is the share of the path's
// time elapsed (0 or 1 with steps). False without a target or a path.
func (path ExpectedPath) Share(day time.Time) (float64, bool) {
	v, ok := path.At(day)
	if !ok || path.Target == nil {
		return 0, false
	}
	if d := *path.Target - path.Baseline; d != 0 {
		return (v - path.Baseline) / d, true
	}
	pts := path.Points
	first, last := pdDayNum(pts[0].Day), pdDayNum(pts[len(pts)-1].Day)
	x := pdDayNum(day)
	switch {
	case x >= last:
		return 1, true
	case x <= first || path.Steps:
		return 0, true
	}
	return float64(x-first) / float64(last-first), true
}

// Label prints a period as the officer wrote it: a project year (a range
// that is exactly the n-th project year) as PYn, every other period in its
// canonical form (2026, 2021S2, 2020-09-01..2021-02-28).
func (c Calendar) Label(p Period) string {
	if p.Kind == KindRange && !c.Start.IsZero() && !p.Start.Before(c.YearOf(c.Start).Start) {
		y := c.YearOf(p.Start)
		if y.Equal(p) {
			n := y.Start.Year() - c.YearOf(c.Start).Start.Year() + 1
			if n >= 1 {
				return fmt.Sprintf("PY%d", n)
			}
		}
	}
	return p.String()
}

// PeriodLabel prints a period as the officer wrote it (Calendar.Label).
func (p Project) PeriodLabel(q Period) string { return p.Calendar().Label(q) }
