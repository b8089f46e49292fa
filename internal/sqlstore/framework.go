package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// HasFramework is true when a framework has been saved.
func (db *DB) HasFramework(ctx context.Context) (bool, error) {
	var n int
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM project`).Scan(&n)
	})
	return n > 0, err
}

// Framework loads the stored framework, every list in framework order. It
// returns ErrNoFramework when none was saved.
func (db *DB) Framework(ctx context.Context) (*indicators.Framework, error) {
	var fw *indicators.Framework
	err := db.ReadTx(ctx, func(tx *Tx) error {
		f, ok, err := loadFramework(ctx, tx)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNoFramework
		}
		fw = f
		return nil
	})
	return fw, err
}

// SaveFramework stores fw, in one transaction: all of it or nothing. A
// framework already stored is updated in place: items are matched by code
// (milestones by indicator, period and disaggregation), changed ones are
// updated, new ones added and missing ones deleted; figures are kept.
// Removing an indicator that has figures is refused, naming the indicator
// and how many figures it has.
func (db *DB) SaveFramework(ctx context.Context, fw *indicators.Framework) (FrameworkChange, error) {
	return db.SaveFrameworkVersion(ctx, fw, VersionInfo{})
}

// SaveFrameworkVersion is SaveFramework recording, when the framework
// changed, a version with info (versions.go, issue 16).
func (db *DB) SaveFrameworkVersion(ctx context.Context, fw *indicators.Framework, info VersionInfo) (FrameworkChange, error) {
	var ch FrameworkChange
	if fw == nil {
		return ch, fmt.Errorf("%w: no framework to save", indicators.ErrRequired)
	}
	if err := checkReferences(fw); err != nil {
		return ch, err
	}
	err := db.Tx(ctx, func(tx *Tx) error {
		ch = FrameworkChange{}
		old, hadProject, err := loadFramework(ctx, tx)
		if err != nil {
			return fmt.Errorf("load stored framework: %w", err)
		}
		if hadProject && old.Project.Code != fw.Project.Code {
			// one project per database (SPEC 6): merging would put one
			// project's figures under another's indicators
			return fmt.Errorf("%w: the framework is for project %s but this database holds project %s; nothing was imported: use another database (--db FILE) for %s, or fix the project code",
				indicators.ErrInvalid, fw.Project.Code, old.Project.Code, fw.Project.Code)
		}
		if err := checkRemovedIndicators(ctx, tx, old, fw); err != nil {
			return err
		}
		var oldProject []fwRow
		if hadProject {
			oldProject = []fwRow{projectRow(old.Project)}
		}
		steps := []struct {
			t        *fwTable
			old, new []fwRow
		}{
			{&projectTable, oldProject, []fwRow{projectRow(fw.Project)}},
			{&dimensionTable, rowsOf(old.Dimensions, dimensionRow), rowsOf(fw.Dimensions, dimensionRow)},
			{&resultTable, rowsOf(old.Results, resultRow), rowsOf(fw.Results, resultRow)},
			{&indicatorTable, rowsOf(old.Indicators, indicatorRow), rowsOf(fw.Indicators, indicatorRow)},
			{&milestoneTable, rowsOf(old.Milestones, milestoneRowIn(old.Project)), rowsOf(fw.Milestones, milestoneRowIn(fw.Project))},
			{&ruleTable, rowsOf(old.Rules, ruleRow), rowsOf(fw.Rules, ruleRow)},
		}
		var problems indicators.Problems
		for _, s := range steps {
			problems = append(problems, duplicates(s.t, s.new)...)
		}
		if len(problems) > 0 {
			return problems
		}
		for _, s := range steps {
			if err := syncTable(ctx, tx, s.t, s.old, s.new, &ch); err != nil {
				return err
			}
		}
		if err := saveBudget(ctx, tx, fw, &ch); err != nil { // budget.go (issue 7)
			return err
		}
		if err := saveIATIProject(ctx, tx, fw.Project, &ch); err != nil { // iati.go (issue 12)
			return err
		}
		return recordVersion(ctx, tx, old, hadProject, fw, info, db.Now(), &ch) // versions.go (issue 16)
	})
	if err != nil {
		return FrameworkChange{}, err
	}
	return ch, nil
}

// checkReferences checks, before anything is written, that every code the
// framework refers to is defined in it, so that the error names the cell
// rather than a foreign key.
func checkReferences(fw *indicators.Framework) error {
	results := map[string]bool{}
	for _, r := range fw.Results {
		results[r.Code] = true
	}
	inds := map[string]bool{}
	for _, ind := range fw.Indicators {
		inds[ind.Code] = true
	}
	var p indicators.Problems
	for _, r := range fw.Results {
		if r.Parent != "" && !results[r.Parent] {
			p = append(p, r.Loc.Errorf("parent", indicators.ErrUnknownCode, "result %s: parent %q is not a result of the framework", r.Code, r.Parent))
		}
		for _, c := range r.ContributesTo {
			if !results[c] {
				p = append(p, r.Loc.Errorf("contributes_to", indicators.ErrUnknownCode, "result %s: contributes to %q, which is not a result of the framework", r.Code, c))
			}
		}
	}
	for _, ind := range fw.Indicators {
		if ind.Result != "" && !results[ind.Result] {
			p = append(p, ind.Loc.Errorf("result", indicators.ErrUnknownCode, "indicator %s: result %q is not a result of the framework", ind.Code, ind.Result))
		}
	}
	for _, m := range fw.Milestones {
		if !inds[m.Indicator] {
			p = append(p, m.Loc.Errorf("indicator", indicators.ErrUnknownCode, "milestone %s: %q is not an indicator of the framework", m.Period, m.Indicator))
		}
		if err := checkDims(m.Dims); err != nil {
			p = append(p, m.Loc.Errorf("disaggregation", err, "milestone %s %s", m.Indicator, m.Period))
		}
	}
	return p.Err()
}

// checkRemovedIndicators refuses to drop indicators that have figures.
func checkRemovedIndicators(ctx context.Context, tx *Tx, old, fw *indicators.Framework) error {
	keep := map[string]bool{}
	for _, ind := range fw.Indicators {
		keep[ind.Code] = true
	}
	var p indicators.Problems
	for _, ind := range old.Indicators {
		if keep[ind.Code] {
			continue
		}
		var figures, revisions int
		err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(current), 0), count(*) FROM measurements WHERE indicator = ?`, ind.Code).Scan(&figures, &revisions)
		if err != nil {
			return fmt.Errorf("count figures of %s: %w", ind.Code, err)
		}
		if revisions > 0 {
			p = append(p, &InUseError{Code: ind.Code, Figures: figures, Revisions: revisions})
		}
	}
	return p.Err()
}

