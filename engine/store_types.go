package engine

// The types the storage port (Store) speaks beside the domain's: states of
// the database, the review log, framework versions, filters. Adapters
// (package sqlite) fill them in.

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// State is a past moment of the database: what had been recorded by then.
type State struct {
	At      time.Time // the moment
	Batch   int64     // the last import recorded at or before At (0: none)
	Entry   int64     // the last review log entry recorded at or before At (0: none)
	Version int64     // the framework version in force (0: none)
	Created time.Time // when the database was created
}

// ErrBeforeCreation is wrapped by StateAt when the moment is before the
// database was created.
var ErrBeforeCreation = errors.New("before the database was created")

// ErrLocked is wrapped by errors refusing to change a figure of a locked
// period, or to lock a period that is already locked.
var ErrLocked = errors.New("locked")

// Review actions, as review_log.action stores them.
const (
	ActApprove = "approve"
	ActReturn  = "return"
	ActLock    = "lock"
	ActUnlock  = "unlock"
)

// Review states of a figure.
const (
	StateSubmitted = "submitted" // imported, not yet reviewed
	StateApproved  = "approved"
	StateReturned  = "returned" // sent back to the partner with a reason
)

// ReviewEntry is one entry of the review log.
type ReviewEntry struct {
	ID        int64
	Action    string // approve, return, lock, unlock
	Period    indicators.Period
	Indicator string // the indicator an approval or return was limited to
	File      string // the file an approval or return was limited to
	Figures   int    // figures approved or returned
	Forced    bool   // a lock taken with unapproved figures (--force)
	// Unapproved is the number of figures of the period not approved when
	// a forced lock was taken.
	Unapproved int
	Reason     string
	Actor      string
	At         time.Time
}

// Describe is a one-line account of the entry: "2021-10-15 10:00 UTC lock 2021Q3 by alice: sent to the donor".
func (e ReviewEntry) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s", e.At.UTC().Format("2006-01-02 15:04 UTC"), e.Action, e.Period)
	if e.Indicator != "" {
		fmt.Fprintf(&b, " indicator %s", e.Indicator)
	}
	if e.File != "" {
		fmt.Fprintf(&b, " file %s", e.File)
	}
	if e.Action == ActApprove || e.Action == ActReturn {
		fmt.Fprintf(&b, " (%d figures)", e.Figures)
	}
	if e.Forced {
		fmt.Fprintf(&b, " (forced, %d figures not approved)", e.Unapproved)
	}
	fmt.Fprintf(&b, " by %s", e.Actor)
	if e.Reason != "" {
		fmt.Fprintf(&b, ": %s", e.Reason)
	}
	return b.String()
}

// FigureSelection selects the current figures of a period for review: those
// whose period lies within Period, of Indicator only and from File only
// when they are not empty. File matches the file name a figure was imported
// from, with or without its folder.
type FigureSelection struct {
	Period    indicators.Period
	Indicator string
	File      string
}

func (s FigureSelection) String() string {
	out := s.Period.String()
	if s.Indicator != "" {
		out += " of indicator " + s.Indicator
	}
	if s.File != "" {
		out += " from " + s.File
	}
	return out
}

// MatchFile is true when file (as a figure's import names it) is the
// selection's File, with or without its folder, or File is empty.
func (s FigureSelection) MatchFile(file string) bool {
	if s.File == "" {
		return true
	}
	return file == s.File || filepath.Base(file) == filepath.Base(s.File)
}

// ReviewFigure is a current figure with its review state.
type ReviewFigure struct {
	indicators.Revision
	ID    int64  // the stored revision (measurements.id)
	State string // submitted, approved or returned
	// Entry is the log entry that set State (nil when submitted).
	Entry *ReviewEntry
}

// Label names the figure: "3.3.2 2021Q3 sex=female" ("total" when not disaggregated).
func (f ReviewFigure) Label() string {
	d := f.Dims.Key()
	if d == "" {
		d = "total"
	}
	return f.Indicator + " " + f.Period.String() + " " + d
}

// ReviewResult is what Review did.
type ReviewResult struct {
	Entry    *ReviewEntry   // nil when nothing changed (nothing written)
	Changed  []ReviewFigure // the figures approved or returned (with their state before)
	Selected int            // figures the selection matched
	Already  int            // figures already in the state asked for
}

// UnapprovedError refuses to lock a period whose figures are not all
// approved.
type UnapprovedError struct {
	Period  indicators.Period
	Figures []ReviewFigure // not approved
}

func (e *UnapprovedError) Error() string {
	var parts []string
	for i, f := range e.Figures {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(e.Figures)-10))
			break
		}
		parts = append(parts, f.Label()+" "+f.State)
	}
	return fmt.Sprintf("period %s has %d figures not approved (%s): approve them with \"rmf approve --period %s\", or lock anyway with --force --reason TEXT",
		e.Period, len(e.Figures), strings.Join(parts, "; "), e.Period)
}

func (e *UnapprovedError) Unwrap() error { return indicators.ErrInvalid }

// Answer is a returned figure that an import replaced with a new revision.
type Answer struct {
	Indicator, Period, Dims string
	Return                  ReviewEntry // the return it answers
}

// VersionInfo says where a framework being saved came from and why it
// changed.
type VersionInfo struct {
	File  string // the file imported ("" : the project's source file)
	Actor string // who imported it
	// Reasons are the reasons for the change: the --reason of the import,
	// or the rows of the workbook's RECORD OF CHANGES sheet (rows already
	// recorded with an earlier version are not recorded again).
	Reasons []indicators.ChangeRecord
}

