package sqlstore

// The follow-up of evaluations (migration 003_actions.sql): the management
// response matrix as last imported, and the append-only log of monitoring
// comments and status changes of each key action.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// SaveEvaluation stores ev, matched with a stored evaluation by its title:
// recommendations and actions by their number (added or updated in place),
// links replaced, and each action's Log appended to. A comment already in
// the action's log (same date and text) is not added again; a status entry
// without text (KeyAction.AddMatrixStatus) is added only when the log does
// not already give that status at that date. Re-importing the same file
// therefore changes nothing. Stored actions the file lacks are kept and
// listed in Missing. With dryRun nothing is written.
func (db *DB) SaveEvaluation(ctx context.Context, ev *indicators.Evaluation, dryRun bool) (ActionsChange, error) {
	ch := ActionsChange{Evaluation: ev.Title}
	if strings.TrimSpace(ev.Title) == "" {
		return ch, fmt.Errorf("%w: evaluation without a title", indicators.ErrRequired)
	}
	now := db.Now().UTC()
	err := db.Tx(ctx, func(tx *Tx) error {
		if err := saveEvaluation(ctx, tx, ev, now, &ch); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return ch, err
}

func actDateOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return date(t)
}

// upsertEvaluation finds the stored evaluation of ev's title, updating its
// date, or adds it; it returns its id.
func upsertEvaluation(ctx context.Context, tx *Tx, ev *indicators.Evaluation, stamp string, ch *ActionsChange) (int64, error) {
	var evID int64
	var oldDate sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT id, date FROM evaluations WHERE title = ?`, ev.Title).Scan(&evID, &oldDate)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		id, err := tx.insertID(ctx, `INSERT INTO evaluations (title, date, src_file, src_sheet, imported_at) VALUES (?, ?, ?, ?, ?)`,
			ev.Title, actDateOrNil(ev.Date), ev.Source, ev.Loc.Sheet, stamp)
		if err != nil {
			return 0, fmt.Errorf("evaluation %q: %w", ev.Title, err)
		}
		evID = id
		ch.NewEvaluation = true
	case err != nil:
		return 0, fmt.Errorf("evaluation %q: %w", ev.Title, err)
	default:
		if newDate := actDateOrNil(ev.Date); (newDate == nil) != !oldDate.Valid || (oldDate.Valid && newDate != oldDate.String) {
			if _, err := tx.ExecContext(ctx, `UPDATE evaluations SET date = ? WHERE id = ?`, newDate, evID); err != nil {
				return 0, err
			}
			ch.EvaluationChanged = true
		}
	}
	return evID, nil
}

func saveEvaluation(ctx context.Context, tx *Tx, ev *indicators.Evaluation, now time.Time, ch *ActionsChange) error {
	stamp := now.Format(time.RFC3339)
	evID, err := upsertEvaluation(ctx, tx, ev, stamp, ch)
	if err != nil {
		return err
	}
	stored, err := loadEvaluations(ctx, tx, evID)
	if err != nil {
		return err
	}
	var old *indicators.Evaluation
	if len(stored) == 1 {
		old = &stored[0]
	}
	oldRec := map[string]*indicators.Recommendation{}
	oldAct := map[string]*indicators.KeyAction{}
	oldActRec := map[string]string{}
	recIDs := map[string]int64{}
	if old != nil {
		for i := range old.Recommendations {
			r := &old.Recommendations[i]
			oldRec[r.Number] = r
			for j := range r.Actions {
				oldAct[r.Actions[j].Number] = &r.Actions[j]
				oldActRec[r.Actions[j].Number] = r.Number
			}
		}
		if err := each(ctx, tx, `SELECT id, number FROM recommendations WHERE evaluation = ?`, func(rows *sql.Rows) error {
			var id int64
			var n string
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			recIDs[n] = id
			return nil
		}, evID); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for ri, r := range ev.Recommendations {
		recID, ok := recIDs[r.Number]
		if o := oldRec[r.Number]; !ok {
			id, err := tx.insertID(ctx, `INSERT INTO recommendations (evaluation, position, number, text, addressed_to, priority, response, reason, src_file, src_sheet, src_row)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				evID, ri, r.Number, r.Text, r.AddressedTo, r.Priority, string(r.Response), r.Reason, r.Loc.File, r.Loc.Sheet, r.Loc.Row)
			if err != nil {
				return fmt.Errorf("recommendation %s: %w", r.Number, err)
			}
			recID = id
			recIDs[r.Number] = recID
			ch.RecommendationsAdded++
		} else if o.Text != r.Text || o.AddressedTo != r.AddressedTo || o.Priority != r.Priority || o.Response != r.Response || o.Reason != r.Reason {
			if _, err := tx.ExecContext(ctx, `UPDATE recommendations SET position = ?, text = ?, addressed_to = ?, priority = ?, response = ?, reason = ?,
				src_file = ?, src_sheet = ?, src_row = ? WHERE id = ?`,
				ri, r.Text, r.AddressedTo, r.Priority, string(r.Response), r.Reason, r.Loc.File, r.Loc.Sheet, r.Loc.Row, recID); err != nil {
				return fmt.Errorf("recommendation %s: %w", r.Number, err)
			}
			ch.RecommendationsChanged++
		}
		for ai := range r.Actions {
			a := &r.Actions[ai]
			seen[a.Number] = true
			if err := saveAction(ctx, tx, ev, evID, recID, r.Number, ri*1000+ai, a, oldAct[a.Number], oldActRec[a.Number], stamp, ch); err != nil {
				return err
			}
		}
	}
	if old != nil {
		for _, r := range old.Recommendations {
			for _, a := range r.Actions {
				if !seen[a.Number] {
					ch.Missing = append(ch.Missing, a.Number)
				}
			}
		}
	}
	if ch.Changed() && !ch.NewEvaluation {
		if _, err := tx.ExecContext(ctx, `UPDATE evaluations SET imported_at = ?, src_file = ?, src_sheet = ? WHERE id = ?`,
			stamp, ev.Source, ev.Loc.Sheet, evID); err != nil {
			return err
		}
	}
	return nil
}