// fwRow is one framework item as table columns.
type fwRow struct {
	what    string // "indicator 1.1", for messages
	key     string // unique within its table
	keyArgs []any
	content []any  // values of fwTable.cols
	sig     string // child rows, compared along with content
	meta    []any  // values of fwTable.meta: position and source
	loc     indicators.Loc
	// children rewrites the item's child rows.
	children func(ctx context.Context, tx *Tx) error
}

type fwTable struct {
	name    string
	keyCols []string
	cols    []string
	meta    []string
}

var srcCols = []string{"src_file", "src_sheet", "src_row"}

var (
	projectTable = fwTable{name: "project", keyCols: []string{"id"},
		cols: []string{"code", "title", "start_date", "end_date", "donor", "currency", "reporting", "year_start",
			"status_rule", "iati_identifier", "reporting_org", "reporting_org_id", "description"},
		meta: srcCols}
	resultTable = fwTable{name: "results", keyCols: []string{"code"},
		cols: []string{"level", "parent", "statement", "assumptions"},
		meta: append([]string{"position"}, srcCols...)}
	indicatorTable = fwTable{name: "indicators", keyCols: []string{"code"},
		cols: []string{"result", "name", "definition", "unit", "direction", "baseline", "baseline_text", "baseline_date",
			"target", "target_text", "aggregation", "formula", "numerator", "denominator", "status_rule", "data_source",
			"collection_method", "frequency", "responsible", "means_of_verification", "notes", "milestones", "path"},
		meta: append([]string{"position"}, srcCols...)}
	milestoneTable = fwTable{name: "milestones", keyCols: []string{"indicator", "period", "dims"},
		cols: []string{"period_kind", "period_start", "period_end", "target", "target_text"},
		meta: append([]string{"position"}, srcCols...)}
	dimensionTable = fwTable{name: "dimensions", keyCols: []string{"name"},
		meta: append([]string{"position"}, srcCols...)}
	ruleTable = fwTable{name: "rules", keyCols: []string{"code"},
		cols: []string{"check_expr", "severity", "message"},
		meta: append([]string{"position"}, srcCols...)}
)

