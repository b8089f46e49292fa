package importers

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

type xIATI struct {
	XMLName    xml.Name    `xml:"iati-activities"`
	Version    string      `xml:"version,attr"`
	Activities []xActivity `xml:"iati-activity"`
}

type xNarr struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Text string `xml:",chardata"`
}

type xText struct {
	Type       string  `xml:"type,attr"`
	Narratives []xNarr `xml:"narrative"`
	// Chardata is text directly in the element: IATI 1.x wrote names and
	// titles so (2.0x puts them in narratives).
	Chardata string `xml:",chardata"`
}

// text is the English narrative, else the one without a language, else the first.
func (t *xText) text() string {
	if t == nil {
		return ""
	}
	if len(t.Narratives) == 0 {
		return strings.Join(strings.Fields(t.Chardata), " ") // text without a narrative, as 1.x wrote it
	}
	best := ""
	for i, n := range t.Narratives {
		s := strings.Join(strings.Fields(n.Text), " ")
		switch {
		case strings.EqualFold(n.Lang, "en"):
			return s
		case n.Lang == "" && best == "", i == 0:
			best = s
		}
	}
	return best
}

type xOrg struct {
	Ref       string `xml:"ref,attr"`
	Type      string `xml:"type,attr"`
	Role      string `xml:"role,attr"`
	Secondary string `xml:"secondary-reporter,attr"`
	xText
	Line int `xml:"-"`
}

