// Package web is "rmf serve": the project in a browser for the officer, the
// partners and the donor (issue 14). It knows the application only through
// the App and Store interfaces below, in its own terms; cmd/rmf adapts the
// engine to them. Pages are html/template, assets are embedded, and nothing
// is fetched from the network.
package web

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// Role is what a user may do: officers everything, partners upload and see
// the indicators whose responsible is theirs, viewers (donor, manager) read.
type Role string

const (
	Officer Role = "officer"
	Partner Role = "partner"
	Viewer  Role = "viewer"
)

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Officer, Partner, Viewer:
		return r, nil
	}
	return "", errors.New("unknown role " + quote(s) + ": expected officer, partner or viewer")
}

// User is a logged-in person.
type User struct {
	Name        string
	Role        Role
	Responsible string // partners: the responsible of their indicators
}

// Store keeps users and sessions. UserPassword and Session return ErrNoUser
// when there is no such user or session.
type Store interface {
	UserPassword(ctx context.Context, name string) (User, []byte, error)
	SaveSession(ctx context.Context, tokenSHA256, user, csrf string, expires time.Time) error
	Session(ctx context.Context, tokenSHA256 string) (User, string, time.Time, error)
	DeleteSession(ctx context.Context, tokenSHA256 string) error
}

// ErrNoUser is what a Store returns for an unknown user or session.
var ErrNoUser = errors.New("no such user or session")

// App is what the pages need from the application.
type App interface {
	// Framework is the current logframe.
	Framework(ctx context.Context) (*indicators.Framework, error)
	// Periods are the project's reporting periods, as codes, in order, and
	// the one to show by default (the latest with figures).
	Periods(ctx context.Context) (periods []string, latest string, err error)
	// Report is the results-based report of a period (a code of Periods).
	Report(ctx context.Context, period string) (*indicators.Report, error)
	// History is every revision of an indicator's figures, oldest first
	// within each figure.
	History(ctx context.Context, code string) ([]Revision, error)
	// DryRun checks a workbook as "rmf import --dry-run" does and says
	// what importing it would change; problems in the file are in the
	// preview, not the error.
	DryRun(ctx context.Context, file string) (*Preview, error)
	// Import imports the workbook as "rmf import" does (all or nothing,
	// idempotent, locked periods respected), recording who uploaded it.
	// Problems in the file are an indicators.Problems error.
	Import(ctx context.Context, file, user string) (indicators.Batch, error)
	// Template writes the partners' data-collection workbook of a period.
	Template(ctx context.Context, period string, w io.Writer) error
	// Download writes the report of a period in format md, html, json or
	// xlsx (the donor workbook), or the IATI activity (format iati).
	Download(ctx context.Context, period, format string, w io.Writer) error
	// AddComment adds a dated comment to a key action (evaluation title,
	// action number), as "rmf actions update" does.
	AddComment(ctx context.Context, evaluation, action, text, user string) error
}

// Revision is one stored version of a figure with who imported it.
type Revision struct {
	indicators.Revision
	ImportedBy string // the user who uploaded the file, "" for the command line
}

// Preview is the dry run of an upload.
type Preview struct {
	Rows                      int
	Added, Changed, Unchanged int
	Again                     bool     // the same bytes were imported before: importing changes nothing
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

func quote(s string) string { return "\"" + s + "\"" }