func saveAction(ctx context.Context, tx *Tx, ev *indicators.Evaluation, evID, recID int64, recNumber string, pos int,
	a *indicators.KeyAction, old *indicators.KeyAction, oldRec, stamp string, ch *ActionsChange) error {
	var log []indicators.LogEntry
	if old == nil {
		id, err := tx.insertID(ctx, `INSERT INTO actions (evaluation, recommendation, position, number, text, deadline, responsible, src_file, src_sheet, src_row)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			evID, recID, pos, a.Number, a.Text, a.Deadline.String(), a.Responsible, a.Loc.File, a.Loc.Sheet, a.Loc.Row)
		if err != nil {
			return fmt.Errorf("action %s: %w", a.Number, err)
		}
		a.ID = id
		ch.ActionsAdded++
		for i, c := range a.Links {
			if _, err := tx.ExecContext(ctx, `INSERT INTO action_links (action, position, code) VALUES (?, ?, ?)`, a.ID, i, c); err != nil {
				return fmt.Errorf("action %s, link %s: %w", a.Number, c, err)
			}
		}
	} else {
		a.ID = old.ID
		log = slices.Clone(old.Log)
		linksChanged := !slices.Equal(old.Links, a.Links)
		if old.Text != a.Text || old.Deadline.String() != a.Deadline.String() || old.Responsible != a.Responsible || oldRec != recNumber || linksChanged {
			if _, err := tx.ExecContext(ctx, `UPDATE actions SET recommendation = ?, position = ?, text = ?, deadline = ?, responsible = ?,
				src_file = ?, src_sheet = ?, src_row = ? WHERE id = ?`,
				recID, pos, a.Text, a.Deadline.String(), a.Responsible, a.Loc.File, a.Loc.Sheet, a.Loc.Row, a.ID); err != nil {
				return fmt.Errorf("action %s: %w", a.Number, err)
			}
			ch.ActionsChanged++
		}
		if linksChanged {
			if _, err := tx.ExecContext(ctx, `DELETE FROM action_links WHERE action = ?`, a.ID); err != nil {
				return err
			}
			for i, c := range a.Links {
				if _, err := tx.ExecContext(ctx, `INSERT INTO action_links (action, position, code) VALUES (?, ?, ?)`, a.ID, i, c); err != nil {
					return fmt.Errorf("action %s, link %s: %w", a.Number, c, err)
				}
			}
		}
	}
	have := map[string]bool{}
	for _, e := range log {
		if e.Text != "" {
			have[e.Date.String()+"\x00"+e.Text] = true
		}
	}
	forever := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, e := range a.Log {
		if e.Text == "" && e.Status == "" {
			continue
		}
		if e.Source == "" {
			e.Source = ev.Source
		}
		if e.Text == "" {
			// A status entry (the matrix's status column): added only when
			// the log does not already give that status at that date.
			at := forever
			if !e.Date.IsZero() {
				at = e.Date.End
			}
			if (indicators.KeyAction{Log: log}).StatusAt(at) == e.Status {
				continue
			}
		} else {
			key := e.Date.String() + "\x00" + e.Text
			if have[key] {
				ch.LogKept++
				continue
			}
			have[key] = true
		}
		stored, err := insertLog(ctx, tx, a.ID, e, stamp)
		if err != nil {
			return fmt.Errorf("action %s: %w", a.Number, err)
		}
		log = append(log, stored)
		ch.LogAdded++
	}
	return nil
}

func insertLog(ctx context.Context, tx *Tx, actionID int64, e indicators.LogEntry, stamp string) (indicators.LogEntry, error) {
	var start, end any
	if !e.Date.IsZero() {
		start, end = date(e.Date.Start), date(e.Date.End)
	}
	id, err := tx.insertID(ctx, `INSERT INTO action_log (action, date, date_start, date_end, status, text, source, src_sheet, src_row, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		actionID, e.Date.String(), start, end, string(e.Status), e.Text, e.Source, e.Loc.Sheet, e.Loc.Row, stamp)
	if err != nil {
		return e, err
	}
	e.Seq = int(id)
	e.Recorded, _ = time.Parse(time.RFC3339, stamp)
	return e, nil
}

// Evaluations returns every stored evaluation with its recommendations,
// actions (ID, links, log in order of date then recording; Status is the
// latest status of the log) in the order they were imported.
func (db *DB) Evaluations(ctx context.Context) ([]indicators.Evaluation, error) {
	var evs []indicators.Evaluation
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		evs, err = loadEvaluations(ctx, tx, 0)
		return err
	})
	return evs, err
}

