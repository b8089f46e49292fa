package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// The IATI publisher details of the project that the project table does
// not hold (migration 012): the reporting organisation's type, whether it
// is a secondary reporter, and the planned and actual activity dates.

// saveIATIProject stores p's IATI publisher details in tx, replacing the
// stored ones, and counts a change in ch. SaveFramework calls it in its
// transaction.
func saveIATIProject(ctx context.Context, tx *Tx, p indicators.Project, ch *FrameworkChange) error {
	var old indicators.Project
	if err := loadIATIProject(ctx, tx, &old); err != nil {
		return err
	}
	if old.ReportingOrgType != p.ReportingOrgType || !sameBool(old.SecondaryReporter, p.SecondaryReporter) ||
		!old.PlannedStart.Equal(p.PlannedStart) || !old.ActualStart.Equal(p.ActualStart) ||
		!old.PlannedEnd.Equal(p.PlannedEnd) || !old.ActualEnd.Equal(p.ActualEnd) {
		ch.Updated++
		ch.Changes = append(ch.Changes, "updated project IATI publisher details")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM iati_project`); err != nil {
		return fmt.Errorf("save IATI publisher details: %w", err)
	}
	if p.ReportingOrgType == "" && p.SecondaryReporter == nil && p.PlannedStart.IsZero() && p.ActualStart.IsZero() &&
		p.PlannedEnd.IsZero() && p.ActualEnd.IsZero() {
		return nil
	}
	var sec any
	if p.SecondaryReporter != nil {
		sec = 0
		if *p.SecondaryReporter {
			sec = 1
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO iati_project (id, reporting_org_type, secondary_reporter,
		planned_start, actual_start, planned_end, actual_end) VALUES (1, ?, ?, ?, ?, ?, ?)`,
		p.ReportingOrgType, sec, optDate(p.PlannedStart), optDate(p.ActualStart), optDate(p.PlannedEnd), optDate(p.ActualEnd)); err != nil {
		return fmt.Errorf("save IATI publisher details: %w", tx.db.d.MapError(err))
	}
	return nil
}

// loadIATIProject reads the stored IATI publisher details into p.
func loadIATIProject(ctx context.Context, tx *Tx, p *indicators.Project) error {
	var sec sql.NullInt64
	var ds [4]string
	err := tx.QueryRowContext(ctx, `SELECT reporting_org_type, secondary_reporter, planned_start, actual_start, planned_end, actual_end
		FROM iati_project WHERE id = 1`).Scan(&p.ReportingOrgType, &sec, &ds[0], &ds[1], &ds[2], &ds[3])
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load IATI publisher details: %w", err)
	}
	if sec.Valid {
		b := sec.Int64 != 0
		p.SecondaryReporter = &b
	}
	for i, t := range []*time.Time{&p.PlannedStart, &p.ActualStart, &p.PlannedEnd, &p.ActualEnd} {
		if ds[i] == "" {
			continue
		}
		if *t, err = parseDate(ds[i]); err != nil {
			return fmt.Errorf("load IATI publisher details: %w", err)
		}
	}
	return nil
}

func sameBool(a, b *bool) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func optDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return date(t)
}
