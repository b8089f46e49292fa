package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// approvedRevision selects a revision whose latest approval or return (up
// to log entry ?) is an approval.
const approvedRevision = `EXISTS (SELECT 1 FROM review_figures rf JOIN review_log l ON l.id = rf.entry
	WHERE rf.measurement = %[1]s.id AND l.action = '` + ActApprove + `' AND rf.entry = (SELECT max(r2.entry)
	FROM review_figures r2 WHERE r2.measurement = %[1]s.id AND r2.entry <= ?))`

// EachApprovedRevisions calls fn with each figure's latest approved
// revision, with the import it came from, one indicator at a time: the
// current revision when it is approved, else the one approved before it
// was corrected (a correction waits for its own approval, and returning
// it leaves the approval of the revision before in force). A revision
// whose approval a later approved revision replaced stays replaced even
// when that later one is returned afterwards (the officer approved the
// change: the figure waits for a new approval). Figures never approved,
// or in that wait, are left out. Only figures whose period ends on or before upto
// (all when zero); with st, as they stood in that state (its imports and
// review log entries). Indicators come in the order of order when given
// (codes outside it are not read), else in framework order; each
// indicator's figures by period and disaggregation, all from one read
// transaction. revs is reused after fn returns; fn's error is returned as
// it is.
func (db *DB) EachApprovedRevisions(ctx context.Context, st *State, upto time.Time, order []string,
	fn func(code string, revs []indicators.Revision) error) error {
	batch, entry := int64(math.MaxInt64), int64(math.MaxInt64)
	if st != nil {
		batch, entry = st.Batch, st.Entry
	}
	q := `SELECT ` + figureSelect + `, m.revision, m.batch_id, b.imported_at
		FROM measurements m JOIN imports b ON b.id = m.batch_id
		WHERE m.indicator = ? AND m.batch_id <= ? AND ` + fmt.Sprintf(approvedRevision, "m") + ` AND m.revision = (SELECT max(k.revision)
		FROM measurements k WHERE k.indicator = m.indicator AND k.period = m.period AND k.dims = m.dims AND k.batch_id <= ?
		AND ` + fmt.Sprintf(approvedRevision, "k") + `)
		AND NOT EXISTS (SELECT 1 FROM measurements n JOIN review_figures rn ON rn.measurement = n.id JOIN review_log ln ON ln.id = rn.entry
		WHERE n.indicator = m.indicator AND n.period = m.period AND n.dims = m.dims AND n.revision > m.revision
		AND ln.action = '` + ActApprove + `' AND rn.entry <= ?)`
	args := []any{nil, batch, entry, batch, entry, entry}
	if !upto.IsZero() {
		q += ` AND m.period_end <= ?`
		args = append(args, date(upto))
	}
	q += ` ORDER BY m.period_end, m.period_start, m.period, m.dims`
	var buf []indicators.Revision
	err := db.ReadTx(ctx, func(tx *Tx) error {
		codes := order
		if codes == nil {
			var err error
			if codes, err = indicatorCodes(ctx, tx); err != nil {
				return err
			}
		}
		stmt, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer stmt.Close()
		cache := periodCache{}
		for _, code := range codes {
			buf = buf[:0]
			args[0] = code
			err := eachStmt(ctx, stmt, func(r *sql.Rows) error {
				var rev indicators.Revision
				if err := cache.scanRevision(r, &rev); err != nil {
					return err
				}
				buf = append(buf, rev)
				return nil
			}, args...)
			if err != nil {
				return fmt.Errorf("approved figures of %s: %w", code, err)
			}
			if len(buf) > 0 {
				if err := fn(code, buf); err != nil {
					return fnError{err}
				}
			}
		}
		return nil
	})
	return callerErr(err, "")
}

// ApprovedMeasurements returns the figures EachApprovedRevisions gives, all
// at once.
func (db *DB) ApprovedMeasurements(ctx context.Context, st *State, upto time.Time, order []string) ([]indicators.Measurement, error) {
	var out []indicators.Measurement
	err := db.EachApprovedRevisions(ctx, st, upto, order, func(_ string, revs []indicators.Revision) error {
		for _, r := range revs {
			out = append(out, r.Measurement)
		}
		return nil
	})
	return out, err
}
