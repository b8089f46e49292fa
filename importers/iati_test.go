package importers

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

func readIATIFile(t *testing.T, file, id string) *IATIImport {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "iati", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	im, err := ReadIATI(f, file, id)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return im
}

func figureOf(im *IATIImport, code, period string, dims string) *indicators.Measurement {
	for i, m := range im.Figures {
		if m.Indicator == code && m.Period.String() == period && m.Dims.Key() == dims {
			return &im.Figures[i]
		}
	}
	return nil
}

func TestReadIATIAT2030(t *testing.T) {
	const file = "gdihub-at2030-GB-COH-11126312.xml"
	im := readIATIFile(t, file, "")
	// No --activity: the first activity with results, Cluster1; the
	// other three are named.
	if im.Activity.Identifier != "GB-COH-11126312-Cluster1" || len(im.Others) != 3 {
		t.Fatalf("picked %q with %d others, want Cluster1 and 3", im.Activity.Identifier, len(im.Others))
	}
	fw := im.Framework
	if len(fw.Results) != 1 || fw.Results[0].Level != indicators.Output || len(fw.Indicators) != 3 || len(fw.Milestones) != 9 || len(im.Figures) != 9 {
		t.Fatalf("got %d results, %d indicators, %d milestones, %d figures; want 1 output, 3, 9, 9",
			len(fw.Results), len(fw.Indicators), len(fw.Milestones), len(im.Figures))
	}
	if got := fw.Project.Start.Format("2006-01-02") + ".." + fw.Project.End.Format("2006-01-02"); got != "2018-10-01..2024-08-31" {
		t.Errorf("project dates %s", got)
	}
	ind := fw.Indicators[0]
	// Periods 2019-10-01..2020-03-31 (target 7, actual 13),
	// 2020-04-01..2021-03-31 (14, 47), 2021-03-31..2022-04-01 (50, 60):
	// the end target is the last period's, 50; the baseline 0 of 2019-10-01.
	if ind.Unit != indicators.Number || ind.Aggregation != indicators.Last || ind.Target == nil || *ind.Target != 50 ||
		ind.Baseline == nil || *ind.Baseline != 0 || ind.BaselineDate == nil || ind.BaselineDate.Format("2006-01-02") != "2019-10-01" {
		t.Errorf("first indicator: %+v", ind)
	}
	if f := figureOf(im, ind.Code, "2020-04-01..2021-03-31", ""); f == nil || f.Value == nil || *f.Value != 47 {
		t.Errorf("actual of 2020-04-01..2021-03-31: %+v, want 47", f)
	}
	if f := figureOf(im, ind.Code, "2021-03-31..2022-04-01", ""); f == nil || f.Value == nil || *f.Value != 60 {
		t.Errorf("actual of the overlapping last period: %+v, want 60", f)
	}
	if probs := fw.Validate(); len(probs) > 0 {
		t.Errorf("the imported framework does not validate: %v", probs)
	}
}

// TestReadIATIMoney: Cluster4 gives amounts as "£13,594,502".
func TestReadIATIMoney(t *testing.T) {
	im := readIATIFile(t, "gdihub-at2030-GB-COH-11126312.xml", "GB-COH-11126312-Cluster4")
	var money *indicators.Indicator
	for i := range im.Framework.Indicators {
		if im.Framework.Indicators[i].Unit == indicators.Currency {
			money = &im.Framework.Indicators[i]
		}
	}
	if money == nil {
		t.Fatalf("no currency indicator in Cluster4; notes: %v", im.Notes)
	}
	if money.Target == nil || *money.Target != 13000000 {
		t.Errorf("target %v, want 13000000 (from £13,000,000)", money.Target)
	}
	if f := figureOf(im, money.Code, "2021-04-01..2022-03-31", ""); f == nil || f.Value == nil || *f.Value != 13594502 {
		t.Errorf("actual %+v, want 13594502 (from £13,594,502)", f)
	}
}

