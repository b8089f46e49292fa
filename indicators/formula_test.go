package indicators

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/expr-lang/expr/vm"
)

// mapEnv is a FormulaEnv backed by maps; a missing code is no data.
type mapEnv struct {
	value, cumulative, baseline, target, previous map[string]float64
}

func get(m map[string]float64, code string) (float64, error) {
	if v, ok := m[code]; ok {
		return v, nil
	}
	return 0, ErrNoData
}

func (e *mapEnv) Value(c string) (float64, error)      { return get(e.value, c) }
func (e *mapEnv) Cumulative(c string) (float64, error) { return get(e.cumulative, c) }
func (e *mapEnv) Baseline(c string) (float64, error)   { return get(e.baseline, c) }
func (e *mapEnv) Target(c string) (float64, error)     { return get(e.target, c) }
func (e *mapEnv) Previous(c string) (float64, error)   { return get(e.previous, c) }

func testEnv() *mapEnv {
	return &mapEnv{
		value:      map[string]float64{"1.1.2n": 30, "1.1.2d": 120, "a": 2, "b": 3, "zero": 0, "neg": -2.5},
		cumulative: map[string]float64{"a": 10, "b": 20},
		baseline:   map[string]float64{"a": 1},
		target:     map[string]float64{"a": 5},
		previous:   map[string]float64{"a": 1.5},
	}
}

func known(codes ...string) func(string) bool {
	return func(c string) bool {
		for _, x := range codes {
			if x == c {
				return true
			}
		}
		return false
	}
}

func TestCompileFormulaRefs(t *testing.T) {
	tests := []struct {
		src  string
		kind FormulaKind
		refs []string
	}{
		{`100 * value("1.1.2n") / value("1.1.2d")`, FormulaValue, []string{"1.1.2n", "1.1.2d"}},
		{`value("a") + cumulative("a") + baseline("b") + target("c") + previous("a")`, FormulaValue, []string{"a", "b", "c"}},
		{`sum([value("a"), value("b")])`, FormulaValue, []string{"a", "b"}},
		{`42`, FormulaValue, nil},
		{`value("3.3.2") <= value("3.3.1")`, FormulaCheck, []string{"3.3.2", "3.3.1"}},
		{`progress >= 1 ? "achieved" : "on track"`, FormulaStatus, nil},
	}
	for _, tt := range tests {
		f, err := CompileFormula(tt.kind, tt.src, nil)
		if err != nil {
			t.Errorf("CompileFormula(%q): %v", tt.src, err)
			continue
		}
		if !reflect.DeepEqual(f.Refs, tt.refs) {
			t.Errorf("CompileFormula(%q).Refs = %q, want %q", tt.src, f.Refs, tt.refs)
		}
		if f.Source != tt.src || f.Kind != tt.kind {
			t.Errorf("CompileFormula(%q) = %q kind %v", tt.src, f.Source, f.Kind)
		}
	}
}

