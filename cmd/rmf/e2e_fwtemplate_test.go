package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestFrameworkTemplateE2E: rmf framework template writes the blank
// workbook without a database; filled in with a small logframe it imports,
// the grey examples left in place are skipped, and check and export see
// only the officer's rows.
func TestFrameworkTemplateE2E(t *testing.T) {
	dir := t.TempDir()
	out := mustRMF(t, dir, "framework", "template", "-o", "logframe.xlsx")
	if !strings.Contains(out, "logframe.xlsx") {
		t.Errorf("stdout %q does not name the file", out)
	}
	if exists(filepath.Join(dir, "rmf.db")) {
		t.Error("framework template created a database")
	}
	// Wrong usage: no -o, not .xlsx.
	for _, args := range [][]string{{"framework", "template"}, {"framework", "template", "-o", "logframe.yaml"}, {"framework", "template", "x.xlsx"}} {
		if _, errs, code := rmf(t, dir, args...); code != 2 || !strings.Contains(errs, "-o") {
			t.Errorf("rmf %s: exit %d, stderr %q; want 2 naming -o", strings.Join(args, " "), code, errs)
		}
	}
	// The untouched template names the project keys to fill, and nothing is written.
	if _, errs, code := rmf(t, dir, "framework", "import", "logframe.xlsx"); code != 1 ||
		!strings.Contains(errs, "sheet Project, cell B2 (code)") || strings.Contains(errs, "e.g.") {
		t.Errorf("importing the blank template: exit %d, stderr:\n%s\nwant 1 naming Project!B2 and no example row", code, errs)
	}

	path := filepath.Join(dir, "logframe.xlsx")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cols := func(sheet string) map[string]string {
		rows, _ := f.GetRows(sheet)
		m := map[string]string{}
		for j, h := range rows[0] {
			m[h], _ = excelize.ColumnNumberToName(j + 1)
		}
		return m
	}
	add := func(sheet string, vals map[string]any) {
		rows, _ := f.GetRows(sheet)
		c := cols(sheet)
		for h, v := range vals {
			if err := f.SetCellValue(sheet, fmt.Sprintf("%s%d", c[h], len(rows)+1), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	proj, _ := f.GetRows("Project")
	for i, r := range proj {
		v := map[string]string{"code": "SF-KH", "title": "School feeding", "start": "2026-01-01", "end": "2028-12-31", "reporting": "quarterly"}[r[0]]
		if v != "" {
			f.SetCellValue("Project", fmt.Sprintf("B%d", i+1), v)
		}
	}
	add("Results", map[string]any{"code": "OO", "level": "goal", "statement": "Children learn better"})
	add("Results", map[string]any{"code": "O1", "level": "outcome", "parent": "OO", "statement": "Pupils attend school"})
	add("Results", map[string]any{"code": "1.1", "level": "output", "parent": "O1", "statement": "Schools serve meals"})
	add("Indicators", map[string]any{"code": "1.1.1", "result": "1.1", "name": "Schools with a working kitchen", "unit": "number",
		"baseline": 0, "target": 120, "data_source": "kitchen log", "collection_method": "visits", "responsible": "Partner A",
		"milestones": "cumulative"})
	add("Indicators", map[string]any{"code": "O1.1", "result": "O1", "name": "Attendance", "unit": "percent", "baseline": 62, "target": 85,
		"data_source": "registers", "collection_method": "count"})
	add("Milestones", map[string]any{"indicator": "1.1.1", "period": "PY1", "target": 40})
	add("Milestones", map[string]any{"indicator": "1.1.1", "period": "Year 2", "target": 90})
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out = mustRMF(t, dir, "framework", "import", "logframe.xlsx")
	if !strings.Contains(out, "3 results, 2 indicators, 2 milestones") {
		t.Errorf("import said %q, want 3 results, 2 indicators, 2 milestones (the examples skipped)", out)
	}
	y := exportYAML(t, dir)
	for _, want := range []string{"code: SF-KH", "code: 1.1.1", "code: O1.1"} {
		if !strings.Contains(y, want) {
			t.Errorf("exported framework lacks %q:\n%s", want, y)
		}
	}
	if strings.Contains(y, "e.g.") || strings.Contains(y, "n.attend") || strings.Contains(y, "Khovd") {
		t.Errorf("exported framework holds the template's examples:\n%s", y)
	}
	if _, errs, code := rmf(t, dir, "check"); code != 0 {
		t.Errorf("rmf check of the filled-in template: exit %d\n%s", code, errs)
	}
	if b, err := os.ReadFile(path); err != nil || len(b) == 0 {
		t.Errorf("the workbook is gone: %v", err)
	}
}