func src(l indicators.Loc) []any { return []any{l.File, l.Sheet, l.Row} }

func rowsOf[T any](xs []T, f func(T, int) fwRow) []fwRow {
	out := make([]fwRow, len(xs))
	for i, x := range xs {
		out[i] = f(x, i+1)
	}
	return out
}

func projectRow(p indicators.Project) fwRow {
	return fwRow{what: "project " + p.Code, key: "1", keyArgs: []any{1},
		content: []any{p.Code, p.Title, date(p.Start), date(p.End), p.Donor, p.Currency, p.Reporting, p.YearStart,
			p.StatusRule, p.IATIIdentifier, p.ReportingOrg, p.ReportingOrgID, p.Description},
		meta: src(p.Loc), loc: p.Loc}
}

func resultRow(r indicators.Result, pos int) fwRow {
	return fwRow{what: "result " + r.Code, key: r.Code, keyArgs: []any{r.Code},
		content: []any{string(r.Level), nullString(r.Parent), r.Statement, r.Assumptions},
		sig:     strings.Join(r.ContributesTo, "\x1f"),
		meta:    append([]any{pos}, src(r.Loc)...), loc: r.Loc,
		children: func(ctx context.Context, tx *Tx) error {
			return rewriteList(ctx, tx, "result_contributions", "result", "outcome", r.Code, r.ContributesTo)
		}}
}

func indicatorRow(ind indicators.Indicator, pos int) fwRow {
	var bdate any
	if ind.BaselineDate != nil {
		bdate = date(*ind.BaselineDate)
	}
	return fwRow{what: "indicator " + ind.Code, key: ind.Code, keyArgs: []any{ind.Code},
		content: []any{nullString(ind.Result), ind.Name, ind.Definition, string(ind.Unit), string(ind.Direction),
			nullFloat(ind.Baseline), ind.BaselineText, bdate, nullFloat(ind.Target), ind.TargetText,
			string(ind.Aggregation), ind.Formula, ind.Numerator, ind.Denominator, ind.StatusRule, ind.DataSource,
			ind.CollectionMethod, ind.Frequency, ind.Responsible, ind.MeansOfVerification, ind.Notes,
			string(ind.Milestones), string(ind.Path)},
		sig:  strings.Join(ind.Disaggregations, "\x1f"),
		meta: append([]any{pos}, src(ind.Loc)...), loc: ind.Loc,
		children: func(ctx context.Context, tx *Tx) error {
			return rewriteList(ctx, tx, "indicator_dimensions", "indicator", "dimension", ind.Code, ind.Disaggregations)
		}}
}

// milestoneRowIn is milestoneRow naming the milestone's period as the
// officer wrote it in project p (PY1 rather than its dates).
func milestoneRowIn(p indicators.Project) func(indicators.Milestone, int) fwRow {
	return func(m indicators.Milestone, pos int) fwRow {
		r := milestoneRow(m, pos)
		r.what = fmt.Sprintf("milestone %s %s %s", m.Indicator, p.PeriodLabel(m.Period), m.Dims)
		return r
	}
}

func milestoneRow(m indicators.Milestone, pos int) fwRow {
	period, dims := m.Period.String(), m.Dims.Key()
	return fwRow{what: fmt.Sprintf("milestone %s %s %s", m.Indicator, period, m.Dims),
		key: m.Indicator + "\x00" + period + "\x00" + dims, keyArgs: []any{m.Indicator, period, dims},
		content: []any{int(m.Period.Kind), date(m.Period.Start), date(m.Period.End), m.Target, m.TargetText},
		meta:    append([]any{pos}, src(m.Loc)...), loc: m.Loc}
}

func dimensionRow(d indicators.Dimension, pos int) fwRow {
	return fwRow{what: "dimension " + d.Name, key: d.Name, keyArgs: []any{d.Name},
		sig:  strings.Join(d.Values, "\x1f"),
		meta: append([]any{pos}, src(d.Loc)...), loc: d.Loc,
		children: func(ctx context.Context, tx *Tx) error {
			return rewriteList(ctx, tx, "dimension_values", "dimension", "value", d.Name, d.Values)
		}}
}

