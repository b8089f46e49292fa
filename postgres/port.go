package postgres

// The types of the storage port are package engine's (engine/store.go):
// these names keep the store's code and its tests reading as before.

import "github.com/rmf-project/rmf/engine"

type (
	State             = engine.State
	ReviewEntry       = engine.ReviewEntry
	FigureSelection   = engine.FigureSelection
	ReviewFigure      = engine.ReviewFigure
	ReviewResult      = engine.ReviewResult
	UnapprovedError   = engine.UnapprovedError
	Answer            = engine.Answer
	VersionInfo       = engine.VersionInfo
	FrameworkRevision = engine.FrameworkRevision
	FrameworkVersion  = engine.FrameworkVersion
	FrameworkChange   = engine.FrameworkChange
	InUseError        = engine.InUseError
	ActionsChange     = engine.ActionsChange
	ActionRef         = engine.ActionRef
	MeasurementFilter = engine.MeasurementFilter
	FigureChange      = engine.FigureChange
)

var (
	ErrBeforeCreation = engine.ErrBeforeCreation
	ErrLocked         = engine.ErrLocked
	ErrImportDone     = engine.ErrImportDone
	ErrNoFramework    = engine.ErrNoFramework
	ErrInUse          = engine.ErrInUse
)

// Review actions and states (engine's).
const (
	ActApprove     = engine.ActApprove
	ActReturn      = engine.ActReturn
	ActLock        = engine.ActLock
	ActUnlock      = engine.ActUnlock
	StateSubmitted = engine.StateSubmitted
	StateApproved  = engine.StateApproved
	StateReturned  = engine.StateReturned
)
