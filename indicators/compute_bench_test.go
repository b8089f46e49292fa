package indicators

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"testing"
	"time"
)

// The large project of the performance target: 1,000 indicators over 20
// quarters, each figure broken down by sex x 21 provinces (42 figures per
// indicator and quarter, 756,000 figures for the 900 imported indicators),
// and 100 computed indicators disaggregated like their inputs.

const (
	benchIndicators = 1000
	benchComputed   = 100
	benchQuarters   = 20
	benchProvinces  = 21
)

type benchData struct {
	fw    *Framework
	comp  *Compiled
	figs  []Measurement
	p     Period
	evals int // formula evaluations of a report: computed x slots x disaggregations
}

var (
	benchOnce sync.Once
	benchD    *benchData
)

func benchCode(i int) string { return fmt.Sprintf("I%04d", i) }

// largeProject builds the benchmark project once.
func largeProject(tb testing.TB) *benchData {
	benchOnce.Do(func() {
		start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
		fw := &Framework{Project: Project{Code: "BIG", Title: "Large project", Start: start,
			End: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), Reporting: "quarterly"}}
		fw.Results = append(fw.Results, Result{Code: "G", Level: Goal, Statement: "goal"})
		for o := 0; o < 10; o++ {
			oc := fmt.Sprintf("O%d", o+1)
			fw.Results = append(fw.Results, Result{Code: oc, Level: Outcome, Parent: "G", Statement: "outcome " + oc})
			for k := 0; k < 10; k++ {
				fw.Results = append(fw.Results, Result{Code: fmt.Sprintf("%d.%d", o+1, k+1), Level: Output, Parent: oc, Statement: "output"})
			}
		}
		provinces := make([]string, benchProvinces)
		for i := range provinces {
			provinces[i] = fmt.Sprintf("Province%02d", i+1)
		}
		fw.Dimensions = []Dimension{{Name: "sex", Values: []string{"female", "male"}}, {Name: "province", Values: provinces}}
		raw := benchIndicators - benchComputed
		for i := 0; i < benchIndicators; i++ {
			res := fmt.Sprintf("%d.%d", i/100+1, (i/10)%10+1)
			ind := Indicator{Code: benchCode(i), Result: res, Name: "indicator " + benchCode(i), Unit: Number,
				Baseline: rpF(0), Target: rpF(float64(40 * benchQuarters * 42)), Disaggregations: []string{"sex", "province"}}
			if i >= raw {
				k := i - raw
				a, b := benchCode(k*2), benchCode(k*2+1)
				switch k % 3 {
				case 0:
					ind.Formula = fmt.Sprintf(`value(%q) + value(%q)`, a, b)
				case 1:
					ind.Unit, ind.Target = Percent, rpF(80)
					ind.Formula = fmt.Sprintf(`100 * value(%q) / value(%q)`, a, b)
				default:
					ind.Unit, ind.Target = Ratio, rpF(2)
					ind.Formula = fmt.Sprintf(`cumulative(%q) / cumulative(%q)`, a, b)
				}
			}
			fw.Indicators = append(fw.Indicators, ind)
			for y := 0; y < 5; y++ {
				fw.Milestones = append(fw.Milestones, Milestone{Indicator: ind.Code, Period: Year(2019 + y), Target: *ind.Target / 5})
			}
		}
		comp, probs := fw.Compile()
		if len(probs) > 0 {
			panic(probs)
		}
		dims := make([]Disagg, 0, 2*benchProvinces)
		for _, s := range []string{"female", "male"} {
			for _, p := range provinces {
				dims = append(dims, Disagg{"sex": s, "province": p})
			}
		}
		n := raw * benchQuarters * len(dims)
		figs := make([]Measurement, 0, n)
		vals := make([]float64, n)
		quarters := Periods(fw.Project.Start, fw.Project.End, KindQuarter)
		for i := 0; i < raw; i++ {
			code := benchCode(i)
			for q, per := range quarters {
				for d, dm := range dims {
					k := len(figs)
					vals[k] = float64(1 + (i+q+d)%50)
					figs = append(figs, Measurement{Indicator: code, Period: per, Dims: dm, Value: &vals[k],
						Verified: VerifiedYes, Loc: Loc{File: "big.xlsx", Sheet: "Data", Row: k + 2}})
				}
			}
		}
		benchD = &benchData{fw: fw, comp: comp, figs: figs, p: quarters[len(quarters)-1],
			evals: benchComputed * benchQuarters * (1 + 2 + benchProvinces)}
	})
	return benchD
}