func TestCompileFormulaErrors(t *testing.T) {
	tests := []struct {
		kind     FormulaKind
		src      string
		known    func(string) bool
		sentinel error
		line     int
		col      int
		msg      string
	}{
		{FormulaValue, `value("a") +`, nil, ErrFormula, 1, 12, "unexpected token EOF"},
		{FormulaValue, `value("a") > 1`, nil, ErrFormula, 0, 0, "expected float64"},
		{FormulaValue, `value(x)`, nil, ErrFormula, 1, 7, `must be a quoted indicator code such as value("1.1")`},
		{FormulaValue, `1 +
 cumulative("a" + "b")`, nil, ErrFormula, 2, 17, "the code given to cumulative"},
		{FormulaValue, `value("a", "b")`, nil, ErrFormula, 1, 0, "value takes one indicator code, got 2 arguments"},
		{FormulaValue, `value("a") + value("zz")`, known("a"), ErrUnknownCode, 1, 20, `unknown code: code "zz" is not an indicator of the framework`},
		{FormulaValue, `value("x") + value("y")`, known("a"), ErrUnknownCode, 1, 7, `codes "x", "y" are not indicators`},
		{FormulaValue, `foo("a")`, nil, ErrFormula, 1, 1, "unknown name foo"},
		{FormulaValue, `   `, nil, ErrFormula, 0, 0, "empty formula"},
		{FormulaCheck, `value("a") + 1`, nil, ErrFormula, 0, 0, "expected bool"},
		{FormulaStatus, `progress >= 1 ? "achieved" : "great"`, nil, ErrFormula, 1, 30, `status rule returns "great"`},
		{FormulaStatus, `1`, nil, ErrFormula, 0, 0, "expected string"},
		{FormulaStatus, `value("a") > 1 ? "achieved" : "at risk"`, nil, ErrFormula, 1, 1, "unknown name value"},
		{FormulaStatus, `empty == nil ? "achieved" : "at risk"`, nil, ErrFormula, 1, 1, "unknown name empty"},
	}
	for _, tt := range tests {
		f, err := CompileFormula(tt.kind, tt.src, tt.known)
		if err == nil {
			t.Errorf("CompileFormula(%v, %q) = %v, want an error", tt.kind, tt.src, f)
			continue
		}
		var fe *FormulaError
		if !errors.As(err, &fe) {
			t.Errorf("CompileFormula(%q): %T is not a *FormulaError", tt.src, err)
			continue
		}
		if !errors.Is(err, tt.sentinel) {
			t.Errorf("CompileFormula(%q): %v does not wrap %v", tt.src, err, tt.sentinel)
		}
		if fe.Source != tt.src {
			t.Errorf("CompileFormula(%q): Source = %q", tt.src, fe.Source)
		}
		if tt.line != 0 && (fe.Line != tt.line || (tt.col != 0 && fe.Column != tt.col)) {
			t.Errorf("CompileFormula(%q): at %d:%d, want %d:%d (%v)", tt.src, fe.Line, fe.Column, tt.line, tt.col, err)
		}
		if !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("CompileFormula(%q) = %q, want it to contain %q", tt.src, err, tt.msg)
		}
	}
}

func TestEvalNumber(t *testing.T) {
	tests := []struct {
		src  string
		want float64
		err  string // substring of the error; "" for none
	}{
		{`100 * value("1.1.2n") / value("1.1.2d")`, 25, ""},
		{`value("a") + cumulative("b") + baseline("a") + target("a") + previous("a")`, 2 + 20 + 1 + 5 + 1.5, ""},
		{`sum([value("a"), value("b")])`, 5, ""},
		{`max(value("a"), value("b"))`, 3, ""},
		{`min(value("a"), value("b"))`, 2, ""},
		{`abs(value("neg"))`, 2.5, ""},
		{`round(value("1.1.2d") / 7)`, 17, ""},
		{`value("a") > 2 ? 1 : 0`, 0, ""},
		{`7`, 7, ""},
		{`value("a") / value("zero")`, 0, "division by zero"},
		{`value("zero") / value("zero")`, 0, "division by zero"},
		{`int(value("a")) % 0`, 0, "division by zero"},
		{`value("missing") + 1`, 0, "no data for missing"},
		{`cumulative("missing")`, 0, "no data for cumulative of missing"},
		{`baseline("b")`, 0, "no data for baseline of b"},
		{`value("a") + target("missing")`, 0, "no data for target of missing"},
		{`previous("b")`, 0, "no data for previous of b"},
	}
	env := testEnv()
	for _, tt := range tests {
		f, err := CompileFormula(FormulaValue, tt.src, nil)
		if err != nil {
			t.Fatalf("CompileFormula(%q): %v", tt.src, err)
		}
		got, err := f.EvalNumber(env)
		if tt.err != "" {
			if err == nil || !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("EvalNumber(%q) = %v, %v; want ErrNoData containing %q", tt.src, got, err, tt.err)
			}
			continue
		}
		if err != nil || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("EvalNumber(%q) = %v, %v; want %v", tt.src, got, err, tt.want)
		}
	}
}

type errEnv struct{ mapEnv }

var errBroken = errors.New("store broken")

