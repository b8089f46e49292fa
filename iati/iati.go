// Package iati holds what rmf's IATI reader (importers) and writer
// (exporters) share about IATI 2.03 activity XML: the codelist values they
// read and write (result types, indicator measures, activity-date types,
// organisation roles, activity status), the vocabulary under which the
// logframe's codes travel, rmf's XML namespace, and the mapping between
// those codes and the domain's levels and units. importers and exporters
// never import each other; both import this package, which imports only
// indicators.
//
// The XML element types stay with each side: the reader records line
// numbers and also reads IATI 1.x forms, the writer writes rmf's
// namespaced attributes with a prefix; the names and codes they agree on
// are here.
package iati

import (
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// Namespace is the XML namespace of rmf's own attributes and elements in an
// IATI file (IATI allows other namespaces): what a logframe needs that
// IATI has no element for, so that an import of an export gives back the
// same framework.
const Namespace = "https://github.com/rmf-project/rmf/iati"

// VocabularyReporter is the IndicatorVocabulary and ResultVocabulary code
// for "reporting organisation": the codes of the logframe travel as
// references with it.
const VocabularyReporter = "99"

// ResultType codelist values.
const (
	ResultOutput  = "1"
	ResultOutcome = "2"
	ResultImpact  = "3"
	ResultOther   = "9"
)

// IndicatorMeasure codelist values.
const (
	MeasureUnit        = "1"
	MeasurePercentage  = "2"
	MeasureNominal     = "3"
	MeasureOrdinal     = "4"
	MeasureQualitative = "5"
)

// OrganisationRole codelist values.
const (
	OrgRoleFunding      = "1"
	OrgRoleImplementing = "4"
)

// ActivityStatus codelist values.
const (
	StatusPipeline       = "1"
	StatusImplementation = "2"
	StatusFinalisation   = "3"
)

// ActivityDateType codelist values.
const (
	DatePlannedStart = "1"
	DateActualStart  = "2"
	DatePlannedEnd   = "3"
	DateActualEnd    = "4"
)

// DateTypeNames names the activity-date types, for messages.
var DateTypeNames = map[string]string{
	DatePlannedStart: "planned start", DateActualStart: "actual start",
	DatePlannedEnd: "planned end", DateActualEnd: "actual end",
}

// ResultType is the ResultType code of a level ("" for activities, which
// IATI has no result type for).
func ResultType(l indicators.Level) string {
	switch l {
	case indicators.Goal:
		return ResultImpact
	case indicators.Outcome:
		return ResultOutcome
	case indicators.Output:
		return ResultOutput
	}
	return ""
}

// LevelOf is the level of a ResultType code: impact a goal, outcome an
// outcome, output (and other, 9) an output; ok is false for any other code.
func LevelOf(code string) (l indicators.Level, ok bool) {
	switch strings.TrimSpace(code) {
	case ResultImpact:
		return indicators.Goal, true
	case ResultOutcome:
		return indicators.Outcome, true
	case ResultOutput, ResultOther:
		return indicators.Output, true
	}
	return "", false
}

// Measure is the IndicatorMeasure code of a unit: numbers, currency and
// ratios are units (1), percentages 2, yes/no a nominal scale (3, with 1
// for yes and 0 for no), text qualitative (5, the text in a comment).
func Measure(u indicators.Unit) string {
	switch u {
	case indicators.Percent:
		return MeasurePercentage
	case indicators.YesNo:
		return MeasureNominal
	case indicators.Text:
		return MeasureQualitative
	}
	return MeasureUnit
}

// UnitOf is the unit an IndicatorMeasure code reads as when rmf's own unit
// attribute does not say: percentage a percent, qualitative text, any
// other a number.
func UnitOf(code string) indicators.Unit {
	switch strings.TrimSpace(code) {
	case MeasurePercentage:
		return indicators.Percent
	case MeasureQualitative:
		return indicators.Text
	}
	return indicators.Number
}
