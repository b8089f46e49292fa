package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// CheckResult is what Check found: the framework's lints and, once
// figures are imported, the checks of the data.
type CheckResult struct {
	Framework *indicators.Framework
	Findings  []indicators.Finding
	Figures   int // figures checked
}

// Shown is the findings a reader sees: errors and warnings, and the notes
// too when verbose.
func (c *CheckResult) Shown(verbose bool) []indicators.Finding {
	if verbose {
		return c.Findings
	}
	var shown []indicators.Finding
	for _, f := range c.Findings {
		if f.Severity == indicators.SevError || f.Severity == indicators.SevWarning {
			shown = append(shown, f)
		}
	}
	return shown
}

// Count counts the findings by severity.
func (c *CheckResult) Count() FindingCount { return countFindings(c.Findings) }

// Check lints the framework and the stored figures.
func (e *Engine) Check(ctx context.Context) (*CheckResult, error) {
	fw, err := storedFramework(ctx, e.db)
	if err != nil {
		return nil, err
	}
	findings := frameworkFindings(fw)
	data, figures, err := dataFindings(ctx, e.db, fw)
	if err != nil {
		return nil, err
	}
	return &CheckResult{Framework: fw, Findings: append(findings, data...), Figures: figures}, nil
}

// FigureHistory is every revision of an indicator's figures (of periods
// within period, when it is not empty), with the indicator.
type FigureHistory struct {
	Framework *indicators.Framework
	Indicator *indicators.Indicator
	Period    *indicators.Period // nil: every period
	Revisions []indicators.Revision
}

// FigureHistory is every revision of indicator code's figures and where each
// came from; an unknown code is an indicators.ErrUnknownCode error.
func (e *Engine) FigureHistory(ctx context.Context, code, period string) (*FigureHistory, error) {
	fw, _, err := loadFramework(ctx, e.db)
	if err != nil {
		return nil, err
	}
	ind, ok := fw.Indicator(code)
	if _, isResult := fw.Result(code); !ok && isResult {
		return nil, fmt.Errorf("%w: %s is a result of project %s, not an indicator; rmf history takes an indicator code (rmf framework export lists them)", indicators.ErrUnknownCode, code, fw.Project.Code)
	}
	if !ok {
		return nil, fmt.Errorf("%w: no indicator %q in project %s%s", indicators.ErrUnknownCode, code, fw.Project.Code, suggestCode(fw, code))
	}
	h := &FigureHistory{Framework: fw, Indicator: ind}
	if period != "" {
		pp, err := parsePeriodFlag(fw, period)
		if err != nil {
			return nil, err
		}
		h.Period = &pp
	}
	all, err := e.db.History(ctx, ind.Code, nil)
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		if h.Period == nil || h.Period.Contains(r.Period) {
			h.Revisions = append(h.Revisions, r)
		}
	}
	return h, nil
}

// frameworkFindings lints fw: the framework lints of SPEC section 2.
func frameworkFindings(fw *indicators.Framework) []indicators.Finding {
	return fw.Check()
}

// dataFindings checks the stored figures against the framework: the rules
// in every period, totals against their breakdowns, unverified figures and
// formulas that cannot be evaluated (the findings of a report over the whole
// project), and figures implausible together (shares typed for a
// percent). It returns how many figures it checked. A framework whose
// formulas do not compile gets no data checks: Check reports those first.
func dataFindings(ctx context.Context, db Store, fw *indicators.Framework) ([]indicators.Finding, int, error) {
	figures, err := db.Measurements(ctx, MeasurementFilter{})
	if err != nil || len(figures) == 0 {
		return nil, 0, err
	}
	compiled, probs := fw.Compile()
	if len(probs) > 0 {
		return nil, len(figures), nil
	}
	r, err := indicators.BuildReport(indicators.ReportInput{Framework: fw, Compiled: compiled, Figures: figures, Period: fw.Project.Period()})
	if err != nil {
		return nil, len(figures), fmt.Errorf("check the figures: %w", err)
	}
	// Missing reports depend on the period asked about (what is owed by
	// its end): rmf report and rmf due list them; check, which has no
	// period, leaves them out rather than call every future period missing.
	var out []indicators.Finding
	for _, f := range r.Findings {
		if f.Kind != "missing" {
			out = append(out, f)
		}
	}
	return append(out, indicators.PlausibilityFindings(fw, figures)...), len(figures), nil
}

// FindingCount is the number of findings by severity.
type FindingCount struct{ Errors, Warnings, Infos int }

// String is "1 error, 2 warnings" (", 3 notes" when there are any).
func (c FindingCount) String() string {
	plural := func(n int, one string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, one)
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	s := plural(c.Errors, "error") + ", " + plural(c.Warnings, "warning")
	if c.Infos > 0 {
		s += ", " + plural(c.Infos, "note")
	}
	return s
}

func countFindings(findings []indicators.Finding) FindingCount {
	var c FindingCount
	for _, f := range findings {
		switch f.Severity {
		case indicators.SevError:
			c.Errors++
		case indicators.SevWarning:
			c.Warnings++
		default:
			c.Infos++
		}
	}
	return c
}

// suggestCode returns ` (did you mean "1.1.2"?)` when a code differs from
// code only in case, else "".
func suggestCode(fw *indicators.Framework, code string) string {
	for _, ind := range fw.Indicators {
		if strings.EqualFold(ind.Code, code) {
			return fmt.Sprintf(" (did you mean %q?)", ind.Code)
		}
	}
	return "; the indicator codes are listed by \"rmf framework export\""
}
