package exporters

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/iati"
	"github.com/rmf-project/rmf/indicators"
)

func fp(v float64) *float64 { return &v }

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// iatiFramework is a small logframe with one indicator of each measure.
func iatiFramework() *indicators.Framework {
	bd := day("2019-06-30")
	q := func(y, n int) indicators.Period { return indicators.Quarter(y, n) }
	return &indicators.Framework{
		Project: indicators.Project{
			Code: "MIG", Title: "Internal migration", Start: day("2019-09-01"), End: day("2023-08-31"),
			Donor: "Swiss Agency for Development and Cooperation", Currency: "chf", Reporting: "quarterly",
			IATIIdentifier: "CH-4-2019001", ReportingOrg: "IOM Mongolia", ReportingOrgID: "XM-DAC-47066", ReportingOrgType: "40",
			Description: "Better data, governance & services for internal migrants.",
		},
		Results: []indicators.Result{
			{Code: "OO", Level: indicators.Goal, Statement: "Migrants are better off"},
			{Code: "O1", Level: indicators.Outcome, Parent: "OO", Statement: "Better migration data", Assumptions: "The statistics office stays committed"},
			{Code: "1.1", Level: indicators.Output, Parent: "O1", Statement: "Staff can analyse data"},
			{Code: "1.1.1", Level: indicators.Activity, Parent: "1.1", Statement: "Train officers"},
		},
		Indicators: []indicators.Indicator{
			{Code: "OO.1", Result: "OO", Name: "Migrants reporting improved well-being", Unit: indicators.Percent, Baseline: fp(40), BaselineDate: &bd, Target: fp(75)},
			{Code: "1.a", Result: "O1", Name: "Tools adapted", Unit: indicators.YesNo, Baseline: fp(0), Target: fp(1)},
			{Code: "1.b", Result: "O1", Name: "Data gaps", Unit: indicators.Number, Direction: indicators.Decrease, Baseline: fp(12), Target: fp(4)},
			{Code: "1.1.1", Result: "1.1", Name: "Officers trained", Unit: indicators.Number, Baseline: fp(0), Target: fp(120), Disaggregations: []string{"sex"}, Definition: "Officers who completed the course"},
			{Code: "1.1.2", Result: "1.1", Name: "Opinion of the ministry", Unit: indicators.Text, BaselineText: "sceptical", TargetText: "supportive"},
			{Code: "1.1.1.a", Result: "1.1.1", Name: "Sessions held", Unit: indicators.Number},
		},
		Milestones: []indicators.Milestone{
			{Indicator: "1.1.1", Period: indicators.Semester(2020, 1), Target: 40},
			{Indicator: "1.1.1", Period: indicators.Semester(2020, 1), Target: 20, Dims: indicators.Disagg{"sex": "female"}},
			{Indicator: "1.a", Period: q(2020, 2), Target: 1},
			{Indicator: "1.1.2", Period: q(2020, 4), TargetText: "neutral"},
		},
		Dimensions: []indicators.Dimension{{Name: "sex", Values: []string{"female", "male"}}},
	}
}

// iatiFigures are stored figures: a quarter with its breakdown by sex, a
// figure for the milestone's semester (one period with the milestone), a
// figure for 2020-06-01..2020-12-31 (no reporting period), text figures.
func iatiFigures() []indicators.Measurement {
	q := func(y, n int) indicators.Period { return indicators.Quarter(y, n) }
	rng := indicators.Normalize(indicators.Range(day("2020-06-01"), day("2020-12-31")))
	return []indicators.Measurement{
		{Indicator: "1.1.2", Period: q(2020, 1), Text: "interested"},
		{Indicator: "1.1.1", Period: q(2020, 1), Value: fp(25)},
		{Indicator: "1.1.1", Period: q(2020, 1), Value: fp(10), Dims: indicators.Disagg{"sex": "female"}},
		{Indicator: "1.1.1", Period: q(2020, 1), Value: fp(15), Dims: indicators.Disagg{"sex": "male"}},
		{Indicator: "1.1.1", Period: q(2020, 2), Value: fp(1234.5), Comment: "includes the spring intake"},
		{Indicator: "1.1.1", Period: indicators.Semester(2020, 1), Value: fp(30)},
		{Indicator: "1.1.1", Period: rng, Value: fp(7), Dims: indicators.Disagg{"sex": "female"}},
		{Indicator: "1.1.2", Period: q(2020, 3), Text: "supportive"},
		// a percent figure given as numerator and denominator only
		{Indicator: "OO.1", Period: q(2020, 4), Numerator: fp(45), Denominator: fp(90)},
		// an activity's indicator: not a result's indicator in IATI
		{Indicator: "1.1.1.a", Period: q(2020, 1), Value: fp(3)},
	}
}

