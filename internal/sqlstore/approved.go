package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// approvedRevision selects a revision whose latest approval or return (up
// to log entry ?) is an approval.
const approvedRevision = `EXISTS (SELECT 1 FROM review_figures rf JOIN review_log l ON l.id = rf.entry
	WHERE rf.measurement = %[1]s.id AND l.action = '` + ActApprove + `' AND rf.entry = (SELECT max(r2.entry)
	FROM review_figures r2 WHERE r2.measurement = %[1]s.id AND r2.entry <= ?))`

// ApprovedMeasurements returns, for each figure whose period ends on or
// before upto (all when zero), its latest approved revision: the current
// one when it is approved, else the one approved before it was corrected
// (a correction waits for its own approval, and a return does not undo
// the approval of the revision before it); figures never approved are left
// out. With st, as they stood in that state (its imports and review log
// entries). Figures come ordered as MeasurementsIn orders them (by the
// position of their indicator in order when given, else in framework
// order), then by period and disaggregation.
func (db *DB) ApprovedMeasurements(ctx context.Context, st *State, upto time.Time, order []string) ([]indicators.Measurement, error) {
	batch, entry := int64(math.MaxInt64), int64(math.MaxInt64)
	if st != nil {
		batch, entry = st.Batch, st.Entry
	}
	q := `SELECT ` + figureSelect + ` FROM measurements m LEFT JOIN indicators i ON i.code = m.indicator
		WHERE m.batch_id <= ? AND ` + fmt.Sprintf(approvedRevision, "m") + ` AND m.revision = (SELECT max(k.revision)
		FROM measurements k WHERE k.indicator = m.indicator AND k.period = m.period AND k.dims = m.dims AND k.batch_id <= ?
		AND ` + fmt.Sprintf(approvedRevision, "k") + `)`
	args := []any{batch, entry, batch, entry}
	if !upto.IsZero() {
		q += ` AND m.period_end <= ?`
		args = append(args, date(upto))
	}
	var out []indicators.Measurement
	err := db.ReadTx(ctx, func(tx *Tx) error {
		cache := periodCache{}
		return each(ctx, tx, q+figureOrder, func(r *sql.Rows) error {
			out = append(out, indicators.Measurement{})
			return cache.scanFigure(r, &out[len(out)-1])
		}, args...)
	})
	if err != nil {
		return nil, fmt.Errorf("approved figures: %w", err)
	}
	if order != nil {
		pos := make(map[string]int, len(order))
		for i, c := range order {
			pos[c] = i
		}
		rank := func(code string) int {
			if p, ok := pos[code]; ok {
				return p
			}
			return -1
		}
		slices.SortStableFunc(out, func(a, b indicators.Measurement) int { return rank(a.Indicator) - rank(b.Indicator) })
	}
	return out, nil
}
