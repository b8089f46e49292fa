package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"

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
