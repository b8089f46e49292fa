package importers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLongTextRefused: a text longer than an Excel cell holds (32,767
// characters) is refused at import, naming the cell and the limit; it was
// stored whole and then cut without a word by every workbook rmf writes.
func TestLongTextRefused(t *testing.T) {
	long := strings.Repeat("x", 40000)

	// A measurement file: the comment of a figure.
	p := filepath.Join(t.TempDir(), "long.csv")
	if err := os.WriteFile(p, []byte("indicator,period,value,comment\n1.1,2021Q1,5,"+long+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var sink sliceSink
	_, err := ImportMeasurements(p, testFramework(), &sink, MeasurementOptions{})
	want := p + ": cell D2: out of range: a text of 40000 characters, longer than Excel's limit of 32767 characters per cell; shorten it (rmf does not cut text)"
	if err == nil || err.Error() != want {
		t.Errorf("measurements: %v\nwant %s", err, want)
	}
	if len(sink.ms) != 0 {
		t.Errorf("measurements: %d figures kept from a refused row", len(sink.ms))
	}

	// A framework: a result's statement.
	src := strings.Replace(baseYAML, "statement: Better data", "statement: "+long, 1)
	_, err = readYAML(src)
	if err == nil || !strings.Contains(err.Error(), "fw.yaml:14: statement: out of range: statement is a text of 40000 characters, longer than Excel's limit of 32767 characters per cell") {
		t.Errorf("framework: %v", err)
	}
	// 32,767 characters are accepted, counted as Excel counts them: "😀"
	// is two UTF-16 units.
	ok := strings.Replace(baseYAML, "statement: Better data", "statement: "+strings.Repeat("😀", 16383)+"x", 1)
	if _, err := readYAML(ok); err != nil {
		t.Errorf("framework with a statement of exactly 32,767 units: %v", err)
	}
	over := strings.Replace(baseYAML, "statement: Better data", "statement: "+strings.Repeat("😀", 16384), 1)
	if _, err := readYAML(over); err == nil || !strings.Contains(err.Error(), "a text of 32768 characters") {
		t.Errorf("framework with a statement of 32,768 units: %v", err)
	}
}

// TestCSVWithoutLineBreaks: a "CSV" file of many megabytes without a line
// break is refused when the line passes MaxCSVLine, instead of being held
// whole in memory.
func TestCSVWithoutLineBreaks(t *testing.T) {
	p := filepath.Join(t.TempDir(), "one-line.csv")
	if err := os.WriteFile(p, []byte("indicator,period,value,"+strings.Repeat("x", MaxCSVLine+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	var sink sliceSink
	_, err := ImportMeasurements(p, testFramework(), &sink, MeasurementOptions{})
	want := p + ": invalid value: a line longer than 16 MiB, expected a CSV file of rows (one figure or indicator per line)"
	if err == nil || err.Error() != want {
		t.Errorf("%v\nwant %s", err, want)
	}
}
