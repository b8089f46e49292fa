package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/engine/storetest"
	"github.com/rmf-project/rmf/internal/sqlstore/sqltest"
)

// TestEngine runs the use cases of package engine over this adapter.
func TestEngine(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) engine.Store {
		db, err := OpenAt(context.Background(), filepath.Join(t.TempDir(), "rmf.db"), now)
		if err != nil {
			t.Fatal(err)
		}
		return sqltest.PacksChecked(t, NewStore(db), db)
	})
}
