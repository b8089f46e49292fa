package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rmf-project/rmf/indicators"
)

// CurrentRevisions returns the current figures (as Measurements returns
// them, same order and filter) together with the import each came from:
// its revision number, batch id and import time. The donor workbook's Data
// sheet lists them with their source.
func (db *DB) CurrentRevisions(ctx context.Context, f MeasurementFilter) ([]indicators.Revision, error) {
	q := `SELECT ` + figureSelect + `, m.revision, m.batch_id, b.imported_at
		FROM measurements m JOIN imports b ON b.id = m.batch_id LEFT JOIN indicators i ON i.code = m.indicator`
	where, args := filterWhere(f)
	q += where
	var out []indicators.Revision
	cache := periodCache{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return each(ctx, tx, q+figureOrder, func(r *sql.Rows) error {
			rev := indicators.Revision{Current: true}
			if err := cache.scanRevision(r, &rev); err != nil {
				return err
			}
			out = append(out, rev)
			return nil
		}, args...)
	})
	if err != nil {
		return nil, fmt.Errorf("load figures with their imports: %w", err)
	}
	return out, nil
}