// loadEvaluations loads every evaluation, or only evaluation id when id > 0:
// the evaluations, their recommendations, the key actions, their links and
// their logs, each one query, put together by their ids.
func loadEvaluations(ctx context.Context, tx *Tx, id int64) ([]indicators.Evaluation, error) {
	l := &evalLoader{ctx: ctx, tx: tx, id: id, evIdx: map[int64]int{}, recPos: map[int64]recKey{}, actPos: map[int64]actKey{}}
	for _, step := range []func() error{l.evaluations, l.recommendations, l.actions, l.links, l.logs} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	forever := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	for i := range l.evs {
		for j := range l.evs[i].Recommendations {
			for k := range l.evs[i].Recommendations[j].Actions {
				a := &l.evs[i].Recommendations[j].Actions[k]
				indicators.SortLog(a.Log)
				a.Status = a.StatusAt(forever)
			}
		}
	}
	return l.evs, nil
}

// evalLoader puts the evaluations together as loadEvaluations reads them.
type evalLoader struct {
	ctx    context.Context
	tx     *Tx
	id     int64 // one evaluation, or every one (0)
	evs    []indicators.Evaluation
	evIdx  map[int64]int    // evaluation id -> index in evs
	recPos map[int64]recKey // recommendation id -> where it is
	actPos map[int64]actKey // action id -> where it is
}

type recKey struct{ ev, idx int }
type actKey struct{ ev, rec, idx int }

