package engine

import (
	"context"
	"errors"
	"strconv"
	"testing"
)

// stampStore is a Store whose Stamp reads the stamps in turn.
type stampStore struct {
	Store
	stamps []string
	calls  int
}

func (s *stampStore) Stamp(context.Context) (string, error) {
	st := s.stamps[min(s.calls, len(s.stamps)-1)]
	s.calls++
	return st, nil
}

// TestConsistent: a build that saw the same stamp before and after is
// kept; one during which something was written is built again; a change
// during every try is ErrDatabaseChanged; the build's own error comes back as it is.
func TestConsistent(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		stamps []string
		builds int
		stamp  string
		err    error
	}{
		{"quiet", []string{"a", "a"}, 1, "a", nil},
		{"one import meanwhile", []string{"a", "b", "b", "b"}, 2, "b", nil},
		{"imports all along", []string{"a", "b", "c", "d"}, 2, "", ErrDatabaseChanged},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := &stampStore{stamps: tt.stamps}
			builds := 0
			got, err := consistent(ctx, db, 2, func() error { builds++; return nil })
			if !errors.Is(err, tt.err) || got != tt.stamp || builds != tt.builds {
				t.Errorf("stamp %q, %v after %d builds; want %q, %v after %d", got, err, builds, tt.stamp, tt.err, tt.builds)
			}
		})
	}
	failed := errors.New("no framework")
	if _, err := consistent(ctx, &stampStore{stamps: []string{"a"}}, 2, func() error { return failed }); err != failed {
		t.Errorf("build's error: %v", err)
	}
	db := &stampStore{stamps: []string{"a", "b"}}
	for i, want := range []error{nil, ErrDatabaseChanged} {
		if err := sameState(ctx, db, "a"); !errors.Is(err, want) {
			t.Errorf("sameState call %s: %v, want %v", strconv.Itoa(i), err, want)
		}
	}
}
