package indicators

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// FormulaKind says what a formula computes and so which names it may use
// and what it must return.
type FormulaKind int

const (
	// FormulaValue is a computed indicator's formula: a number.
	FormulaValue FormulaKind = iota
	// FormulaStatus is a status rule: a string, one of the status words.
	FormulaStatus
	// FormulaCheck is a Rules sheet check: a bool that must hold.
	FormulaCheck
)

// String is the column the formula is written in: formula, status_rule or check.
func (k FormulaKind) String() string {
	switch k {
	case FormulaValue:
		return "formula"
	case FormulaStatus:
		return "status_rule"
	case FormulaCheck:
		return "check"
	}
	return fmt.Sprintf("FormulaKind(%d)", int(k))
}

// formulaFuncs are the functions of value and check formulas; each takes
// one indicator code, as a string literal.
var formulaFuncs = []string{"value", "cumulative", "baseline", "target", "previous"}

func isFormulaFunc(name string) bool {
	for _, f := range formulaFuncs {
		if f == name {
			return true
		}
	}
	return false
}

// Formula is a compiled formula: compiled once, evaluated many times, safe
// for concurrent use.
type Formula struct {
	Source string
	Kind   FormulaKind
	// Refs are the codes the formula names (through value, cumulative,
	// baseline, target or previous), in order of first appearance, unique.
	Refs    []string
	program *vm.Program
}

// FormulaError is a formula that does not parse, type-check or names an
// unknown code. Line and Column (1-based) point into Source; Err wraps
// ErrFormula or ErrUnknownCode.
type FormulaError struct {
	Source  string
	Line    int
	Column  int
	Snippet string // the line of the formula and a caret under the position, as expr prints it
	Err     error
}

func (e *FormulaError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%d:%d in %q: %v", e.Line, e.Column, e.Source, e.Err)
	}
	return fmt.Sprintf("in %q: %v", e.Source, e.Err)
}

func (e *FormulaError) Unwrap() error { return e.Err }

// funcEnv is the environment of value and check formulas. Its fields are
// filled once per pooled evaluation state with that state's methods, so
// that the data of a run (a FormulaEnv) reaches the functions without
// recompiling and without allocating.
type funcEnv struct {
	Value      func(string) float64 `expr:"value"`
	Cumulative func(string) float64 `expr:"cumulative"`
	Baseline   func(string) float64 `expr:"baseline"`
	Target     func(string) float64 `expr:"target"`
	Previous   func(string) float64 `expr:"previous"`
}

// statusEnv is the environment of status rules. A variable without data is
// nil: a rule may test it (`actual == nil ? "no data" : ...`, or use
// `actual ?? 0`); arithmetic or comparison on nil is an evaluation error,
// which EvalStatus reports wrapping ErrNoData so that the caller falls back
// to the default rule.
type statusEnv struct {
	Progress  *float64 `expr:"progress"`
	Expected  *float64 `expr:"expected"`
	Actual    *float64 `expr:"actual"`
	Baseline  *float64 `expr:"baseline"`
	Target    *float64 `expr:"target"`
	Milestone *float64 `expr:"milestone"`
	Elapsed   *float64 `expr:"elapsed"`
}

// StatusVars are the variables of a status rule; nil means no data.
type StatusVars struct {
	Progress, Expected, Actual, Baseline, Target, Milestone, Elapsed *float64
}

// FormulaEnv supplies the data a formula reads, for one indicator,
// period and disaggregation. A missing figure is an error wrapping ErrNoData.
type FormulaEnv interface {
	Value(code string) (float64, error)      // this period, this disaggregation
	Cumulative(code string) (float64, error) // cumulative to the end of this period
	Baseline(code string) (float64, error)
	Target(code string) (float64, error)
	Previous(code string) (float64, error) // previous period's value
}