func (l *evalLoader) evaluations() error {
	return each(l.ctx, l.tx, `SELECT id, title, date, src_file, src_sheet FROM evaluations WHERE ? = 0 OR id = ? ORDER BY id`, func(rows *sql.Rows) error {
		var eid int64
		var ev indicators.Evaluation
		var d sql.NullString
		if err := rows.Scan(&eid, &ev.Title, &d, &ev.Source, &ev.Loc.Sheet); err != nil {
			return err
		}
		ev.Loc.File = ev.Source
		if d.Valid {
			t, err := parseDate(d.String)
			if err != nil {
				return fmt.Errorf("evaluation %q: %w", ev.Title, err)
			}
			ev.Date = t
		}
		l.evIdx[eid] = len(l.evs)
		l.evs = append(l.evs, ev)
		return nil
	}, l.id, l.id)
}

func (l *evalLoader) recommendations() error {
	return each(l.ctx, l.tx, `SELECT id, evaluation, number, text, addressed_to, priority, response, reason, src_file, src_sheet, src_row
		FROM recommendations WHERE ? = 0 OR evaluation = ? ORDER BY evaluation, position, id`, func(rows *sql.Rows) error {
		var rid, eid int64
		var r indicators.Recommendation
		var resp string
		if err := rows.Scan(&rid, &eid, &r.Number, &r.Text, &r.AddressedTo, &r.Priority, &resp, &r.Reason, &r.Loc.File, &r.Loc.Sheet, &r.Loc.Row); err != nil {
			return err
		}
		r.Response = indicators.Response(resp)
		ei, ok := l.evIdx[eid]
		if !ok {
			return nil
		}
		l.recPos[rid] = recKey{ei, len(l.evs[ei].Recommendations)}
		l.evs[ei].Recommendations = append(l.evs[ei].Recommendations, r)
		return nil
	}, l.id, l.id)
}

func (l *evalLoader) actions() error {
	return each(l.ctx, l.tx, `SELECT id, recommendation, number, text, deadline, responsible, src_file, src_sheet, src_row
		FROM actions WHERE ? = 0 OR evaluation = ? ORDER BY evaluation, position, id`, func(rows *sql.Rows) error {
		var rid int64
		var a indicators.KeyAction
		var dl string
		if err := rows.Scan(&a.ID, &rid, &a.Number, &a.Text, &dl, &a.Responsible, &a.Loc.File, &a.Loc.Sheet, &a.Loc.Row); err != nil {
			return err
		}
		d, err := indicators.ParseDeadline(dl)
		if err != nil {
			return fmt.Errorf("stored action %s: %w", a.Number, err)
		}
		a.Deadline = d
		rk, ok := l.recPos[rid]
		if !ok {
			return nil
		}
		rec := &l.evs[rk.ev].Recommendations[rk.idx]
		l.actPos[a.ID] = actKey{rk.ev, rk.idx, len(rec.Actions)}
		rec.Actions = append(rec.Actions, a)
		return nil
	}, l.id, l.id)
}

// action is the loaded action of id aid, or nil.
func (l *evalLoader) action(aid int64) *indicators.KeyAction {
	k, ok := l.actPos[aid]
	if !ok {
		return nil
	}
	return &l.evs[k.ev].Recommendations[k.rec].Actions[k.idx]
}

func (l *evalLoader) links() error {
	return each(l.ctx, l.tx, `SELECT l.action, l.code FROM action_links l JOIN actions a ON a.id = l.action
		WHERE ? = 0 OR a.evaluation = ? ORDER BY l.action, l.position`, func(rows *sql.Rows) error {
		var aid int64
		var code string
		if err := rows.Scan(&aid, &code); err != nil {
			return err
		}
		if a := l.action(aid); a != nil {
			a.Links = append(a.Links, code)
		}
		return nil
	}, l.id, l.id)
}

