package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/sqlite"
)

// newEngine opens a fresh SQLite store in dir with the example project's
// framework saved: what "rmf framework import examples/framework.yaml"
// does.
func newEngine(ctx context.Context, dir string) (*engine.Engine, error) {
	db, err := sqlite.Open(ctx, filepath.Join(dir, "rmf.db"))
	if err != nil {
		return nil, err
	}
	e := engine.New(sqlite.NewStore(db), engine.Options{})
	lf, err := engine.ReadFramework(filepath.Join("..", "examples", "framework.yaml"), importers.FrameworkOptions{})
	if err != nil {
		e.Close()
		return nil, err
	}
	if _, err := e.ImportFramework(ctx, lf.Framework, engine.VersionInfo{File: "framework.yaml", Actor: "example"}); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// Import a partner's workbook: first a dry run (what would change, nothing
// written), then the import, then the same file again (skipped: the same
// bytes).
func ExampleEngine_ImportFile() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "rmf-example")
	defer os.RemoveAll(dir)
	e, err := newEngine(ctx, dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer e.Close()
	fw, err := e.Framework(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	file := filepath.Join("..", "examples", "data", "2020q4_ngo_grants.xlsx")
	for _, opt := range []engine.ImportOptions{{DryRun: true}, {}, {}} {
		res, err := e.ImportFile(ctx, fw, file, opt)
		if err != nil {
			fmt.Println(err)
			return
		}
		b := res.Batch
		fmt.Printf("dry run %v: %d rows, %d added, %d changed, %d unchanged, imported before %v\n",
			opt.DryRun, res.Rows, b.Added, b.Changed, b.Unchanged, res.Again)
	}
	// Output:
	// dry run true: 32 rows, 32 added, 0 changed, 0 unchanged, imported before false
	// dry run false: 32 rows, 32 added, 0 changed, 0 unchanged, imported before false
	// dry run false: 0 rows, 0 added, 0 changed, 0 unchanged, imported before true
}

// Build the report of a period (figures imported: none yet, so every
// indicator is "no data") and write it as Markdown: here its title line.
func ExampleEngine_Report() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "rmf-example")
	defer os.RemoveAll(dir)
	e, err := newEngine(ctx, dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer e.Close()
	rr, err := e.Report(ctx, engine.ReportRequest{Period: "2020Q4"})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	if err := engine.WriteReport(&b, rr.Report, "md", engine.TextOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rr.Period, rr.Framework.Project.Code)
	fmt.Println(strings.SplitN(b.String(), "\n", 2)[0])
	// Output:
	// 2020Q4 MIG-MN
	// # MIG-MN: Internal migration in Mongolia - data, governance and services for internal migrants
}
