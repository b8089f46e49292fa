package main

// The adapter between "rmf serve" (package web) and today's engine: the
// one file to rewrite when the use cases move to their own package. It
// calls what the commands call, so that the browser gets the guarantees of
// the command line (rmf import, rmf report, rmf template, rmf export iati,
// rmf actions update).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/web"
)

// serveApp is web.App and web.Store over one open database.
type serveApp struct {
	db  *engine.DB
	env *Env

	mu      sync.Mutex
	latest  string // the latest period with figures, for imports
	stamp   string // ... as of this state of the imports
	state   string // the database state the caches below hold
	fw      *indicators.Framework
	comp    *indicators.Compiled
	reports map[string]*indicators.Report // by period code
}

// dbState is a stamp of everything the pages read: the largest rowid of
// every table but the users' and sessions'. Every change the engine makes
// to the framework, figures, reviews, actions or expenditures inserts a
// row (a new revision, version, log entry or import), so a new stamp
// means a new state; the caches are then dropped. Reports are a few tens
// of milliseconds of CPU each: without the cache, 50 clients on 2 cores
// queue behind them (BenchmarkServeLoad).
func (a *serveApp) dbState(ctx context.Context) (string, error) {
	var st string
	err := a.db.ReadTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
			AND name NOT IN ('users', 'sessions') AND name NOT LIKE 'sqlite_%' ORDER BY name`)
		if err != nil {
			return err
		}
		var parts []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			parts = append(parts, `coalesce((SELECT max(rowid) FROM "`+strings.ReplaceAll(n, `"`, `""`)+`"), 0)`)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT `+strings.Join(parts, ` || ',' || `)).Scan(&st)
	})
	return st, err
}

// cached returns the framework (and drops the reports) of the database's
// current state.
func (a *serveApp) cached(ctx context.Context) (*indicators.Framework, *indicators.Compiled, error) {
	st, err := a.dbState(ctx)
	if err != nil {
		return nil, nil, err
	}
	a.mu.Lock()
	if a.state == st && a.fw != nil {
		fw, comp := a.fw, a.comp
		a.mu.Unlock()
		return fw, comp, nil
	}
	a.mu.Unlock()
	fw, comp, err := loadFramework(ctx, a.db)
	if err != nil {
		return nil, nil, err
	}
	a.mu.Lock()
	a.state, a.fw, a.comp, a.reports = st, fw, comp, map[string]*indicators.Report{}
	a.mu.Unlock()
	return fw, comp, nil
}

var _ web.App = (*serveApp)(nil)
var _ web.Store = (*serveApp)(nil)

func (a *serveApp) Framework(ctx context.Context) (*indicators.Framework, error) {
	fw, _, err := a.cached(ctx)
	return fw, err
}

func (a *serveApp) Periods(ctx context.Context) ([]string, string, error) {
	fw, err := a.Framework(ctx)
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
	a.mu.Lock()
	latest, same := a.latest, a.stamp == a.state && a.state != ""
	stamp := a.state
	a.mu.Unlock()
	if !same {
		figs, err := a.db.Measurements(ctx, engine.MeasurementFilter{})
		if err != nil {
			return nil, "", err
		}
		p, err := exportPeriod(fw, figs, "") // the latest reporting period with figures
		if err != nil {
			return nil, "", err
		}
		latest = p.String()
		a.mu.Lock()
		a.latest, a.stamp = latest, stamp
		a.mu.Unlock()
	}
	return codes, latest, nil
}

func (a *serveApp) period(fw *indicators.Framework, code string) (indicators.Period, error) {
	return parsePeriodFlag(fw, code)
}

// Report is the report of period, built once per database state: the
// pages only read it.
func (a *serveApp) Report(ctx context.Context, period string) (*indicators.Report, error) {
	fw, comp, err := a.cached(ctx)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	r, ok := a.reports[period]
	a.mu.Unlock()
	if ok {
		return r, nil
	}
	p, err := a.period(fw, period)
	if err != nil {
		return nil, err
	}
	if r, err = buildReport(ctx, a.db, fw, comp, p); err != nil {
		return nil, err
	}
	a.mu.Lock()
	if a.fw == fw {
		a.reports[period] = r
	}
	a.mu.Unlock()
	return r, nil
}

func (a *serveApp) History(ctx context.Context, code string) ([]web.Revision, error) {
	revs, err := a.db.History(ctx, code, nil)
	if err != nil {
		return nil, err
	}
	by, err := a.db.Uploaders(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]web.Revision, len(revs))
	for i, r := range revs {
		out[i] = web.Revision{Revision: r, ImportedBy: by[r.BatchID]}
	}
	return out, nil
}

// collect is a MeasurementSink that keeps the figures a file holds.
type collect struct{ figs []indicators.Measurement }

func (c *collect) Add(m indicators.Measurement) error { c.figs = append(c.figs, m); return nil }

