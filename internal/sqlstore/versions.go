package sqlstore

// The framework's versions (issue 16, migration 016_i16_review_versions.sql):
// every save that changes the framework records the framework it left
// stored, what it changed in baselines, targets, milestones, results and
// indicators, and why. Reports of a past date use the version then in force.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// recordVersion stores the framework now saved (as loaded back) as a new
// version when it differs from the latest one, with its revisions against
// old (when hadOld) and the new reasons of info.
func recordVersion(ctx context.Context, tx *Tx, old *indicators.Framework, hadOld bool, saved *indicators.Framework,
	info VersionInfo, now time.Time, ch *FrameworkChange) error {
	cur, _, err := loadFramework(ctx, tx)
	if err != nil {
		return fmt.Errorf("load the saved framework: %w", err)
	}
	body, err := json.Marshal(cur)
	if err != nil {
		return fmt.Errorf("serialise the framework: %w", err)
	}
	var lastID int64
	var lastBody string
	err = tx.QueryRowContext(ctx, `SELECT id, body FROM framework_versions ORDER BY id DESC LIMIT 1`).Scan(&lastID, &lastBody)
	switch {
	case errors.Is(err, sql.ErrNoRows) && hadOld:
		// A framework stored before versions were kept: record it first, as
		// the version the log begins with.
		ob, err := json.Marshal(old)
		if err != nil {
			return fmt.Errorf("serialise the stored framework: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO framework_versions (saved_at, file, actor, body) VALUES ('', ?, '', ?)`,
			old.Project.Loc.File, string(ob)); err != nil {
			return fmt.Errorf("record the stored framework: %w", err)
		}
		lastBody = string(ob)
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("latest framework version: %w", err)
	}
	if lastBody == string(body) {
		return nil // nothing changed: no version
	}
	file := info.File
	if file == "" {
		file = saved.Project.Loc.File
	}
	if ch.Version, err = tx.insertID(ctx, `INSERT INTO framework_versions (saved_at, file, actor, body) VALUES (?, ?, ?, ?)`,
		stamp(now), file, info.Actor, string(body)); err != nil {
		return fmt.Errorf("record the framework version: %w", err)
	}
	if hadOld {
		ch.Revisions = diffFrameworks(old, cur)
		for i := range ch.Revisions {
			r := &ch.Revisions[i]
			r.Version = ch.Version
			if _, err := tx.ExecContext(ctx, `INSERT INTO framework_revisions (version, position, code, kind, field, old, new)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, r.Version, i+1, r.Code, r.Kind, r.Field, r.Old, r.New); err != nil {
				return fmt.Errorf("record the revision %s: %w", r, err)
			}
		}
	}
	known := map[string]bool{}
	err = each(ctx, tx, `SELECT date, label, level, reason FROM framework_reasons`, func(r *sql.Rows) error {
		var c indicators.ChangeRecord
		var d string
		if err := r.Scan(&d, &c.Version, &c.Level, &c.Reason); err != nil {
			return err
		}
		c.Date, _ = time.Parse(time.DateOnly, d)
		known[c.Key()] = true
		return nil
	})
	if err != nil {
		return fmt.Errorf("recorded reasons: %w", err)
	}
	for _, c := range info.Reasons {
		if strings.TrimSpace(c.Reason) == "" {
			return c.Loc.Errorf("reason", indicators.ErrRequired, "a change without a reason: say why the framework changed")
		}
		if known[c.Key()] {
			continue
		}
		known[c.Key()] = true
		d := ""
		if !c.Date.IsZero() {
			d = c.Date.Format(time.DateOnly)
		}
		ch.Reasons = append(ch.Reasons, c)
		if _, err := tx.ExecContext(ctx, `INSERT INTO framework_reasons (version, position, date, label, level, reason, reason_code,
			approved_by, src_file, src_sheet, src_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			ch.Version, len(ch.Reasons), d, c.Version, c.Level, c.Reason, c.ReasonCode, c.ApprovedBy, c.Loc.File, c.Loc.Sheet, c.Loc.Row); err != nil {
			return fmt.Errorf("record the reason %q: %w", c.Reason, err)
		}
	}
	return nil
}

func showNum(v *float64, text string) string {
	if v != nil {
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	return text
}

// diffFrameworks lists what b changes of a: results and indicators added or
// removed, baselines, targets and milestones changed, and the project's dates.
func diffFrameworks(a, b *indicators.Framework) []FrameworkRevision {
	var out []FrameworkRevision
	add := func(code, kind, field, old, nw string) {
		if old != nw {
			out = append(out, FrameworkRevision{Code: code, Kind: kind, Field: field, Old: old, New: nw})
		}
	}
	if a.Project.Code == b.Project.Code {
		add(b.Project.Code, "project", "start", dateOrEmpty(a.Project.Start), dateOrEmpty(b.Project.Start))
		add(b.Project.Code, "project", "end", dateOrEmpty(a.Project.End), dateOrEmpty(b.Project.End))
	}
	oldRes := map[string]indicators.Result{}
	for _, r := range a.Results {
		oldRes[r.Code] = r
	}
	newRes := map[string]bool{}
	for _, r := range b.Results {
		newRes[r.Code] = true
		if _, ok := oldRes[r.Code]; !ok {
			out = append(out, FrameworkRevision{Code: r.Code, Kind: string(r.Level), Field: "added"})
		}
	}
	for _, r := range a.Results {
		if !newRes[r.Code] {
			out = append(out, FrameworkRevision{Code: r.Code, Kind: string(r.Level), Field: "removed"})
		}
	}
	oldInd := map[string]indicators.Indicator{}
	for _, ind := range a.Indicators {
		oldInd[ind.Code] = ind
	}
	newInd := map[string]bool{}
	for _, ind := range b.Indicators {
		newInd[ind.Code] = true
		o, ok := oldInd[ind.Code]
		if !ok {
			out = append(out, FrameworkRevision{Code: ind.Code, Kind: "indicator", Field: "added"})
			continue
		}
		add(ind.Code, "indicator", "baseline", showNum(o.Baseline, o.BaselineText), showNum(ind.Baseline, ind.BaselineText))
		add(ind.Code, "indicator", "target", showNum(o.Target, o.TargetText), showNum(ind.Target, ind.TargetText))
	}
	for _, ind := range a.Indicators {
		if !newInd[ind.Code] {
			out = append(out, FrameworkRevision{Code: ind.Code, Kind: "indicator", Field: "removed"})
		}
	}
	om, okeys := milestoneTargets(a)
	nm, nkeys := milestoneTargets(b)
	seen := map[mkey]bool{}
	for _, k := range append(nkeys, okeys...) {
		if seen[k] {
			continue
		}
		seen[k] = true
		add(k.code, "indicator", k.field, om[k], nm[k])
	}
	// In framework order of the new framework (removed codes last), then as found.
	pos := map[string]int{}
	for i, r := range b.Results {
		pos[r.Code] = i
	}
	for i, ind := range b.Indicators {
		pos[ind.Code] = len(b.Results) + i
	}
	sort.SliceStable(out, func(i, j int) bool {
		pi, ok := pos[out[i].Code]
		if !ok {
			pi = len(pos) + 1
		}
		pj, ok := pos[out[j].Code]
		if !ok {
			pj = len(pos) + 1
		}
		if out[i].Kind == "project" || out[j].Kind == "project" {
			return out[i].Kind == "project" && out[j].Kind != "project"
		}
		return pi < pj
	})
	return out
}

// mkey is a milestone in a framework diff: its indicator and "milestone
// PERIOD [DIMS]".
type mkey struct{ code, field string }

// milestoneTargets gives each milestone of f its target as shown in a
// diff, and the milestones in f's order.
func milestoneTargets(f *indicators.Framework) (map[mkey]string, []mkey) {
	m := map[mkey]string{}
	var keys []mkey
	for _, x := range f.Milestones {
		field := "milestone " + x.Period.String()
		if d := x.Dims.Key(); d != "" {
			field += " " + d
		}
		k := mkey{x.Indicator, field}
		if _, dup := m[k]; !dup {
			keys = append(keys, k)
		}
		v := x.Target
		m[k] = showNum(&v, "")
		if x.TargetText != "" {
			m[k] = x.TargetText
		}
	}
	return m, keys
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return date(t)
}

// FrameworkHistory lists the framework's versions, oldest first, with their
// reasons and revisions. With code, only the revisions of that indicator or
// result are listed, and only the versions that have some.
func (db *DB) FrameworkHistory(ctx context.Context, code string) ([]FrameworkVersion, error) {
	var out []FrameworkVersion
	err := db.ReadTx(ctx, func(tx *Tx) error {
		idx := map[int64]int{}
		err := each(ctx, tx, `SELECT id, saved_at, file, actor FROM framework_versions ORDER BY id`, func(r *sql.Rows) error {
			var v FrameworkVersion
			var at string
			if err := r.Scan(&v.ID, &at, &v.File, &v.Actor); err != nil {
				return err
			}
			if at != "" {
				var err error
				if v.SavedAt, err = parseStamp(at); err != nil {
					return err
				}
			}
			idx[v.ID] = len(out)
			out = append(out, v)
			return nil
		})
		if err != nil {
			return err
		}
		err = each(ctx, tx, `SELECT version, date, label, level, reason, reason_code, approved_by, src_file, src_sheet, src_row
			FROM framework_reasons ORDER BY version, position`, func(r *sql.Rows) error {
			var id int64
			var c indicators.ChangeRecord
			var d string
			if err := r.Scan(&id, &d, &c.Version, &c.Level, &c.Reason, &c.ReasonCode, &c.ApprovedBy, &c.Loc.File, &c.Loc.Sheet, &c.Loc.Row); err != nil {
				return err
			}
			if d != "" {
				var err error
				if c.Date, err = parseDate(d); err != nil {
					return err
				}
			}
			if i, ok := idx[id]; ok {
				out[i].Reasons = append(out[i].Reasons, c)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return each(ctx, tx, `SELECT version, code, kind, field, old, new FROM framework_revisions ORDER BY version, position`, func(r *sql.Rows) error {
			var x FrameworkRevision
			if err := r.Scan(&x.Version, &x.Code, &x.Kind, &x.Field, &x.Old, &x.New); err != nil {
				return err
			}
			if i, ok := idx[x.Version]; ok && (code == "" || x.Code == code) {
				out[i].Revisions = append(out[i].Revisions, x)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("framework history: %w", err)
	}
	if code != "" {
		kept := out[:0]
		for _, v := range out {
			if len(v.Revisions) > 0 {
				kept = append(kept, v)
			}
		}
		out = kept
	}
	return out, nil
}

// FrameworkAt returns the framework as it stood at t (the latest version
// saved at or before t) and that version's id. A database without versions
// gives ErrNoFramework; a t before the first version is an error naming it.
func (db *DB) FrameworkAt(ctx context.Context, t time.Time) (*indicators.Framework, int64, error) {
	var fw *indicators.Framework
	var id int64
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var body string
		err := tx.QueryRowContext(ctx, `SELECT id, body FROM framework_versions WHERE saved_at <= ? ORDER BY id DESC LIMIT 1`, stamp(t)).Scan(&id, &body)
		if errors.Is(err, sql.ErrNoRows) {
			var first string
			if err := tx.QueryRowContext(ctx, `SELECT saved_at FROM framework_versions ORDER BY id LIMIT 1`).Scan(&first); errors.Is(err, sql.ErrNoRows) {
				return ErrNoFramework
			} else if err != nil {
				return err
			}
			ft, err := parseStamp(first)
			if err != nil {
				return err
			}
			return fmt.Errorf("%w: no framework was stored at %s: the first was imported at %s",
				indicators.ErrOutOfRange, t.UTC().Format(time.RFC3339), ft.Format(time.RFC3339))
		}
		if err != nil {
			return err
		}
		fw = &indicators.Framework{}
		if err := json.Unmarshal([]byte(body), fw); err != nil {
			return fmt.Errorf("framework version %d: %w", id, err)
		}
		return nil
	})
	return fw, id, err
}

// OriginalFramework returns the first framework version stored, or nil
// when no version is.
func (db *DB) OriginalFramework(ctx context.Context) (*indicators.Framework, error) {
	var fw *indicators.Framework
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var body string
		err := tx.QueryRowContext(ctx, `SELECT body FROM framework_versions ORDER BY id LIMIT 1`).Scan(&body)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		fw = &indicators.Framework{}
		return json.Unmarshal([]byte(body), fw)
	})
	return fw, err
}