func (errEnv) Value(string) (float64, error) { return 0, errBroken }

func TestEvalNumberPassesEnvErrors(t *testing.T) {
	f, err := CompileFormula(FormulaValue, `value("a")`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.EvalNumber(&errEnv{}); !errors.Is(err, errBroken) {
		t.Errorf("EvalNumber = %v, want errBroken", err)
	}
	wrapped := fmt.Errorf("%w for 1.1.2d (sex=female)", ErrNoData)
	env := &fixedErrEnv{err: wrapped}
	if _, err := f.EvalNumber(env); err != wrapped {
		t.Errorf("EvalNumber = %v, want the env's error as is", err)
	}
}

type fixedErrEnv struct {
	mapEnv
	err error
}

func (e *fixedErrEnv) Value(string) (float64, error) { return 0, e.err }

func TestEvalKindMismatch(t *testing.T) {
	f, _ := CompileFormula(FormulaCheck, `true`, nil)
	if _, err := f.EvalNumber(testEnv()); !errors.Is(err, ErrFormula) {
		t.Errorf("EvalNumber of a check = %v", err)
	}
	g, _ := CompileFormula(FormulaValue, `1`, nil)
	if _, err := g.EvalCheck(testEnv()); !errors.Is(err, ErrFormula) {
		t.Errorf("EvalCheck of a value formula = %v", err)
	}
	if _, err := g.EvalStatus(StatusVars{}); !errors.Is(err, ErrFormula) {
		t.Errorf("EvalStatus of a value formula = %v", err)
	}
	var nilF *Formula
	if _, err := nilF.EvalNumber(testEnv()); !errors.Is(err, ErrFormula) {
		t.Errorf("EvalNumber of nil = %v", err)
	}
}

func TestEvalCheck(t *testing.T) {
	tests := []struct {
		src  string
		want bool
		err  string
	}{
		{`value("a") <= value("b")`, true, ""},
		{`value("b") <= value("a")`, false, ""},
		{`cumulative("a") >= value("a") && value("a") > 0`, true, ""},
		{`value("missing") > 0`, false, "no data for missing"},
	}
	for _, tt := range tests {
		f, err := CompileFormula(FormulaCheck, tt.src, nil)
		if err != nil {
			t.Fatalf("CompileFormula(%q): %v", tt.src, err)
		}
		got, err := f.EvalCheck(testEnv())
		if tt.err != "" {
			if !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("EvalCheck(%q) = %v, %v; want error %q", tt.src, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("EvalCheck(%q) = %v, %v; want %v", tt.src, got, err, tt.want)
		}
	}
}

func fp(x float64) *float64 { return &x }

func TestEvalStatus(t *testing.T) {
	full := StatusVars{Progress: fp(0.5), Expected: fp(0.6), Actual: fp(50), Baseline: fp(0), Target: fp(100), Milestone: fp(60), Elapsed: fp(0.5)}
	noActual := full
	noActual.Actual, noActual.Progress = nil, nil
	tests := []struct {
		src      string
		vars     StatusVars
		want     Status
		sentinel error // nil for success
		msg      string
	}{
		{`progress >= 1 ? "achieved" : progress >= 0.85 * expected ? "on track" : "off track"`, full, StatusOffTrack, nil, ""},
		{`actual >= milestone * 0.8 ? "On Track" : "at risk"`, full, StatusOnTrack, nil, ""},
		{`actual == nil ? "no data" : "achieved"`, noActual, StatusNoData, nil, ""},
		{`(actual ?? 0) > 10 ? "achieved" : "not due"`, noActual, StatusNotDue, nil, ""},
		{`elapsed < 0.25 && target > baseline ? "not due" : "at risk"`, full, StatusAtRisk, nil, ""},
		{`progress >= 1 ? "achieved" : "off track"`, noActual, "", ErrNoData, "status rule"},
		{`progress * 2 > 1 ? "achieved" : "off track"`, noActual, "", ErrNoData, "status rule"},
		{`"achieved" + "x"`, full, "", ErrFormula, `"x"`},
	}
	for _, tt := range tests {
		f, err := CompileFormula(FormulaStatus, tt.src, nil)
		if err != nil {
			if tt.sentinel != nil && errors.Is(err, tt.sentinel) && strings.Contains(err.Error(), tt.msg) {
				continue // rejected at compile time, as well
			}
			t.Fatalf("CompileFormula(%q): %v", tt.src, err)
		}
		got, err := f.EvalStatus(tt.vars)
		if tt.sentinel != nil {
			if !errors.Is(err, tt.sentinel) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("EvalStatus(%q) = %q, %v; want %v containing %q", tt.src, got, err, tt.sentinel, tt.msg)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("EvalStatus(%q) = %q, %v; want %q", tt.src, got, err, tt.want)
		}
	}
}

func TestEvalConcurrent(t *testing.T) {
	f, err := CompileFormula(FormulaValue, `value("a") * 10 + cumulative("b")`, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			env := &mapEnv{value: map[string]float64{"a": float64(g)}, cumulative: map[string]float64{"b": 1}}
			for i := 0; i < 500; i++ {
				got, err := f.EvalNumber(env)
				if err != nil || got != float64(g)*10+1 {
					t.Errorf("goroutine %d: EvalNumber = %v, %v", g, got, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestFormulaErrorText(t *testing.T) {
	_, err := CompileFormula(FormulaValue, `value("a") + value(b)`, nil)
	want := `1:20 in "value(\"a\") + value(b)": formula error: the code given to value must be a quoted indicator code such as value("1.1")`
	if err == nil || err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}
}

func FuzzCompileFormula(f *testing.F) {
	for _, s := range []string{
		`100 * value("1.1.2n") / value("1.1.2d")`, `value("a") <= value("b")`,
		`progress >= 1 ? "achieved" : "on track"`, `sum([value("a"), 1])`, `value(x)`, `"`, `(((`,
		`actual ?? 0`, `value("a") % 0`, "1 +\n value(\"\u00e9\") +", `let x = value("a"); x * 2`,
	} {
		for k := 0; k < 3; k++ {
			f.Add(k, s)
		}
	}
	f.Fuzz(func(t *testing.T, k int, src string) {
		kind := FormulaKind(((k % 3) + 3) % 3)
		fm, err := CompileFormula(kind, src, known("a", "b"))
		if err != nil {
			var fe *FormulaError
			if !errors.As(err, &fe) {
				t.Fatalf("CompileFormula(%q): %T is not a *FormulaError", src, err)
			}
			if !errors.Is(err, ErrFormula) && !errors.Is(err, ErrUnknownCode) {
				t.Fatalf("CompileFormula(%q): %v wraps neither ErrFormula nor ErrUnknownCode", src, err)
			}
			return
		}
		switch kind {
		case FormulaValue:
			_, _ = fm.EvalNumber(testEnv())
		case FormulaCheck:
			_, _ = fm.EvalCheck(testEnv())
		case FormulaStatus:
			_, _ = fm.EvalStatus(StatusVars{Progress: fp(0.5)})
		}
	})
}

// BenchmarkEvalNumber compares running the compiled expr program alone
// (with the same environment struct) and through EvalNumber with a
// map-backed FormulaEnv. EvalNumber must cost at most 1.5x the former.
func BenchmarkEvalNumber(b *testing.B) {
	src := `100 * value("1.1.2n") / value("1.1.2d")`
	f, err := CompileFormula(FormulaValue, src, nil)
	if err != nil {
		b.Fatal(err)
	}
	env := testEnv()
	b.Run("program", func(b *testing.B) {
		fenv := &funcEnv{
			Value: func(c string) float64 { v, _ := env.Value(c); return v },
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := vm.Run(f.program, fenv); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("program-reused-vm", func(b *testing.B) {
		fenv := &funcEnv{
			Value: func(c string) float64 { v, _ := env.Value(c); return v },
		}
		var m vm.VM
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.Run(f.program, fenv); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("EvalNumber", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := f.EvalNumber(env); err != nil {
				b.Fatal(err)
			}
		}
	})
}
