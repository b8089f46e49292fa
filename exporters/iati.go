package exporters

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// IATI 2.03 activity export (SPEC section 8).
//
// One iati-activity holds the project; every goal, outcome and output with
// indicators becomes a result (types 3, 2, 1); activities are not results in
// IATI and are left out. Each indicator carries its measure, ascending,
// baseline and one period per reporting period (the actual of that period
// alone, with its disaggregated actuals as dimensions) and one per milestone
// period (the milestone as given in the framework, per disaggregation).
// Periods are the ones of the framework, so that an import of the file
// gives back the same milestones and figures.

// IATIOptions tunes the IATI export.
type IATIOptions struct {
	// Generated is the generated-datetime of the file (zero: now).
	Generated time.Time
	// LastUpdated is the activity's last-updated-datetime (zero: Generated).
	LastUpdated time.Time
}

// IATI codelist values used by the export.
const (
	iatiResultOutput  = "1"
	iatiResultOutcome = "2"
	iatiResultImpact  = "3"

	iatiMeasureUnit        = "1"
	iatiMeasurePercentage  = "2"
	iatiMeasureNominal     = "3"
	iatiMeasureQualitative = "5"

	iatiOrgTypeOther        = "90" // OrganisationType "Other", when the framework does not say
	iatiOrgRoleFunding      = "1"
	iatiOrgRoleImplementing = "4"

	iatiStatusPipeline       = "1"
	iatiStatusImplementation = "2"
	iatiStatusFinalisation   = "3"

	iatiDatePlannedStart = "1"
	iatiDatePlannedEnd   = "3"
)

// IATIResultType is the ResultType code of a level ("" for activities).
func IATIResultType(l indicators.Level) string {
	switch l {
	case indicators.Goal:
		return iatiResultImpact
	case indicators.Outcome:
		return iatiResultOutcome
	case indicators.Output:
		return iatiResultOutput
	}
	return ""
}

// IATIMeasure is the IndicatorMeasure code of a unit: numbers, currency and
// ratios are units (1), percentages 2, yes/no a nominal scale (3, with 1 for
// yes and 0 for no), text qualitative (5, the text in a comment).
func IATIMeasure(u indicators.Unit) string {
	switch u {
	case indicators.Percent:
		return iatiMeasurePercentage
	case indicators.YesNo:
		return iatiMeasureNominal
	case indicators.Text:
		return iatiMeasureQualitative
	}
	return iatiMeasureUnit
}

type iatiActivities struct {
	XMLName   xml.Name       `xml:"iati-activities"`
	RMFNS     string         `xml:"xmlns:rmf,attr"`
	Version   string         `xml:"version,attr"`
	Generated string         `xml:"generated-datetime,attr"`
	Activity  []iatiActivity `xml:"iati-activity"`
}

type iatiActivity struct {
	LastUpdated  string       `xml:"last-updated-datetime,attr"`
	Lang         string       `xml:"xml:lang,attr"`
	Currency     string       `xml:"default-currency,attr,omitempty"`
	Code         string       `xml:"rmf:code,attr,omitempty"`
	Reporting    string       `xml:"rmf:reporting,attr,omitempty"`
	YearStart    int          `xml:"rmf:year-start,attr,omitempty"`
	Identifier   string       `xml:"iati-identifier"`
	ReportingOrg iatiOrg      `xml:"reporting-org"`
	Title        iatiText     `xml:"title"`
	Description  []iatiText   `xml:"description"`
	Participants []iatiOrg    `xml:"participating-org"`
	Status       iatiCode     `xml:"activity-status"`
	Dates        []iatiDate   `xml:"activity-date"`
	Results      []iatiResult `xml:"result"`
}

type iatiNarrative struct {
	Text string `xml:",chardata"`
}

type iatiText struct {
	Type      string          `xml:"type,attr,omitempty"`
	Narrative []iatiNarrative `xml:"narrative"`
}

func narrative(s string) iatiText { return iatiText{Narrative: []iatiNarrative{{s}}} }

type iatiOrg struct {
	Ref       string          `xml:"ref,attr,omitempty"`
	Type      string          `xml:"type,attr,omitempty"`
	Role      string          `xml:"role,attr,omitempty"`
	Narrative []iatiNarrative `xml:"narrative"`
}

type iatiCode struct {
	Code string `xml:"code,attr"`
}

type iatiDate struct {
	Type    string `xml:"type,attr"`
	ISODate string `xml:"iso-date,attr"`
}

type iatiResult struct {
	Type        string          `xml:"type,attr"`
	Aggregation string          `xml:"aggregation-status,attr"`
	Title       iatiText        `xml:"title"`
	Description *iatiText       `xml:"description"`
	Reference   []iatiReference `xml:"reference"`
	Indicators  []iatiIndicator `xml:"indicator"`
}

