package exporters

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// TestLongTextNotCut: a text longer than an Excel cell holds makes the
// framework export and the template fail, naming the sheet, the cell and
// the limit; excelize cut it to 32,767 characters without a word.
func TestLongTextNotCut(t *testing.T) {
	fw := fullFramework()
	fw.Indicators[0].Name = strings.Repeat("n", 40000)
	var buf bytes.Buffer
	err := WriteFrameworkXLSX(&buf, fw)
	if err == nil || !strings.Contains(err.Error(), "a text of 40000 characters is longer than Excel's limit of 32767 characters per cell; rmf does not cut it") ||
		!strings.Contains(err.Error(), "sheet Indicators, cell ") {
		t.Errorf("framework export: %v", err)
	}
	buf.Reset()
	fw.Project.Title = strings.Repeat("t", 40000) // the template's title row
	err = WriteTemplate(&buf, fw, indicators.Quarter(2021, 1))
	if err == nil || !strings.Contains(err.Error(), "sheet Data, cell A1: a text of") {
		t.Errorf("template: %v", err)
	}
	// At the limit, the text is written whole.
	fw.Indicators[0].Name = strings.Repeat("n", indicators.MaxCellChars)
	fw.Project.Title = "Short"
	buf.Reset()
	if err := WriteFrameworkXLSX(&buf, fw); err != nil {
		t.Errorf("framework export at the limit: %v", err)
	}
}

// TestLongTextNotCutReport: the donor workbook refuses a long text too.
func TestLongTextNotCutReport(t *testing.T) {
	r := sampleReport()
	r.Results[0].Statement = strings.Repeat("s", 33000)
	var buf bytes.Buffer
	err := WriteReportXLSX(&buf, DonorWorkbook{Report: r})
	if err == nil || !strings.Contains(err.Error(), "sheet IPTT, cell B4: a text of 33006 characters is longer than Excel's limit of 32767 characters per cell") {
		t.Errorf("donor workbook: %v", err)
	}
}
