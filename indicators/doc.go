// Package indicators is the domain of rmf: the logframe (project, results,
// indicators, milestones, dimensions, rules), periods and disaggregations,
// measurements, formulas, validation, the progress and status rules and the
// report model.
//
// It does no I/O. The SQLite store (package sqlite), the readers of workbooks
// and YAML (package importers) and the writers of reports (package exporters)
// all point inward to this package; only cmd/rmf wires them together.
package indicators