// CompileFormula parses and type-checks src as a formula of kind. known
// reports whether an indicator code exists (nil: codes are not checked).
// Every code must be given as a string literal, so that the references can
// be checked here. Errors are *FormulaError.
func CompileFormula(kind FormulaKind, src string, known func(code string) bool) (*Formula, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &FormulaError{Source: src, Err: fmt.Errorf("%w: empty %s", ErrFormula, kind)}
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, exprError(src, err)
	}
	v := &refVisitor{kind: kind, src: src}
	ast.Walk(&tree.Node, v)
	if v.argErr != nil {
		return nil, v.argErr
	}
	var opts []expr.Option
	switch kind {
	case FormulaValue:
		opts = []expr.Option{expr.Env(funcEnv{}), expr.AsFloat64()}
	case FormulaCheck:
		opts = []expr.Option{expr.Env(funcEnv{}), expr.AsBool()}
	case FormulaStatus:
		opts = []expr.Option{expr.Env(statusEnv{}), expr.AsKind(reflect.String)}
	default:
		return nil, &FormulaError{Source: src, Err: fmt.Errorf("%w: unknown formula kind %d", ErrFormula, int(kind))}
	}
	prog, err := compileSafe(src, opts)
	if err != nil {
		return nil, exprError(src, err)
	}
	if v.statusErr != nil {
		return nil, v.statusErr
	}
	if known != nil {
		var unknown []string
		var first file.Location
		for i, r := range v.refs {
			if !known(r) {
				if len(unknown) == 0 {
					first = v.locs[i]
				}
				unknown = append(unknown, fmt.Sprintf("%q", r))
			}
		}
		if len(unknown) > 0 {
			what := "code " + unknown[0] + " is not an indicator of the framework"
			if len(unknown) > 1 {
				what = "codes " + strings.Join(unknown, ", ") + " are not indicators of the framework"
			}
			return nil, positioned(src, first, fmt.Errorf("%w: %s", ErrUnknownCode, what))
		}
	}
	return &Formula{Source: src, Kind: kind, Refs: v.refs, program: prog}, nil
}

// compileSafe is expr.Compile, with a panic turned into an error.
func compileSafe(src string, opts []expr.Option) (p *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return expr.Compile(src, opts...)
}

// exprError turns an error of expr into a *FormulaError wrapping ErrFormula.
func exprError(src string, err error) *FormulaError {
	var fe *file.Error
	if errors.As(err, &fe) {
		return &FormulaError{Source: src, Line: fe.Line, Column: fe.Column + 1, Snippet: fe.Snippet,
			Err: fmt.Errorf("%w: %s", ErrFormula, fe.Message)}
	}
	return &FormulaError{Source: src, Err: fmt.Errorf("%w: %v", ErrFormula, err)}
}

// positioned builds a *FormulaError at loc of src.
func positioned(src string, loc file.Location, err error) *FormulaError {
	fe := (&file.Error{Location: loc}).Bind(file.NewSource(src))
	return &FormulaError{Source: src, Line: fe.Line, Column: fe.Column + 1, Snippet: fe.Snippet, Err: err}
}

// refVisitor collects the codes named by a formula and rejects a code that
// is not a string literal (and, in status rules, a string that is not a status).
type refVisitor struct {
	kind FormulaKind
	src  string
	refs []string
	locs []file.Location
	// argErr is a code that is not a string literal; statusErr a string
	// that is not a status word in a status rule.
	argErr, statusErr *FormulaError
}

func (v *refVisitor) Visit(n *ast.Node) {
	switch node := (*n).(type) {
	case *ast.CallNode:
		id, ok := node.Callee.(*ast.IdentifierNode)
		if !ok || !isFormulaFunc(id.Value) || v.kind == FormulaStatus {
			return
		}
		if v.argErr != nil {
			return
		}
		if len(node.Arguments) != 1 {
			v.argErr = positioned(v.src, node.Location(), fmt.Errorf("%w: %s takes one indicator code, got %d arguments", ErrFormula, id.Value, len(node.Arguments)))
			return
		}
		s, ok := node.Arguments[0].(*ast.StringNode)
		if !ok {
			v.argErr = positioned(v.src, node.Arguments[0].Location(), fmt.Errorf("%w: the code given to %s must be a quoted indicator code such as %s(\"1.1\")", ErrFormula, id.Value, id.Value))
			return
		}
		for _, r := range v.refs {
			if r == s.Value {
				return
			}
		}
		v.refs = append(v.refs, s.Value)
		v.locs = append(v.locs, s.Location())
	case *ast.StringNode:
		if v.kind != FormulaStatus || v.statusErr != nil {
			return
		}
		if _, err := ParseStatus(node.Value); err != nil {
			v.statusErr = positioned(v.src, node.Location(), fmt.Errorf("%w: status rule returns %q, expected one of achieved, on track, at risk, off track, no data, not due", ErrFormula, node.Value))
		}
	}
}