func ruleRow(r indicators.Rule, pos int) fwRow {
	return fwRow{what: "rule " + r.Code, key: r.Code, keyArgs: []any{r.Code},
		content: []any{r.Check, string(r.Severity), r.Message},
		meta:    append([]any{pos}, src(r.Loc)...), loc: r.Loc}
}

// rewriteList replaces the child rows (owner, position, value) of owner.
// table and columns are constants of this file, never input.
func rewriteList(ctx context.Context, tx *Tx, table, ownerCol, valueCol, owner string, values []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+ownerCol+` = ?`, owner); err != nil {
		return fmt.Errorf("%s of %s: %w", table, owner, err)
	}
	for i, v := range values {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (`+ownerCol+`, position, `+valueCol+`) VALUES (?, ?, ?)`, owner, i+1, v); err != nil {
			return fmt.Errorf("%s of %s: %q: %w", table, owner, v, err)
		}
	}
	return nil
}

// duplicates reports items of one kind that share a key.
func duplicates(t *fwTable, rows []fwRow) indicators.Problems {
	var p indicators.Problems
	first := map[string]fwRow{}
	for _, r := range rows {
		if f, dup := first[r.key]; dup {
			at := "earlier"
			if f.loc.Row > 0 {
				at = fmt.Sprintf("row %d", f.loc.Row)
			}
			p = append(p, r.loc.Errorf(t.keyCols[0], indicators.ErrDuplicate, "%s is defined twice (also at %s)", r.what, at))
			continue
		}
		first[r.key] = r
	}
	return p
}

func sameContent(a, b fwRow) bool {
	if a.sig != b.sig || len(a.content) != len(b.content) {
		return false
	}
	for i := range a.content {
		if a.content[i] != b.content[i] {
			return false
		}
	}
	return true
}

// syncTable makes table t hold rows instead of old: inserts, updates in
// place (never a delete and insert, so nothing cascades) and deletes.
func syncTable(ctx context.Context, tx *Tx, t *fwTable, old, rows []fwRow, ch *FrameworkChange) error {
	byKey := make(map[string]fwRow, len(old))
	for _, r := range old {
		byKey[r.key] = r
	}
	seen := make(map[string]bool, len(rows))
	var (
		all    = append(append(append([]string{}, t.keyCols...), t.cols...), t.meta...)
		insert = `INSERT INTO ` + t.name + ` (` + strings.Join(all, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(all)-1) + `)`
		where  = ` WHERE ` + strings.Join(t.keyCols, " = ? AND ") + ` = ?`
		update = `UPDATE ` + t.name + ` SET ` + strings.Join(append(append([]string{}, t.cols...), t.meta...), " = ?, ") + ` = ?` + where
		touch  = `UPDATE ` + t.name + ` SET ` + strings.Join(t.meta, " = ?, ") + ` = ?` + where
		del    = `DELETE FROM ` + t.name + where
	)
	for _, r := range rows {
		seen[r.key] = true
		prev, exists := byKey[r.key]
		var err error
		switch {
		case !exists:
			_, err = tx.ExecContext(ctx, insert, append(append(append([]any{}, r.keyArgs...), r.content...), r.meta...)...)
			ch.Added++
			ch.Changes = append(ch.Changes, "added "+r.what)
		case !sameContent(prev, r):
			_, err = tx.ExecContext(ctx, update, append(append(append([]any{}, r.content...), r.meta...), r.keyArgs...)...)
			ch.Updated++
			ch.Changes = append(ch.Changes, "updated "+r.what)
		default:
			_, err = tx.ExecContext(ctx, touch, append(append([]any{}, r.meta...), r.keyArgs...)...)
			ch.Unchanged++
		}
		if err != nil {
			return fmt.Errorf("save %s: %w", r.what, tx.db.d.MapError(err))
		}
		if r.children != nil && (!exists || prev.sig != r.sig) {
			if err := r.children(ctx, tx); err != nil {
				return fmt.Errorf("save %s: %w", r.what, tx.db.d.MapError(err))
			}
		}
	}
	for _, r := range old {
		if seen[r.key] {
			continue
		}
		if _, err := tx.ExecContext(ctx, del, r.keyArgs...); err != nil {
			return fmt.Errorf("remove %s: %w", r.what, tx.db.d.MapError(err))
		}
		ch.Removed++
		ch.Changes = append(ch.Changes, "removed "+r.what)
	}
	return nil
}

// loadFramework reads the stored framework; ok is false when no project
// was saved (the lists are then empty too).
func loadFramework(ctx context.Context, tx *Tx) (fw *indicators.Framework, ok bool, err error) {
	fw = &indicators.Framework{}
	if ok, err = loadProject(ctx, tx, &fw.Project); err != nil {
		return nil, false, err
	}
	contributions, err := loadLists(ctx, tx, `SELECT result, outcome FROM result_contributions ORDER BY result, position`)
	if err != nil {
		return nil, false, err
	}
	disaggs, err := loadLists(ctx, tx, `SELECT indicator, dimension FROM indicator_dimensions ORDER BY indicator, position`)
	if err != nil {
		return nil, false, err
	}
	values, err := loadLists(ctx, tx, `SELECT dimension, value FROM dimension_values ORDER BY dimension, position`)
	if err != nil {
		return nil, false, err
	}

	err = each(ctx, tx, `SELECT name, src_file, src_sheet, src_row FROM dimensions ORDER BY position`, func(rows *sql.Rows) error {
		var d indicators.Dimension
		if err := rows.Scan(&d.Name, &d.Loc.File, &d.Loc.Sheet, &d.Loc.Row); err != nil {
			return err
		}
		d.Values = values[d.Name]
		fw.Dimensions = append(fw.Dimensions, d)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("load dimensions: %w", err)
	}

	err = each(ctx, tx, `SELECT code, level, coalesce(parent, ''), statement, assumptions, src_file, src_sheet, src_row FROM results ORDER BY position`, func(rows *sql.Rows) error {
		var r indicators.Result
		var level string
		if err := rows.Scan(&r.Code, &level, &r.Parent, &r.Statement, &r.Assumptions, &r.Loc.File, &r.Loc.Sheet, &r.Loc.Row); err != nil {
			return err
		}
		r.Level = indicators.Level(level)
		r.ContributesTo = contributions[r.Code]
		fw.Results = append(fw.Results, r)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("load results: %w", err)
	}

	if fw.Indicators, err = loadIndicators(ctx, tx, disaggs); err != nil {
		return nil, false, err
	}
	if fw.Milestones, err = loadMilestones(ctx, tx); err != nil {
		return nil, false, err
	}

	err = each(ctx, tx, `SELECT code, check_expr, severity, message, src_file, src_sheet, src_row FROM rules ORDER BY position`, func(rows *sql.Rows) error {
		var r indicators.Rule
		var sev string
		if err := rows.Scan(&r.Code, &r.Check, &sev, &r.Message, &r.Loc.File, &r.Loc.Sheet, &r.Loc.Row); err != nil {
			return err
		}
		r.Severity = indicators.Severity(sev)
		fw.Rules = append(fw.Rules, r)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("load rules: %w", err)
	}
	if err := loadBudget(ctx, tx, fw); err != nil { // budget.go (issue 7)
		return nil, false, err
	}
	if err := loadIATIProject(ctx, tx, &fw.Project); err != nil { // iati.go (issue 12)
		return nil, false, err
	}
	return fw, ok, nil
}

// loadIndicators reads the stored indicators, with their disaggregations.
func loadIndicators(ctx context.Context, tx *Tx, disaggs map[string][]string) ([]indicators.Indicator, error) {
	var out []indicators.Indicator
	err := each(ctx, tx, `SELECT code, coalesce(result, ''), name, definition, unit, direction, baseline, baseline_text,
		baseline_date, target, target_text, aggregation, formula, numerator, denominator, status_rule, data_source,
		collection_method, frequency, responsible, means_of_verification, notes, milestones, path, src_file, src_sheet, src_row
		FROM indicators ORDER BY position`, func(rows *sql.Rows) error {
		var ind indicators.Indicator
		var unit, direction, aggregation, reading, path string
		var baseline, target sql.NullFloat64
		var bdate sql.NullString
		if err := rows.Scan(&ind.Code, &ind.Result, &ind.Name, &ind.Definition, &unit, &direction, &baseline,
			&ind.BaselineText, &bdate, &target, &ind.TargetText, &aggregation, &ind.Formula, &ind.Numerator,
			&ind.Denominator, &ind.StatusRule, &ind.DataSource, &ind.CollectionMethod, &ind.Frequency,
			&ind.Responsible, &ind.MeansOfVerification, &ind.Notes, &reading, &path, &ind.Loc.File, &ind.Loc.Sheet, &ind.Loc.Row); err != nil {
			return err
		}
		ind.Unit, ind.Direction, ind.Aggregation = indicators.Unit(unit), indicators.Direction(direction), indicators.Aggregation(aggregation)
		ind.Milestones, ind.Path = indicators.MilestoneReading(reading), indicators.PathShape(path)
		ind.Baseline, ind.Target = floatPtr(baseline), floatPtr(target)
		if bdate.Valid {
			t, err := parseDate(bdate.String)
			if err != nil {
				return fmt.Errorf("indicator %s baseline date: %w", ind.Code, err)
			}
			ind.BaselineDate = &t
		}
		ind.Disaggregations = disaggs[ind.Code]
		out = append(out, ind)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load indicators: %w", err)
	}
	return out, nil
}

// loadMilestones reads the stored milestones.
func loadMilestones(ctx context.Context, tx *Tx) ([]indicators.Milestone, error) {
	var out []indicators.Milestone
	err := each(ctx, tx, `SELECT indicator, period_kind, period_start, period_end, dims, target, target_text,
		src_file, src_sheet, src_row FROM milestones ORDER BY position`, func(rows *sql.Rows) error {
		var m indicators.Milestone
		var kind int
		var start, end, dims string
		if err := rows.Scan(&m.Indicator, &kind, &start, &end, &dims, &m.Target, &m.TargetText, &m.Loc.File, &m.Loc.Sheet, &m.Loc.Row); err != nil {
			return err
		}
		var err error
		if m.Period, err = period(kind, start, end); err != nil {
			return fmt.Errorf("milestone of %s: %w", m.Indicator, err)
		}
		if m.Dims, err = parseDims(dims); err != nil {
			return fmt.Errorf("milestone of %s: %w", m.Indicator, err)
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load milestones: %w", err)
	}
	return out, nil
}

func loadProject(ctx context.Context, tx *Tx, p *indicators.Project) (bool, error) {
	var start, end string
	err := tx.QueryRowContext(ctx, `SELECT code, title, start_date, end_date, donor, currency, reporting, year_start,
		status_rule, iati_identifier, reporting_org, reporting_org_id, description, src_file, src_sheet, src_row
		FROM project WHERE id = 1`).Scan(&p.Code, &p.Title, &start, &end, &p.Donor, &p.Currency, &p.Reporting,
		&p.YearStart, &p.StatusRule, &p.IATIIdentifier, &p.ReportingOrg, &p.ReportingOrgID, &p.Description,
		&p.Loc.File, &p.Loc.Sheet, &p.Loc.Row)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load project: %w", err)
	}
	if p.Start, err = parseDate(start); err != nil {
		return false, fmt.Errorf("project start: %w", err)
	}
	if p.End, err = parseDate(end); err != nil {
		return false, fmt.Errorf("project end: %w", err)
	}
	return true, nil
}

// period rebuilds a stored period from its kind and dates.
func period(kind int, start, end string) (indicators.Period, error) {
	s, err := parseDate(start)
	if err != nil {
		return indicators.Period{}, err
	}
	e, err := parseDate(end)
	if err != nil {
		return indicators.Period{}, err
	}
	return indicators.Period{Kind: indicators.PeriodKind(kind), Start: s, End: e}, nil
}

// loadLists reads (owner, value) rows into lists per owner.
func loadLists(ctx context.Context, tx *Tx, query string) (map[string][]string, error) {
	out := map[string][]string{}
	err := each(ctx, tx, query, func(rows *sql.Rows) error {
		var owner, v string
		if err := rows.Scan(&owner, &v); err != nil {
			return err
		}
		out[owner] = append(out[owner], v)
		return nil
	})
	return out, err
}

// each runs query and calls fn for every row.
func each(ctx context.Context, tx *Tx, query string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	return eachRow(rows, err, fn)
}

// eachStmt runs the prepared query stmt with args and calls fn for each row.
func eachStmt(ctx context.Context, stmt *sql.Stmt, fn func(*sql.Rows) error, args ...any) error {
	rows, err := stmt.QueryContext(ctx, args...)
	return eachRow(rows, err, fn)
}

// eachRow calls fn for every row of a query's result (rows, err) and closes it.
func eachRow(rows *sql.Rows, err error, fn func(*sql.Rows) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
