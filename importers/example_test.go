package importers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// figures collects the figures an import reads (a store's import does the
// same, in one transaction).
type figures []indicators.Measurement

func (f *figures) Add(m indicators.Measurement) error { *f = append(*f, m); return nil }

// Import a measurement file against a framework: every valid figure goes
// to the sink; any invalid row makes the import fail with every problem
// named by file, cell and what was expected (and a store then rolls back).
func ExampleImportMeasurements() {
	fw, err := importers.ReadFrameworkYAML(strings.NewReader(`project: {code: EX, title: Example, start: 2021-01-01, end: 2022-12-31, reporting: quarterly}
results:
  - {code: O1, level: outcome, statement: Better services}
indicators:
  - {code: "1.1", result: O1, name: People trained, unit: number, baseline: 0, target: 100}
`), "example.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	good := filepath.Join(dir, "q1.csv")
	os.WriteFile(good, []byte("indicator,period,value\n1.1,2021Q1,10\n1.1,Q2 2021,\"1,200\"\n"), 0o644)
	var got figures
	rows, err := importers.ImportMeasurements(good, fw, &got, importers.MeasurementOptions{})
	fmt.Println(rows, err)
	for _, m := range got {
		fmt.Println(m.Indicator, m.Period, *m.Value)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("indicator,period,value\n1.9,2021Q1,10\n1.1,2021Q5,3\n"), 0o644)
	_, err = importers.ImportMeasurements(bad, fw, &figures{}, importers.MeasurementOptions{})
	fmt.Println(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""))
	// Output:
	// 2 <nil>
	// 1.1 2021Q1 10
	// 1.1 2021Q2 1200
	// bad.csv: cell A2 (indicator): unknown code: indicator "1.9" is not in the framework, expected one of the framework's indicator codes
	// bad.csv: cell B3 (period): invalid value: period "2021Q5" cannot be read, expected a period such as 2021Q3, Q3 2021, 2021-07, 2021 or a date
}
