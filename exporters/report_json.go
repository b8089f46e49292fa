package exporters

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/rmf-project/rmf/indicators"
)

// WriteReportJSON writes r as the JSON report of SPEC section 7: one
// indented object whose keys come in a fixed order (the model's field
// order; map keys sorted), numbers as JSON numbers, null where there is no
// data, statuses as their lower-case words, progress and expected as
// shares. Results stay in logframe order. Values are rounded to 4
// decimals (integer digits are never rounded away) and shares (progress, expected, elapsed) to 4
// decimals; a NaN or infinite number, which JSON cannot hold, is written
// as null. Empty lists are written as [] rather than null.
//
// The report is encoded compactly, then indented as it is written out
// (jsonIndenter): the same bytes as Encoder.SetIndent("", "  ") gives,
// without holding a second, indented copy of a large report in memory nor
// paying for the validating indenter of encoding/json (most of the time
// of writing a large project's report). The results, most of a large
// report, are rounded, encoded and written one at a time: the report
// around them is encoded with no results, and each result goes in where
// its empty list was.
func WriteReportJSON(w io.Writer, r *indicators.Report) error {
	head, err := jsonCompact(repRoundedReport(r))
	if err != nil {
		return err
	}
	ind := newJSONIndenter(w)
	at := jsonTopKey(head, "results")
	if at < 0 || !bytes.HasPrefix(head[at:], []byte("[]")) {
		return fmt.Errorf("write JSON: the report has no empty results list to fill")
	}
	if len(r.Results) == 0 {
		if err := ind.write(head); err != nil {
			return err
		}
		return ind.flush()
	}
	if err := ind.write(head[:at+1]); err != nil { // through the results' [
		return err
	}
	for i := range r.Results {
		res, err := jsonCompact(repRoundedResult(r.Results[i]))
		if err != nil {
			return err
		}
		res = bytes.TrimSuffix(res, []byte("\n"))
		if i > 0 {
			if err := ind.write([]byte(",")); err != nil {
				return err
			}
		}
		if err := ind.write(res); err != nil {
			return err
		}
	}
	if err := ind.write(head[at+1:]); err != nil { // from the results' ]
		return err
	}
	return ind.flush()
}

// jsonCompact encodes v as the JSON report does: compact, HTML characters
// as they are, a newline at the end.
func jsonCompact(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// jsonTopKey is the offset in compact JSON src (an object) of the value of
// its member key, -1 when it has none.
func jsonTopKey(src []byte, key string) int {
	depth := 0
	want := []byte(`"` + key + `":`)
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '"':
			if depth == 1 && bytes.HasPrefix(src[i:], want) {
				return i + len(want)
			}
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			i = j
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
	}
	return -1
}

// writeIndented writes src, compact JSON as encoding/json writes it
// (valid, no spaces outside strings), to w indented with two spaces as
// json.Indent(dst, src, "", "  ") would: one member or element per line,
// "key": value, and empty objects and arrays kept as {} and [].
func writeIndented(w io.Writer, src []byte) error {
	ind := newJSONIndenter(w)
	if err := ind.write(src); err != nil {
		return err
	}
	return ind.flush()
}

// jsonIndenter indents compact JSON given in pieces: each piece ends
// between two tokens (an empty {} or [] is not split).
type jsonIndenter struct {
	bw    *bufio.Writer
	depth int
}

func newJSONIndenter(w io.Writer) *jsonIndenter {
	return &jsonIndenter{bw: bufio.NewWriterSize(w, 64<<10)}
}

func (x *jsonIndenter) flush() error { return x.bw.Flush() }

