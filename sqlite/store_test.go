package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/engine/storetest"
)

// TestEngine runs the use cases of package engine over this adapter.
func TestEngine(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) engine.Store {
		db, err := OpenAt(context.Background(), filepath.Join(t.TempDir(), "rmf.db"), now)
		if err != nil {
			t.Fatal(err)
		}
		return packsChecked{NewStore(db), t, db}
	})
}

// packsChecked is a store whose Close first checks that its figure packs
// are complete and hold what the figures' rows hold.
type packsChecked struct {
	engine.Store
	t  *testing.T
	db *DB
}

func (s packsChecked) Close() error {
	if err := s.db.CheckPacks(context.Background()); err != nil {
		s.t.Errorf("figure packs: %v", err)
	}
	return s.Store.Close()
}
