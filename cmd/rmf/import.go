package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

var importCmd = &command{
	Name:    "import",
	Summary: "import the measurement workbooks partners filled in and expenditure exports (.xlsx, .csv)",
	Usage:   "rmf [--db FILE] import FILE... [--dry-run] [--decimal-comma] [--unzip-limit BYTES] [--force]",
	Help: "Reads every sheet of each FILE that has an indicator column, in the long layout (one row per\n" +
		"figure) or the wide one (one column per period), and stores its figures.\n" +
		"\n" +
		"Each file is one transaction: a file with any invalid row changes nothing, and every problem\n" +
		"in it is listed on stderr (file, sheet, cell, the value seen and what was expected). The other\n" +
		"files are still checked and imported, so one run shows the problems of every file; files\n" +
		"imported without problems stay imported. The exit status is 1 when any file had a problem.\n" +
		"\n" +
		"A file whose bytes were imported before (same SHA-256) is skipped: \"already imported, nothing\n" +
		"changed\", so that importing an old file again cannot undo corrections made since; --force\n" +
		"imports it anyway. A figure that already exists with another value becomes a new revision;\n" +
		"the old one stays in \"rmf history CODE\"; \"rmf imports\" lists every import.\n" +
		"--dry-run checks the files and reports what would be added, changed and left unchanged,\n" +
		"without writing anything. --decimal-comma reads 1 234,5 as 1234.5. --unzip-limit caps the\n" +
		"unpacked size of a workbook (a number of bytes, or with a KB, MB or GB suffix) so that a\n" +
		"zip bomb is refused.\n" +
		"\n" +
		"While an import runs, reports and lists read the database as before the import; another\n" +
		"import waits for it to finish (and says so). Ctrl-C stops an import at once: nothing of the\n" +
		"file being imported is written. A path that is not a regular file (a device, a pipe) is\n" +
		"refused. Values are at most 1e15 in size, dates within 1950-2100, texts at most 32,767\n" +
		"characters (an Excel cell).\n" +
		"\n" +
		"Value cells: an empty cell, N/A (n/a, n.a., NA, not applicable) is no data, never zero; a dash\n" +
		"is refused (it means zero to some, nothing to others: write 0 or leave the cell empty). A\n" +
		"formula must have its calculated value saved in the file (Excel and LibreOffice do). In a CSV\n" +
		"file separated by semicolons a comma in a number is refused unless --decimal-comma says what\n" +
		"it is. CSV files are read as UTF-8 (or UTF-16 with a byte order mark, as Excel's Unicode text).\n" +
		"\n" +
		"A finance export (a sheet whose header has an amount column and no indicator column: result\n" +
		"code or budget line, period or date, amount) is imported as expenditures, with the same\n" +
		"guarantees; \"rmf expenditures\" lists them and the reports' Efficiency section uses them.\n" +
		"\n" +
		"A DFID/FCDO logframe gives the figures of its Achieved rows (dated by their milestone), and flat\n" +
		"IATI results rows (spreadsheets2iati, AidStream) their Actual values for each period, with the\n" +
		"indicator codes \"rmf framework import\" gave them from the same file.",
}

func init() {
	importCmd.Run = runImport
	register(importCmd)
	addDemoStep(demoStep{Order: 20, Name: "data", Run: demoData})
}

func runImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, importCmd.Name)
	opt := engine.ImportOptions{Words: flagWords}
	fs.BoolVar(&opt.DryRun, "dry-run", false, "check the files and report what would change, without writing")
	fs.BoolVar(&opt.DecimalComma, "decimal-comma", false, "numbers use a decimal comma (1 234,5)")
	fs.BoolVar(&opt.Force, "force", false, "import files even when the same bytes were imported before (this can undo later corrections)")
	limit := fs.String("unzip-limit", "", "largest unpacked size of a workbook, in `BYTES` (or 500MB, 2GB); default "+formatBytes(importers.DefaultUnzipSizeLimit))
	files, err := parseFlags(env, importCmd, fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("name at least one file to import")
	}
	if *limit != "" {
		if opt.UnzipLimit, err = parseBytes(*limit); err != nil {
			return usagef("--unzip-limit %s: %v", *limit, err)
		}
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	fw, _, err := db.Compiled(ctx)
	if err != nil {
		return err
	}
	db.SetWaiting(func() {
		fmt.Fprintf(env.Stderr, "rmf import: another import is writing to %s; waiting for it to finish (Ctrl-C stops)\n", db.Path())
	})
	failed, done := 0, 0
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return interrupted(err, f, done)
		}
		p := newProgress(env, f)
		opt.Progress = p.update
		res, err := db.ImportFile(ctx, fw, f, opt)
		p.done()
		if ctx.Err() != nil {
			// Ctrl-C or SIGTERM: whatever err says, the import was stopped
			// and rolled back.
			return interrupted(ctx.Err(), f, done)
		}
		if err != nil {
			failed++
			printProblems(env.Stderr, f, err)
			continue
		}
		done++
		fmt.Fprintln(env.Stdout, importLine(res, opt.DryRun))
		printAnswers(env, res) // cmd/rmf/review.go (issue 16)
	}
	if failed > 0 {
		others := "the others were imported"
		if opt.DryRun {
			others = "the others are valid"
		}
		switch {
		case len(files) == 1:
			fmt.Fprintln(env.Stderr, "rmf import: the file has problems; nothing was written from it")
		case failed == 1:
			fmt.Fprintf(env.Stderr, "rmf import: 1 of %d files had problems; nothing was written from it, %s\n", len(files), others)
		case failed == len(files):
			fmt.Fprintf(env.Stderr, "rmf import: all %d files had problems; nothing was written\n", failed)
		default:
			fmt.Fprintf(env.Stderr, "rmf import: %d of %d files had problems; nothing was written from them, %s\n", failed, len(files), others)
		}
		return errSilent
	}
	return nil
}

// interruptedError is an import stopped by Ctrl-C or SIGTERM: exitCode
// prints it as it is.
type interruptedError struct {
	err  error // context.Canceled
	file string
	done int // files imported before it
}

func (e *interruptedError) Error() string {
	s := fmt.Sprintf("interrupted while importing %s; nothing was written from it", e.file)
	switch e.done {
	case 0:
	case 1:
		s += " (the 1 file before it was imported)"
	default:
		s += fmt.Sprintf(" (the %d files before it were imported)", e.done)
	}
	return s
}

func (e *interruptedError) Unwrap() error { return e.err }

func interrupted(err error, file string, done int) error {
	return &interruptedError{err: err, file: file, done: done}
}

// importLine is the one-line report of a file's import.
func importLine(r engine.ImportResult, dryRun bool) string {
	b := r.Batch
	var s string
	switch {
	case b.Added == 0 && b.Changed == 0 && r.Again:
		s = fmt.Sprintf("%s: already imported, nothing changed", r.Label)
	case b.Added+b.Changed+b.Unchanged == 0:
		s = fmt.Sprintf("%s: %s read, no figures in them (every value cell is empty)", r.Label, plural(r.Rows, "row"))
	default:
		s = fmt.Sprintf("%s: %s read, %d added, %d changed, %d unchanged", r.Label, plural(r.Rows, "row"), b.Added, b.Changed, b.Unchanged)
	}
	if dryRun {
		s = "dry run: " + s
	}
	return s
}

// printProblems writes one line per problem of err to w. Problems that do
// not name their file are prefixed with it.
func printProblems(w io.Writer, file string, err error) {
	var probs indicators.Problems
	list := []error{err}
	if errors.As(err, &probs) {
		list = probs
	}
	for _, p := range list {
		for _, line := range strings.Split(p.Error(), "\n") {
			if !strings.HasPrefix(line, file) {
				line = file + ": " + line
			}
			fmt.Fprintf(w, "rmf import: %s\n", line)
		}
	}
}