func (x *jsonIndenter) write(src []byte) error {
	bw := x.bw
	newline := func() {
		bw.WriteByte('\n')
		for range x.depth {
			bw.WriteString("  ")
		}
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '"':
			// copy the string through its closing quote
			j := i + 1
			for {
				k := bytes.IndexAny(src[j:], `"\`)
				if k < 0 {
					return fmt.Errorf("write JSON: unterminated string at byte %d", i)
				}
				j += k
				if src[j] == '"' {
					break
				}
				j += 2 // an escape: skip the escaped byte
			}
			bw.Write(src[i : j+1])
			i = j
		case '{', '[':
			bw.WriteByte(c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				bw.WriteByte(src[i+1])
				i++
				continue
			}
			x.depth++
			newline()
		case '}', ']':
			x.depth--
			newline()
			bw.WriteByte(c)
		case ',':
			bw.WriteByte(c)
			newline()
		case ':':
			bw.WriteString(": ")
		default:
			// a number, literal or the final newline: copy up to the next
			// structural byte
			j := i + 1
			for j < len(src) && !jsonStructural(src[j]) {
				j++
			}
			bw.Write(src[i:j])
			i = j - 1
		}
	}
	return nil
}

// jsonStructural is true for the bytes writeIndented acts on.
func jsonStructural(c byte) bool {
	switch c {
	case '{', '}', '[', ']', ',', ':', '"':
		return true
	}
	return false
}

// repRoundedReport returns a copy of r with its numbers rounded, its nil
// lists made empty and no results (WriteReportJSON rounds and writes them
// one at a time: repRoundedResult); r itself is left untouched.
func repRoundedReport(r *indicators.Report) *indicators.Report {
	out := *r
	out.Elapsed = repRoundShareVal(r.Elapsed)
	out.Results = []indicators.ReportResult{}
	out.Findings = r.Findings
	if out.Findings == nil {
		out.Findings = []indicators.Finding{}
	}
	if out.Missing == nil {
		out.Missing = []indicators.MissingReport{} // an array in JSON (SPEC 7), empty when nothing is missing
	}
	if out.Recommendations == nil && r.FollowUp != nil {
		out.Recommendations = r.FollowUp.Recommendations
	}
	if out.Recommendations == nil {
		out.Recommendations = []indicators.FollowUpRecommendation{}
	}
	return &out
}

// repRoundedResult is res with its indicators' numbers rounded and its
// nil status counts made empty.
func repRoundedResult(res indicators.ReportResult) indicators.ReportResult {
	if res.StatusCounts == nil {
		res.StatusCounts = map[indicators.Status]int{}
	}
	inds := make([]indicators.ReportIndicator, len(res.Indicators))
	for j, ind := range res.Indicators {
		inds[j] = repRoundedIndicator(ind)
	}
	res.Indicators = inds
	return res
}

func repRoundedIndicator(ind indicators.ReportIndicator) indicators.ReportIndicator {
	for _, p := range []**float64{&ind.Baseline, &ind.Target, &ind.Milestone, &ind.PeriodValue,
		&ind.Actual, &ind.PreviousActual, &ind.Projection, &ind.Numerator, &ind.Denominator} {
		*p = repRoundValue(*p)
	}
	ind.Progress = repRoundShare(ind.Progress)
	ind.Expected = repRoundShare(ind.Expected)
	if ind.NextMilestone != nil {
		nm := *ind.NextMilestone
		nm.Target = repRoundValueVal(nm.Target)
		ind.NextMilestone = &nm
	}
	dis := make([]indicators.DisaggActual, len(ind.Disaggregated))
	for i, d := range ind.Disaggregated {
		d.Actual = repRoundValue(d.Actual)
		d.PeriodValue = repRoundValue(d.PeriodValue)
		d.Milestone = repRoundValue(d.Milestone)
		if d.Dims == nil {
			d.Dims = indicators.Disagg{}
		}
		dis[i] = d
	}
	ind.Disaggregated = dis
	ser := make([]indicators.SeriesPoint, len(ind.Series))
	for i, s := range ind.Series {
		s.Target = repRoundValue(s.Target)
		s.Actual = repRoundValue(s.Actual)
		s.PeriodValue = repRoundValue(s.PeriodValue)
		ser[i] = s
	}
	ind.Series = ser
	if ind.Warnings == nil {
		ind.Warnings = []string{}
	}
	if ind.Sources == nil {
		ind.Sources = []indicators.Source{}
	}
	return ind
}

// repRoundValue rounds a figure to 4 decimals, never touching its integer
// digits (a budget of 13,594,502 stays exact); nil, NaN and
// infinities give nil.
func repRoundValue(v *float64) *float64 { return repRoundPtr(v, repRoundValueVal) }

// repRoundShare rounds a share to 4 decimals; nil, NaN and infinities give nil.
func repRoundShare(v *float64) *float64 { return repRoundPtr(v, repRoundShareVal) }

func repRoundPtr(v *float64, round func(float64) float64) *float64 {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return nil
	}
	x := round(*v)
	return &x
}

func repRoundValueVal(x float64) float64 {
	if math.Abs(x) >= 1e11 && !math.IsInf(x, 0) {
		return x // x*1e4 would lose digits; such figures have no decimals worth keeping
	}
	return repRoundShareVal(x)
}

func repRoundShareVal(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	y := math.Round(x*1e4) / 1e4
	if y == 0 {
		return 0 // no -0 in the output
	}
	return y
}
