package exporters

import (
	"strconv"
	"unicode/utf8"
)

// The results of an IATI activity are most of a large project's file (a
// million actuals): they are written by hand, as encoding/xml's Encoder
// with Indent("", "  ") writes them inside <iati-activities><iati-activity>
// (the same bytes, tested against it in iati_xml_test.go), at a fraction
// of its reflection's cost.

// xmlOut appends elements as encoding/xml's indenting printer does: each
// start tag on a new line indented by its depth, an end tag on a new line
// only after a child element, characters escaped as EscapeText escapes
// them.
type xmlOut struct {
	b          []byte
	depth      int
	indentedIn bool
}

// indent is encoding/xml's printer.writeIndent with a newline always due
// (the activity's start tags come first).
func (x *xmlOut) indent(delta int) {
	if delta < 0 {
		x.depth--
		if x.indentedIn {
			x.indentedIn = false
			return
		}
		x.indentedIn = false
	}
	x.b = append(x.b, '\n')
	for i := 0; i < x.depth; i++ {
		x.b = append(x.b, "  "...)
	}
	if delta > 0 {
		x.depth++
		x.indentedIn = true
	}
}

// open writes a start tag, without closing its bracket (attr adds
// attributes, close closes it).
func (x *xmlOut) open(name string) {
	x.indent(1)
	x.b = append(x.b, '<')
	x.b = append(x.b, name...)
}

func (x *xmlOut) attr(name, value string) {
	x.b = append(x.b, ' ')
	x.b = append(x.b, name...)
	x.b = append(x.b, `="`...)
	x.escape(value)
	x.b = append(x.b, '"')
}

// attrOmit is attr for a field tagged omitempty.
func (x *xmlOut) attrOmit(name, value string) {
	if value != "" {
		x.attr(name, value)
	}
}

func (x *xmlOut) close() { x.b = append(x.b, '>') }

func (x *xmlOut) end(name string) {
	x.indent(-1)
	x.b = append(x.b, "</"...)
	x.b = append(x.b, name...)
	x.b = append(x.b, '>')
}

// escape appends s as encoding/xml's EscapeText writes it.
func (x *xmlOut) escape(s string) {
	last := 0
	for i := 0; i < len(s); {
		r, width := utf8.DecodeRuneInString(s[i:])
		i += width
		var esc string
		switch r {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			if !xmlCharOK(r) || (r == utf8.RuneError && width == 1) {
				esc = "\uFFFD"
				break
			}
			continue
		}
		x.b = append(x.b, s[last:i-width]...)
		x.b = append(x.b, esc...)
		last = i
	}
	x.b = append(x.b, s[last:]...)
}

// xmlCharOK is encoding/xml's isInCharacterRange: the characters XML
// allows.
func xmlCharOK(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func (x *xmlOut) text(name string, t *iatiText) {
	x.open(name)
	x.attrOmit("type", t.Type)
	x.close()
	for _, n := range t.Narrative {
		x.open("narrative")
		x.close()
		x.escape(n.Text)
		x.end("narrative")
	}
	x.end(name)
}

func (x *xmlOut) reference(r *iatiReference) {
	x.open("reference")
	x.attr("vocabulary", r.Vocabulary)
	x.attr("code", r.Code)
	x.attrOmit("rmf:level", r.Level)
	x.attrOmit("rmf:parent", r.Parent)
	x.attrOmit("rmf:unit", r.Unit)
	x.attrOmit("rmf:aggregation", r.Aggregation)
	x.attrOmit("rmf:frequency", r.Frequency)
	x.close()
	x.end("reference")
}

// result appends <result> as encoding/xml encodes an iatiResult.
func (x *xmlOut) result(r *iatiResult) {
	x.open("result")
	x.attr("type", r.Type)
	x.attr("aggregation-status", r.Aggregation)
	x.close()
	x.text("title", &r.Title)
	if r.Description != nil {
		x.text("description", r.Description)
	}
	for i := range r.Reference {
		x.reference(&r.Reference[i])
	}
	for i := range r.Indicators {
		x.indicator(&r.Indicators[i])
	}
	x.end("result")
}

func (x *xmlOut) indicator(ind *iatiIndicator) {
	x.open("indicator")
	x.attr("measure", ind.Measure)
	x.attr("ascending", ind.Ascending)
	x.attr("aggregation-status", ind.Aggregation)
	x.close()
	x.text("title", &ind.Title)
	if ind.Description != nil {
		x.text("description", ind.Description)
	}
	for i := range ind.Reference {
		x.reference(&ind.Reference[i])
	}
	if b := ind.Baseline; b != nil {
		x.open("baseline")
		x.attrOmit("iso-date", b.ISODate)
		x.attr("year", strconv.Itoa(b.Year))
		x.attrOmit("value", b.Value)
		x.close()
		if b.Comment != nil {
			x.text("comment", b.Comment)
		}
		x.end("baseline")
	}
	for i := range ind.Periods {
		p := &ind.Periods[i]
		x.open("period")
		x.close()
		x.iso("period-start", p.Start.ISODate)
		x.iso("period-end", p.End.ISODate)
		for j := range p.Targets {
			x.value("target", &p.Targets[j])
		}
		for j := range p.Actuals {
			x.value("actual", &p.Actuals[j])
		}
		x.end("period")
	}
	x.end("indicator")
}

func (x *xmlOut) iso(name, date string) {
	x.open(name)
	x.attr("iso-date", date)
	x.close()
	x.end(name)
}

func (x *xmlOut) value(name string, v *iatiValue) {
	x.open(name)
	x.attrOmit("value", v.Value)
	x.close()
	for _, d := range v.Dimension {
		x.open("dimension")
		x.attr("name", d.Name)
		x.attr("value", d.Value)
		x.close()
		x.end("dimension")
	}
	if v.Comment != nil {
		x.text("comment", v.Comment)
	}
	if r := v.Ratio; r != nil {
		x.open("rmf:ratio")
		x.attr("numerator", r.Numerator)
		x.attr("denominator", r.Denominator)
		x.close()
		x.end("rmf:ratio")
	}
	x.end(name)
}
