package sqlstore

import (
	"context"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
)

// Store is DB as engine's storage port (engine.Store).
type Store struct{ *DB }

var _ engine.Store = Store{}

// NewStore is db as engine.Store.
func NewStore(db *DB) Store { return Store{db} }

// SetWaiting sets DB.Waiting.
func (s Store) SetWaiting(fn func()) { s.DB.Waiting = fn }

// BeginImport is DB.BeginImport.
func (s Store) BeginImport(ctx context.Context, b indicators.Batch) (engine.MeasurementImport, error) {
	im, err := s.DB.BeginImport(ctx, b)
	if err != nil {
		return nil, err
	}
	return im, nil
}

// BeginExpenditureImport is DB.BeginExpenditureImport.
func (s Store) BeginExpenditureImport(ctx context.Context, b indicators.Batch) (engine.ExpenditureImport, error) {
	im, err := s.DB.BeginExpenditureImport(ctx, b)
	if err != nil {
		return nil, err
	}
	return im, nil
}

// SetClock sets DB.Now.
func (s Store) SetClock(now func() time.Time) { s.DB.Now = now }

// Now is the database's clock (DB.Now).
func (s Store) Now() time.Time { return s.DB.Now() }
