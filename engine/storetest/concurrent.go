package storetest

// The server case: many people at once on one project. Eight partners'
// files imported at the same time while fifty readers build reports; and
// one file imported twice at the same moment.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

const (
	concPartners  = 8  // files imported at once, one per partner
	concReaders   = 50 // readers at the same time
	concReads     = 6  // reads per reader at most while the imports run
	concDistricts = 20 // figures per indicator and quarter
	concQuarters  = 8  // 2021Q1..2022Q4
	concPerFile   = concDistricts * concQuarters
)

// concurrentFramework has one indicator per partner (P1..P8), each
// disaggregated by district.
func concurrentFramework() string {
	var b strings.Builder
	b.WriteString(`project:
  code: CONC
  title: Many people at once
  start: 2021-01-01
  end: 2022-12-31
  reporting: quarterly
results:
  - {code: G, level: goal, statement: Better lives}
  - {code: O1, level: outcome, parent: G, statement: Better services}
  - {code: "1.1", level: output, parent: O1, statement: People reached}
indicators:
`)
	for p := 1; p <= concPartners; p++ {
		fmt.Fprintf(&b, "  - {code: P%d, result: \"1.1\", name: People reached by partner %d, unit: number, aggregation: sum, baseline: 0, target: 100000, disaggregations: [district], responsible: Partner %d}\n", p, p, p)
	}
	b.WriteString("dimensions:\n  district:\n")
	for d := 1; d <= concDistricts; d++ {
		fmt.Fprintf(&b, "    - D%02d\n", d)
	}
	return b.String()
}

