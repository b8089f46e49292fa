package exporters

import (
	"math"
	"slices"
	"strconv"

	"github.com/rmf-project/rmf/indicators"
)

// The hand encoder of the JSON report's bulk: its findings and its
// indicators, most of a large project's report (a million figures give
// hundreds of thousands of findings, each repeated in its indicator's
// warnings). Each function appends the compact bytes encoding/json writes
// for the same value with SetEscapeHTML(false) (report_json_hand_test.go
// checks them against encoding/json), several times faster than its
// reflection. A field added to one of these types must be added here too:
// the test compares every indicator of the example project's reports.

// jsonAppendFinding appends f encoded as encoding/json encodes a Finding
// (compact, its fields in order, empty period and kind left out).
func jsonAppendFinding(dst []byte, f *indicators.Finding) []byte {
	dst = append(dst, `{"code":`...)
	dst = jsonAppendString(dst, f.Code)
	dst = append(dst, `,"severity":`...)
	dst = jsonAppendString(dst, string(f.Severity))
	dst = append(dst, `,"message":`...)
	dst = jsonAppendString(dst, f.Message)
	if f.Period != "" {
		dst = append(dst, `,"period":`...)
		dst = jsonAppendString(dst, f.Period)
	}
	if f.Kind != "" {
		dst = append(dst, `,"kind":`...)
		dst = jsonAppendString(dst, f.Kind)
	}
	return append(dst, '}')
}

// jsonAppendIndicator appends ind (rounded, its lists made as
// repRoundedIndicator makes them) as encoding/json encodes a
// ReportIndicator.
func jsonAppendIndicator(dst []byte, ind *indicators.ReportIndicator) []byte {
	dst = append(dst, `{"code":`...)
	dst = jsonAppendString(dst, ind.Code)
	dst = append(dst, `,"name":`...)
	dst = jsonAppendString(dst, ind.Name)
	dst = append(dst, `,"unit":`...)
	dst = jsonAppendString(dst, string(ind.Unit))
	dst = append(dst, `,"direction":`...)
	dst = jsonAppendString(dst, string(ind.Direction))
	dst = append(dst, `,"aggregation":`...)
	dst = jsonAppendString(dst, string(ind.Aggregation))
	if ind.Computed {
		dst = append(dst, `,"computed":true`...)
	}
	dst = jsonAppendNumber(dst, `,"baseline":`, ind.Baseline)
	dst = jsonAppendNumber(dst, `,"target":`, ind.Target)
	dst = jsonAppendNumber(dst, `,"milestone":`, ind.Milestone)
	dst = jsonAppendText(dst, `,"milestone_reading":`, ind.MilestoneReading)
	dst = jsonAppendText(dst, `,"milestone_text":`, ind.MilestoneText)
	dst = jsonAppendNumber(dst, `,"period_value":`, ind.PeriodValue)
	dst = jsonAppendNumber(dst, `,"actual":`, ind.Actual)
	dst = jsonAppendNumber(dst, `,"previous_actual":`, ind.PreviousActual)
	dst = jsonAppendNumber(dst, `,"progress":`, ind.Progress)
	dst = jsonAppendNumber(dst, `,"expected":`, ind.Expected)
	dst = append(dst, `,"status":`...)
	dst = jsonAppendString(dst, string(ind.Status))
	dst = jsonAppendNumber(dst, `,"projection":`, ind.Projection)
	dst = append(dst, `,"likely":`...)
	switch {
	case ind.Likely == nil:
		dst = append(dst, "null"...)
	case *ind.Likely:
		dst = append(dst, "true"...)
	default:
		dst = append(dst, "false"...)
	}
	dst = jsonAppendText(dst, `,"baseline_text":`, ind.BaselineText)
	dst = jsonAppendText(dst, `,"target_text":`, ind.TargetText)
	dst = jsonAppendText(dst, `,"actual_text":`, ind.ActualText)
	if nm := ind.NextMilestone; nm != nil {
		dst = append(dst, `,"next_milestone":{"period":`...)
		dst = jsonAppendString(dst, nm.Period)
		dst = append(dst, `,"target":`...)
		dst = jsonAppendFloat(dst, nm.Target)
		dst = append(dst, '}')
	}
	dst = append(dst, `,"disaggregated":`...)
	dst = jsonAppendList(dst, ind.Disaggregated, jsonAppendDisagg)
	dst = append(dst, `,"verified":`...)
	dst = jsonAppendString(dst, ind.Verified)
	dst = append(dst, `,"warnings":`...)
	dst = jsonAppendStrings(dst, ind.Warnings)
	if len(ind.Missing) > 0 {
		dst = append(dst, `,"missing":`...)
		dst = jsonAppendStrings(dst, ind.Missing)
	}
	if len(ind.PeriodMissing) > 0 {
		dst = append(dst, `,"period_missing":`...)
		dst = jsonAppendStrings(dst, ind.PeriodMissing)
	}
	dst = append(dst, `,"series":`...)
	dst = jsonAppendList(dst, ind.Series, jsonAppendPoint)
	dst = append(dst, `,"sources":`...)
	dst = jsonAppendList(dst, ind.Sources, jsonAppendSource)
	dst = jsonAppendText(dst, `,"data_source":`, ind.DataSource)
	dst = jsonAppendText(dst, `,"means_of_verification":`, ind.Means)
	dst = jsonAppendText(dst, `,"frequency":`, ind.Frequency)
	dst = jsonAppendText(dst, `,"responsible":`, ind.Responsible)
	if ind.Numerator != nil {
		dst = jsonAppendNumber(dst, `,"numerator":`, ind.Numerator)
	}
	if ind.Denominator != nil {
		dst = jsonAppendNumber(dst, `,"denominator":`, ind.Denominator)
	}
	dst = jsonAppendText(dst, `,"formula":`, ind.Formula)
	return append(dst, '}')
}

