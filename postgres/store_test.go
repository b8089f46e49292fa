package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/engine/storetest"
	"github.com/rmf-project/rmf/internal/pgtest"
	"github.com/rmf-project/rmf/internal/sqlstore/sqltest"
)

// TestEngine runs the use cases of package engine over this adapter.
func TestEngine(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) engine.Store {
		db, _, err := CreateAt(context.Background(), pgtest.URL(t), now)
		if err != nil {
			t.Fatal(err)
		}
		return sqltest.PacksChecked(t, NewStore(db), db)
	})
}

// TestStore runs the store-level tests shared with package sqlite.
func TestStore(t *testing.T) {
	sqltest.Run(t, func(t testing.TB) *DB {
		t.Helper()
		db, _, err := CreateAt(context.Background(), pgtest.URL(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		sqltest.CheckPacksAtEnd(t, db)
		return db
	})
}
