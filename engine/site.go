package engine

// The use cases of "rmf serve" (issue 14) in the engine's terms: the pages
// read a Site, which gives them the guarantees of the command line (the
// same ImportFile, Report, Template, IATI and UpdateAction) and caches the
// framework and the reports per state of the store.

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// Site is the engine as rmf serve uses it: one per server.
type Site struct {
	e *Engine
	u Users

	mu      sync.Mutex
	state   string // the store's Stamp the caches below hold
	fw      *indicators.Framework
	latest  string                        // the latest period with figures ("": not yet known)
	reports map[string]*indicators.Report // by period code
}

// Site is the engine for rmf serve; the store must keep users (Users).
func (e *Engine) Site() (*Site, error) {
	u, err := e.users()
	if err != nil {
		return nil, err
	}
	return &Site{e: e, u: u}, nil
}

// Now is the store's clock.
func (s *Site) Now() time.Time { return s.e.Now() }

// UserPassword is the user called name and its password hash (ErrNoUser).
func (s *Site) UserPassword(ctx context.Context, name string) (User, string, error) {
	return s.u.UserPassword(ctx, name)
}

// SaveSession stores a session (the SHA-256 of its token).
func (s *Site) SaveSession(ctx context.Context, tokenSHA256, user, csrf string, expires time.Time) error {
	return s.u.SaveSession(ctx, tokenSHA256, user, csrf, expires)
}

// Session is the user, CSRF token and expiry of a session (ErrNoUser).
func (s *Site) Session(ctx context.Context, tokenSHA256 string) (User, string, time.Time, error) {
	return s.u.Session(ctx, tokenSHA256)
}

// DeleteSession ends a session.
func (s *Site) DeleteSession(ctx context.Context, tokenSHA256 string) error {
	return s.u.DeleteSession(ctx, tokenSHA256)
}

// current returns the framework of the store's current state, dropping
// the cached reports when the state changed. Reports are tens of
// milliseconds of CPU each: without the cache, 50 clients on 2 cores
// queue behind them (BenchmarkServeLoad).
func (s *Site) current(ctx context.Context) (*indicators.Framework, string, error) {
	st, err := s.u.Stamp(ctx)
	if err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	if s.state == st && s.fw != nil {
		fw := s.fw
		s.mu.Unlock()
		return fw, st, nil
	}
	s.mu.Unlock()
	fw, _, err := loadFramework(ctx, s.e.db)
	if err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	s.state, s.fw, s.latest, s.reports = st, fw, "", map[string]*indicators.Report{}
	s.mu.Unlock()
	return fw, st, nil
}

// Framework is the current logframe.
func (s *Site) Framework(ctx context.Context) (*indicators.Framework, error) {
	fw, _, err := s.current(ctx)
	return fw, err
}

// Periods are the project's reporting periods from start to end, as
// codes, and the latest reporting period with figures (as rmf export iati
// picks it).
func (s *Site) Periods(ctx context.Context) ([]string, string, error) {
	fw, st, err := s.current(ctx)
	if err != nil {
		return nil, "", err
	}
	kind, err := indicators.KindFromReporting(fw.Project.Reporting)
	if err != nil {
		kind = indicators.KindQuarter
	}
	ps := indicators.Periods(fw.Project.Start, fw.Project.End, kind)
	if len(ps) == 0 {
		return nil, "", fmt.Errorf("project %s has no reporting periods: give it a start, an end and a reporting frequency", fw.Project.Code)
	}
	codes := make([]string, len(ps))
	for i, p := range ps {
		codes[i] = p.String()
	}
	s.mu.Lock()
	latest := ""
	if s.state == st {
		latest = s.latest
	}
	s.mu.Unlock()
	if latest == "" {
		last, err := s.e.db.LatestFigureEnd(ctx)
		if err != nil {
			return nil, "", err
		}
		p, err := exportPeriod(fw, last, "")
		if err != nil {
			return nil, "", err
		}
		latest = p.String()
		s.mu.Lock()
		if s.state == st {
			s.latest = latest
		}
		s.mu.Unlock()
	}
	return codes, latest, nil
}

// Report is the report of a period (Engine.Report), built once per state
// of the store: callers only read it.
func (s *Site) Report(ctx context.Context, period string) (*indicators.Report, error) {
	fw, st, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	r, ok := s.reports[period]
	s.mu.Unlock()
	if ok {
		return r, nil
	}
	rr, err := s.e.Report(ctx, ReportRequest{Period: period})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.state == st && s.fw == fw {
		s.reports[period] = rr.Report
	}
	s.mu.Unlock()
	return rr.Report, nil
}

// Revision is one stored version of a figure and who uploaded it.
type Revision struct {
	indicators.Revision
	ImportedBy string // "" for the command line
}

// History is every revision of an indicator's figures with the uploader.
func (s *Site) History(ctx context.Context, code string) ([]Revision, error) {
	revs, err := s.e.db.History(ctx, code, nil)
	if err != nil {
		return nil, err
	}
	by, err := s.u.Uploaders(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Revision, len(revs))
	for i, r := range revs {
		out[i] = Revision{Revision: r, ImportedBy: by[r.BatchID]}
	}
	return out, nil
}

// Preview is what importing an uploaded file would do.
type Preview struct {
	Rows                      int
	Added, Changed, Unchanged int
	Again                     bool     // the same bytes were imported before
	Indicators                []string // every indicator the file has figures for
	Changes                   []Change // every figure added or changed
	Problems                  []string // every problem, naming sheet and cell
}

