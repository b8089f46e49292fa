package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// ImportFile imports one measurement workbook or finance export (.xlsx,
// .csv) into the framework fw (Engine.Framework) in one transaction: on
// any problem nothing is written and the problems come back
// (indicators.Problems, each naming file, sheet and cell). A file whose
// bytes were imported before is skipped (Again) unless opt.Force. With
// opt.DryRun nothing is written and the result says what would change.
func (e *Engine) ImportFile(ctx context.Context, fw *indicators.Framework, file string, opt ImportOptions) (ImportResult, error) {
	if opt.UnzipLimit == 0 {
		opt.UnzipLimit = e.opt.UnzipSizeLimit
	}
	if opt.MaxProblems == 0 {
		opt.MaxProblems = e.opt.MaxProblems
	}
	res, err := importFile(ctx, e.db, fw, file, opt)
	if err != nil || res.Batch.ID == 0 {
		return res, err
	}
	res.Answers, res.AnswersErr = e.db.Answers(ctx, res.Batch.ID)
	return res, nil
}

// classifyFile names file's expenditure sheets (importFile hands a file
// with any to importExpenditureFile) and its measurement sheets; a file
// that cannot be read has neither (the import says why).
func classifyFile(file string, src *importers.Source) (exp, meas []string) {
	exp, meas, err := importers.ClassifySource(file, src)
	if err != nil {
		return nil, nil
	}
	return exp, meas
}

// importExpenditureFile imports one expenditure file in one transaction,
// with the guarantees of measurement imports (see ExpenditureImport).
// exp and meas are the file's sheets as classifyFile names them.
func importExpenditureFile(ctx context.Context, db Store, fw *indicators.Framework, src *importers.Source, sum string, exp, meas []string, opt ImportOptions, res ImportResult) (ImportResult, error) {
	file := src.Path
	if len(meas) > 0 {
		return res, indicators.Problems{&indicators.CellError{File: file, Sheet: meas[0], Err: fmt.Errorf(
			"%w: the file holds expenditure sheets (%s) and indicator figures (%s); put them in separate files",
			indicators.ErrInvalid, sheetList(exp), sheetList(meas))}}
	}
	im, err := db.BeginExpenditureImport(ctx, indicators.Batch{File: file, SHA256: sum})
	if err != nil {
		return res, err
	}
	defer im.Rollback()
	if opt.Force {
		im.ImportAgain()
	}
	rows, err := importers.ImportExpenditures(file, fw, im, importers.ExpenditureOptions{UnzipSizeLimit: opt.UnzipLimit, Source: src, MaxProblems: opt.MaxProblems})
	res.Rows = rows
	if err != nil {
		return res, err
	}
	im.SetRowsRead(rows)
	b, err := im.Finish(opt.DryRun)
	if err != nil {
		return res, err
	}
	if im.ImportedBefore() && !opt.Force {
		// Imported by another import that finished while this one read
		// the file: nothing written.
		res.Again = true
		return res, nil
	}
	res.Batch = b
	return res, nil
}

func sheetList(names []string) string {
	if len(names) == 1 && names[0] == "" {
		return "the CSV file"
	}
	return fmt.Sprintf("%q", names)
}

// ImportOptions say how to import a file.
type ImportOptions struct {
	DryRun       bool  // check and count, write nothing
	DecimalComma bool  // numbers use a decimal comma (1 234,5)
	UnzipLimit   int64 // largest unpacked size of a workbook (0: the engine's Options)
	MaxProblems  int   // problems listed at most (0: the engine's Options)
	// Words name the options that messages advise as the caller's user
	// sets them (cmd/rmf: its flags); nil: in the library's words.
	Words importers.OptionWords
	Force bool // import files whose bytes were imported before
	// Progress, when set, is called with the rows read so far while a
	// measurement workbook is read.
	Progress func(rows int)
}

// ImportResult is what one file's import did (or, for a dry run, would do).
type ImportResult struct {
	Batch indicators.Batch // the counts added, changed, unchanged; ID 0 when nothing was written
	Again bool             // the same bytes had been imported before
	Rows  int              // data rows read
	Label string           // the file as the caller named it
	// Answers are the returned figures this import replaced (rmf return):
	// the partner's answers, submitted for approval again.
	// Changes are, for a dry run of a measurement file, the figures it
	// would add or change, one by one (at most MaxListedChanges).
	Changes    []FigureChange
	Answers    []Answer
	AnswersErr error // the answers could not be read (the import stands)
}

// importFile imports one file in one transaction: on any problem the
// import is rolled back and the problems are returned (indicators.Problems,
// one per line).
func importFile(ctx context.Context, db Store, fw *indicators.Framework, file string, opt ImportOptions) (ImportResult, error) {
	res := ImportResult{Label: file}
	if err := inputFile(file); err != nil {
		return res, err
	}
	// The file is opened and read once (into memory up to
	// importers.MaxSourceInMemory): hashed as it is read, then sorted into
	// expenditure and measurement sheets and parsed from those bytes.
	src, err := importers.OpenSource(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return res, &indicators.CellError{File: file, Err: errors.New("no such file")}
		}
		return res, err
	}
	defer src.Close()
	sum, err := src.SHA256(ctx)
	if err != nil {
		return res, err
	}
	again, err := db.ImportedBefore(ctx, sum)
	if err != nil {
		return res, err
	}
	res.Again = again
	if again && !opt.Force {
		// The same bytes again: nothing to do. Merging them anew could undo
		// corrections imported since (a figure back to its old value).
		return res, nil
	}
	if exp, meas := classifyFile(file, src); len(exp) > 0 { // a finance export (issue 7)
		return importExpenditureFile(ctx, db, fw, src, sum, exp, meas, opt, res)
	}
	im, err := db.BeginImport(ctx, indicators.Batch{File: file, SHA256: sum, Kind: "measurements"})
	if err != nil {
		return res, err
	}
	defer im.Rollback() // a no-op after a successful Finish
	if im.ImportedBefore() && !opt.Force {
		// Imported by another import that ran while this one waited for
		// the write lock.
		res.Again = true
		return res, nil
	}
	rows, err := importers.ImportMeasurements(file, fw, im, importers.MeasurementOptions{
		DecimalComma:   opt.DecimalComma,
		UnzipSizeLimit: opt.UnzipLimit,
		MaxProblems:    opt.MaxProblems,
		Words:          opt.Words,
		Progress:       opt.Progress,
		Context:        ctx,
		Source:         src,
	})
	res.Rows = rows
	if err != nil {
		return res, err
	}
	im.SetRowsRead(rows) // data rows, not figures: a wide row holds several
	b, err := im.Finish(opt.DryRun)
	if err != nil {
		return res, err
	}
	res.Batch = b
	if opt.DryRun {
		res.Changes = im.Changes()
	}
	return res, nil
}
