package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/indicators"
)

// ReportRequest names the report of a period.
type ReportRequest struct {
	// Period in any spelling the project's calendar reads: 2021Q3, 2021S1,
	// 2021, 2021-07, PY2, 2020-09-01..2021-02-28.
	Period string
	// AsOf, when set, is the moment whose state to report (ParseMoment:
	// a day means its end); AsReported, the state just before the
	// period's lock. They exclude each other.
	AsOf       string
	AsReported bool
	// ApprovedOnly counts only the approved figures.
	ApprovedOnly bool
}

// ReportResult is a built report with what it was built from.
type ReportResult struct {
	Report    *indicators.Report
	Framework *indicators.Framework // of the state reported
	Compiled  *indicators.Compiled
	Period    indicators.Period
	// Notes say which state was reported and warn of what could not be
	// shown as it stood (one line each, for the caller to show).
	Notes []string
	view  reportView
	stamp string // the store's Stamp when the report was built (consistent)
}

// Report builds the results-based report of a period, with the follow-up
// of the evaluations, the missing reports, the efficiency (when
// expenditures were imported) and the review section (when the review log
// has entries), as of now or of a past state. Its Notes are returned even
// with an error.
func (e *Engine) Report(ctx context.Context, req ReportRequest) (*ReportResult, error) {
	rr := &ReportResult{view: reportView{ApprovedOnly: req.ApprovedOnly, LimitMemory: e.opt.LimitReportMemory}}
	if req.AsOf != "" && req.AsReported {
		return rr, &ArgError{Arg: "as-of", Err: fmt.Errorf("as-of and as-reported exclude each other")}
	}
	// The framework, the figures, the evaluations, the expenditures and the
	// review log are read one after the other: all of one state (consistent).
	var err error
	rr.stamp, err = consistent(ctx, e.db, reportTries, func() error {
		rr.Notes = rr.Notes[:0]
		var err error
		if req.AsOf != "" || req.AsReported {
			rr.view.State, rr.Framework, rr.Compiled, rr.Period, err = resolveAsOf(ctx, e.db, req.Period, req.AsOf, req.AsReported, &rr.Notes)
		} else if rr.Framework, rr.Compiled, err = loadFramework(ctx, e.db); err == nil {
			rr.Period, err = parsePeriodFlag(rr.Framework, req.Period)
		}
		if err != nil {
			return err
		}
		rr.Report, err = buildReportIn(ctx, e.db, rr.Framework, rr.Compiled, rr.Period, rr.view)
		return err
	})
	if errors.Is(err, ErrDatabaseChanged) && rr.Report != nil {
		rr.Notes, err = append(rr.Notes, ChangedNote), nil // stamp "": exports from it are refused
	}
	return rr, err
}

// LatestReport is the report of the latest quarter with figures (not past
// the project's end; 2022Q2 when there are none); Engine.LatestIATI gives
// the IATI activity beside it.
func (e *Engine) LatestReport(ctx context.Context) (*ReportResult, error) {
	rr := &ReportResult{view: reportView{LimitMemory: e.opt.LimitReportMemory}}
	var err error
	rr.stamp, err = consistent(ctx, e.db, reportTries, func() error {
		fw, comp, err := loadFramework(ctx, e.db)
		if err != nil {
			return err
		}
		last, err := e.db.LatestFigureEnd(ctx)
		if err != nil {
			return err
		}
		rr.Framework, rr.Compiled, rr.Period = fw, comp, latestQuarter(last, fw.Project)
		rr.Report, err = buildReportIn(ctx, e.db, fw, comp, rr.Period, rr.view)
		return err
	})
	if errors.Is(err, ErrDatabaseChanged) && rr.Report != nil {
		rr.Notes, err = append(rr.Notes, ChangedNote), nil
	}
	if err != nil {
		return nil, err
	}
	return rr, nil
}

// DonorWorkbook gathers what the donor workbook of rr shows beside the
// report: every figure with its source (as rr's state sees them), the IPTT
// tables per reporting frequency and the revised baselines and targets.
func (e *Engine) DonorWorkbook(ctx context.Context, rr *ReportResult) (exporters.DonorWorkbook, error) {
	return donorWorkbook(ctx, e.db, rr.Framework, rr.Compiled, rr.Report, rr.Period, rr.view, rr.stamp)
}

// TextOptions are the text report's settings (colour, width).
type TextOptions = exporters.TextOptions

