package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rmf-project/rmf/sqlite"
)

// clock is the time the database records imports, log entries and
// framework versions at: now, or the fixed time $RMF_NOW gives (RFC 3339,
// "2006-01-02T15:04" or a day YYYY-MM-DD, read as UTC), so that a session
// can be replayed and tests of as-of reports are deterministic.
func clock() (func() time.Time, error) {
	v := strings.TrimSpace(os.Getenv("RMF_NOW"))
	if v == "" {
		return time.Now, nil
	}
	t, err := parseMoment(v)
	if err != nil {
		return nil, fmt.Errorf("$RMF_NOW: %w", err)
	}
	return func() time.Time { return t }, nil
}

// parseMoment reads a time as RFC 3339, "2006-01-02T15:04[:05]" (UTC) or a
// day YYYY-MM-DD (midnight UTC).
func parseMoment(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time: expected YYYY-MM-DD, YYYY-MM-DDTHH:MM or RFC 3339 (2021-10-15T09:30:00Z)", v)
}

// openEngine opens the database at path with the clock.
func openEngine(ctx context.Context, path string) (*sqlite.DB, error) {
	now, err := clock()
	if err != nil {
		return nil, err
	}
	return sqlite.OpenAt(ctx, path, now)
}
