package main

// The large project's report from PostgreSQL, beside SQLite's
// (BenchmarkReportJSONLarge): the same database moved to a project of
// $RMF_TEST_POSTGRES with rmf db copy's code, kept there under a name that
// carries benchDBVersion so that later runs reuse it. Skipped without a
// server.
//
//	go test ./cmd/rmf -run '^$' -bench 'ReportJSONLarge' -benchtime 1x

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/rmf-project/rmf/internal/dbcopy"
	"github.com/rmf-project/rmf/internal/gen"
	"github.com/rmf-project/rmf/internal/pgtest"
	"github.com/rmf-project/rmf/postgres"
)

var (
	largePGOnce sync.Once
	largePGURL  string
	largePGErr  error
)

// largePG returns the URL of the large project in PostgreSQL, copying it
// there from the cached SQLite database on first use.
func largePG(b *testing.B) string {
	b.Helper()
	server := pgtest.Server(b)
	path := largeDB(b)
	largePGOnce.Do(func() {
		ctx := context.Background()
		largePGURL = withProject(server, "BENCH-LARGE-"+benchDBVersion)
		if largePGValid(ctx, largePGURL) {
			return
		}
		if err := postgres.Drop(ctx, largePGURL); err != nil {
			largePGErr = err
			return
		}
		t0 := time.Now()
		src, err := openCopySource(ctx, path, time.Now)
		if err != nil {
			largePGErr = err
			return
		}
		defer src.Close()
		dst, err := openCopyDest(ctx, largePGURL, time.Now)
		if err != nil {
			largePGErr = err
			return
		}
		rep, err := dbcopy.Copy(ctx, src.side, dst.side, dbcopy.Options{})
		if err != nil {
			dst.Discard(ctx)
			largePGErr = err
			return
		}
		largePGErr = dst.Close()
		fmt.Fprintf(os.Stderr, "bench: copied %s to %s (%d rows) in %v\n", path, dbName(largePGURL), rep.Rows(), time.Since(t0).Round(time.Millisecond))
	})
	if largePGErr != nil {
		b.Fatal(largePGErr)
	}
	return largePGURL
}

// largePGValid is true when the project at url holds the large framework
// and its one import of all figures.
func largePGValid(ctx context.Context, url string) bool {
	db, err := postgres.OpenAt(ctx, url, time.Now)
	if err != nil {
		return false
	}
	defer db.Close()
	fw, err := db.Framework(ctx)
	if err != nil || fw.Project.Code != gen.LargeFramework().Project.Code || len(fw.Indicators) != gen.Indicators {
		return false
	}
	imps, err := db.Imports(ctx)
	return err == nil && len(imps) == 1 && imps[0].Added == largeFigures
}

// BenchmarkReportJSONLargePostgres is BenchmarkReportJSONLarge on the
// large project in PostgreSQL.
func BenchmarkReportJSONLargePostgres(b *testing.B) {
	benchReportJSON(b, largePG(b))
}