// WriteReport writes r in format (text, md, json or html) to w.
func WriteReport(w io.Writer, r *indicators.Report, format string, opt TextOptions) error {
	switch format {
	case "md":
		return exporters.WriteReportMarkdown(w, r)
	case "json":
		return exporters.WriteReportJSON(w, r)
	case "html":
		return exporters.WriteReportHTML(w, r)
	}
	return exporters.WriteReportText(w, r, opt)
}

// WriteDonorWorkbook writes the donor workbook (xlsx) to w.
func WriteDonorWorkbook(w io.Writer, d exporters.DonorWorkbook) error {
	return exporters.WriteReportXLSX(w, d)
}

// buildReportIn reads the figures, the follow-up of the evaluations, the
// expenditures and the review log and builds the report of p, of the
// database as v sees it (its state, or
// now; only approved figures): fw and comp are
// the framework of that state. The figures are not all held at once: they
// are read one indicator at a time and given to the report's builder
// (buildFromFigures).
func buildReportIn(ctx context.Context, db Store, fw *indicators.Framework, comp *indicators.Compiled, p indicators.Period, v reportView) (*indicators.Report, error) {
	st := v.State
	if v.LimitMemory {
		limitReportMemory()
	}
	in := indicators.ReportInput{Framework: fw, Compiled: comp, Period: p}
	evs, err := reportEvaluations(ctx, db, st)
	if err != nil {
		return nil, err
	}
	// Evaluations dated after the period had not happened yet: their
	// follow-up does not belong in the report.
	var past []indicators.Evaluation
	for _, ev := range evs {
		if ev.Date.IsZero() || !ev.Date.After(p.End) {
			past = append(past, ev)
		}
	}
	if len(past) > 0 {
		fu := indicators.BuildFollowUp(past, p.End, fw.Project.End)
		in.FollowUp = &fu
	}
	if in.Expenditures, err = reportExpenditures(ctx, db, st); err != nil {
		return nil, fmt.Errorf("efficiency at %s: %w", p, err)
	}
	rb, err := indicators.NewReportBuilder(in)
	if err != nil {
		return nil, fmt.Errorf("report of %s: %w", p, err)
	}
	if err := buildFromFigures(ctx, db, fw, p, v, rb); err != nil {
		return nil, err
	}
	r, err := rb.Report()
	if err != nil {
		return nil, fmt.Errorf("report of %s: %w", p, err)
	}
	// The review section compares the report's actuals with those of the
	// report as it was sent out: it is built from this one.
	if err := addReview(ctx, db, fw, r, p, st); err != nil {
		return nil, fmt.Errorf("review of %s: %w", p, err)
	}
	return r, nil
}

// reportFigureFilter selects the figures the report of p reads: those
// ending after P are left out by indicators.BuildReport, so they are not
// loaded at all (a report of an early period of a large project then
// reads a fraction of its figures).
func reportFigureFilter(p indicators.Period) MeasurementFilter {
	return MeasurementFilter{Upto: p.End}
}

// reportMemoryLimit is the soft memory limit of building and writing a
// report (limitReportMemory).
const reportMemoryLimit = 256 << 20

// limitReportMemory sets a soft memory limit (runtime/debug.SetMemoryLimit)
// for building and writing a report, unless $GOMEMLIMIT sets one. The
// figures are no longer held (they are read one indicator at a time):
// what stays is the report, which grows with the findings (a large
// project whose totals do not match their breakdowns has hundreds of
// thousands, about 100 MB with their warnings). With the default pacing
// the garbage collector lets the heap grow to twice what is in use before
// collecting; the limit (256 MiB) makes it collect sooner when the report
// is that large, and a small project never comes near it. It is a soft
// limit: a report that needs more gets more, at the cost of collections.
func limitReportMemory() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(reportMemoryLimit)
}

// latestQuarter is the quarter of the latest figure's end last (not past
// the project's end), or 2022Q2 when there are no figures (last zero).
func latestQuarter(last time.Time, proj indicators.Project) indicators.Period {
	if last.IsZero() {
		return indicators.Quarter(2022, 2)
	}
	if !proj.End.IsZero() && last.After(proj.End) {
		last = proj.End
	}
	return indicators.PeriodOf(indicators.KindQuarter, last)
}

// reportView is what a report sees of the database: its state at a past
// moment (nil: now), and only the approved figures or all.
type reportView struct {
	State        *State
	ApprovedOnly bool
	LimitMemory  bool // Options.LimitReportMemory
}