type xActivity struct {
	Line         int       `xml:"-"`
	Lang         string    `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Currency     string    `xml:"default-currency,attr"`
	RMFCode      string    `xml:"https://github.com/rmf-project/rmf/iati code,attr"`
	Reporting    string    `xml:"https://github.com/rmf-project/rmf/iati reporting,attr"`
	YearStart    int       `xml:"https://github.com/rmf-project/rmf/iati year-start,attr"`
	Identifier   string    `xml:"iati-identifier"`
	ReportingOrg xOrg      `xml:"reporting-org"`
	Title        xText     `xml:"title"`
	Descriptions []xText   `xml:"description"`
	Orgs         []xOrg    `xml:"participating-org"`
	Dates        []xDate   `xml:"activity-date"`
	Results      []xResult `xml:"result"`
}

type xDate struct {
	Type    string `xml:"type,attr"`
	ISODate string `xml:"iso-date,attr"`
	Line    int    `xml:"-"`
}

type xRef struct {
	Vocabulary  string `xml:"vocabulary,attr"`
	Code        string `xml:"code,attr"`
	Level       string `xml:"https://github.com/rmf-project/rmf/iati level,attr"`
	Parent      string `xml:"https://github.com/rmf-project/rmf/iati parent,attr"`
	Unit        string `xml:"https://github.com/rmf-project/rmf/iati unit,attr"`
	Aggregation string `xml:"https://github.com/rmf-project/rmf/iati aggregation,attr"`
	Frequency   string `xml:"https://github.com/rmf-project/rmf/iati frequency,attr"`
}

type xResult struct {
	Line        int          `xml:"-"`
	Type        string       `xml:"type,attr"`
	Title       xText        `xml:"title"`
	Description *xText       `xml:"description"`
	Refs        []xRef       `xml:"reference"`
	Indicators  []xIndicator `xml:"indicator"`
}

type xIndicator struct {
	Line        int         `xml:"-"`
	Measure     string      `xml:"measure,attr"`
	Ascending   string      `xml:"ascending,attr"`
	Title       xText       `xml:"title"`
	Description *xText      `xml:"description"`
	Refs        []xRef      `xml:"reference"`
	Baselines   []xBaseline `xml:"baseline"`
	Periods     []xPeriod   `xml:"period"`
}

type xDim struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type xBaseline struct {
	Year    string `xml:"year,attr"`
	ISODate string `xml:"iso-date,attr"`
	Value   string `xml:"value,attr"`
	Dims    []xDim `xml:"dimension"`
	Comment *xText `xml:"comment"`
}

type xValue struct {
	Value *string `xml:"value,attr"`
	Ratio *struct {
		Numerator   string `xml:"numerator,attr"`
		Denominator string `xml:"denominator,attr"`
	} `xml:"https://github.com/rmf-project/rmf/iati ratio"`
	Dims    []xDim `xml:"dimension"`
	Comment *xText `xml:"comment"`
}

type xPeriod struct {
	Line    int      `xml:"-"`
	Start   xDate    `xml:"period-start"`
	End     xDate    `xml:"period-end"`
	Targets []xValue `xml:"target"`
	Actuals []xValue `xml:"actual"`
}

func (x *xActivity) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xActivity
	x.Line, _ = d.InputPos()
	return d.DecodeElement((*plain)(x), &start)
}

func (x *xOrg) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xOrg
	line, _ := d.InputPos()
	err := d.DecodeElement((*plain)(x), &start)
	x.Line = line
	return err
}

func (x *xDate) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xDate
	line, _ := d.InputPos()
	err := d.DecodeElement((*plain)(x), &start)
	x.Line = line
	return err
}

func (x *xResult) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xResult
	x.Line, _ = d.InputPos()
	return d.DecodeElement((*plain)(x), &start)
}

func (x *xIndicator) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xIndicator
	x.Line, _ = d.InputPos()
	return d.DecodeElement((*plain)(x), &start)
}

func (x *xPeriod) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xPeriod
	x.Line, _ = d.InputPos()
	return d.DecodeElement((*plain)(x), &start)
}

// ReadIATIActivities lists the activities of an IATI file.
func ReadIATIActivities(r io.Reader, name string) ([]IATIActivity, error) {
	doc, err := decodeIATI(r, name)
	if err != nil {
		return nil, err
	}
	out := make([]IATIActivity, 0, len(doc.Activities))
	for _, a := range doc.Activities {
		out = append(out, IATIActivity{Identifier: strings.TrimSpace(a.Identifier), Title: a.Title.text(), Results: len(a.Results)})
	}
	return out, nil
}

func decodeIATI(r io.Reader, name string) (*xIATI, error) {
	var doc xIATI
	dec := xml.NewDecoder(r)
	dec.CharsetReader = func(charset string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "us-ascii") {
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q: only UTF-8 is read", charset)
	}
	if err := dec.Decode(&doc); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			msg := se.Msg
			if msg == "unexpected EOF" {
				msg = "the file ends before the XML document does (it may be cut short: copy or download it again)"
			}
			return nil, &indicators.CellError{File: name, Line: se.Line, Err: fmt.Errorf("%w: %s", ErrIATI, msg)}
		}
		if errors.Is(err, io.EOF) {
			return nil, &indicators.CellError{File: name, Err: fmt.Errorf("%w: the file is empty or holds no XML element, expected an <iati-activities> document", ErrIATI)}
		}
		return nil, &indicators.CellError{File: name, Err: fmt.Errorf("%w: %v (expected an <iati-activities> document)", ErrIATI, err)}
	}
	if v := strings.TrimSpace(doc.Version); strings.HasPrefix(v, "1") {
		return nil, iati1Error(name, fmt.Sprintf("<iati-activities version=%q>", v))
	}
	if sign := iati1Structure(&doc); sign != "" && strings.TrimSpace(doc.Version) == "" {
		return nil, iati1Error(name, sign)
	}
	if len(doc.Activities) == 0 {
		return nil, &indicators.CellError{File: name, Err: fmt.Errorf("%w: no <iati-activity> in the file", ErrIATI)}
	}
	return &doc, nil
}

// IATI1Guide is IATI's guide to moving a file from version 1.x to 2.
const IATI1Guide = "https://iatistandard.org/en/iati-standard/upgrades/upgrade-changelogs/integer-upgrade-to-2-01/migrating/"

// iati1Error is the one message for an IATI 1.x file.
func iati1Error(name, sign string) error {
	return &indicators.CellError{File: name, Err: fmt.Errorf("%w: this is an IATI 1.x activity file (%s); rmf reads IATI 2.01 to 2.03: have the publisher (or its IATI tool) write the activity as IATI 2.03, or upgrade the file following IATI's guide %s, then import it again",
		ErrIATI, sign, IATI1Guide)}
}

// iati1Words are IATI 1.x codes that 2.0x replaced with numbers.
var iati1Words = map[string]bool{"start-planned": true, "start-actual": true, "end-planned": true, "end-actual": true,
	"output": true, "outcome": true, "impact": true}

// iati1Structure names the first sign of IATI 1.x in a file without a
// version attribute ("" when there is none): activity-date or result types
// in words (1.x) instead of codes (2.0x), or a title or reporting-org whose
// text is not in a <narrative>.
func iati1Structure(doc *xIATI) string {
	bare := func(t *xText) bool { return len(t.Narratives) == 0 && strings.TrimSpace(t.Chardata) != "" }
	for _, a := range doc.Activities {
		for _, d := range a.Dates {
			if iati1Words[strings.ToLower(strings.TrimSpace(d.Type))] {
				return fmt.Sprintf("line %d: <activity-date type=%q>, a 1.x type; 2.0x writes 1 to 4", d.Line, d.Type)
			}
		}
		for _, r := range a.Results {
			if iati1Words[strings.ToLower(strings.TrimSpace(r.Type))] {
				return fmt.Sprintf("line %d: <result type=%q>, a 1.x type; 2.0x writes 1, 2, 3 or 9", r.Line, r.Type)
			}
		}
		if bare(&a.Title) {
			return fmt.Sprintf("line %d: activity %s: <title> holds its text without a <narrative>", a.Line, strings.TrimSpace(a.Identifier))
		}
		if bare(&a.ReportingOrg.xText) {
			return fmt.Sprintf("line %d: activity %s: <reporting-org> holds its name without a <narrative>", a.ReportingOrg.Line, strings.TrimSpace(a.Identifier))
		}
	}
	return ""
}
