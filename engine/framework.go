package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// ReadFramework reads and validates a logframe file (rmf's workbook or
// YAML, a DFID logframe, flat IATI results rows; the layout is recognised
// from the content) without touching any store: a bad file leaves no
// trace, not even a new empty database.
func ReadFramework(file string, opt importers.FrameworkOptions) (*importers.Logframe, error) {
	return importers.ReadLogframe(file, opt)
}

// FrameworkImport is what saving a framework did.
type FrameworkImport struct {
	Had    bool // a framework was stored before: an update in place
	Change FrameworkChange
}

// ImportFramework saves fw as the project's framework (matched by code;
// figures are kept), recording a version with info when it changed.
func (e *Engine) ImportFramework(ctx context.Context, fw *indicators.Framework, info VersionInfo) (FrameworkImport, error) {
	var out FrameworkImport
	var err error
	if out.Had, err = e.db.HasFramework(ctx); err != nil {
		return out, err
	}
	out.Change, err = e.db.SaveFrameworkVersion(ctx, fw, info)
	return out, err
}

// IATIFramework is an IATI activity file read: its logframe (compiled),
// its actuals and the bytes' SHA-256.
type IATIFramework struct {
	*importers.IATIImport
	SHA256 string
}

// ReadIATIFramework reads the activity (activity: its iati-identifier,
// "" for the first) of an IATI activity file and checks that its
// logframe compiles, without touching any store.
func ReadIATIFramework(file, activity string) (*IATIFramework, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	im, err := importers.ReadIATI(bytes.NewReader(data), file, activity)
	if err != nil {
		return nil, err
	}
	if _, probs := im.Framework.Compile(); len(probs) > 0 {
		return nil, probs
	}
	sum := sha256.Sum256(data)
	return &IATIFramework{IATIImport: im, SHA256: hex.EncodeToString(sum[:])}, nil
}

// ImportIATIFigures stores the actuals of an IATI activity file read with
// ReadIATIFramework as one import of kind "iati".
func (e *Engine) ImportIATIFigures(ctx context.Context, file string, x *IATIFramework) (indicators.Batch, error) {
	imp, err := e.db.BeginImport(ctx, indicators.Batch{File: file, SHA256: x.SHA256, Kind: "iati"})
	if err != nil {
		return indicators.Batch{}, err
	}
	defer imp.Rollback()
	for _, m := range x.Figures {
		if err := imp.Add(m); err != nil {
			return indicators.Batch{}, err
		}
	}
	imp.SetRowsRead(len(x.Figures))
	return imp.Finish(false)
}

// exampleCodes names a few result and budget line codes of fw.
func exampleCodes(fw *indicators.Framework) string {
	var cs []string
	for _, r := range fw.Results {
		if r.Level == indicators.Output && len(cs) < 2 {
			cs = append(cs, r.Code)
		}
	}
	for _, l := range fw.Budget {
		if len(cs) < 4 {
			cs = append(cs, l.Code)
			break
		}
	}
	return strings.Join(cs, ", ")
}

// FrameworkVersions lists the framework's versions (of code's result or
// indicator only, when code is not empty): what each import changed, when,
// by whom and why. A code that is neither in the framework nor in any
// version is an error.
func (e *Engine) FrameworkVersions(ctx context.Context, code string) ([]FrameworkVersion, error) {
	fw, err := e.db.Framework(ctx)
	if err != nil {
		return nil, err
	}
	if code != "" {
		_, isInd := fw.Indicator(code)
		_, isRes := fw.Result(code)
		if !isInd && !isRes && code != fw.Project.Code {
			// A removed code still has its history.
			if h, _ := e.db.FrameworkHistory(ctx, code); len(h) == 0 {
				return nil, fmt.Errorf("%q is not a result or indicator of the framework, and no version of it changed one", code)
			}
		}
	}
	return e.db.FrameworkHistory(ctx, code)
}

// Expenditures lists the expenditures with every revision (of the result
// or budget line code only, when code is not empty); Current marks the
// amounts in force.
func (e *Engine) Expenditures(ctx context.Context, code string) ([]indicators.ExpenditureRevision, error) {
	if code != "" {
		fw, err := storedFramework(ctx, e.db)
		if err != nil {
			return nil, err
		}
		_, isResult := fw.Result(code)
		_, isLine := fw.BudgetLine(code)
		if !isResult && !isLine {
			return nil, fmt.Errorf("%w: %q is neither a result nor a budget line of project %s, expected a code such as %s", indicators.ErrUnknownCode, code, fw.Project.Code, exampleCodes(fw))
		}
	}
	return e.db.ExpenditureHistory(ctx, code)
}

// Template is the data-collection workbook partners fill in for a period
// (.xlsx bytes), with the period as read.
func (e *Engine) Template(ctx context.Context, period string) ([]byte, indicators.Period, error) {
	fw, _, err := loadFramework(ctx, e.db)
	if err != nil {
		return nil, indicators.Period{}, err
	}
	p, err := parsePeriodFlag(fw, period)
	if err != nil {
		return nil, p, err
	}
	var buf bytes.Buffer
	if err := exporters.WriteTemplate(&buf, fw, p); err != nil {
		return nil, p, errors.New(strings.TrimPrefix(err.Error(), "template: "))
	}
	return buf.Bytes(), p, nil
}

// HasFramework is true when a framework is stored.
func (e *Engine) HasFramework(ctx context.Context) (bool, error) { return e.db.HasFramework(ctx) }

// Imports lists the imported files: when, their SHA-256, rows read,
// figures added, changed and unchanged.
func (e *Engine) Imports(ctx context.Context) ([]indicators.Batch, error) { return e.db.Imports(ctx) }

// SaveEvaluation stores an evaluation read elsewhere (the demo's embedded
// matrix); ImportActions reads and stores a file.
func (e *Engine) SaveEvaluation(ctx context.Context, ev *indicators.Evaluation) (ActionsChange, error) {
	return e.db.SaveEvaluation(ctx, ev, false)
}