// evalState is the per-evaluation state of value and check formulas,
// pooled so that an evaluation allocates nothing of its own.
type evalState struct {
	env  FormulaEnv
	err  error
	fenv funcEnv
	vm   vm.VM
}

var statePool = sync.Pool{New: func() any {
	s := &evalState{}
	s.fenv = funcEnv{Value: s.value, Cumulative: s.cumulative, Baseline: s.baseline, Target: s.target, Previous: s.previous}
	return s
}}

func (s *evalState) fail(what, code string, err error) float64 {
	if s.err == nil {
		if err == ErrNoData {
			err = fmt.Errorf("%w for %s", ErrNoData, describeRef(what, code))
		}
		s.err = err
	}
	return math.NaN()
}

func describeRef(what, code string) string {
	if what == "value" {
		return code
	}
	return what + " of " + code
}

func (s *evalState) value(c string) float64 {
	v, err := s.env.Value(c)
	if err != nil {
		return s.fail("value", c, err)
	}
	return v
}

func (s *evalState) cumulative(c string) float64 {
	v, err := s.env.Cumulative(c)
	if err != nil {
		return s.fail("cumulative", c, err)
	}
	return v
}

func (s *evalState) baseline(c string) float64 {
	v, err := s.env.Baseline(c)
	if err != nil {
		return s.fail("baseline", c, err)
	}
	return v
}

func (s *evalState) target(c string) float64 {
	v, err := s.env.Target(c)
	if err != nil {
		return s.fail("target", c, err)
	}
	return v
}

func (s *evalState) previous(c string) float64 {
	v, err := s.env.Previous(c)
	if err != nil {
		return s.fail("previous", c, err)
	}
	return v
}

// run runs a value or check formula against env.
func (f *Formula) run(env FormulaEnv) (out any, err error) {
	if f == nil || f.program == nil {
		return nil, fmt.Errorf("%w: formula not compiled", ErrFormula)
	}
	s := statePool.Get().(*evalState)
	s.env, s.err = env, nil
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: formula %q: %v", ErrFormula, f.Source, r)
		}
		s.env, s.err = nil, nil
		statePool.Put(s)
	}()
	out, err = s.vm.Run(f.program, &s.fenv)
	if s.err != nil {
		return nil, s.err
	}
	if err != nil {
		return nil, runError(f.Source, err)
	}
	return out, nil
}

// runError reports an evaluation error of expr. Integer division by zero
// (the % operator) is no data.
func runError(src string, err error) error {
	msg := err.Error()
	var fe *file.Error
	if errors.As(err, &fe) {
		msg = fe.Message
	}
	if strings.Contains(msg, "divide by zero") || strings.Contains(msg, "division by zero") {
		return fmt.Errorf("%w: division by zero in %q", ErrNoData, src)
	}
	return fmt.Errorf("%w: evaluating %q: %s", ErrFormula, src, msg)
}

// EvalNumber evaluates a value formula. A missing input (env returned an
// error wrapping ErrNoData), a division by zero, NaN or infinity is an
// error wrapping ErrNoData with the reason. It never panics.
func (f *Formula) EvalNumber(env FormulaEnv) (float64, error) {
	if f != nil && f.Kind != FormulaValue {
		return 0, fmt.Errorf("%w: %q is a %s, not a number formula", ErrFormula, f.Source, f.Kind)
	}
	out, err := f.run(env)
	if err != nil {
		return 0, err
	}
	x, ok := out.(float64)
	if !ok {
		return 0, fmt.Errorf("%w: %q returned %v (%T), expected a number", ErrFormula, f.Source, out, out)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%w: division by zero in %q", ErrNoData, f.Source)
	}
	return x, nil
}

// EvalCheck evaluates a Rules sheet check; errors as EvalNumber.
func (f *Formula) EvalCheck(env FormulaEnv) (bool, error) {
	if f != nil && f.Kind != FormulaCheck {
		return false, fmt.Errorf("%w: %q is a %s, not a check", ErrFormula, f.Source, f.Kind)
	}
	out, err := f.run(env)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("%w: %q returned %v (%T), expected true or false", ErrFormula, f.Source, out, out)
	}
	return b, nil
}

