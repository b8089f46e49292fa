package main

// The adapter between "rmf serve" (package web) and the engine: web defines
// what it needs (web.App, web.Store) in its own terms and engine.Site does
// it (the use cases, the caches, the users and sessions through the
// engine's Users port); this file only converts the types.

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/web"
)

// serveApp is web.App and web.Store over an engine.Site.
type serveApp struct{ s *engine.Site }

var _ web.App = serveApp{}
var _ web.Store = serveApp{}

func (a serveApp) Framework(ctx context.Context) (*indicators.Framework, error) {
	return a.s.Framework(ctx)
}

func (a serveApp) Periods(ctx context.Context) ([]string, string, error) { return a.s.Periods(ctx) }

func (a serveApp) Report(ctx context.Context, period string) (*indicators.Report, error) {
	return a.s.Report(ctx, period)
}

func (a serveApp) History(ctx context.Context, code string) ([]web.Revision, error) {
	revs, err := a.s.History(ctx, code)
	if err != nil {
		return nil, err
	}
	out := make([]web.Revision, len(revs))
	for i, r := range revs {
		out[i] = web.Revision{Revision: r.Revision, ImportedBy: r.ImportedBy}
	}
	return out, nil
}

func (a serveApp) DryRun(ctx context.Context, file string) (*web.Preview, error) {
	p, err := a.s.DryRun(ctx, file)
	if err != nil {
		return nil, err
	}
	pv := &web.Preview{Rows: p.Rows, Added: p.Added, Changed: p.Changed, Unchanged: p.Unchanged, Again: p.Again,
		Indicators: p.Indicators, Problems: p.Problems}
	for _, c := range p.Changes {
		pv.Changes = append(pv.Changes, web.Change(c))
	}
	return pv, nil
}

func (a serveApp) Import(ctx context.Context, file, user string) (indicators.Batch, error) {
	return a.s.Import(ctx, file, user)
}

func (a serveApp) Template(ctx context.Context, period string, w io.Writer) error {
	return a.s.Template(ctx, period, w)
}

func (a serveApp) Download(ctx context.Context, period, format string, w io.Writer) error {
	return a.s.Download(ctx, period, format, w)
}

func (a serveApp) AddComment(ctx context.Context, evaluation, action, text, user string) error {
	return a.s.AddComment(ctx, action, text, user)
}

func (a serveApp) UserPassword(ctx context.Context, name string) (web.User, []byte, error) {
	u, hash, err := a.s.UserPassword(ctx, name)
	if errors.Is(err, engine.ErrNoUser) {
		return web.User{}, nil, web.ErrNoUser
	}
	return webUser(u), []byte(hash), err
}

func webUser(u engine.User) web.User {
	return web.User{Name: u.Name, Role: web.Role(u.Role), Responsible: u.Responsible}
}

func (a serveApp) SaveSession(ctx context.Context, tok, user, csrf string, exp time.Time) error {
	return a.s.SaveSession(ctx, tok, user, csrf, exp)
}

func (a serveApp) Session(ctx context.Context, tok string) (web.User, string, time.Time, error) {
	u, csrf, exp, err := a.s.Session(ctx, tok)
	if errors.Is(err, engine.ErrNoUser) {
		return web.User{}, "", time.Time{}, web.ErrNoUser
	}
	return webUser(u), csrf, exp, err
}

func (a serveApp) DeleteSession(ctx context.Context, tok string) error {
	return a.s.DeleteSession(ctx, tok)
}