// progress shows rows read and rows per second on stderr while a file is
// imported, when stderr is a terminal; at most a few times a second.
type progress struct {
	w     io.Writer
	file  string
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(env *Env, file string) *progress {
	if !env.Interactive {
		return nil
	}
	now := time.Now()
	return &progress{w: env.Stderr, file: file, start: now, last: now}
}

func (p *progress) update(rows int) {
	if p == nil {
		return
	}
	now := time.Now()
	if p.shown && now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	rate := float64(rows) / max(now.Sub(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\r%s: %d rows read (%.0f rows/s)\033[K", p.file, rows, rate)
	p.shown = true
}

func (p *progress) done() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// parseBytes reads a size: 1048576, 500KB, 500MB, 2GB (powers of 1024),
// also with a lone K, M or G.
func parseBytes(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("expected a positive number of bytes such as 1073741824, 500MB or 2GB")
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("too large")
	}
	return n * mult, nil
}

// formatBytes prints a size the way parseBytes reads it.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKB", n>>10)
	}
	return strconv.FormatInt(n, 10)
}

// demoData (demo step 20) imports every example data file, in name order,
// from a copy in DIR/data (so that the figures' history names files the
// user can open and import again).
func demoData(ctx context.Context, d *demoRun) error {
	const src = "data"
	entries, err := fs.ReadDir(d.Examples, src)
	if err != nil {
		return fmt.Errorf("example data: %w", err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") {
			continue
		}
		if ext := strings.ToLower(filepath.Ext(n)); ext == ".xlsx" || ext == ".csv" {
			names = append(names, n)
		}
	}
	// In the order they came in (demoImportTime), so that the times the
	// database records grow with its imports.
	sort.SliceStable(names, func(i, j int) bool {
		a, _, _ := demoImportTime(names[i])
		b, _, _ := demoImportTime(names[j])
		if !a.Equal(b) {
			return a.Before(b)
		}
		return names[i] < names[j]
	})
	fw := d.Framework
	if fw == nil {
		if fw, _, err = d.DB.Compiled(ctx); err != nil {
			return err
		}
	}
	dst := filepath.Join(d.Dir, src)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(d.Env.Stdout, "\nimporting the partners' data (%d files, copied to %s):\n", len(names), dst)
	var failed []string
	revised := false
	for i, n := range names {
		when, quarterEnd, ok := demoImportTime(n)
		if ok && !revised && !quarterEnd.Before(demoRevisionAfter) {
			// The logframe was revised after the mid-term review, before
			// the returns of 2021Q4 came in.
			if err := demoRevision(ctx, d); err != nil {
				return err
			}
			fw, revised = d.Framework, true
			fmt.Fprintf(d.Env.Stdout, "\nimporting the rest of the partners' data:\n")
		}
		if ok {
			d.At(when.Add(time.Duration(i) * time.Minute))
		}
		b, err := fs.ReadFile(d.Examples, path.Join(src, n))
		if err != nil {
			return err
		}
		file := filepath.Join(dst, n)
		if err := os.WriteFile(file, b, 0o644); err != nil {
			return err
		}
		res, err := d.DB.ImportFile(ctx, fw, file, engine.ImportOptions{Words: flagWords})
		if err != nil {
			printProblems(d.Env.Stderr, file, err)
			failed = append(failed, n)
			continue
		}
		fmt.Fprintf(d.Env.Stdout, "  %s\n", importLine(res, false))
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d example data files did not import: %s", len(failed), strings.Join(failed, ", "))
	}
	if !revised {
		return demoRevision(ctx, d)
	}
	return nil
}

// demoRevisionAfter: the example's logframe was revised after the returns
// of 2021Q3 and before those of 2021Q4 (demoRevision).
var demoRevisionAfter = time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)

// demoImportTime is when the demo says an example data file came in, from
// its name (2021q3_ngo_grants.xlsx): 20 days after its quarter ended, a
// file of corrections a month later; quarterEnd is the quarter's last day.
// ok is false for a name without a quarter.
func demoImportTime(name string) (when, quarterEnd time.Time, ok bool) {
	var year, q int
	if _, err := fmt.Sscanf(strings.ToLower(name), "%4dq%1d_", &year, &q); err != nil || q < 1 || q > 4 {
		return time.Time{}, time.Time{}, false
	}
	quarterEnd = time.Date(year, time.Month(3*q)+1, 0, 0, 0, 0, 0, time.UTC)
	when = quarterEnd.AddDate(0, 0, 20).Add(9 * time.Hour)
	if strings.Contains(strings.ToLower(name), "correction") {
		when = when.AddDate(0, 1, 0)
	}
	return when, quarterEnd, true
}