func (l *evalLoader) logs() error {
	return each(l.ctx, l.tx, `SELECT l.id, l.action, l.date, l.status, l.text, l.source, l.src_sheet, l.src_row, l.recorded_at
		FROM action_log l JOIN actions a ON a.id = l.action WHERE ? = 0 OR a.evaluation = ? ORDER BY l.action, l.id`, func(rows *sql.Rows) error {
		var lid, aid int64
		var e indicators.LogEntry
		var d, st, rec string
		if err := rows.Scan(&lid, &aid, &d, &st, &e.Text, &e.Source, &e.Loc.Sheet, &e.Loc.Row, &rec); err != nil {
			return err
		}
		if d != "" {
			p, err := indicators.ParseActionDate(d)
			if err != nil {
				return fmt.Errorf("stored log entry %d: %w", lid, err)
			}
			e.Date = p
		}
		e.Status = indicators.ActionStatus(st)
		e.Seq = int(lid)
		e.Loc.File = e.Source
		t, err := time.Parse(time.RFC3339, rec)
		if err != nil {
			return fmt.Errorf("stored log entry %d: recorded_at %q: %w", lid, rec, indicators.ErrInvalid)
		}
		e.Recorded = t
		if a := l.action(aid); a != nil {
			a.Log = append(a.Log, e)
		}
		return nil
	}, l.id, l.id)
}

// FindAction finds the action ref names: "#17" is the store id shown by
// "rmf actions"; anything else is an action number ("2.1"), which must be
// unique across the stored evaluations (ErrDuplicate lists the candidates
// by id otherwise; ErrUnknownCode when there is none).
func (db *DB) FindAction(ctx context.Context, ref string) (ActionRef, error) {
	ref = strings.TrimSpace(ref)
	var found []ActionRef
	err := db.ReadTx(ctx, func(tx *Tx) error {
		q := `SELECT a.id, e.title, r.number, a.number FROM actions a
			JOIN recommendations r ON r.id = a.recommendation JOIN evaluations e ON e.id = a.evaluation `
		var arg any
		if n, ok := strings.CutPrefix(ref, "#"); ok {
			id, err := strconv.ParseInt(n, 10, 64)
			if err != nil {
				return fmt.Errorf("%w: action id %q, expected # and a number such as #17", indicators.ErrInvalid, ref)
			}
			q, arg = q+`WHERE a.id = ?`, id
		} else {
			q, arg = q+`WHERE a.number = ? ORDER BY a.id`, ref
		}
		return each(ctx, tx, q, func(rows *sql.Rows) error {
			var r ActionRef
			if err := rows.Scan(&r.ID, &r.Evaluation, &r.Recommendation, &r.Number); err != nil {
				return err
			}
			found = append(found, r)
			return nil
		}, arg)
	})
	if err != nil {
		return ActionRef{}, err
	}
	switch len(found) {
	case 0:
		return ActionRef{}, fmt.Errorf("%w: no key action %q (see \"rmf actions\" for the numbers and ids)", indicators.ErrUnknownCode, ref)
	case 1:
		return found[0], nil
	}
	var alts []string
	for _, f := range found {
		alts = append(alts, fmt.Sprintf("#%d in %q", f.ID, f.Evaluation))
	}
	return ActionRef{}, fmt.Errorf("%w: action number %q is in %d evaluations: give its id, one of %s",
		indicators.ErrDuplicate, ref, len(found), strings.Join(alts, ", "))
}

// AppendActionLog appends e to the log of action id and returns it as
// stored (Recorded and Seq set). It needs a status or a text; the log is
// never changed otherwise.
func (db *DB) AppendActionLog(ctx context.Context, id int64, e indicators.LogEntry) (indicators.LogEntry, error) {
	if e.Status == "" && strings.TrimSpace(e.Text) == "" {
		return e, fmt.Errorf("%w: a log entry needs a status or a comment", indicators.ErrRequired)
	}
	if e.Status != "" && !slices.Contains(indicators.ActionStatuses, e.Status) {
		return e, fmt.Errorf("%w: status %q, expected not started, ongoing, completed or cancelled", indicators.ErrInvalid, e.Status)
	}
	stamp := db.Now().UTC().Format(time.RFC3339)
	err := db.Tx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM actions WHERE id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: no key action with id #%d", indicators.ErrUnknownCode, id)
		}
		var err error
		e, err = insertLog(ctx, tx, id, e, stamp)
		return err
	})
	return e, err
}