// TestReadIATIDimensions: the annotated example's target and actual are
// for sex=female, age=adult; there is no total target.
func TestReadIATIDimensions(t *testing.T) {
	im := readIATIFile(t, "iati-standard-example-annotated-2.03.xml", "")
	fw := im.Framework
	if len(fw.Dimensions) != 2 || fw.Dimensions[0].Name != "age" || fw.Dimensions[1].Name != "sex" || fw.Dimensions[1].Values[0] != "female" {
		t.Fatalf("dimensions %+v", fw.Dimensions)
	}
	ind := fw.Indicators[0]
	// The result and the indicator both have reference code B1: the
	// indicator gets B1-2 (results and indicators share one code space).
	if fw.Results[0].Code != "B1" || ind.Code != "B1-2" {
		t.Errorf("codes %s and %s, want B1 and B1-2", fw.Results[0].Code, ind.Code)
	}
	if strings.Join(ind.Disaggregations, ";") != "age;sex" || ind.Target != nil {
		t.Errorf("indicator %+v: want disaggregations age;sex and no total target", ind)
	}
	if f := figureOf(im, ind.Code, "2013Q1", "age=adult; sex=female"); f == nil || f.Value == nil || *f.Value != 11 || f.Comment != "Actual comment text" {
		t.Errorf("disaggregated actual %+v, want 11", f)
	}
	if len(fw.Milestones) != 1 || fw.Milestones[0].Target != 10 || fw.Milestones[0].Dims.Key() != "age=adult; sex=female" {
		t.Errorf("milestones %+v", fw.Milestones)
	}
}

func TestReadIATIPublisher(t *testing.T) {
	im := readIATIFile(t, "iatipublisher-test-complete.xml", "")
	if len(im.Framework.Indicators) == 0 || len(im.Figures) == 0 {
		t.Errorf("iatipublisher file: %d indicators, %d figures", len(im.Framework.Indicators), len(im.Figures))
	}
}

// rmfIATI is the shape rmf's export writes: rmf attributes on references,
// the end target as a period over the whole project.
const rmfIATI = `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities xmlns:rmf="https://github.com/rmf-project/rmf/iati" version="2.03">
  <iati-activity default-currency="CHF">
    <iati-identifier>CH-4-1</iati-identifier>
    <reporting-org ref="XM-1" type="40"><narrative>Org</narrative></reporting-org>
    <title><narrative>Migration</narrative></title>
    <description type="1"><narrative>About it</narrative></description>
    <participating-org role="1"><narrative>SDC</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2019-09-01"/>
    <activity-date type="3" iso-date="2023-08-31"/>
    <result type="2" aggregation-status="0">
      <title><narrative>O1: Better data</narrative></title>
      <description><narrative>Assumptions: data are shared</narrative></description>
      <reference vocabulary="99" code="O1" rmf:level="outcome"/>
      <indicator measure="1" ascending="0" aggregation-status="0">
        <title><narrative>1.b: Data gaps</narrative></title>
        <reference vocabulary="99" code="1.b" rmf:unit="number" rmf:aggregation="sum"/>
        <baseline year="2019" value="12"/>
        <period><period-start iso-date="2019-09-01"/><period-end iso-date="2023-08-31"/><target value="4"/></period>
        <period><period-start iso-date="2020-01-01"/><period-end iso-date="2020-06-30"/><target value="2"/></period>
        <period><period-start iso-date="2020-01-01"/><period-end iso-date="2020-03-31"/><actual value="1"/></period>
      </indicator>
    </result>
    <result type="1" aggregation-status="0">
      <title><narrative>1.1: Staff trained</narrative></title>
      <reference vocabulary="99" code="1.1" rmf:level="output" rmf:parent="O1"/>
      <indicator measure="5" ascending="1">
        <title><narrative>1.1.2: Opinion</narrative></title>
        <reference vocabulary="99" code="1.1.2" rmf:unit="text" rmf:aggregation="last"/>
        <baseline year="2019"><comment><narrative>sceptical</narrative></comment></baseline>
        <period><period-start iso-date="2019-09-01"/><period-end iso-date="2023-08-31"/><target><comment><narrative>supportive</narrative></comment></target></period>
        <period><period-start iso-date="2020-07-01"/><period-end iso-date="2020-09-30"/><actual><comment><narrative>neutral</narrative></comment></actual></period>
      </indicator>
    </result>
  </iati-activity>
</iati-activities>`

