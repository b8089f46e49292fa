package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// ActionsImport is what importing a management response matrix did (or
// would do, for a dry run).
type ActionsImport struct {
	Evaluation *indicators.Evaluation
	Change     ActionsChange
	// NoFramework is true when no framework is stored: the linked codes
	// were not checked.
	NoFramework bool
}

// ImportActions reads a management response matrix (.xlsx) and stores its
// evaluation, recommendations, key actions and log (title, when not
// empty, replaces the title read from the file). The result is returned
// with an error too, saying whether codes were checked.
func (e *Engine) ImportActions(ctx context.Context, file, title string, dryRun bool) (*ActionsImport, error) {
	out := &ActionsImport{}
	_, fw, err := projectEnd(ctx, e.db)
	if err != nil {
		return out, err
	}
	out.NoFramework = fw == nil
	ev, err := importers.ReadActions(file, fw)
	if err != nil {
		return out, err
	}
	if title != "" {
		ev.Title = title
	}
	out.Evaluation = ev
	out.Change, err = e.db.SaveEvaluation(ctx, ev, dryRun)
	return out, err
}

// KeyActions is every stored evaluation with the project's end (zero
// without a framework), which resolves "project end" deadlines.
func (e *Engine) KeyActions(ctx context.Context) ([]indicators.Evaluation, time.Time, error) {
	end, _, err := projectEnd(ctx, e.db)
	if err != nil {
		return nil, time.Time{}, err
	}
	evs, err := e.db.Evaluations(ctx)
	return evs, end, err
}

// Action is the stored key action that id (6.1 or #17) names.
func (e *Engine) Action(ctx context.Context, id string) (ActionRef, *indicators.KeyAction, error) {
	return findAction(ctx, e.db, id)
}

// UpdateAction appends entry to the log of the key action id names; it
// returns the action before and after.
func (e *Engine) UpdateAction(ctx context.Context, id string, entry indicators.LogEntry) (ref ActionRef, before, after *indicators.KeyAction, err error) {
	if ref, before, err = findAction(ctx, e.db, id); err != nil {
		return ref, nil, nil, err
	}
	if _, err = e.db.AppendActionLog(ctx, ref.ID, entry); err != nil {
		return ref, nil, nil, err
	}
	after, err = actionByID(ctx, e.db, ref.ID)
	return ref, before, after, err
}

// FollowUp is the follow-up of every stored evaluation at asOf; nil when
// no evaluation is stored. projectEnd resolves "project end" deadlines.
func (e *Engine) FollowUp(ctx context.Context, asOf, projectEnd time.Time) (*indicators.FollowUp, error) {
	return loadFollowUp(ctx, e.db, asOf, projectEnd)
}

// projectEnd is the stored project's end, or zero when there is no
// framework (then "project end" deadlines have no due date).
func projectEnd(ctx context.Context, db Store) (time.Time, *indicators.Framework, error) {
	fw, err := db.Framework(ctx)
	if errors.Is(err, ErrNoFramework) {
		return time.Time{}, nil, nil
	}
	if err != nil {
		return time.Time{}, nil, err
	}
	return fw.Project.End, fw, nil
}

// loadFollowUp is the follow-up of every stored evaluation at asOf, for
// the reports; nil when no evaluation is stored. projectEnd resolves
// "project end" deadlines.
func loadFollowUp(ctx context.Context, db Store, asOf time.Time, projectEnd time.Time) (*indicators.FollowUp, error) {
	evs, err := db.Evaluations(ctx)
	if err != nil {
		return nil, err
	}
	if len(evs) == 0 {
		return nil, nil
	}
	fu := indicators.BuildFollowUp(evs, asOf, projectEnd)
	return &fu, nil
}

// ParseDay reads a day (or a month: its last day) as the action log
// spells it; "" gives today.
func ParseDay(s string, now time.Time) (indicators.Period, error) {
	if s == "" {
		return indicators.Day(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)), nil
	}
	return indicators.ParseActionDate(s)
}

// findAction finds the stored action that id (6.1 or #17) names.
func findAction(ctx context.Context, db Store, id string) (ActionRef, *indicators.KeyAction, error) {
	ref, err := db.FindAction(ctx, id)
	if err != nil {
		return ref, nil, err
	}
	a, err := actionByID(ctx, db, ref.ID)
	return ref, a, err
}

// actionByID returns the stored action with id.
func actionByID(ctx context.Context, db Store, id int64) (*indicators.KeyAction, error) {
	evs, err := db.Evaluations(ctx)
	if err != nil {
		return nil, err
	}
	for i := range evs {
		for j := range evs[i].Recommendations {
			for k := range evs[i].Recommendations[j].Actions {
				if a := &evs[i].Recommendations[j].Actions[k]; a.ID == id {
					return a, nil
				}
			}
		}
	}
	return nil, fmt.Errorf("%w: no key action #%d", indicators.ErrUnknownCode, id)
}