// buildFromFigures gives rb the figures the report of p reads (the
// current ones up to the end of p, or those of state v.State; only the
// approved ones with v.ApprovedOnly), one indicator at a time: the store
// is read on a goroutine of its own a few indicators ahead of rb
// (readAhead), so that reading and building overlap on two cores and at
// most a few indicators' figures are held at once. The figures of a past
// state are read at once (Store.MeasurementsIn) and given in one call.
func buildFromFigures(ctx context.Context, db Store, fw *indicators.Framework, p indicators.Period, v reportView, rb *indicators.ReportBuilder) error {
	read := func(ctx context.Context, fn func(string, []indicators.Measurement) error) error {
		return db.EachMeasurements(ctx, reportFigureFilter(p), fn)
	}
	switch {
	case v.ApprovedOnly:
		read = func(ctx context.Context, fn func(string, []indicators.Measurement) error) error {
			return eachApproved(ctx, db, v.State, p.End, indicatorOrder(fw), fn)
		}
	case v.State != nil:
		figs, err := db.MeasurementsIn(ctx, *v.State, p.End, indicatorOrder(fw))
		if err != nil {
			return err
		}
		return rb.Add(figs)
	}
	// The builder gets several indicators at a time, whose series it
	// builds in parallel (ReportBuilder.Add): the reader gathers them into
	// batches it hands over, taken back once built (no copy but the one
	// out of the store's reused slice).
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	const ahead = 2
	full := make(chan []indicators.Measurement, ahead)
	free := make(chan []indicators.Measurement, ahead+2)
	var readErr error
	go func() {
		defer close(full)
		var batch []indicators.Measurement
		send := func() error {
			select {
			case full <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case batch = <-free:
				batch = batch[:0]
			default:
				batch = nil
			}
			return nil
		}
		seen := map[string]bool{}
		readErr = read(ctx, func(code string, figs []indicators.Measurement) error {
			if err := ctx.Err(); err != nil {
				return err // the builder failed
			}
			// every figure of an indicator comes in one call: a second
			// would be merged with the first in a batch, unseen
			if seen[code] {
				return fmt.Errorf("%w: figures of indicator %s given twice to the report builder", indicators.ErrInvalid, code)
			}
			seen[code] = true
			if batch = append(batch, figs...); len(batch) < reportBatch {
				return nil
			}
			return send()
		})
		if readErr == nil && len(batch) > 0 {
			readErr = send()
		}
	}()
	var err error
	for figs := range full { // until the reader is done
		if err == nil {
			if err = rb.Add(figs); err != nil {
				cancel() // the reader stops
			}
		}
		clear(figs) // the figures' strings and maps are not held
		select {
		case free <- figs:
		default:
		}
	}
	if err != nil {
		return err
	}
	return readErr
}

// reportBatch is how many figures (at least: whole indicators) the report
// gives its builder at a time: enough indicators for its workers to share.
const reportBatch = 1 << 13

// eachApproved gives fn the latest approved revision of each figure whose
// period ends by end (now, or in state st), one indicator at a time in
// order (Store.EachApprovedRevisions): a figure corrected since its
// approval counts with its approved value until the correction is approved
// in turn. The slice is reused after fn returns.
func eachApproved(ctx context.Context, db Store, st *State, end time.Time, order []string, fn func(string, []indicators.Measurement) error) error {
	var buf []indicators.Measurement
	return db.EachApprovedRevisions(ctx, st, end, order, func(code string, revs []indicators.Revision) error {
		buf = buf[:0]
		for i := range revs {
			buf = append(buf, revs[i].Measurement)
		}
		return fn(code, buf)
	})
}

func indicatorOrder(fw *indicators.Framework) []string {
	codes := make([]string, len(fw.Indicators))
	for i, ind := range fw.Indicators {
		codes[i] = ind.Code
	}
	return codes
}

// reportEvaluations loads the evaluations: now, or as they stood in st.
func reportEvaluations(ctx context.Context, db Store, st *State) ([]indicators.Evaluation, error) {
	if st == nil {
		return db.Evaluations(ctx)
	}
	evs, _, err := db.EvaluationsIn(ctx, *st)
	return evs, err
}

// reportExpenditures loads the expenditures: now, or as they stood in st.
func reportExpenditures(ctx context.Context, db Store, st *State) ([]indicators.Expenditure, error) {
	if st == nil {
		return db.Expenditures(ctx, time.Time{})
	}
	return db.ExpendituresIn(ctx, *st, time.Time{})
}

// everything selects every figure whose period ends by end.
func upTo(end time.Time) indicators.Period {
	return indicators.Range(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), end)
}