var statusVMPool = sync.Pool{New: func() any { return &statusRun{} }}

type statusRun struct {
	env statusEnv
	vm  vm.VM
}

// EvalStatus evaluates a status rule. The result must be a status word
// (ParseStatus); otherwise the error names the returned value. An
// evaluation error (such as arithmetic on a variable without data) wraps
// ErrNoData when some variable is nil, ErrFormula otherwise: either way the
// caller should fall back to the default rule.
func (f *Formula) EvalStatus(v StatusVars) (st Status, err error) {
	if f == nil || f.program == nil {
		return "", fmt.Errorf("%w: status rule not compiled", ErrFormula)
	}
	if f.Kind != FormulaStatus {
		return "", fmt.Errorf("%w: %q is a %s, not a status rule", ErrFormula, f.Source, f.Kind)
	}
	r := statusVMPool.Get().(*statusRun)
	r.env = statusEnv(v)
	defer func() {
		if p := recover(); p != nil {
			st, err = "", fmt.Errorf("%w: status rule %q: %v", ErrFormula, f.Source, p)
		}
		r.env = statusEnv{}
		statusVMPool.Put(r)
	}()
	out, err := r.vm.Run(f.program, &r.env)
	if err != nil {
		msg := err.Error()
		var fe *file.Error
		if errors.As(err, &fe) {
			msg = fe.Message
		}
		sentinel := ErrFormula
		if v.Progress == nil || v.Expected == nil || v.Actual == nil || v.Baseline == nil ||
			v.Target == nil || v.Milestone == nil || v.Elapsed == nil {
			sentinel = ErrNoData
		}
		return "", fmt.Errorf("%w: status rule %q: %s", sentinel, f.Source, msg)
	}
	s, ok := out.(string)
	if !ok {
		return "", fmt.Errorf("%w: status rule %q returned %v (%T), expected a status", ErrFormula, f.Source, out, out)
	}
	st, perr := ParseStatus(s)
	if perr != nil {
		return "", fmt.Errorf("status rule %q returned %q: %w", f.Source, s, perr)
	}
	return st, nil
}

// Compiled holds the compiled formulas of a framework.
type Compiled struct {
	Formulas    map[string]*Formula // computed indicator code -> formula
	StatusRules map[string]*Formula // indicator code -> its status rule
	ProjectRule *Formula            // project default status rule, or nil
	Rules       []*Formula          // Rules sheet checks, same order as fw.Rules (nil where it failed)
	Order       []string            // computed indicators in dependency order (inputs first)
}

// Compile compiles every formula, status rule and check of the framework
// and orders the computed indicators; it reports every problem at once,
// each a *CellError naming the indicator, the column and the position in
// the formula. Cycles (through formulas, numerators and denominators) are
// reported wrapping ErrCycle.
func (fw *Framework) Compile() (*Compiled, Problems) {
	var probs Problems
	known := fw.indicatorSet()
	isKnown := func(c string) bool { _, ok := known[c]; return ok }
	c := &Compiled{Formulas: map[string]*Formula{}, StatusRules: map[string]*Formula{}, Rules: make([]*Formula, len(fw.Rules))}
	formulaProblem := func(loc Loc, field, who string, err error) {
		var fe *FormulaError
		sentinel := ErrFormula
		if errors.Is(err, ErrUnknownCode) {
			sentinel = ErrUnknownCode
		}
		if errors.As(err, &fe) {
			pos := ""
			if fe.Line > 0 {
				pos = fmt.Sprintf(" at %d:%d", fe.Line, fe.Column)
			}
			probs = append(probs, loc.Errorf(field, sentinel, "%s, column %s%s: %s in %q", who, field, pos, strings.TrimPrefix(strings.TrimPrefix(fe.Err.Error(), sentinel.Error()), ": "), fe.Source))
			return
		}
		probs = append(probs, loc.Errorf(field, sentinel, "%s, column %s: %v", who, field, err))
	}
	if src := strings.TrimSpace(fw.Project.StatusRule); src != "" {
		f, err := CompileFormula(FormulaStatus, src, nil)
		if err != nil {
			formulaProblem(fw.Project.Loc, "status_rule", "project "+fw.Project.Code, err)
		} else {
			c.ProjectRule = f
		}
	}
	for i := range fw.Indicators {
		ind := &fw.Indicators[i]
		who := "indicator " + ind.Code
		if ind.Computed() {
			f, err := CompileFormula(FormulaValue, ind.Formula, isKnown)
			if err != nil {
				formulaProblem(ind.Loc, "formula", who, err)
			} else {
				c.Formulas[ind.Code] = f
			}
		}
		if strings.TrimSpace(ind.StatusRule) != "" {
			f, err := CompileFormula(FormulaStatus, ind.StatusRule, nil)
			if err != nil {
				formulaProblem(ind.Loc, "status_rule", who, err)
			} else {
				c.StatusRules[ind.Code] = f
			}
		}
	}
	for i, r := range fw.Rules {
		if strings.TrimSpace(r.Check) == "" {
			continue // a required-field problem, reported by Validate
		}
		f, err := CompileFormula(FormulaCheck, r.Check, isKnown)
		if err != nil {
			formulaProblem(r.Loc, "check", "rule "+r.Code, err)
		} else {
			c.Rules[i] = f
		}
	}
	order, cycles := fw.formulaOrder(c.Formulas)
	c.Order = order
	probs = append(probs, cycles...)
	return c, probs
}

