package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/rmf-project/rmf/indicators"
)

// saveBudget stores fw's budget (the project's total, in-kind and
// efficiency threshold, and the budget lines) in tx, replacing the stored
// one, and counts what changed in ch. SaveFramework calls it in its
// transaction, so the budget is saved with the framework or not at all.
// The budget is validated first (Framework.ValidateBudget).
func saveBudget(ctx context.Context, tx *Tx, fw *indicators.Framework, ch *FrameworkChange) error {
	if p := fw.ValidateBudget(); len(p) > 0 {
		return p
	}
	if err := checkSpentResults(ctx, tx, fw); err != nil {
		return err
	}
	old := &indicators.Framework{}
	if err := loadBudget(ctx, tx, old); err != nil {
		return err
	}
	p, q := old.Project, fw.Project
	if !sameFloat(p.TotalBudget, q.TotalBudget) || !sameFloat(p.InKind, q.InKind) || !sameFloat(p.EfficiencyThreshold, q.EfficiencyThreshold) {
		ch.Updated++
		ch.Changes = append(ch.Changes, "updated project budget")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM budget_project`); err != nil {
		return fmt.Errorf("save budget: %w", err)
	}
	if q.TotalBudget != nil || q.InKind != nil || q.EfficiencyThreshold != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO budget_project (id, total_budget, in_kind, efficiency_threshold) VALUES (1, ?, ?, ?)`,
			nullFloat(q.TotalBudget), nullFloat(q.InKind), nullFloat(q.EfficiencyThreshold)); err != nil {
			return fmt.Errorf("save budget: %w", err)
		}
	}
	// Lines are matched by key: the line code, else result and category
	// (the n-th line of the same result and category).
	oldKeyed := orderedKeys(old.Budget)
	oldLines := make(map[string]indicators.BudgetLine, len(oldKeyed))
	for _, kl := range oldKeyed {
		oldLines[kl.key] = kl.line
	}
	for _, kl := range orderedKeys(fw.Budget) {
		o, ok := oldLines[kl.key]
		switch {
		case !ok:
			ch.Added++
			ch.Changes = append(ch.Changes, "added budget line "+kl.key)
		case o.Result != kl.line.Result || o.Category != kl.line.Category || o.Amount != kl.line.Amount ||
			o.Currency != kl.line.Currency || o.Description != kl.line.Description:
			ch.Updated++
			ch.Changes = append(ch.Changes, "updated budget line "+kl.key)
		default:
			ch.Unchanged++
		}
		delete(oldLines, kl.key)
	}
	for _, kl := range oldKeyed {
		if _, gone := oldLines[kl.key]; gone {
			ch.Removed++
			ch.Changes = append(ch.Changes, "removed budget line "+kl.key)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM budget_lines`); err != nil {
		return fmt.Errorf("save budget lines: %w", err)
	}
	for i, l := range fw.Budget {
		if _, err := tx.ExecContext(ctx, `INSERT INTO budget_lines (position, code, result, category, amount, currency, description, src_file, src_sheet, src_row)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, i+1, l.Code, l.Result, l.Category, l.Amount, l.Currency, l.Description,
			l.Loc.File, l.Loc.Sheet, l.Loc.Row); err != nil {
			return fmt.Errorf("save budget line %d: %w", i+1, tx.db.d.MapError(err))
		}
	}
	return nil
}

type keyedLine struct {
	key  string
	line indicators.BudgetLine
}

func orderedKeys(ls []indicators.BudgetLine) []keyedLine {
	seen := map[string]int{}
	var out []keyedLine
	for _, l := range ls {
		k := l.Code
		if k == "" {
			k = l.Result
			if k == "" {
				k = "(project)"
			}
			k += " " + l.Category
			seen[k]++
			if n := seen[k]; n > 1 {
				k += " #" + strconv.Itoa(n)
			}
		}
		out = append(out, keyedLine{k, l})
	}
	return out
}

func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// loadBudget reads the stored budget into fw (project budget fields and
// lines, in framework order).
func loadBudget(ctx context.Context, tx *Tx, fw *indicators.Framework) error {
	var total, inKind, threshold sql.NullFloat64
	err := tx.QueryRowContext(ctx, `SELECT total_budget, in_kind, efficiency_threshold FROM budget_project WHERE id = 1`).Scan(&total, &inKind, &threshold)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("load budget: %w", err)
	}
	fw.Project.TotalBudget, fw.Project.InKind, fw.Project.EfficiencyThreshold = floatPtr(total), floatPtr(inKind), floatPtr(threshold)
	fw.Budget = nil
	err = each(ctx, tx, `SELECT code, result, category, amount, currency, description, src_file, src_sheet, src_row
		FROM budget_lines ORDER BY position`, func(r *sql.Rows) error {
		var l indicators.BudgetLine
		if err := r.Scan(&l.Code, &l.Result, &l.Category, &l.Amount, &l.Currency, &l.Description, &l.Loc.File, &l.Loc.Sheet, &l.Loc.Row); err != nil {
			return err
		}
		fw.Budget = append(fw.Budget, l)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load budget lines: %w", err)
	}
	return nil
}

// checkSpentResults refuses a framework that drops results the stored
// expenditures are booked on, naming each result and how much was spent.
func checkSpentResults(ctx context.Context, tx *Tx, fw *indicators.Framework) error {
	keep := map[string]bool{"": true}
	for _, r := range fw.Results {
		keep[r.Code] = true
	}
	var p indicators.Problems
	err := each(ctx, tx, `SELECT result, count(*), coalesce(sum(CASE WHEN current = 1 THEN amount END), 0) FROM expenditures
		GROUP BY result ORDER BY result`, func(r *sql.Rows) error {
		var code string
		var n int
		var amount float64
		if err := r.Scan(&code, &n, &amount); err != nil {
			return err
		}
		if !keep[code] {
			p = append(p, fmt.Errorf("%w: result %s has expenditures in the database (%d rows, %s spent) and cannot be removed from the framework: keep it in the framework file",
				ErrInUse, code, n, indicators.FormatAmount(amount)))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check expenditures: %w", err)
	}
	return p.Err()
}
