package indicators

import (
	"math"
	"time"
)

// textMilestoneAt is the text of the last milestone of the total due by
// the end of to; "" when none is.
func textMilestoneAt(ms []Milestone, to time.Time) string {
	txt := ""
	for i := range ms {
		if len(ms[i].Dims) == 0 && !ms[i].Period.End.After(to) && ms[i].TargetText != "" {
			txt = ms[i].TargetText
		}
	}
	return txt
}

// dueBy is true when a milestone of key is due by the end of day to.
func dueBy(ms []Milestone, key string, to time.Time) bool {
	for i := range ms {
		if dkey(ms[i].Dims) == key && !ms[i].Period.End.After(to) {
			return true
		}
	}
	return false
}

func hasMilestones(ms []Milestone, key string) bool {
	for i := range ms {
		if dkey(ms[i].Dims) == key {
			return true
		}
	}
	return false
}

// defaultStatus is the status rule of SPEC section 5.
func defaultStatus(progress, expected *float64, hasData bool) Status {
	if progress != nil && *progress >= 1-statusTol {
		return StatusAchieved
	}
	if !hasData {
		if expected == nil || *expected <= 0 {
			return StatusNotDue
		}
		return StatusNoData
	}
	if progress == nil {
		return StatusNoData
	}
	e := 0.0
	if expected != nil {
		e = *expected
	}
	switch {
	case *progress >= 0.85*e-statusTol:
		return StatusOnTrack
	case *progress >= 0.6*e-statusTol:
		return StatusAtRisk
	}
	return StatusOffTrack
}

// statusRank orders the performance statuses from best to worst; -1 for
// not due and no data.
func statusRank(s Status) int {
	switch s {
	case StatusAchieved:
		return 0
	case StatusOnTrack:
		return 1
	case StatusAtRisk:
		return 2
	case StatusOffTrack:
		return 3
	}
	return -1
}

// progressOf is (actual - baseline) / (target - baseline).
func progressOf(actual, base, target float64, dir Direction) float64 {
	if d := target - base; d != 0 {
		return (actual - base) / d
	}
	switch {
	case actual == target:
		return 1
	case dir == Decrease && actual < target, dir != Decrease && actual > target:
		return 1
	}
	return 0
}

// fitLine returns the least-squares line y = a + b x.
func fitLine(xs, ys []float64) (a, b float64, ok bool) {
	n := float64(len(xs))
	if len(xs) < 2 {
		return 0, 0, false
	}
	var sx, sy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
	}
	mx, my := sx/n, sy/n
	var sxx, sxy float64
	for i := range xs {
		sxx += (xs[i] - mx) * (xs[i] - mx)
		sxy += (xs[i] - mx) * (ys[i] - my)
	}
	if sxx == 0 {
		return 0, 0, false
	}
	b = sxy / sxx
	return my - b*mx, b, true
}

func dayNum(t time.Time) float64 { return float64(pdDayNum(t)) }

// fptr points to v; nil when v is not a finite number (JSON has none).
func fptr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// rollupStatus is the worst performance status, else the first of no
// data, reported, no target and not due that counts has.
func rollupStatus(worst int, counts map[Status]int) Status {
	if worst >= 0 {
		return Statuses[worst] // statusRank's order is that of Statuses
	}
	for _, st := range []Status{StatusNoData, StatusReported, StatusNoTarget} {
		if counts[st] > 0 {
			return st
		}
	}
	return StatusNotDue
}

func countAll(m map[Status]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}
