package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/engine/storetest"
	"github.com/rmf-project/rmf/internal/pgtest"
)

// TestEngine runs the use cases of package engine over this adapter.
func TestEngine(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) engine.Store {
		db, _, err := CreateAt(context.Background(), pgtest.URL(t), now)
		if err != nil {
			t.Fatal(err)
		}
		return NewStore(db)
	})
}
