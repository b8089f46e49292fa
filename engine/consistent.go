package engine

import (
	"context"
	"errors"
)

// ErrDatabaseChanged is returned when something was written to the
// database while an output was being made from it in several reads (an
// import, a review or a framework change landing meanwhile): the output
// would mix two states, so it is refused and nothing is written.
var ErrDatabaseChanged = errors.New("the database changed while the output was being made (an import, a review or a framework change landed meanwhile): nothing was written; run the command again")

// consistent runs build, which reads db in several transactions, and
// checks with the store's Stamp that nothing was written between its
// first read and its last; when something was, it builds once more, and
// gives ErrDatabaseChanged if the database changed again. It returns the
// stamp the build saw, for later reads to check against (sameState).
func consistent(ctx context.Context, db Store, build func() error) (string, error) {
	for try := 0; try < 2; try++ {
		before, err := db.Stamp(ctx)
		if err != nil {
			return "", err
		}
		if err := build(); err != nil {
			return "", err
		}
		after, err := db.Stamp(ctx)
		if err != nil {
			return "", err
		}
		if after == before {
			return before, nil
		}
	}
	return "", ErrDatabaseChanged
}

// sameState checks, after a later read, that the database is still in the
// state whose stamp an earlier one saw: ErrDatabaseChanged if not.
func sameState(ctx context.Context, db Store, stamp string) error {
	now, err := db.Stamp(ctx)
	if err != nil {
		return err
	}
	if now != stamp {
		return ErrDatabaseChanged
	}
	return nil
}