type iatiReference struct {
	Vocabulary string `xml:"vocabulary,attr"`
	Code       string `xml:"code,attr"`
	// rmf's own attributes (IATI allows attributes of other namespaces
	// here): what a logframe needs and IATI has no element for, so that an
	// import of the file gives back the same framework.
	Level       string `xml:"rmf:level,attr,omitempty"`
	Parent      string `xml:"rmf:parent,attr,omitempty"`
	Unit        string `xml:"rmf:unit,attr,omitempty"`
	Aggregation string `xml:"rmf:aggregation,attr,omitempty"`
	Frequency   string `xml:"rmf:frequency,attr,omitempty"`
}

// IATINamespace is the XML namespace of rmf's attributes in an IATI file.
const IATINamespace = "https://github.com/rmf-project/rmf/iati"

type iatiIndicator struct {
	Measure     string          `xml:"measure,attr"`
	Ascending   string          `xml:"ascending,attr"`
	Aggregation string          `xml:"aggregation-status,attr"`
	Title       iatiText        `xml:"title"`
	Description *iatiText       `xml:"description"`
	Reference   []iatiReference `xml:"reference"`
	Baseline    *iatiBaseline   `xml:"baseline"`
	Periods     []iatiPeriod    `xml:"period"`
}

type iatiBaseline struct {
	ISODate string    `xml:"iso-date,attr,omitempty"`
	Year    int       `xml:"year,attr"`
	Value   string    `xml:"value,attr,omitempty"`
	Comment *iatiText `xml:"comment"`
}

type iatiPeriod struct {
	Start   iatiISO     `xml:"period-start"`
	End     iatiISO     `xml:"period-end"`
	Targets []iatiValue `xml:"target"`
	Actuals []iatiValue `xml:"actual"`
}

type iatiISO struct {
	ISODate string `xml:"iso-date,attr"`
}

type iatiValue struct {
	Value     string          `xml:"value,attr,omitempty"`
	Dimension []iatiDimension `xml:"dimension"`
	Comment   *iatiText       `xml:"comment"`
	// Ratio is the numerator and denominator of a ratio figure, an element
	// of rmf's namespace (IATI allows them at the end of an actual).
	Ratio *iatiRatio `xml:"rmf:ratio"`
}

type iatiRatio struct {
	Numerator   string `xml:"numerator,attr"`
	Denominator string `xml:"denominator,attr"`
}

type iatiDimension struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// IATIVocabularyReporter is the IndicatorVocabulary and ResultVocabulary
// code for "reporting organisation": the codes of the logframe are given as
// references with it, so that an import finds them again.
const IATIVocabularyReporter = "99"