func (a *serveApp) DryRun(ctx context.Context, file string) (*web.Preview, error) {
	fw, err := a.Framework(ctx)
	if err != nil {
		return nil, err
	}
	pv := &web.Preview{}
	res, err := importFile(ctx, a.env, a.db, fw, file, importOptions{DryRun: true})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		pv.Problems = strings.Split(strings.TrimSpace(err.Error()), "\n")
		return pv, nil
	}
	b := res.Batch
	pv.Rows, pv.Added, pv.Changed, pv.Unchanged, pv.Again = res.Rows, b.Added, b.Changed, b.Unchanged, res.Again
	if exp, _ := classifyFile(file); len(exp) > 0 {
		pv.Indicators = []string{"(expenditures: " + strings.Join(exp, ", ") + ")"}
		return pv, nil
	}
	// The file's figures, read again, against the current ones: every
	// figure added or changed, old -> new (the dry run above counted them).
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
		figs, err := a.db.Measurements(ctx, engine.MeasurementFilter{Indicator: code})
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
		pv.Changes = append(pv.Changes, web.Change{Indicator: m.Indicator, Period: m.Period.String(), Dims: m.Dims.Key(),
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

func (a *serveApp) Import(ctx context.Context, file, user string) (indicators.Batch, error) {
	fw, err := a.Framework(ctx)
	if err != nil {
		return indicators.Batch{}, err
	}
	res, err := importFile(ctx, a.env, a.db, fw, file, importOptions{})
	if err != nil {
		return indicators.Batch{}, err
	}
	if res.Batch.ID != 0 {
		if err := a.db.RecordUpload(ctx, res.Batch.ID, user); err != nil {
			return res.Batch, fmt.Errorf("imported, but who uploaded it was not recorded: %w", err)
		}
	}
	return res.Batch, nil
}

func (a *serveApp) Template(ctx context.Context, period string, w io.Writer) error {
	fw, err := a.Framework(ctx)
	if err != nil {
		return err
	}
	p, err := a.period(fw, period)
	if err != nil {
		return err
	}
	return exporters.WriteTemplate(w, fw, p)
}

func (a *serveApp) Download(ctx context.Context, period, format string, w io.Writer) error {
	fw, comp, err := loadFramework(ctx, a.db)
	if err != nil {
		return err
	}
	p, err := a.period(fw, period)
	if err != nil {
		return err
	}
	if format == "iati" {
		if miss := fw.Project.MissingIATI(); len(miss) > 0 {
			return &exporters.IATIMissingError{Project: fw.Project.Code, Missing: miss}
		}
		figures, err := a.db.Measurements(ctx, engine.MeasurementFilter{})
		if err != nil {
			return err
		}
		figures = figuresUpto(figures, p)
		report, err := formulaReport(fw, comp, figures, p)
		if err != nil {
			return err
		}
		return exporters.WriteIATI(w, fw, figures, report, exporters.IATIOptions{Generated: a.db.Now()})
	}
	r, err := buildReport(ctx, a.db, fw, comp, p)
	if err != nil {
		return err
	}
	if format != "xlsx" {
		return writeReport(w, r, format, false, 100)
	}
	dir, err := os.MkdirTemp("", "rmf-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "report.xlsx")
	if err := writeDonorWorkbook(ctx, a.db, fw, comp, r, p, path); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

func (a *serveApp) AddComment(ctx context.Context, evaluation, action, text, user string) error {
	ref, err := a.db.FindAction(ctx, action)
	if err != nil {
		return err
	}
	e := indicators.LogEntry{Text: text, Source: "rmf serve (" + user + ")", Date: indicators.Day(a.db.Now())}
	_, err = a.db.AppendActionLog(ctx, ref.ID, e)
	return err
}

// --- users and sessions ---------------------------------------------------------

func (a *serveApp) UserPassword(ctx context.Context, name string) (web.User, []byte, error) {
	u, hash, err := a.db.UserPassword(ctx, name)
	if errors.Is(err, engine.ErrNoUser) {
		return web.User{}, nil, web.ErrNoUser
	}
	return webUser(u), []byte(hash), err
}

func webUser(u engine.User) web.User {
	return web.User{Name: u.Name, Role: web.Role(u.Role), Responsible: u.Responsible}
}

func (a *serveApp) SaveSession(ctx context.Context, tok, user, csrf string, exp time.Time) error {
	return a.db.SaveSession(ctx, tok, user, csrf, exp)
}

func (a *serveApp) Session(ctx context.Context, tok string) (web.User, string, time.Time, error) {
	u, csrf, exp, err := a.db.Session(ctx, tok)
	if errors.Is(err, engine.ErrNoUser) {
		return web.User{}, "", time.Time{}, web.ErrNoUser
	}
	return webUser(u), csrf, exp, err
}

func (a *serveApp) DeleteSession(ctx context.Context, tok string) error {
	return a.db.DeleteSession(ctx, tok)
}
