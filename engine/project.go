package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// Engine holds the use cases of rmf over one store: what the command line
// and the web server both call. Its methods take a context (cancelled:
// they stop and write nothing) and return data or an error naming the
// file, sheet and cell, or the figure, at fault; none prints.
type Engine struct {
	db  Store
	opt Options
}

// Options are the engine's settings.
type Options struct {
	// UnzipSizeLimit caps the unpacked size of an imported workbook (0:
	// importers.DefaultUnzipSizeLimit).
	UnzipSizeLimit int64
	// MaxProblems is how many problems a failed import lists (0:
	// indicators.DefaultMaxProblems); beyond it one last line says how many
	// more were found.
	MaxProblems int
	// LimitReportMemory sets the Go runtime's soft memory limit in
	// proportion to the figures before a report is built (unless
	// $GOMEMLIMIT is set): for a program that builds one report and exits.
	// A server leaves it off.
	LimitReportMemory bool
}

// New is the engine over store s.
func New(s Store, opt Options) *Engine { return &Engine{db: s, opt: opt} }

// Path names the database.
func (e *Engine) Path() string { return e.db.Path() }

// Close closes the store.
func (e *Engine) Close() error { return e.db.Close() }

// Now is the store's clock.
func (e *Engine) Now() time.Time { return e.db.Now() }

// SetWaiting sets the function called once when a write has to wait for
// another writer (an import beside another).
func (e *Engine) SetWaiting(fn func()) { e.db.SetWaiting(fn) }

// SetClock replaces the store's clock: the demo records its story at the
// times it would have happened.
func (e *Engine) SetClock(now func() time.Time) { e.db.SetClock(now) }

// Framework is the stored framework; a database without one is an error
// saying how to load one.
func (e *Engine) Framework(ctx context.Context) (*indicators.Framework, error) {
	return storedFramework(ctx, e.db)
}

// Compiled is the stored framework with its formulas, status rules and
// checks compiled; a framework whose formulas do not compile is an
// indicators.Problems error (one line per problem).
func (e *Engine) Compiled(ctx context.Context) (*indicators.Framework, *indicators.Compiled, error) {
	return loadFramework(ctx, e.db)
}

// ParsePeriod reads the period spec in fw's calendar: a bad spelling is an
// *ArgError (Arg "period"); a period outside the project is refused.
func ParsePeriod(fw *indicators.Framework, spec string) (indicators.Period, error) {
	return parsePeriodFlag(fw, spec)
}

// ArgError is a use case's argument that cannot be read (a period's
// spelling, a moment): the caller named it wrongly, the data is not at
// fault. Arg names the argument ("period", "as-of").
type ArgError struct {
	Arg string
	Err error
}

func (e *ArgError) Error() string { return e.Arg + ": " + e.Err.Error() }
func (e *ArgError) Unwrap() error { return e.Err }

// CheckInput checks, before anything reads it, that path names a regular
// file (not a device, a pipe or a folder).
func CheckInput(path string) error { return inputFile(path) }

// CheckInputIfExists is CheckInput for a path that exists: a file that
// does not exist is left to its reader to report.
func CheckInputIfExists(path string) error { return notRegular(path) }

// unwrapPath drops the operation and the (temporary) path from a file
// system error: "permission denied" rather than "open /x/.r.md.123: ...".
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// loadFramework loads the stored framework and compiles its formulas,
// status rules and checks. A framework whose formulas do not compile is an
// error listing every problem (one per line): run "rmf check" for details.
func loadFramework(ctx context.Context, db Store) (*indicators.Framework, *indicators.Compiled, error) {
	fw, err := storedFramework(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	comp, probs := fw.Compile()
	if len(probs) > 0 {
		return nil, nil, probs
	}
	return fw, comp, nil
}

// parsePeriodFlag reads the --period flag's value spec in the project's
// calendar (a bad spelling is a usage error) and refuses a period outside
// the project, when the project has dates.
func parsePeriodFlag(fw *indicators.Framework, spec string) (indicators.Period, error) {
	p, err := fw.Project.Calendar().ParsePeriod(spec)
	if err != nil {
		return indicators.Period{}, &ArgError{Arg: "period", Err: err}
	}
	if proj := fw.Project.Period(); !proj.Start.IsZero() && !proj.End.IsZero() && !proj.Overlaps(p) {
		return indicators.Period{}, fmt.Errorf("period %s (%s..%s) is outside the project %s, which runs %s..%s: choose a period within it",
			p, p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), fw.Project.Code,
			proj.Start.Format(time.DateOnly), proj.End.Format(time.DateOnly))
	}
	return p, nil
}

// storedFramework loads the stored framework; a database without one is
// an error saying how to load one.
func storedFramework(ctx context.Context, db Store) (*indicators.Framework, error) {
	fw, err := db.Framework(ctx)
	if errors.Is(err, ErrNoFramework) {
		return nil, &NoFrameworkError{Database: db.Path()}
	}
	if err != nil {
		return nil, err
	}
	// Stored before dates were checked on import: every list of periods
	// (reports, IATI) would grow with the span.
	for _, d := range []struct {
		what string
		t    time.Time
	}{{"start", fw.Project.Start}, {"end", fw.Project.End}} {
		if err := indicators.CheckYear("the project's "+d.what, d.t); err != nil && !d.t.IsZero() {
			return nil, fmt.Errorf("database %s: %v; correct %s in the framework file and run \"rmf framework import FILE\" again",
				db.Path(), strings.TrimPrefix(err.Error(), indicators.ErrOutOfRange.Error()+": "), d.what)
		}
	}
	return fw, nil
}

// inputFile checks, before anything reads it, that path names a regular
// file: a device such as /dev/zero would be read forever, a FIFO would
// block until something writes to it, and a folder is not a file.
func inputFile(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil && errors.Is(err, fs.ErrNotExist):
		return &indicators.CellError{File: path, Err: errors.New("no such file")}
	case err != nil:
		return &indicators.CellError{File: path, Err: unwrapPath(err)}
	case fi.IsDir():
		return fmt.Errorf("%s is a folder, expected a file", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file (%s), expected a saved file such as a workbook", path, fileType(fi.Mode()))
	}
	return nil
}

// notRegular is inputFile for a path that exists: a file that does not
// exist (or cannot be examined) is left to the reader to report.
func notRegular(path string) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return inputFile(path)
	}
	return nil
}

// fileType names what a file that is not a regular file is.
func fileType(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}