// partnerFile writes partner p's file: every quarter and district of P<p>.
func partnerFile(t *testing.T, dir string, p int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("indicator,period,disaggregation,value\n")
	for q := 0; q < concQuarters; q++ {
		for d := 1; d <= concDistricts; d++ {
			fmt.Fprintf(&b, "P%d,%dQ%d,district=D%02d,%d\n", p, 2021+q/4, q%4+1, d, figure(p, q, d))
		}
	}
	path := filepath.Join(dir, fmt.Sprintf("partner%d.csv", p))
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func newConcurrentStore(t *testing.T, newStore NewStore) (engine.Store, *engine.Engine, *indicators.Framework) {
	t.Helper()
	at := time.Date(2023, 1, 10, 9, 0, 0, 0, time.UTC)
	s := newStore(t, func() time.Time { return at })
	t.Cleanup(func() { s.Close() })
	fw, err := importers.ReadFrameworkYAML(strings.NewReader(concurrentFramework()), "conc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveFrameworkVersion(context.Background(), fw, engine.VersionInfo{File: "conc.yaml", Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	e := engine.New(s, engine.Options{})
	if fw, err = e.Framework(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, e, fw
}

// testConcurrentImportsAndReaders: 8 imports and 50 readers at once. Every
// import lands; every reader sees whole imports only, and the imports it
// sees are the first ones committed (a prefix of the imports in the order
// they landed); nothing deadlocks (go test's -timeout would say so).
func testConcurrentImportsAndReaders(t *testing.T, newStore NewStore) {
	ctx := context.Background()
	s, e, fw := newConcurrentStore(t, newStore)
	dir := t.TempDir()
	files := make([]string, concPartners)
	for p := range files {
		files[p] = partnerFile(t, dir, p+1)
	}

	type seen struct {
		reader  int
		after   bool           // read after every import had landed
		perFile map[string]int // figures per indicator, that is per partner's file
		total   float64        // the report's cumulative actual of P1..P8 at 2022Q4
		figures int
	}
	var (
		wg       sync.WaitGroup
		start    = make(chan struct{})
		mu       sync.Mutex
		results  = make([]engine.ImportResult, concPartners)
		errs     []error
		observed []seen
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	var importing sync.WaitGroup
	importsDone := make(chan struct{})
	for p := 0; p < concPartners; p++ {
		wg.Add(1)
		importing.Add(1)
		go func(p int) {
			defer wg.Done()
			defer importing.Done()
			<-start
			res, err := e.ImportFile(ctx, fw, files[p], engine.ImportOptions{})
			if err != nil {
				fail(fmt.Errorf("import of partner %d: %w", p+1, err))
				return
			}
			results[p] = res
		}(p)
	}
	read := func(r int, after bool) bool {
		var o seen
		o.reader, o.after = r, after
		// Half the readers load the figures, half build the report.
		if r%2 == 0 {
			ms, err := s.Measurements(ctx, engine.MeasurementFilter{})
			if err != nil {
				fail(fmt.Errorf("reader %d: %w", r, err))
				return false
			}
			o.perFile = map[string]int{}
			for _, m := range ms {
				o.perFile[m.Indicator]++
			}
			o.figures = len(ms)
		} else {
			rr, err := e.Report(ctx, engine.ReportRequest{Period: "2022Q4"})
			if err != nil {
				fail(fmt.Errorf("reader %d: report: %w", r, err))
				return false
			}
			o.total = -1
			for _, res := range rr.Report.Results {
				for _, ind := range res.Indicators {
					if ind.Actual != nil {
						if o.total < 0 {
							o.total = 0
						}
						o.total += *ind.Actual
					}
				}
			}
		}
		mu.Lock()
		observed = append(observed, o)
		mu.Unlock()
		return true
	}
	go func() { importing.Wait(); close(importsDone) }()
	// Each reader reads again and again while the imports run (at most
	// concReads times, and once more after they all landed), so that reads
	// fall between, beside and after the imports' commits.
	for r := 0; r < concReaders; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			<-start
			for i := 0; i < concReads; i++ {
				done := false
				select {
				case <-importsDone:
					done = true
				default:
				}
				if !read(r, done) || done {
					return
				}
			}
			<-importsDone
			read(r, true)
		}(r)
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	if len(errs) > 0 {
		t.FailNow()
	}

	// Every import landed, whole.
	var order []int64 // batch ids in the order they committed (ids are taken under the write lock)
	perFileTotal := map[int64]float64{}
	codeOf := map[int64]string{} // batch id -> the partner's indicator
	for p, res := range results {
		b := res.Batch
		if res.Again || b.ID == 0 || b.Added != concPerFile || b.Changed != 0 {
			t.Errorf("partner %d: %+v, want %d figures added", p+1, b, concPerFile)
		}
		order = append(order, b.ID)
		tot := 0.0
		for q := 0; q < concQuarters; q++ {
			for d := 1; d <= concDistricts; d++ {
				tot += float64(figure(p+1, q, d))
			}
		}
		perFileTotal[b.ID] = tot
		codeOf[b.ID] = fmt.Sprintf("P%d", p+1)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	ms, err := s.Measurements(ctx, engine.MeasurementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != concPartners*concPerFile {
		t.Errorf("%d figures stored after the imports, want %d", len(ms), concPartners*concPerFile)
	}
	imps, err := s.Imports(ctx)
	if err != nil || len(imps) != concPartners {
		t.Errorf("%d imports recorded (%v), want %d", len(imps), err, concPartners)
	}

	// What each reader saw is the first k imports to land, whole.
	prefixTotals := map[float64]int{0: 0}
	sum := 0.0
	for k, id := range order {
		sum += perFileTotal[id]
		prefixTotals[sum] = k + 1
	}
	between := map[int]int{} // reads that saw k imports, 0 < k < all
	for _, o := range observed {
		if o.perFile != nil {
			k := len(o.perFile)
			if o.after && k != concPartners {
				t.Errorf("reader %d read after every import had landed and saw %d of %d", o.reader, k, concPartners)
			}
			if k > 0 && k < concPartners {
				between[k]++
			}
			for code, n := range o.perFile {
				if n != concPerFile {
					t.Errorf("reader %d saw %d figures of %s's import, want all %d or none", o.reader, n, code, concPerFile)
				}
			}
			for _, id := range order[:k] {
				if _, ok := o.perFile[codeOf[id]]; !ok {
					t.Errorf("reader %d saw %d imports but not %s's, one of the first %d to land: %v", o.reader, k, codeOf[id], k, o.perFile)
				}
			}
			continue
		}
		total := o.total
		if total < 0 {
			total = 0
		}
		k, ok := prefixTotals[total]
		if !ok {
			t.Errorf("reader %d's report sums to %v: no prefix of the imports gives that (%v)", o.reader, total, prefixTotals)
		}
		if ok && o.after && k != concPartners {
			t.Errorf("reader %d's report after every import had landed counts %d of %d", o.reader, k, concPartners)
		}
		if ok && k > 0 && k < concPartners {
			between[k]++
		}
	}
	// How many reads fell between two commits (no assertion: the
	// scheduler decides; each of them was checked whole above).
	t.Logf("%d reads; between the imports' commits: %v (k imports landed: reads)", len(observed), between)
}

// testConcurrentSameFile: the same file imported twice at the same moment:
// one import lands, the other says the file was imported already and
// records nothing.
func testConcurrentSameFile(t *testing.T, newStore NewStore) {
	ctx := context.Background()
	s, e, fw := newConcurrentStore(t, newStore)
	file := partnerFile(t, t.TempDir(), 3)
	var wg sync.WaitGroup
	start := make(chan struct{})
	res := make([]engine.ImportResult, 2)
	errs := make([]error, 2)
	for i := range res {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			res[i], errs[i] = e.ImportFile(ctx, fw, file, engine.ImportOptions{})
		}(i)
	}
	close(start)
	wg.Wait()
	landed, again := 0, 0
	for i := range res {
		switch {
		case errs[i] != nil:
			t.Errorf("import %d: %v", i+1, errs[i])
		case res[i].Again && res[i].Batch.ID == 0:
			again++
		case !res[i].Again && res[i].Batch.ID != 0 && res[i].Batch.Added == concPerFile:
			landed++
		default:
			t.Errorf("import %d: %+v (again %v), want it to land or to say it was imported already", i+1, res[i].Batch, res[i].Again)
		}
	}
	if landed != 1 || again != 1 {
		t.Errorf("%d imports landed and %d said already imported, want 1 and 1", landed, again)
	}
	imps, err := s.Imports(ctx)
	if err != nil || len(imps) != 1 {
		t.Errorf("%d imports recorded (%v), want 1", len(imps), err)
	}
	if n, err := s.CountMeasurements(ctx, engine.MeasurementFilter{}); err != nil || n != concPerFile {
		t.Errorf("%d figures stored (%v), want %d", n, err, concPerFile)
	}
}

// figure is partner p's figure for quarter q and district d: a file's
// total tells which partners a sum holds (powers of two, the rest too
// small to carry into them).
func figure(p, q, d int) int { return (1<<(p-1))*1000 + q*10 + d }