func writeIATITest(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	gen := time.Date(2022, 7, 1, 12, 0, 0, 0, time.UTC)
	if err := WriteIATI(&buf, iatiFramework(), iatiFigures(), nil, IATIOptions{Generated: gen}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteIATIGolden(t *testing.T) {
	golden(t, "iati.golden.xml", writeIATITest(t))
}

// TestWriteIATIContent reads the export back and checks what the schema
// cannot: result types, measures, ascending, the periods and their values.
func TestWriteIATIContent(t *testing.T) {
	type value struct {
		Value string `xml:"value,attr"`
		Dims  []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"dimension"`
		Comment string `xml:"comment>narrative"`
	}
	var doc struct {
		Activity struct {
			ID       string `xml:"iati-identifier"`
			Currency string `xml:"default-currency,attr"`
			Status   struct {
				Code string `xml:"code,attr"`
			} `xml:"activity-status"`
			Results []struct {
				Type       string `xml:"type,attr"`
				Ref        string `xml:"reference>code"`
				Indicators []struct {
					Measure   string `xml:"measure,attr"`
					Ascending string `xml:"ascending,attr"`
					Title     string `xml:"title>narrative"`
					Baseline  *struct {
						Year    string `xml:"year,attr"`
						ISODate string `xml:"iso-date,attr"`
						Value   string `xml:"value,attr"`
						Comment string `xml:"comment>narrative"`
					} `xml:"baseline"`
					Periods []struct {
						Start struct {
							ISODate string `xml:"iso-date,attr"`
						} `xml:"period-start"`
						End struct {
							ISODate string `xml:"iso-date,attr"`
						} `xml:"period-end"`
						Targets []value `xml:"target"`
						Actuals []value `xml:"actual"`
					} `xml:"period"`
				} `xml:"indicator"`
			} `xml:"result"`
		} `xml:"iati-activity"`
	}
	out := writeIATITest(t)
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	a := doc.Activity
	if a.ID != "CH-4-2019001" || a.Currency != "CHF" || a.Status.Code != "2" {
		t.Errorf("activity: id %q currency %q status %q, want CH-4-2019001 CHF 2", a.ID, a.Currency, a.Status.Code)
	}
	// Goal, outcome, output: types 3, 2, 1; the activity is not a result.
	if len(a.Results) != 3 {
		t.Fatalf("%d results, want 3 (goal, outcome, output)", len(a.Results))
	}
	for i, want := range []string{"3", "2", "1"} {
		if a.Results[i].Type != want {
			t.Errorf("result %d: type %q, want %q", i, a.Results[i].Type, want)
		}
	}
	goal, outcome, output := a.Results[0].Indicators, a.Results[1].Indicators, a.Results[2].Indicators
	if goal[0].Measure != "2" || goal[0].Baseline == nil || goal[0].Baseline.Year != "2019" || goal[0].Baseline.ISODate != "2019-06-30" || goal[0].Baseline.Value != "40" {
		t.Errorf("goal indicator: measure %q baseline %+v, want percentage (2), 2019, 2019-06-30, 40", goal[0].Measure, goal[0].Baseline)
	}
	if outcome[0].Measure != "3" || outcome[1].Measure != "1" || outcome[1].Ascending != "0" || outcome[0].Ascending != "1" {
		t.Errorf("outcome indicators: measures %q %q ascending %q %q, want 3 1 / 1 0", outcome[0].Measure, outcome[1].Measure, outcome[0].Ascending, outcome[1].Ascending)
	}
	trained, opinion := output[0], output[1]
	if trained.Measure != "1" || opinion.Measure != "5" {
		t.Errorf("output measures %q %q, want 1 and 5", trained.Measure, opinion.Measure)
	}
	// 1.1.1: the end target 120 over the whole project; 2020Q1 actual 25
	// (female 10, male 15) as stored; the 2020S1 milestone 40 (female 20)
	// and the 2020S1 actual 30 in one period; 2020Q2 1234.5 with its
	// comment; 2020-06-01..2020-12-31 female 7 with its own dates.
	if len(trained.Periods) != 5 {
		t.Fatalf("1.1.1 has %d periods, want 5 (project, 2020Q1, 2020S1, 2020Q2, 2020-06-01..2020-12-31)", len(trained.Periods))
	}
	whole, q1, s1, q2, rng := trained.Periods[0], trained.Periods[1], trained.Periods[2], trained.Periods[3], trained.Periods[4]
	if whole.Start.ISODate != "2019-09-01" || len(whole.Targets) != 1 || whole.Targets[0].Value != "120" || len(whole.Actuals) != 0 {
		t.Errorf("whole-project period: %+v", whole)
	}
	if q1.Start.ISODate != "2020-01-01" || len(q1.Actuals) != 3 || q1.Actuals[0].Value != "25" || len(q1.Actuals[0].Dims) != 0 ||
		q1.Actuals[1].Value != "10" || q1.Actuals[1].Dims[0].Name != "sex" || q1.Actuals[1].Dims[0].Value != "female" ||
		q1.Actuals[2].Value != "15" || len(q1.Targets) != 0 {
		t.Errorf("2020Q1 period: %+v", q1)
	}
	if s1.Start.ISODate != "2020-01-01" || len(s1.Targets) != 2 || s1.Targets[0].Value != "40" || s1.Targets[1].Value != "20" || len(s1.Targets[1].Dims) != 1 ||
		len(s1.Actuals) != 1 || s1.Actuals[0].Value != "30" {
		t.Errorf("2020S1 period (milestone and actual): %+v", s1)
	}
	if q2.Start.ISODate != "2020-04-01" || len(q2.Actuals) != 1 || q2.Actuals[0].Value != "1234.5" || q2.Actuals[0].Comment != "includes the spring intake" {
		t.Errorf("2020Q2 period: %+v", q2)
	}
	if rng.Start.ISODate != "2020-06-01" || rng.End.ISODate != "2020-12-31" || len(rng.Actuals) != 1 || rng.Actuals[0].Value != "7" ||
		len(rng.Actuals[0].Dims) != 1 || rng.Actuals[0].Dims[0].Value != "female" {
		t.Errorf("2020-06-01..2020-12-31 period: %+v", rng)
	}
	// Titles as written, the code in the reference.
	if trained.Title != "Officers trained" {
		t.Errorf("indicator title %q, want the name as written (no code prefix)", trained.Title)
	}
	// OO.1: 45/90 given as numerator and denominator: 50 (percent).
	if ps := goal[0].Periods; len(ps) != 2 || len(ps[1].Actuals) != 1 || ps[1].Actuals[0].Value != "50" {
		t.Errorf("OO.1 periods %+v, want the end target and 2020Q4 actual 50", ps)
	}
	// Text: baseline and target in comments, no value; the same text in
	// the next period is not repeated.
	if opinion.Baseline == nil || opinion.Baseline.Value != "" || opinion.Baseline.Comment != "sceptical" {
		t.Errorf("text baseline %+v", opinion.Baseline)
	}
	var texts []string
	for _, p := range opinion.Periods {
		for _, v := range p.Targets {
			texts = append(texts, p.Start.ISODate+" target "+v.Comment+v.Value)
		}
		for _, v := range p.Actuals {
			texts = append(texts, p.Start.ISODate+" actual "+v.Comment+v.Value)
		}
	}
	want := "2019-09-01 target supportive|2020-01-01 actual interested|2020-07-01 actual supportive|2020-10-01 target neutral"
	if got := strings.Join(texts, "|"); got != want {
		t.Errorf("text periods:\n got %s\nwant %s", got, want)
	}
}

// TestWriteIATICodelists checks every measure and result type against the
// IATI codelists (the schema does not check them).
func TestWriteIATICodelists(t *testing.T) {
	codes := func(file string) map[string]bool {
		b, err := os.ReadFile(filepath.Join("testdata", "iati", file))
		if err != nil {
			t.Fatal(err)
		}
		var cl struct {
			Items []struct {
				Code string `xml:"code"`
			} `xml:"codelist-items>codelist-item"`
		}
		if err := xml.Unmarshal(b, &cl); err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, it := range cl.Items {
			m[it.Code] = true
		}
		return m
	}
	measures, types := codes("IndicatorMeasure.xml"), codes("ResultType.xml")
	for _, u := range indicators.Units {
		if !measures[iati.Measure(u)] {
			t.Errorf("unit %s: measure %q is not in IndicatorMeasure", u, iati.Measure(u))
		}
	}
	for _, l := range []indicators.Level{indicators.Goal, indicators.Outcome, indicators.Output} {
		if !types[iati.ResultType(l)] {
			t.Errorf("level %s: result type %q is not in ResultType", l, iati.ResultType(l))
		}
	}
}

// TestWriteIATISchema validates the export against the IATI 2.03 schema
// with xmllint (installed by .ci/run; skipped where it is missing).
func TestWriteIATISchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (apt-get install libxml2-utils)")
	}
	path := filepath.Join(t.TempDir(), "activity.xml")
	if err := os.WriteFile(path, writeIATITest(t), 0o644); err != nil {
		t.Fatal(err)
	}
	schema := filepath.Join("testdata", "iati", "iati-activities-schema.xsd")
	out, err := exec.Command(xmllint, "--noout", "--schema", schema, path).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

// TestWriteIATIRefusesWithoutPublisher: without any one of the IATI
// Project keys WriteIATI writes nothing and names the key to fill; no
// invented name or organisation type.
func TestWriteIATIRefusesWithoutPublisher(t *testing.T) {
	for _, c := range []struct {
		key  string
		edit func(*indicators.Project)
	}{
		{"iati_identifier", func(p *indicators.Project) { p.IATIIdentifier = "" }},
		{"reporting_org", func(p *indicators.Project) { p.ReportingOrg = " " }},
		{"reporting_org_id", func(p *indicators.Project) { p.ReportingOrgID = "" }},
		{"reporting_org_type", func(p *indicators.Project) { p.ReportingOrgType = "" }},
	} {
		fw := iatiFramework()
		c.edit(&fw.Project)
		var buf bytes.Buffer
		err := WriteIATI(&buf, fw, iatiFigures(), nil, IATIOptions{})
		var miss *IATIMissingError
		if !errors.As(err, &miss) || !errors.Is(err, indicators.ErrRequired) || len(miss.Missing) != 1 || miss.Missing[0].Key != c.key {
			t.Errorf("without %s: error %v, want an IATIMissingError naming it", c.key, err)
			continue
		}
		if !strings.Contains(err.Error(), "project MIG has no "+c.key) || !strings.Contains(err.Error(), "fill "+c.key+" in the Project sheet") {
			t.Errorf("without %s: %q does not say which key to fill", c.key, err)
		}
		if buf.Len() != 0 {
			t.Errorf("without %s: %d bytes written", c.key, buf.Len())
		}
	}
}

// TestWriteIATIPublisher: the reporting-org as the Project keys give it,
// the secondary-reporter flag, planned and actual dates apart.
func TestWriteIATIPublisher(t *testing.T) {
	fw := iatiFramework()
	yes := true
	fw.Project.SecondaryReporter = &yes
	fw.Project.ActualStart = day("2019-10-15")
	fw.Project.PlannedStart = day("2019-09-01")
	var buf bytes.Buffer
	if err := WriteIATI(&buf, fw, nil, nil, IATIOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<reporting-org ref="XM-DAC-47066" type="40" secondary-reporter="1">`,
		`<activity-date type="1" iso-date="2019-09-01"></activity-date>`,
		`<activity-date type="2" iso-date="2019-10-15"></activity-date>`,
		`<activity-date type="3" iso-date="2023-08-31"></activity-date>`,
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("export lacks %s", want)
		}
	}
	if strings.Contains(buf.String(), `type="4"`) {
		t.Error("an actual end was written that the project does not have")
	}
}
