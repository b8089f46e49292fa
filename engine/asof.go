package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// resolveAsOf reads --as-of or --as-reported for the report of period spec:
// the state of the database to report, the framework and the period in it.
// As reported is the state just before the period's lock was written: what
// a report produced then showed.
func resolveAsOf(ctx context.Context, db Store, spec, asOf string, asReported bool, notes *[]string) (*State, *indicators.Framework, *indicators.Compiled, indicators.Period, error) {
	fail := func(err error) (*State, *indicators.Framework, *indicators.Compiled, indicators.Period, error) {
		return nil, nil, nil, indicators.Period{}, err
	}
	cur, err := storedFramework(ctx, db)
	if err != nil {
		return fail(err)
	}
	p, err := parsePeriodFlag(cur, spec)
	if err != nil {
		return fail(err)
	}
	var st State
	if asReported {
		lock, err := lastLock(ctx, db, p)
		if err != nil {
			return fail(err)
		}
		if st, err = db.StateBefore(ctx, *lock); err != nil {
			return fail(err)
		}
		*notes = append(*notes, fmt.Sprintf("%s as reported: the database just before its lock (%s)", p, lock.Describe()))
	} else {
		t, err := ParseMoment(asOf)
		if err != nil {
			return fail(&ArgError{Arg: "as-of", Err: err})
		}
		if _, err := time.Parse(time.DateOnly, strings.TrimSpace(asOf)); err == nil {
			t = t.Add(24*time.Hour - time.Nanosecond) // a day: the state at its end
		}
		if st, err = db.StateAt(ctx, t); err != nil {
			return fail(err)
		}
	}
	fw, err := db.FrameworkIn(ctx, st)
	if err != nil {
		return fail(err)
	}
	_, changed, err := db.EvaluationsIn(ctx, st)
	if err != nil {
		return fail(err)
	}
	for _, title := range changed {
		*notes = append(*notes, fmt.Sprintf("warning: the management response of %q was imported again after %s: its recommendations and actions are shown as they are now, their log as it stood then",
			title, st.At.Format(time.RFC3339)))
	}
	comp, probs := fw.Compile()
	if len(probs) > 0 {
		return fail(probs)
	}
	if p, err = parsePeriodFlag(fw, spec); err != nil {
		return fail(err)
	}
	return &st, fw, comp, p, nil
}

// lastLock is the latest lock of period p, in force or since lifted.
func lastLock(ctx context.Context, db Store, p indicators.Period) (*ReviewEntry, error) {
	log, err := db.ReviewLog(ctx)
	if err != nil {
		return nil, err
	}
	var last *ReviewEntry
	for i := range log {
		if log[i].Action == ActLock && log[i].Period.String() == p.String() {
			last = &log[i]
		}
	}
	if last == nil {
		return nil, &NeverLockedError{Period: p}
	}
	return last, nil
}

// ParseMoment reads a time as RFC 3339, "2006-01-02T15:04[:05]" (UTC) or a
// day YYYY-MM-DD (midnight UTC).
func ParseMoment(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time: expected YYYY-MM-DD, YYYY-MM-DDTHH:MM or RFC 3339 (2021-10-15T09:30:00Z)", v)
}

// NeverLockedError is the report as reported of a period never locked.
type NeverLockedError struct{ Period indicators.Period }

func (e *NeverLockedError) Error() string {
	return fmt.Sprintf("period %s was never locked, so it has no report as reported: lock it when its report goes out, or ask for the report as it stood at a day", e.Period)
}