// FrameworkRevision is one change a framework version made.
type FrameworkRevision struct {
	Version int64
	Code    string // indicator or result code; the project's code for its dates
	Kind    string // indicator, goal, outcome, output, activity or project
	Field   string // baseline, target, "milestone 2021Q4", "milestone 2022Q2 sex=female", added, removed, start, end
	Old     string // "" when added
	New     string // "" when removed
}

// String is "3.2.1 target: 360 -> 300", "3.2.5 added (indicator)".
func (r FrameworkRevision) String() string {
	switch r.Field {
	case "added", "removed":
		return fmt.Sprintf("%s %s %s", r.Kind, r.Code, r.Field)
	}
	old, nw := r.Old, r.New
	if old == "" {
		old = "none"
	}
	if nw == "" {
		nw = "none"
	}
	return fmt.Sprintf("%s %s: %s -> %s", r.Code, r.Field, old, nw)
}

// FrameworkVersion is one stored version of the framework.
type FrameworkVersion struct {
	ID        int64
	SavedAt   time.Time // zero for the framework stored before versions were kept
	File      string
	Actor     string
	Reasons   []indicators.ChangeRecord
	Revisions []FrameworkRevision
}

// FrameworkChange counts what SaveFramework did to the stored framework,
// over the project, results, indicators, milestones, dimensions and rules.
// An item is Updated when one of its fields changed (including its
// contributions, disaggregations or dimension values); a change of position
// or of source row alone leaves it Unchanged (but is saved).
type FrameworkChange struct {
	Added, Updated, Removed, Unchanged int
	// Changes has one line per added, updated or removed item, in
	// framework order, such as "added indicator 1.1.3".
	Changes []string
	// Version is the framework version the save recorded (0 when the
	// framework did not change); Revisions are its changes of baselines,
	// targets and milestones and the results and indicators it added or
	// removed; Reasons the reasons recorded with it (sqlite/versions.go).
	Version   int64
	Revisions []FrameworkRevision
	Reasons   []indicators.ChangeRecord
}

// String is a one-line summary: "framework: 2 added, 1 updated, 0 removed, 41 unchanged".
func (c FrameworkChange) String() string {
	return fmt.Sprintf("framework: %d added, %d updated, %d removed, %d unchanged", c.Added, c.Updated, c.Removed, c.Unchanged)
}

// InUseError refuses to remove an indicator from the framework while the
// database holds figures for it.
type InUseError struct {
	Code      string
	Figures   int // current figures
	Revisions int // stored revisions, current or not
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("indicator %s has %s (%s) in the database and cannot be removed from the framework: keep it in the framework file", e.Code, countOf(e.Figures, "figure"), countOf(e.Revisions, "revision"))
}

func (e *InUseError) Unwrap() error { return ErrInUse }

// countOf is "1 figure", "2 figures".
func countOf(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ActionsChange says what SaveEvaluation changed (or would change, for a
// dry run).
type ActionsChange struct {
	Evaluation             string // title
	NewEvaluation          bool
	EvaluationChanged      bool // its date changed
	RecommendationsAdded   int
	RecommendationsChanged int
	ActionsAdded           int
	ActionsChanged         int // text, deadline, responsible, recommendation or links changed
	LogAdded               int // comments and status changes appended to the log
	LogKept                int // comments of the file already in the log (not added again)
	// Missing lists the numbers of stored actions that the file no longer
	// has; they are kept, with their log.
	Missing []string
}

// Changed is false when the import changed nothing at all.
func (c ActionsChange) Changed() bool {
	return c.NewEvaluation || c.EvaluationChanged || c.RecommendationsAdded+c.RecommendationsChanged+c.ActionsAdded+c.ActionsChanged+c.LogAdded > 0
}

// String summarises the change in one line.
func (c ActionsChange) String() string {
	if !c.Changed() {
		return fmt.Sprintf("%s: unchanged (%d comments already in the log)", c.Evaluation, c.LogKept)
	}
	s := fmt.Sprintf("%s: %d recommendations added, %d changed; %d actions added, %d changed; %d log entries added, %d comments already in the log",
		c.Evaluation, c.RecommendationsAdded, c.RecommendationsChanged, c.ActionsAdded, c.ActionsChanged, c.LogAdded, c.LogKept)
	if c.NewEvaluation {
		s = "new evaluation " + s
	}
	return s
}

// FigureChange is one figure a dry run would add or change: its key, the
// new value or text and, for a change, the current one.
type FigureChange struct {
	Indicator, Period, Dims string
	Value                   *float64
	Text                    string
	Changed                 bool // a current figure exists with another value
	OldValue                *float64
	OldText                 string
}

// ActionRef names one stored key action.
type ActionRef struct {
	ID             int64
	Evaluation     string
	Recommendation string
	Number         string
}

// ErrImportDone is returned by Add and Finish on an import that was
// already finished or rolled back.
var ErrImportDone = errors.New("import already finished or rolled back")

// MeasurementFilter selects current figures.
type MeasurementFilter struct {
	Indicator string    // "" for every indicator
	Upto      time.Time // figures whose period ends on or before this day; zero: all
}

// ErrNoFramework is returned when the database holds no framework yet.
// It names no command: the command line says how to load one (rmf
// framework import), the web its own way.
var ErrNoFramework = errors.New("no framework in the database")

// NoFrameworkError is ErrNoFramework naming the database.
type NoFrameworkError struct{ Database string }

func (e *NoFrameworkError) Error() string {
	return "database " + e.Database + " holds no framework yet"
}

// Is makes errors.Is(err, ErrNoFramework) true.
func (e *NoFrameworkError) Is(target error) bool { return target == ErrNoFramework }

// ErrInUse is wrapped by errors refusing to remove something that other
// data still refers to, such as an indicator that has figures.
var ErrInUse = errors.New("in use")