// Change is one figure an import would add (Old "") or change.
type Change struct {
	Indicator, Period, Dims string
	Old, New                string
	Sheet                   string
	Row                     int
}

// collect is a MeasurementSink that keeps the figures a file holds.
type collect struct{ figs []indicators.Measurement }

func (c *collect) Add(m indicators.Measurement) error { c.figs = append(c.figs, m); return nil }

// DryRun checks file as rmf import --dry-run does and lists every figure
// it would add or change, old -> new; problems of the file are in the
// preview, not the error.
func (s *Site) DryRun(ctx context.Context, file string) (*Preview, error) {
	fw, err := s.Framework(ctx)
	if err != nil {
		return nil, err
	}
	pv := &Preview{}
	res, err := s.e.ImportFile(ctx, fw, file, ImportOptions{DryRun: true})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		pv.Problems = strings.Split(strings.TrimSpace(err.Error()), "\n")
		return pv, nil
	}
	b := res.Batch
	pv.Rows, pv.Added, pv.Changed, pv.Unchanged, pv.Again = res.Rows, b.Added, b.Changed, b.Unchanged, res.Again
	if exp, _ := classifyFile(file, nil); len(exp) > 0 {
		pv.Indicators = []string{"(expenditures: " + strings.Join(exp, ", ") + ")"}
		return pv, nil
	}
	// The file's figures, read again, against the current ones (the dry
	// run above counted them).
	var c collect
	if _, err := importers.ImportMeasurements(file, fw, &c, importers.MeasurementOptions{Context: ctx}); err != nil {
		pv.Problems = strings.Split(strings.TrimSpace(err.Error()), "\n")
		return pv, nil
	}
	codes := map[string]bool{}
	for _, m := range c.figs {
		codes[m.Indicator] = true
	}
	for code := range codes {
		pv.Indicators = append(pv.Indicators, code)
	}
	sort.Strings(pv.Indicators)
	if res.Again {
		return pv, nil // importing changes nothing: no list
	}
	cur := map[string]indicators.Measurement{}
	for _, code := range pv.Indicators {
		figs, err := s.e.db.Measurements(ctx, MeasurementFilter{Indicator: code})
		if err != nil {
			return nil, err
		}
		for _, m := range figs {
			cur[figureKey(m)] = m
		}
	}
	for _, m := range c.figs {
		m.Period = indicators.Normalize(m.Period)
		old, ok := cur[figureKey(m)]
		nv, ov := showFigure(m), ""
		if ok {
			ov = showFigure(old)
			if ov == nv {
				continue
			}
		}
		pv.Changes = append(pv.Changes, Change{Indicator: m.Indicator, Period: m.Period.String(), Dims: m.Dims.Key(),
			Old: ov, New: nv, Sheet: m.Loc.Sheet, Row: m.Loc.Row})
	}
	return pv, nil
}

// showFigure is a figure's value as the dry run shows it.
func showFigure(m indicators.Measurement) string {
	switch {
	case m.Value != nil:
		return indicators.FormatValueShort(*m.Value)
	case m.Text != "":
		return m.Text
	case m.Numerator != nil && m.Denominator != nil:
		return indicators.FormatValueShort(*m.Numerator) + " / " + indicators.FormatValueShort(*m.Denominator)
	}
	return ""
}

// Import imports an uploaded file as rmf import does (all or nothing, the
// same bytes skipped, locked periods refused), then records who uploaded
// it (a second transaction: when that fails the import stands and the
// error says so).
func (s *Site) Import(ctx context.Context, file, user string) (indicators.Batch, error) {
	fw, err := s.Framework(ctx)
	if err != nil {
		return indicators.Batch{}, err
	}
	res, err := s.e.ImportFile(ctx, fw, file, ImportOptions{})
	if err != nil {
		return indicators.Batch{}, err
	}
	if res.Batch.ID != 0 {
		if err := s.u.RecordUpload(ctx, res.Batch.ID, user); err != nil {
			return res.Batch, fmt.Errorf("imported, but who uploaded it was not recorded: %w", err)
		}
	}
	return res.Batch, nil
}

// Template writes the partners' workbook of a period (Engine.Template).
func (s *Site) Template(ctx context.Context, period string, w io.Writer) error {
	b, _, err := s.e.Template(ctx, period)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Download writes the report of a period as md, html or json, the donor
// workbook (xlsx) or the IATI activity up to the period (iati), as rmf
// report and rmf export iati write them.
func (s *Site) Download(ctx context.Context, period, format string, w io.Writer) error {
	switch format {
	case "iati":
		x, err := s.e.IATI(ctx, period, false)
		if err != nil {
			return err
		}
		return x.Write(w)
	case "md", "html", "json", "xlsx":
	default:
		return &ArgError{Arg: "format", Err: fmt.Errorf("%q: expected md, html, json, xlsx or iati", format)}
	}
	rr, err := s.e.Report(ctx, ReportRequest{Period: period})
	if err != nil {
		return err
	}
	if format != "xlsx" {
		return WriteReport(w, rr.Report, format, TextOptions{Width: 100})
	}
	d, err := s.e.DonorWorkbook(ctx, rr)
	if err != nil {
		return err
	}
	return WriteDonorWorkbook(w, d)
}

// AddComment adds a comment dated today to a key action, as rmf actions
// update does.
func (s *Site) AddComment(ctx context.Context, action, text, user string) error {
	e := indicators.LogEntry{Text: text, Source: "rmf serve (" + user + ")", Date: indicators.Day(s.e.Now())}
	_, _, _, err := s.e.UpdateAction(ctx, action, e)
	return err
}
