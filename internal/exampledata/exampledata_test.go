package exampledata

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

var update = flag.Bool("update", false, "rewrite the example data files in examples/data")

// committed is the folder of the committed files, from this package's folder.
var committed = filepath.Join("..", "..", filepath.FromSlash(Dir))

// TestCommittedFiles regenerates the files into a temporary folder and
// compares them byte for byte with the committed ones; with -update it
// rewrites the committed ones instead.
func TestCommittedFiles(t *testing.T) {
	if *update {
		old, _ := filepath.Glob(filepath.Join(committed, "*"))
		for _, f := range old {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Write(committed); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s", committed)
		return
	}
	dir := t.TempDir()
	names, err := Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadDir(committed)
	if err != nil {
		t.Fatalf("%v (run: go test ./internal/exampledata -update)", err)
	}
	var haveNames []string
	for _, e := range have {
		haveNames = append(haveNames, e.Name())
	}
	sort.Strings(haveNames)
	names = append(names, ReadmeName)
	sort.Strings(names)
	if !equalStrings(haveNames, names) {
		t.Fatalf("%s holds %v, the generator writes %v; run: go test ./internal/exampledata -update", committed, haveNames, names)
	}
	for _, n := range names {
		want, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(committed, n))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what the generator writes; run: go test ./internal/exampledata -update", n)
		}
	}
}

// TestDeterministic: two runs write the same bytes, or the comparison above
// would be meaningless.
func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	names, err := Write(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(b); err != nil {
		t.Fatal(err)
	}
	for _, n := range append(names, ReadmeName) {
		x, _ := os.ReadFile(filepath.Join(a, n))
		y, _ := os.ReadFile(filepath.Join(b, n))
		if !bytes.Equal(x, y) {
			t.Errorf("%s: two runs differ", n)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestStory checks the figures against the facts of the mid-term review.
func TestStory(t *testing.T) {
	served := 0
	for qq, n := range ngoServed {
		if qq.before(q(2021, 3)) {
			served += n
		}
		sum := 0
		for _, b := range ngoBreakdown(qq) {
			sum += b[0] + b[1]
		}
		if sum != n {
			t.Errorf("%s: breakdown adds up to %d, want %d", qq, sum, n)
		}
	}
	if served != MigrantsServedAtMidTerm {
		t.Errorf("migrants served by mid-term = %d, want %d", served, MigrantsServedAtMidTerm)
	}
	assess := 0
	for qq, n := range nsoAssessments {
		if qq.before(q(2021, 4)) {
			assess += n
		}
	}
	if assess != 8 {
		t.Errorf("tracking assessments by mid-term = %d, want 8", assess)
	}
	food := 0
	coal := 0
	for _, r := range emergencyResponse().Rows {
		var v int
		for _, c := range r[3] {
			v = v*10 + int(c-'0')
		}
		switch r[0] {
		case "3.4.1":
			food += v
		case "3.4.2":
			coal += v
		}
	}
	if food != 1485 || coal != 1000 {
		t.Errorf("food packages %d (want 1485), coal %d (want 1000)", food, coal)
	}
	trained := 0
	for _, tr := range trainings {
		trained += tr.n
	}
	if trained != 150 {
		t.Errorf("local staff trained = %d, want 150", trained)
	}
}

func TestAllocate(t *testing.T) {
	for _, tc := range []struct {
		total int
		w     []float64
	}{
		{10753, []float64{0.45, 0.12, 0.11, 0.10, 0.09, 0.08, 0.05}},
		{7, []float64{1, 1, 1}},
		{0, []float64{0.5, 0.5}},
		{1, []float64{0.58, 0.42}},
	} {
		sum := 0
		for _, p := range allocate(tc.total, tc.w) {
			if p < 0 {
				t.Errorf("allocate(%d): negative part", tc.total)
			}
			sum += p
		}
		if sum != tc.total {
			t.Errorf("allocate(%d, %v) adds up to %d", tc.total, tc.w, sum)
		}
	}
}

// sink collects the figures of an import.
type sink []indicators.Measurement

func (s *sink) Add(m indicators.Measurement) error { *s = append(*s, m); return nil }

// TestFilesImport reads every committed file with the measurement importer
// against the example framework: none may have a problem, and the figures
// must tell the story of the mid-term review.
func TestFilesImport(t *testing.T) {
	fw, err := importers.ReadFramework(filepath.Join("..", "..", "examples", "framework.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var all sink
	for _, n := range Names() {
		var s sink
		rows, err := importers.ImportMeasurements(filepath.Join(committed, n), fw, &s, importers.MeasurementOptions{})
		if err != nil {
			t.Errorf("%s:\n%v", n, err)
			continue
		}
		if rows == 0 || len(s) == 0 {
			t.Errorf("%s: %d rows, %d figures", n, rows, len(s))
		}
		all = append(all, s...)
	}
	midTerm := indicators.Quarter(2021, 2).End
	served, unverifiable, food := 0.0, 0, 0.0
	byFile := map[string]bool{}
	for _, m := range all {
		byFile[filepath.Base(m.Loc.File)] = true
		switch m.Indicator {
		case "3.3.2":
			if !m.Period.End.After(midTerm) {
				served += *m.Value
				if m.Verified == indicators.Unverifiable {
					unverifiable++
				}
			}
		case "3.4.1":
			food += *m.Value
		}
	}
	if served != MigrantsServedAtMidTerm || unverifiable != 4*len(ngoProvinces)*2 {
		t.Errorf("migrants served by mid-term: %v in %d unverifiable figures", served, unverifiable)
	}
	if food != 1485 {
		t.Errorf("food packages: %v", food)
	}
	if len(byFile) != len(Names()) {
		t.Errorf("figures came from %d files, want %d", len(byFile), len(Names()))
	}
}
