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
// first read and its last; when something was, it builds again, up to
// tries times in all, and gives ErrDatabaseChanged if the database changed
// during every one (the last build's results are then what build left).
// It returns the stamp the build saw, for later reads to check against
// (sameState).
func consistent(ctx context.Context, db Store, tries int, build func() error) (string, error) {
	for try := 0; try < tries; try++ {
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

// ChangedNote is the note of a report made while imports kept landing (a
// report is a view: it is shown with this note rather than refused; an
// export made from it is refused).
const ChangedNote = "the database changed while this report was being made (imports kept landing): a section may count figures another does not; make the report again for one state"

// reportTries is how many times a report is built while the database
// changes under it before it is shown with ChangedNote.
const reportTries = 2

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