// jsonAppendDisagg appends a disaggregation's actual: its dimensions as
// an object with sorted keys (null when nil), its numbers, its milestone
// left out when nil.
func jsonAppendDisagg(dst []byte, d *indicators.DisaggActual) []byte {
	dst = append(dst, `{"dims":`...)
	if d.Dims == nil {
		dst = append(dst, "null"...)
	} else {
		keys := make([]string, 0, len(d.Dims))
		for k := range d.Dims {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = jsonAppendString(dst, k)
			dst = append(dst, ':')
			dst = jsonAppendString(dst, d.Dims[k])
		}
		dst = append(dst, '}')
	}
	dst = jsonAppendNumber(dst, `,"actual":`, d.Actual)
	dst = jsonAppendNumber(dst, `,"period_value":`, d.PeriodValue)
	if d.Milestone != nil {
		dst = jsonAppendNumber(dst, `,"milestone":`, d.Milestone)
	}
	return append(dst, '}')
}

// jsonAppendSource appends a source: file and sheet left out when empty,
// rows when there are none.
func jsonAppendSource(dst []byte, s *indicators.Source) []byte {
	dst = append(dst, '{')
	sep := false
	if s.File != "" {
		dst = append(dst, `"file":`...)
		dst = jsonAppendString(dst, s.File)
		sep = true
	}
	if s.Sheet != "" {
		if sep {
			dst = append(dst, ',')
		}
		dst = append(dst, `"sheet":`...)
		dst = jsonAppendString(dst, s.Sheet)
		sep = true
	}
	if len(s.Rows) > 0 {
		if sep {
			dst = append(dst, ',')
		}
		dst = append(dst, `"rows":[`...)
		for i, r := range s.Rows {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = strconv.AppendInt(dst, int64(r), 10)
		}
		dst = append(dst, ']')
		sep = true
	}
	if sep {
		dst = append(dst, ',')
	}
	dst = append(dst, `"figures":`...)
	dst = strconv.AppendInt(dst, int64(s.Figures), 10)
	return append(dst, '}')
}

// jsonAppendList appends xs as encoding/json writes a slice (null when
// nil), each element by each.
func jsonAppendList[T any](dst []byte, xs []T, each func([]byte, *T) []byte) []byte {
	if xs == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range xs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = each(dst, &xs[i])
	}
	return append(dst, ']')
}

// jsonAppendPoint appends a point of an indicator's series.
func jsonAppendPoint(dst []byte, s *indicators.SeriesPoint) []byte {
	dst = append(dst, `{"period":`...)
	dst = jsonAppendString(dst, s.Period)
	dst = append(dst, `,"start":`...)
	dst = jsonAppendString(dst, s.Start)
	dst = append(dst, `,"end":`...)
	dst = jsonAppendString(dst, s.End)
	dst = jsonAppendNumber(dst, `,"target":`, s.Target)
	dst = jsonAppendNumber(dst, `,"actual":`, s.Actual)
	dst = jsonAppendNumber(dst, `,"period_value":`, s.PeriodValue)
	return append(dst, '}')
}

// jsonAppendStrings appends a list of strings, null when nil.
func jsonAppendStrings(dst []byte, ss []string) []byte {
	return jsonAppendList(dst, ss, func(dst []byte, s *string) []byte { return jsonAppendString(dst, *s) })
}

// jsonAppendText appends key and s, unless s is empty (omitempty).
func jsonAppendText(dst []byte, key, s string) []byte {
	if s == "" {
		return dst
	}
	dst = append(dst, key...)
	return jsonAppendString(dst, s)
}

// jsonAppendNumber appends key and *v, or null when v is nil.
func jsonAppendNumber(dst []byte, key string, v *float64) []byte {
	dst = append(dst, key...)
	if v == nil {
		return append(dst, "null"...)
	}
	return jsonAppendFloat(dst, *v)
}

// jsonAppendFloat appends x as encoding/json writes a float64: like %g
// but with ES6's exponent cutoffs (exponent form below 1e-6 and from
// 1e21) and an exponent not padded to two digits. x is finite: the
// report's numbers are rounded, NaN and infinities made null
// (repRoundValue).
func jsonAppendFloat(dst []byte, x float64) []byte {
	abs := math.Abs(x)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, x, format, -1, 64)
	if format == 'e' {
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}
