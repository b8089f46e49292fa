package importers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestSourceReadOnce: a source is read from disk once, when it is opened.
// The file is then replaced on disk; the hash, the sorting of its sheets
// and the figures read all come from the bytes read at the opening.
func TestSourceReadOnce(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"indicator", "period", "value"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"1.1", "2021Q1", 7})
	xlsx := filepath.Join(t.TempDir(), "once.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	csv := writeCSV(t, "indicator,period,value\n1.1,2021Q1,7\n")
	for _, p := range []string{xlsx, csv} {
		orig, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		src, err := OpenSource(p)
		if err != nil {
			t.Fatal(err)
		}
		// Another version of the file, written after the opening.
		if err := os.WriteFile(p, []byte("indicator,period,value\n1.1,2021Q2,99\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		sum, err := src.SHA256(context.Background())
		h := sha256.Sum256(orig)
		if err != nil || sum != hex.EncodeToString(h[:]) {
			t.Errorf("%s: SHA256 = %s, %v; want the opened bytes' %x", p, sum, err, h)
		}
		exp, meas, err := ClassifySource(p, src)
		if err != nil || len(exp) != 0 || len(meas) != 1 {
			t.Errorf("%s: ClassifySource = %q, %q, %v", p, exp, meas, err)
		}
		var sink sliceSink
		if _, err := ImportMeasurements(p, testFramework(), &sink, MeasurementOptions{Source: src}); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if got := figs(sink.ms); len(got) != 1 || got[0][:15] != "1.1 2021Q1 =7 @" {
			t.Errorf("%s: read %q, want the figure of the opened version (1.1 2021Q1 =7)", p, got)
		}
		src.Close()
	}
}