// WriteIATI writes fw as one IATI 2.03 activity. reports are the reports of
// the reporting periods to include, in order (typically every reporting
// period from the project start to the chosen period): each gives the
// actuals of its period. reports may be empty: the file then holds the
// logframe with baselines and milestone targets only.
func WriteIATI(w io.Writer, fw *indicators.Framework, reports []*indicators.Report, opt IATIOptions) error {
	p := fw.Project
	if p.Code == "" {
		return fmt.Errorf("IATI export: the project has no code")
	}
	gen := opt.Generated
	if gen.IsZero() {
		gen = time.Now()
	}
	gen = gen.UTC().Truncate(time.Second)
	upd := opt.LastUpdated
	if upd.IsZero() {
		upd = gen
	}
	id := strings.TrimSpace(p.IATIIdentifier)
	if id == "" {
		id = p.Code
	}
	orgName := strings.TrimSpace(p.ReportingOrg)
	if orgName == "" {
		orgName = "Reporting organisation of " + p.Code
	}
	act := iatiActivity{
		LastUpdated:  upd.UTC().Truncate(time.Second).Format(time.RFC3339),
		Lang:         "en",
		Currency:     strings.ToUpper(strings.TrimSpace(p.Currency)),
		Code:         p.Code,
		Reporting:    p.Reporting,
		YearStart:    p.YearStart,
		Identifier:   id,
		ReportingOrg: iatiOrg{Ref: strings.TrimSpace(p.ReportingOrgID), Type: nonEmpty(p.ReportingOrgType, iatiOrgTypeOther), Narrative: []iatiNarrative{{orgName}}},
		Title:        narrative(nonEmpty(p.Title, p.Code)),
		Description:  []iatiText{{Type: "1", Narrative: []iatiNarrative{{nonEmpty(p.Description, p.Title, p.Code)}}}},
		Status:       iatiCode{Code: iatiActivityStatus(p, gen)},
		Dates: []iatiDate{
			{Type: iatiDatePlannedStart, ISODate: isoDay(p.Start)},
			{Type: iatiDatePlannedEnd, ISODate: isoDay(p.End)},
		},
	}
	if d := strings.TrimSpace(p.Donor); d != "" {
		act.Participants = append(act.Participants, iatiOrg{Role: iatiOrgRoleFunding, Narrative: []iatiNarrative{{d}}})
	}
	act.Participants = append(act.Participants, iatiOrg{Ref: act.ReportingOrg.Ref, Role: iatiOrgRoleImplementing, Narrative: []iatiNarrative{{orgName}}})

	actuals := iatiActualsByIndicator(reports)
	for _, r := range fw.Results {
		typ := IATIResultType(r.Level)
		if typ == "" {
			continue
		}
		res := iatiResult{
			Type:        typ,
			Aggregation: "0",
			Title:       narrative(r.Code + ": " + r.Statement),
			Reference:   []iatiReference{{Vocabulary: IATIVocabularyReporter, Code: r.Code, Level: string(r.Level), Parent: r.Parent}},
		}
		if a := strings.TrimSpace(r.Assumptions); a != "" {
			d := narrative("Assumptions: " + a)
			res.Description = &d
		}
		for _, ind := range fw.IndicatorsOf(r.Code) {
			res.Indicators = append(res.Indicators, iatiIndicatorOf(fw, ind, actuals[ind.Code]))
		}
		if len(res.Indicators) == 0 {
			continue // the schema requires at least one indicator per result
		}
		act.Results = append(act.Results, res)
	}

	doc := iatiActivities{RMFNS: IATINamespace, Version: "2.03", Generated: gen.Format(time.RFC3339), Activity: []iatiActivity{act}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("IATI export: %w", err)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func nonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func isoDay(t time.Time) string { return t.Format(time.DateOnly) }

// iatiActivityStatus: pipeline before the start, implementation until the
// end, finalisation after it (as of the export).
func iatiActivityStatus(p indicators.Project, now time.Time) string {
	switch {
	case !p.Start.IsZero() && now.Before(p.Start):
		return iatiStatusPipeline
	case !p.End.IsZero() && now.After(p.End.AddDate(0, 0, 1)):
		return iatiStatusFinalisation
	}
	return iatiStatusImplementation
}

// iatiActual is the actual of one indicator in one reporting period.
type iatiActual struct {
	period   indicators.ReportPeriod
	total    *float64
	num, den *float64 // of this period alone
	text     string
	dims     []indicators.DisaggActual
}

func iatiActualsByIndicator(reports []*indicators.Report) map[string][]iatiActual {
	out := map[string][]iatiActual{}
	cum := map[string][2]float64{}
	for _, rep := range reports {
		if rep == nil {
			continue
		}
		for _, res := range rep.Results {
			for _, ind := range res.Indicators {
				a := iatiActual{period: rep.Period, total: ind.PeriodValue}
				// The report gives the numerator and denominator to date;
				// those of the period are the differences (ratios are
				// ratios of sums, so the sums add up over periods).
				if ind.PeriodValue != nil && ind.Numerator != nil && ind.Denominator != nil {
					pn, pd := *ind.Numerator, *ind.Denominator
					if prev, ok := cum[ind.Code]; ok {
						pn, pd = pn-prev[0], pd-prev[1]
					}
					a.num, a.den = &pn, &pd
				}
				if ind.Numerator != nil && ind.Denominator != nil {
					cum[ind.Code] = [2]float64{*ind.Numerator, *ind.Denominator}
				}
				if ind.Unit == indicators.Text && ind.PeriodValue == nil {
					a.text = ind.ActualText
					if len(out[ind.Code]) > 0 && out[ind.Code][len(out[ind.Code])-1].text == a.text {
						a.text = "" // the latest text is carried forward: only changes are figures of a period
					}
				}
				for _, d := range ind.Disaggregated {
					if d.PeriodValue != nil {
						a.dims = append(a.dims, d)
					}
				}
				out[ind.Code] = append(out[ind.Code], a)
			}
		}
	}
	return out
}

func iatiIndicatorOf(fw *indicators.Framework, ind *indicators.Indicator, actuals []iatiActual) iatiIndicator {
	out := iatiIndicator{
		Measure:     IATIMeasure(ind.Unit),
		Ascending:   "1",
		Aggregation: "0",
		Title:       narrative(ind.Code + ": " + ind.Name),
		Reference: []iatiReference{{Vocabulary: IATIVocabularyReporter, Code: ind.Code,
			Unit: string(ind.Unit), Aggregation: string(ind.Aggregation), Frequency: ind.Frequency}},
	}
	if ind.Direction == indicators.Decrease {
		out.Ascending = "0"
	}
	if d := strings.TrimSpace(ind.Definition); d != "" {
		t := narrative(d)
		out.Description = &t
	}
	// Baseline: the year is required; without a baseline date, the year
	// the project starts.
	if ind.Baseline != nil || ind.BaselineText != "" {
		b := &iatiBaseline{Year: fw.Project.Start.Year()}
		if ind.BaselineDate != nil {
			b.Year = ind.BaselineDate.Year()
			b.ISODate = isoDay(*ind.BaselineDate)
		}
		if b.Year <= 0 {
			b.Year = time.Now().Year()
		}
		b.Value = iatiValueText(ind.Unit, ind.Baseline)
		if ind.Unit == indicators.Text && ind.BaselineText != "" {
			c := narrative(ind.BaselineText)
			b.Comment = &c
		}
		out.Baseline = b
	}

	// Periods: reporting periods with actuals and milestone periods with
	// targets, merged when they are the same dates, in date order.
	type key struct{ s, e string }
	byKey := map[key]*iatiPeriod{}
	var order []key
	get := func(start, end string) *iatiPeriod {
		k := key{start, end}
		if p, ok := byKey[k]; ok {
			return p
		}
		p := &iatiPeriod{Start: iatiISO{start}, End: iatiISO{end}}
		byKey[k] = p
		order = append(order, k)
		return p
	}
	// The end-of-project target, as a period covering the whole project
	// (how IATI publishers give a final target; an import reads it back).
	if ind.Unit == indicators.Text && ind.TargetText != "" {
		c := narrative(ind.TargetText)
		p := get(isoDay(fw.Project.Start), isoDay(fw.Project.End))
		p.Targets = append(p.Targets, iatiValue{Comment: &c})
	} else if ind.Unit != indicators.Text && ind.Target != nil {
		p := get(isoDay(fw.Project.Start), isoDay(fw.Project.End))
		p.Targets = append(p.Targets, iatiValue{Value: iatiValueText(ind.Unit, ind.Target)})
	}
	for _, m := range fw.MilestonesOf(ind.Code) {
		v := iatiValue{Value: iatiValueText(ind.Unit, &m.Target)}
		if ind.Unit == indicators.Text {
			v.Value = ""
			if m.TargetText != "" {
				c := narrative(m.TargetText)
				v.Comment = &c
			}
		}
		v.Dimension = iatiDims(m.Dims)
		if v.Value == "" && v.Comment == nil {
			continue
		}
		p := get(isoDay(m.Period.Start), isoDay(m.Period.End))
		p.Targets = append(p.Targets, v)
	}
	for _, a := range actuals {
		var vals []iatiValue
		if a.total != nil {
			v := iatiValue{Value: iatiValueText(ind.Unit, a.total)}
			if a.num != nil && a.den != nil && *a.den > 0 && *a.num >= 0 {
				v.Ratio = &iatiRatio{Numerator: strconv.FormatFloat(*a.num, 'f', -1, 64), Denominator: strconv.FormatFloat(*a.den, 'f', -1, 64)}
			}
			vals = append(vals, v)
		} else if a.text != "" {
			c := narrative(a.text)
			vals = append(vals, iatiValue{Comment: &c})
		}
		for _, d := range a.dims {
			vals = append(vals, iatiValue{Value: iatiValueText(ind.Unit, d.PeriodValue), Dimension: iatiDims(d.Dims)})
		}
		if len(vals) == 0 {
			continue
		}
		p := get(a.period.Start, a.period.End)
		p.Actuals = append(p.Actuals, vals...)
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].s != order[j].s {
			return order[i].s < order[j].s
		}
		return order[i].e < order[j].e
	})
	for _, k := range order {
		out.Periods = append(out.Periods, *byKey[k])
	}
	return out
}

// iatiDims lists a disaggregation as IATI dimensions, by dimension name.
func iatiDims(d indicators.Disagg) []iatiDimension {
	if len(d) == 0 {
		return nil
	}
	names := d.Dims()
	out := make([]iatiDimension, 0, len(names))
	for _, n := range names {
		out = append(out, iatiDimension{Name: n, Value: d[n]})
	}
	return out
}

// iatiValueText prints a figure for a value attribute: plain decimal
// digits, no thousands separators, no exponent ("" for no data; yes/no as
// 1 and 0).
func iatiValueText(u indicators.Unit, v *float64) string {
	if v == nil || u == indicators.Text {
		return ""
	}
	x := *v
	if u == indicators.YesNo {
		if x != 0 {
			return "1"
		}
		return "0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}
