package indicators_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// A period in any spelling: a quarter, a semester, a year, a month, a
// project year (counted from the project's start in its calendar: its
// dates are its name) or a window of days.
func ExampleCalendar_ParsePeriod() {
	cal := indicators.Calendar{Start: time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC), YearStart: time.September}
	for _, s := range []string{"2021Q3", "Q3 2021", "2021S1", "PY2", "2020-09-01..2021-02-28"} {
		p, err := cal.ParsePeriod(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-24s %s %s..%s\n", s, p, p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly))
	}
	// Output:
	// 2021Q3                   2021Q3 2021-07-01..2021-09-30
	// Q3 2021                  2021Q3 2021-07-01..2021-09-30
	// 2021S1                   2021S1 2021-01-01..2021-06-30
	// PY2                      2020-09-01..2021-08-31 2020-09-01..2021-08-31
	// 2020-09-01..2021-02-28   2020-09-01..2021-02-28 2020-09-01..2021-02-28
}

// Progress against the target: a framework read from YAML, two quarterly
// figures summed from the project's start, and the report of the second
// quarter. 10 + 20 = 30 people trained of a target of 100 from a
// baseline of 0: progress (a share, 0.3) is 30% of the way.
func ExampleBuildReport() {
	fw, err := importers.ReadFrameworkYAML(strings.NewReader(`project:
  code: EX
  title: Example
  start: 2021-01-01
  end: 2022-12-31
  reporting: quarterly
results:
  - {code: G, level: goal, statement: Better lives}
  - {code: O1, level: outcome, parent: G, statement: Better services}
  - {code: "1.1", level: output, parent: O1, statement: People trained}
indicators:
  - {code: 1.1.1, result: "1.1", name: People trained, unit: number, aggregation: sum, baseline: 0, target: 100}
`), "example.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	comp, probs := fw.Compile()
	if len(probs) > 0 {
		fmt.Println(probs)
		return
	}
	q1, _ := indicators.ParsePeriod("2021Q1")
	q2, _ := indicators.ParsePeriod("2021Q2")
	ten, twenty := 10.0, 20.0
	figs := []indicators.Measurement{{Indicator: "1.1.1", Period: q1, Value: &ten}, {Indicator: "1.1.1", Period: q2, Value: &twenty}}
	r, err := indicators.BuildReport(indicators.ReportInput{Framework: fw, Compiled: comp, Figures: figs, Period: q2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, res := range r.Results {
		for _, ind := range res.Indicators {
			fmt.Printf("%s %s: actual %g of target %g, progress %g%%\n", ind.Code, ind.Name, *ind.Actual, *ind.Target, *ind.Progress*100)
		}
	}
	// Output:
	// 1.1.1 People trained: actual 30 of target 100, progress 30%
}

// One formatter of figures: as the reports show them (Format) and as
// they were stored (FormatExact, for history and due).
func ExampleUnit_Format() {
	fmt.Println(indicators.Number.Format(10753.25), indicators.Number.FormatExact(10753.25))
	fmt.Println(indicators.Percent.Format(71.4286), indicators.Ratio.Format(1.23456))
	fmt.Println(indicators.YesNo.Format(1), indicators.YesNo.Format(0))
	// Output:
	// 10,753 10,753.25
	// 71.4% 1.235
	// yes no
}

// An Excel date cell holds a serial number of days, counted from 1900 or,
// in a workbook saved so (Excel for Mac), from 1904.
func ExampleDateFromExcelSerial() {
	d1900, _ := indicators.DateFromExcelSerial(45658, false)
	d1904, _ := indicators.DateFromExcelSerial(44196, true)
	fmt.Println(d1900.Format(time.DateOnly), d1904.Format(time.DateOnly))
	// Output: 2025-01-01 2025-01-01
}