// BenchmarkBuildReportLarge is the whole report of the large project at its
// last quarter.
func BenchmarkBuildReportLarge(b *testing.B) {
	d := largeProject(b)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	for i := 0; i < b.N; i++ {
		r, err := BuildReport(ReportInput{Framework: d.fw, Compiled: d.comp, Figures: d.figs, Period: d.p})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Results) != 111 {
			b.Fatalf("%d results", len(r.Results))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((processCPU()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	// memory: the figures themselves, and what a finished report keeps
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapInuse
	r, _ := BuildReport(ReportInput{Framework: d.fw, Compiled: d.comp, Figures: d.figs, Period: d.p})
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(before)/(1<<20), "inputMB")
	b.ReportMetric(float64(ms.HeapInuse-before)/(1<<20), "reportMB")
	runtime.KeepAlive(r)
}

// BenchmarkReportFormulas is the formula phase inside the report: every
// computed indicator at every slot and disaggregation, with the figures
// already aggregated (as they are once the report has read them).
func BenchmarkReportFormulas(b *testing.B) {
	d := largeProject(b)
	rb, err := newReportBuilder(ReportInput{Framework: d.fw, Compiled: d.comp, Figures: d.figs, Period: d.p})
	if err != nil {
		b.Fatal(err)
	}
	rb.evalAll() // aggregates the inputs of the formulas once
	var derived []*rtrack
	for _, t := range rb.order {
		if t.derived() {
			derived = append(derived, t)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range derived {
			for _, m := range t.vals {
				clear(m.state)
			}
			for _, m := range t.cums {
				clear(m.state)
			}
		}
		rb.evalAll()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(d.evals), "ns/eval")
}

// benchEnv is the cheapest environment: every code has a fixed value.
type benchEnv map[string]float64

func (e benchEnv) look(c string) (float64, error) {
	if v, ok := e[c]; ok {
		return v, nil
	}
	return 0, ErrNoData
}
func (e benchEnv) Value(c string) (float64, error)      { return e.look(c) }
func (e benchEnv) Cumulative(c string) (float64, error) { return e.look(c) }
func (e benchEnv) Baseline(c string) (float64, error)   { return e.look(c) }
func (e benchEnv) Target(c string) (float64, error)     { return e.look(c) }
func (e benchEnv) Previous(c string) (float64, error)   { return e.look(c) }

// BenchmarkFormulaOnly runs the same compiled programs the same number of
// times against a map of fixed values: the floor the report's formula
// phase is compared with.
func BenchmarkFormulaOnly(b *testing.B) {
	d := largeProject(b)
	env := benchEnv{}
	for i := 0; i < benchIndicators; i++ {
		env[benchCode(i)] = float64(1 + i%7)
	}
	var fs []*Formula
	for _, c := range d.comp.Order {
		fs = append(fs, d.comp.Formulas[c])
	}
	per := d.evals / len(fs)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range fs {
			for k := 0; k < per; k++ {
				if _, err := f.EvalNumber(env); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(d.evals), "ns/eval")
}

// BenchmarkFormulaPhaseRatio interleaves the two measures above in one run
// (the machine's load then affects both alike) and reports their ratio:
// the report's formula phase over the compiled programs alone.
func BenchmarkFormulaPhaseRatio(b *testing.B) {
	d := largeProject(b)
	rb, err := newReportBuilder(ReportInput{Framework: d.fw, Compiled: d.comp, Figures: d.figs, Period: d.p})
	if err != nil {
		b.Fatal(err)
	}
	rb.evalAll()
	var derived []*rtrack
	for _, t := range rb.order {
		if t.derived() {
			derived = append(derived, t)
		}
	}
	env := benchEnv{}
	for i := 0; i < benchIndicators; i++ {
		env[benchCode(i)] = float64(1 + i%7)
	}
	var fs []*Formula
	for _, c := range d.comp.Order {
		fs = append(fs, d.comp.Formulas[c])
	}
	per := d.evals / len(fs)
	var inReport, alone time.Duration
	minReport, minAlone := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		for _, t := range derived {
			for _, m := range t.vals {
				clear(m.state)
			}
			for _, m := range t.cums {
				clear(m.state)
			}
		}
		rb.evalAll()
		t1 := time.Now()
		for _, f := range fs {
			for k := 0; k < per; k++ {
				if _, err := f.EvalNumber(env); err != nil {
					b.Fatal(err)
				}
			}
		}
		r, a := t1.Sub(t0), time.Since(t1)
		inReport += r
		alone += a
		minReport, minAlone = min(minReport, r), min(minAlone, a)
	}
	n := float64(b.N) * float64(d.evals)
	b.ReportMetric(float64(inReport.Nanoseconds())/n, "report-ns/eval")
	b.ReportMetric(float64(alone.Nanoseconds())/n, "formula-ns/eval")
	b.ReportMetric(float64(inReport)/float64(alone), "ratio")
	// the fastest run of each: the least disturbed by other processes
	b.ReportMetric(float64(minReport)/float64(minAlone), "ratio-of-fastest")
}

// TestLargeReportSane checks a few numbers of the large project so that the
// benchmark measures a correct report (skipped with -short).
func TestLargeReportSane(t *testing.T) {
	if testing.Short() {
		t.Skip("large project")
	}
	d := largeProject(t)
	r, err := BuildReport(ReportInput{Framework: d.fw, Compiled: d.comp, Figures: d.figs, Period: d.p})
	if err != nil {
		t.Fatal(err)
	}
	ind := rpInd(t, r, benchCode(0))
	// figure of I0000, quarter q, combination d: 1 + (q+d)%50; sum over
	// 20 quarters x 42 combinations.
	want := 0.0
	for q := 0; q < benchQuarters; q++ {
		for c := 0; c < 42; c++ {
			want += float64(1 + (q+c)%50)
		}
	}
	rpEq(t, "I0000 actual", ind.Actual, &want)
	sum := rpInd(t, r, benchCode(900)) // value(I0000) + value(I0001)
	if sum.Actual == nil || len(sum.Disaggregated) != 23 || sum.Disaggregated[0].Actual == nil {
		t.Fatalf("computed I0900: %+v", sum)
	}
	if len(r.Findings) != 0 {
		t.Errorf("%d findings, first %+v", len(r.Findings), r.Findings[0])
	}
}
