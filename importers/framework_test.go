package importers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadFrameworkByExtension: the reader is chosen by the extension, in
// any case; other files are refused with a message saying what is
// expected.
func TestReadFrameworkByExtension(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, name := range []string{"fw.yaml", "FW.YML"} {
		if _, err := ReadFramework(write(name, []byte(baseYAML))); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ReadFramework(write("fw.XLSX", buildXLSX(t, baseSheets()))); err != nil {
		t.Errorf("fw.XLSX: %v", err)
	}
	for name, want := range map[string]string{
		"fw.xls":  "save the workbook as .xlsx",
		"fw.txt":  `unknown framework file type ".txt", expected .xlsx, .csv, .yaml or .yml (or IATI .xml)`,
		"fw.csv":  "not a logframe rmf reads; rmf reads rmf's workbook", // framework_layouts.go
		"fw.xml":  "expected an <iati-activities> document",
		"fw.yaml": "", // below: a missing file
	} {
		p := filepath.Join(dir, "missing-"+name)
		if want != "" {
			p = write(name, []byte("x"))
		}
		_, err := ReadFramework(p)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if !strings.Contains(err.Error(), filepath.Base(p)) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