// donorWorkbook is the donor workbook of report r (of period p) with the
// figures v sees: the current ones, those of a past state, or only the
// approved ones. The Data sheet's figures are not loaded here: the
// workbook reads them from the store as it writes them (their count
// first: a count query for the current figures, a first pass over those
// of a past state or the approved ones).
func donorWorkbook(ctx context.Context, db Store, fw *indicators.Framework, comp *indicators.Compiled, r *indicators.Report, p indicators.Period, v reportView, stamp string) (exporters.DonorWorkbook, error) {
	var none exporters.DonorWorkbook
	order := indicatorOrder(fw)
	read := func(ctx context.Context, each func(string, []indicators.Revision) error) error {
		switch {
		case v.ApprovedOnly:
			return db.EachApprovedRevisions(ctx, v.State, p.End, order, each)
		case v.State != nil:
			return db.EachRevisionsIn(ctx, *v.State, p.End, order, each)
		}
		return db.EachCurrentRevisions(ctx, MeasurementFilter{Upto: p.End}, each)
	}
	// The figures are read on another goroutine while the sheet is
	// written (readAhead): reading and writing overlap on two cores.
	// Each read ends by checking that the database is still as the report
	// saw it (stamp): else the Data sheet would not be the report's.
	src := exporters.RevisionSource{Each: func(fn func([]indicators.Revision) error) error {
		if err := readAhead(ctx, read, func(_ string, revs []indicators.Revision) error { return fn(revs) }); err != nil {
			return err
		}
		return sameState(ctx, db, stamp)
	}}
	var err error
	if v.State == nil && !v.ApprovedOnly {
		src.Count, err = db.CountMeasurements(ctx, MeasurementFilter{Upto: p.End})
	} else {
		n := 0
		err = src.Each(func(revs []indicators.Revision) error { n += len(revs); return nil })
		src.Count = n
	}
	if err != nil {
		return none, err
	}
	// One IPTT sheet per reporting frequency, each with its own periods:
	// those of r's series from r, the others (indicators reported at
	// another frequency) from reports of those periods of the indicators
	// they are needed for (subReport: only their figures read, as of r's
	// state, approved only when asked), one at a time.
	tables, err := indicators.IPTTTablesOf(fw, r, func(q indicators.Period, codes []string) (*indicators.Report, error) {
		return subReport(ctx, db, fw, comp, q, v, codes)
	})
	if err != nil {
		return none, err
	}
	revs, err := targetRevisions(ctx, db, fw, v.State)
	if err != nil {
		return none, err
	}
	return exporters.DonorWorkbook{Report: r, Framework: fw, Source: src, IPTT: tables, TargetRevisions: revs}, nil
}

// targetRevisions lists the baselines, targets and milestones of fw's
// indicators revised since the framework was first imported (up to the
// version of st), each with its original and revised value and the date
// and reasons of every revision.
func targetRevisions(ctx context.Context, db Store, fw *indicators.Framework, st *State) ([]exporters.TargetRevision, error) {
	versions, err := db.FrameworkHistory(ctx, "")
	if err != nil {
		return nil, err
	}
	var out []exporters.TargetRevision
	idx := map[string]int{}
	for _, v := range versions {
		if st != nil && v.ID > st.Version {
			break
		}
		var why []string
		for _, c := range v.Reasons {
			s := c.Reason
			if c.ReasonCode != "" && c.ReasonCode != c.Reason {
				s = c.ReasonCode + ": " + s
			}
			why = append(why, s)
		}
		for _, x := range v.Revisions {
			if x.Kind != "indicator" || (x.Field != "baseline" && x.Field != "target" && !strings.HasPrefix(x.Field, "milestone ")) {
				continue
			}
			k := x.Code + "\x1f" + x.Field
			i, ok := idx[k]
			if !ok {
				name := ""
				if ind, ok := fw.Indicator(x.Code); ok {
					name = ind.Name
				}
				i = len(out)
				idx[k] = i
				out = append(out, exporters.TargetRevision{Indicator: x.Code, Name: name, Field: x.Field, Original: x.Old})
			}
			out[i].Revised = x.New
			change := fmt.Sprintf("%s: %s -> %s", v.SavedAt.UTC().Format(time.DateOnly), orNone(x.Old), orNone(x.New))
			if len(why) > 0 {
				change += " (" + strings.Join(why, "; ") + ")"
			} else {
				change += " (no reason given)"
			}
			out[i].Changes = append(out[i].Changes, change)
		}
	}
	// In framework order.
	pos := map[string]int{}
	for i, ind := range fw.Indicators {
		pos[ind.Code] = i
	}
	sort.SliceStable(out, func(i, j int) bool { return pos[out[i].Indicator] < pos[out[j].Indicator] })
	return out, nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