func (fw *Framework) indicatorSet() map[string]int {
	m := make(map[string]int, len(fw.Indicators))
	for i, ind := range fw.Indicators {
		if _, dup := m[ind.Code]; !dup {
			m[ind.Code] = i
		}
	}
	return m
}

// formulaDeps are the indicators ind is computed from: its formula's
// references (when it compiled) and its numerator and denominator.
func (fw *Framework) formulaDeps(ind *Indicator, formulas map[string]*Formula) []string {
	var deps []string
	if f := formulas[ind.Code]; f != nil {
		deps = append(deps, f.Refs...)
	}
	if ind.Numerator != "" {
		deps = append(deps, ind.Numerator)
	}
	if ind.Denominator != "" && ind.Denominator != ind.Numerator {
		deps = append(deps, ind.Denominator)
	}
	return deps
}

// formulaOrder orders the computed indicators inputs first, and reports
// each cycle once, spelled 1.1 -> 1.2 -> 1.1, at the first indicator of the
// cycle in framework order.
func (fw *Framework) formulaOrder(formulas map[string]*Formula) ([]string, Problems) {
	idx := fw.indicatorSet()
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(fw.Indicators))
	var order []string
	var probs Problems
	var stack []int
	seenCycle := map[string]bool{}
	var visit func(i int)
	visit = func(i int) {
		color[i] = grey
		stack = append(stack, i)
		ind := &fw.Indicators[i]
		for _, d := range fw.formulaDeps(ind, formulas) {
			j, ok := idx[d]
			if !ok {
				continue
			}
			switch color[j] {
			case white:
				visit(j)
			case grey:
				// the cycle is the stack from j to i, then j again
				var start int
				for k := len(stack) - 1; k >= 0; k-- {
					if stack[k] == j {
						start = k
						break
					}
				}
				cyc := append([]int(nil), stack[start:]...)
				// spell it from its member first in framework order
				minK := 0
				for k := range cyc {
					if cyc[k] < cyc[minK] {
						minK = k
					}
				}
				cyc = append(cyc[minK:], cyc[:minK]...)
				codes := make([]string, 0, len(cyc)+1)
				for _, k := range cyc {
					codes = append(codes, fw.Indicators[k].Code)
				}
				codes = append(codes, codes[0])
				key := strings.Join(codes, " -> ")
				if !seenCycle[key] {
					seenCycle[key] = true
					first := &fw.Indicators[cyc[0]]
					field := "formula"
					if !first.Computed() {
						field = "numerator"
					}
					probs = append(probs, first.Loc.Errorf(field, ErrCycle, "indicator %s is computed from itself: %s; remove one of these references", first.Code, key))
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
		if ind.Computed() && formulas[ind.Code] != nil {
			order = append(order, ind.Code)
		}
	}
	for i := range fw.Indicators {
		if color[i] == white && idx[fw.Indicators[i].Code] == i {
			visit(i)
		}
	}
	return order, probs
}
