package exporters

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"unicode/utf8"

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
// of writing a large project's report). The results and the findings,
// most of a large report (a project whose totals do not match their
// breakdowns has hundreds of thousands of findings), are encoded and
// written a piece at a time: the report around them is encoded with empty
// lists, and each list is filled in where it was. The findings are encoded
// by hand (jsonAppendFinding: the bytes encoding/json writes for them,
// several times faster than its reflection).
func WriteReportJSON(w io.Writer, r *indicators.Report) error {
	head, err := jsonCompact(repRoundedReport(r))
	if err != nil {
		return err
	}
	ind := newJSONIndenter(w)
	atRes, atFind := jsonTopKey(head, "results"), jsonTopKey(head, "findings")
	if atRes < 0 || !bytes.HasPrefix(head[atRes:], []byte("[]")) {
		return fmt.Errorf("write JSON: the report has no empty results list to fill")
	}
	if atFind < atRes || !bytes.HasPrefix(head[atFind:], []byte("[]")) {
		return fmt.Errorf("write JSON: the report has no empty findings list after its results to fill")
	}
	pos := 0 // head[:pos] is written
	// fill writes the head through the [ of the list at offset at, then
	// the list's n elements; an empty list's [] is left in the head (the
	// indenter keeps it whole when it comes in one piece).
	fill := func(at, n int, each func(i int) error) error {
		if n == 0 {
			return nil
		}
		if err := ind.write(head[pos : at+1]); err != nil {
			return err
		}
		pos = at + 1
		for i := range n {
			if err := each(i); err != nil {
				return err
			}
		}
		return nil
	}
	var rbuf bytes.Buffer // reused from result to result
	enc := json.NewEncoder(&rbuf)
	enc.SetEscapeHTML(false)
	err = fill(atRes, len(r.Results), func(i int) error {
		rbuf.Reset()
		if err := enc.Encode(repRoundedResult(r.Results[i])); err != nil {
			return err
		}
		res := bytes.TrimSuffix(rbuf.Bytes(), []byte("\n"))
		if i > 0 {
			if err := ind.write([]byte(",")); err != nil {
				return err
			}
		}
		return ind.write(res)
	})
	if err != nil {
		return err
	}
	var buf []byte
	err = fill(atFind, len(r.Findings), func(i int) error {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = jsonAppendFinding(buf, &r.Findings[i])
		if len(buf) < 32<<10 && i < len(r.Findings)-1 {
			return nil
		}
		err := ind.write(buf)
		buf = buf[:0]
		return err
	})
	if err != nil {
		return err
	}
	if err := ind.write(head[pos:]); err != nil {
		return err
	}
	return ind.flush()
}

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

// jsonAppendString appends s as a JSON string as encoding/json writes it
// with SetEscapeHTML(false): '"', '\\' and control bytes escaped (\b, \f,
// \n, \r, \t or \u00XX), invalid UTF-8 as \ufffd, U+2028 and U+2029 as
// \u2028 and \u2029, everything else as it is.
func jsonAppendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
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
	out.Findings = []indicators.Finding{} // written one at a time too
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