func TestReadIATIRMF(t *testing.T) {
	im, err := ReadIATI(strings.NewReader(rmfIATI), "rmf.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	fw := im.Framework
	p := fw.Project
	if p.Code != "CH-4-1" || p.Donor != "SDC" || p.Currency != "CHF" || p.ReportingOrgType != "40" || p.Description != "About it" {
		t.Errorf("project %+v", p)
	}
	o1, out := fw.Results[0], fw.Results[1]
	if o1.Code != "O1" || o1.Level != indicators.Outcome || o1.Statement != "Better data" || o1.Assumptions != "data are shared" {
		t.Errorf("outcome %+v", o1)
	}
	if out.Code != "1.1" || out.Parent != "O1" || out.Statement != "Staff trained" {
		t.Errorf("output %+v", out)
	}
	gaps, opinion := fw.Indicators[0], fw.Indicators[1]
	if gaps.Name != "Data gaps" || gaps.Direction != indicators.Decrease || gaps.Aggregation != indicators.Sum ||
		gaps.Target == nil || *gaps.Target != 4 || gaps.Baseline == nil || *gaps.Baseline != 12 {
		t.Errorf("1.b %+v", gaps)
	}
	// The whole-project periods are end targets, not milestones.
	if len(fw.Milestones) != 1 || fw.Milestones[0].Period.String() != "2020S1" || fw.Milestones[0].Target != 2 {
		t.Errorf("milestones %+v", fw.Milestones)
	}
	if opinion.Unit != indicators.Text || opinion.BaselineText != "sceptical" || opinion.TargetText != "supportive" {
		t.Errorf("1.1.2 %+v", opinion)
	}
	if f := figureOf(im, "1.1.2", "2020Q3", ""); f == nil || f.Text != "neutral" {
		t.Errorf("text actual %+v", f)
	}
	if f := figureOf(im, "1.b", "2020Q1", ""); f == nil || f.Value == nil || *f.Value != 1 {
		t.Errorf("actual %+v", f)
	}
	if p.Reporting != "quarterly" {
		t.Errorf("reporting %q, want quarterly (median period length)", p.Reporting)
	}
}

func TestReadIATIErrors(t *testing.T) {
	cases := []struct {
		name, xml, id string
		want          []string
	}{
		{"not xml", "<iati-activities><iati-activity>", "", []string{"bad.xml", "line", "not a readable IATI activity file"}},
		{"no activity", `<iati-activities version="2.03"></iati-activities>`, "", []string{"bad.xml", "no <iati-activity>"}},
		{"unknown id", rmfIATI, "XX-1", []string{"bad.xml", `no activity "XX-1"`, "CH-4-1"}},
		{"bad result type", strings.Replace(rmfIATI, `<result type="2"`, `<result type="outcome"`, 1), "",
			[]string{"bad.xml: line 12: activity CH-4-1, result 1", `<result type="outcome">`, "expected 1 (output)"}},
		{"bad period", strings.Replace(rmfIATI, `iso-date="2020-01-01"/><period-end iso-date="2020-03-31"`, `iso-date="2020-04-01"/><period-end iso-date="2020-03-31"`, 1), "",
			[]string{"bad.xml: line 22: activity CH-4-1, indicator 1.b, <period>", "period 2020-04-01..2020-03-31"}},
		// The activity ends before it starts: the activity-date elements
		// and their lines, never a sheet.
		{"end before start", strings.Replace(rmfIATI, `<activity-date type="3" iso-date="2023-08-31"/>`, `<activity-date type="3" iso-date="2018-08-31"/>`, 1), "",
			[]string{"bad.xml: line 11: activity CH-4-1", `<activity-date type="3"> (planned end)`, "the planned end 2018-08-31 is before the planned start 2019-09-01",
				`<activity-date type="1">, line 10`, "fix the dates in the file"}},
		{"bad date", strings.Replace(rmfIATI, `<activity-date type="1" iso-date="2019-09-01"/>`, `<activity-date type="1" iso-date="1 Sep 2019"/>`, 1), "",
			[]string{"bad.xml: line 10: activity CH-4-1", `<activity-date type="1"> (planned start)`, `iso-date "1 Sep 2019" is not a date`}},
		// Framework.Validate's problems reworded for XML: a parent that is
		// not a result of the file.
		{"unknown parent", strings.Replace(rmfIATI, `rmf:parent="O1"`, `rmf:parent="O9"`, 1), "",
			[]string{"bad.xml: line 25: activity CH-4-1, <result> 2 (1.1) (parent)", `"O9"`}},
		// A file without line breaks: the line, not a guessed element.
		{"one line", strings.ReplaceAll(strings.Replace(rmfIATI, `rmf:parent="O1"`, `rmf:parent="O9"`, 1), "\n", " "), "",
			[]string{"bad.xml: line 1: activity CH-4-1 (parent): unknown code: result 1.1 names parent \"O9\""}},
		// Two different actuals for the same period and disaggregation.
		{"two actuals", strings.Replace(rmfIATI, `<actual value="1"/>`, `<actual value="1"/><actual value="2"/>`, 1), "",
			[]string{"bad.xml: line 22: activity CH-4-1, indicator 1.b, <period> 2020Q1, <actual>", "a second actual for the total, 2 here and 1 at line 22"}},
		// IATI 1.x: one message that says so and what to do.
		{"1.x version", strings.Replace(rmfIATI, `version="2.03"`, `version="1.05"`, 1), "",
			[]string{"bad.xml", "IATI 1.x activity file", `<iati-activities version="1.05">`, "upgrade", "2.03", "iatistandard.org"}},
		{"1.x structure", `<iati-activities><iati-activity><iati-identifier>A-1</iati-identifier>
<reporting-org ref="A" type="10">Org</reporting-org><title>T</title>
<activity-date type="start-planned" iso-date="2010-01-01"/>
<result type="output"><title>R</title><indicator measure="1"><title>I</title></indicator></result></iati-activity></iati-activities>`, "",
			[]string{"bad.xml", "IATI 1.x activity file", `line 3: <activity-date type="start-planned">`, "upgrade"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadIATI(strings.NewReader(c.xml), "bad.xml", c.id)
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "sheet") || strings.Contains(err.Error(), "column") {
				t.Errorf("error about an XML file speaks of sheets or columns: %v", err)
			}
			if n := len(strings.Split(err.Error(), "\n")); n != 1 {
				t.Errorf("%d lines, want one: %v", n, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	// Reworded problems still wrap their sentinel.
	if _, err := ReadIATI(strings.NewReader(strings.Replace(rmfIATI, `rmf:parent="O1"`, `rmf:parent="O9"`, 1)), "bad.xml", ""); !errors.Is(err, indicators.ErrUnknownCode) {
		t.Errorf("%v does not wrap ErrUnknownCode", err)
	}
	_, err := ReadIATI(strings.NewReader("<x/>"), "bad.xml", "")
	if !errors.Is(err, ErrIATI) {
		t.Errorf("%v does not wrap ErrIATI", err)
	}
}

func FuzzReadIATI(f *testing.F) {
	f.Add(rmfIATI)
	f.Add(`<iati-activities><iati-activity><iati-identifier>A</iati-identifier><result type="1"><indicator measure="2"><period><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/><actual value="1,5"/></period></indicator></result></iati-activity></iati-activities>`)
	f.Fuzz(func(t *testing.T, s string) {
		im, err := ReadIATI(strings.NewReader(s), "fuzz.xml", "")
		if err == nil && im.Framework == nil {
			t.Fatal("no error and no framework")
		}
	})
}
