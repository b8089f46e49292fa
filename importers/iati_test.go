package importers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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
		// an indicator of the file, not a result (a parent the file does
		// not hold at all is dropped with a note: TestReadIATIFidelity).
		{"unknown parent", strings.Replace(rmfIATI, `rmf:parent="O1"`, `rmf:parent="1.b"`, 1), "",
			[]string{"bad.xml: line 25: activity CH-4-1, <result> 2 (1.1) (parent)", `"1.b"`, "not a result code"}},
		// A file without line breaks: the line, not a guessed element.
		{"one line", strings.ReplaceAll(strings.Replace(rmfIATI, `rmf:parent="O1"`, `rmf:parent="1.b"`, 1), "\n", " "), "",
			[]string{"bad.xml: line 1: activity CH-4-1 (parent): unknown code: result 1.1 names parent \"1.b\""}},
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
	if _, err := ReadIATI(strings.NewReader(strings.Replace(rmfIATI, `rmf:parent="O1"`, `rmf:parent="1.b"`, 1)), "bad.xml", ""); !errors.Is(err, indicators.ErrUnknownCode) {
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

// TestReadIATIFidelity (issue 12): what a file gives that rmf cannot hold
// as it is (a parent the file does not contain, disaggregated or further
// baselines, a text indicator's value besides its comment, dimensions
// without a value) is read without inventing anything, and each thing
// left out is named in a note.
func TestReadIATIFidelity(t *testing.T) {
	// A second output under the outcome, for two results naming one
	// missing parent.
	twoOutputs := strings.Replace(rmfIATI, `  </iati-activity>`, `    <result type="1" aggregation-status="0">
      <title><narrative>1.2: Offices open</narrative></title>
      <reference vocabulary="99" code="1.2" rmf:level="output" rmf:parent="O1"/>
      <indicator measure="1" ascending="1">
        <title><narrative>1.2.1: Offices</narrative></title>
        <reference vocabulary="99" code="1.2.1" rmf:unit="number"/>
        <period><period-start iso-date="2020-01-01"/><period-end iso-date="2020-03-31"/><actual value="3"/></period>
      </indicator>
    </result>
  </iati-activity>`, 1)
	// numBaseline and textBaseline replace the baselines of 1.b and 1.1.2.
	const numBaseline = `<baseline year="2019" value="12"/>`
	const textBaseline = `<baseline year="2019"><comment><narrative>sceptical</narrative></comment></baseline>`
	type want struct {
		baseline     string // 1.b's baseline: a number, or "-" for none
		baselineDate string // 1.b's baseline date, or "-"
		baselineText string // 1.1.2's baseline
		parents      string // the parent of each result, "code<parent" in order
		figures      string // every figure: indicator period [dims] value text / comment
		targets      string // 1.1.2's milestones and end target
		notes        []string
		noNote       []string // none of the notes contains these
		nNotes       int      // how many notes, -1 not checked
	}
	cases := []struct {
		name string
		xml  string
		want want
	}{
		{"as rmf wrote it", rmfIATI, want{
			baseline: "12", baselineDate: "-", baselineText: "sceptical", parents: "O1< 1.1<O1",
			figures: `1.b 2020Q1 [] 1 "" / ""; 1.1.2 2020Q3 [] - "neutral" / ""`, targets: `end "supportive"`, nNotes: 0,
		}},
		// Issue 12.1: rmf's export leaves out a goal without indicators
		// (IATI requires one per result); the outcome still names it.
		{"missing parent", strings.Replace(rmfIATI, `rmf:level="outcome"/>`, `rmf:level="outcome" rmf:parent="G"/>`, 1), want{
			baseline: "12", baselineDate: "-", baselineText: "sceptical", parents: "O1< 1.1<O1",
			figures: `1.b 2020Q1 [] 1 "" / ""; 1.1.2 2020Q3 [] - "neutral" / ""`, targets: `end "supportive"`,
			notes:  []string{`activity CH-4-1: result O1 names parent "G", which is not in the file (rmf does not export to IATI a result without indicators, as IATI requires an indicator per result): it is read without a parent`},
			nNotes: 1,
		}},
		// Two results naming one missing parent: one note names both.
		{"two results, one missing parent", strings.ReplaceAll(twoOutputs, `rmf:parent="O1"`, `rmf:parent="O2"`), want{
			baseline: "12", baselineDate: "-", baselineText: "sceptical", parents: "O1< 1.1< 1.2<",
			figures: `1.b 2020Q1 [] 1 "" / ""; 1.1.2 2020Q3 [] - "neutral" / ""; 1.2.1 2020Q1 [] 3 "" / ""`, targets: `end "supportive"`,
			notes:  []string{`activity CH-4-1: results 1.1, 1.2 name parent "O2", which is not in the file`, `they are read without a parent`},
			nNotes: 1,
		}},
		// Issue 12.2: the annotated example's baseline of 10 for
		// sex=female, age=adult is no total: the indicator has none.
		{"disaggregated baseline only", strings.Replace(rmfIATI, numBaseline,
			`<baseline year="2012" iso-date="2012-01-01" value="10"><dimension name="sex" value="female"/><dimension name="age" value="adult"/><comment><narrative>c</narrative></comment></baseline>`, 1), want{
			baseline: "-", baselineDate: "-", baselineText: "sceptical", parents: "O1< 1.1<O1",
			figures: `1.b 2020Q1 [] 1 "" / ""; 1.1.2 2020Q3 [] - "neutral" / ""`, targets: `end "supportive"`,
			notes:  []string{`indicator 1.b: 1 baseline not kept: 10 for age=adult; sex=female (2012-01-01); the indicator has no baseline (rmf has no disaggregated baselines, and the file gives none without dimensions)`},
			nNotes: 1,
		}},
		// The total is taken wherever it is; the disaggregated ones are
		// named, each with its value and dimensions.
		{"total after disaggregated baselines", strings.Replace(rmfIATI, numBaseline,
			`<baseline year="2018" value="4"><dimension name="sex" value="female"/></baseline><baseline year="2018" value="5"><dimension name="sex" value="male"/></baseline><baseline year="2018" iso-date="2018-12-31" value="9"/>`, 1), want{
			baseline: "9", baselineDate: "2018-12-31", baselineText: "sceptical", parents: "O1< 1.1<O1",
			figures: `1.b 2020Q1 [] 1 "" / ""; 1.1.2 2020Q3 [] - "neutral" / ""`, targets: `end "supportive"`,
			notes:  []string{`indicator 1.b: 2 baselines not kept: 4 for sex=female (2018); 5 for sex=male (2018); kept the baseline without dimensions, 9 (2018-12-31)`},
			nNotes: 1,
		}},
		{"two total baselines", strings.Replace(rmfIATI, numBaseline, `<baseline year="2019" value="12"/><baseline year="2020" value="14"/>`, 1), want{
			baseline: "12", baselineDate: "-", baselineText: "sceptical", parents: "O1< 1.1<O1",
			figures: `1.b 2020Q1 [] 1 "" / ""; 1.1.2 2020Q3 [] - "neutral" / ""`, targets: `end "supportive"`,
			notes:  []string{`indicator 1.b: 1 baseline not kept: 14 (2020), a further baseline without dimensions; kept the baseline without dimensions, 12 (2019)`},
			nNotes: 1,
		}},
		// Issue 12.4: a dimension without a value says nothing about which
		// part of the total the baseline is: left out, with a note.
		{"baseline dimension without a value", strings.Replace(rmfIATI, numBaseline, `<baseline year="2019" value="12"><dimension name="Melanie Sloan"/></baseline>`, 1), want{
			baseline: "12", baselineDate: "-", baselineText: "sceptical", parents: "O1< 1.1<O1",
			figures: `1.b 2020Q1 [] 1 "" / ""; 1.1.2 2020Q3 [] - "neutral" / ""`, targets: `end "supportive"`,
			notes:  []string{`indicator 1.b: 1 dimension without a name or a value left out (IATI requires both; such a dimension does not say which part of the total a figure is): "Melanie Sloan" on the baseline (read as the total)`},
			noNote: []string{"baseline not kept"},
			nNotes: 1,
		}},
		{"actual dimensions without a value", strings.Replace(rmfIATI, `<actual value="1"/>`,
			`<actual value="1"><dimension name="sex"/></actual><actual value="2"><dimension name="sex" value="female"/><dimension name="age"/><dimension value="x"/></actual>`, 1), want{
			baseline: "12", baselineDate: "-", baselineText: "sceptical", parents: "O1< 1.1<O1",
			figures: `1.b 2020Q1 [] 1 "" / ""; 1.b 2020Q1 [sex=female] 2 "" / ""; 1.1.2 2020Q3 [] - "neutral" / ""`, targets: `end "supportive"`,
			notes: []string{`indicator 1.b: 3 dimensions without a name or a value left out (IATI requires both; such a dimension does not say which part of the total a figure is): ` +
				`"sex" on the actual of 2020Q1 (read as the total), "age" and one of value "x" on the actual of 2020Q1 (read for sex=female)`},
			nNotes: 1,
		}},
		// Issue 12.3: iatipublisher's qualitative indicator with value
		// 1234 and comment "narrative": the value is the baseline (rmf's
		// export writes it as the comment, which an import reads back),
		// the comment is noted.
		{"text baseline with a value and a comment", strings.Replace(rmfIATI, textBaseline,
			`<baseline year="2023" iso-date="2023-01-09" value="1234"><comment><narrative>narrative</narrative></comment></baseline>`, 1), want{
			baseline: "12", baselineDate: "-", baselineText: "1234", parents: "O1< 1.1<O1",
			figures: `1.b 2020Q1 [] 1 "" / ""; 1.1.2 2020Q3 [] - "neutral" / ""`, targets: `end "supportive"`,
			notes:  []string{`indicator 1.1.2: the baseline's comment "narrative" is not kept (the baseline is its value, "1234")`},
			nNotes: 1,
		}},
		{"text baseline, value only", strings.Replace(rmfIATI, textBaseline, `<baseline year="2019" value="wary"/>`, 1), want{
			baseline: "12", baselineDate: "-", baselineText: "wary", parents: "O1< 1.1<O1",
			figures: `1.b 2020Q1 [] 1 "" / ""; 1.1.2 2020Q3 [] - "neutral" / ""`, targets: `end "supportive"`, nNotes: 0,
		}},
		// Text targets and actuals follow the same rule: the value, else
		// the comment; an actual's other comment is its comment.
		{"text target and actual with values and comments", strings.Replace(strings.Replace(rmfIATI,
			`<target><comment><narrative>supportive</narrative></comment></target>`, `<target value="supportive"><comment><narrative>by the end</narrative></comment></target>`, 1),
			`<actual><comment><narrative>neutral</narrative></comment></actual>`, `<actual value="neutral"><comment><narrative>a survey</narrative></comment></actual>`, 1), want{
			baseline: "12", baselineDate: "-", baselineText: "sceptical", parents: "O1< 1.1<O1",
			figures: `1.b 2020Q1 [] 1 "" / ""; 1.1.2 2020Q3 [] - "neutral" / "a survey"`, targets: `end "supportive"`,
			notes:  []string{`indicator 1.1.2, target of 2019-09-01..2023-08-31: its comment "by the end" is not kept (the target is its value, "supportive")`},
			nNotes: 1,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			im, err := ReadIATI(strings.NewReader(c.xml), "f.xml", "")
			if err != nil {
				t.Fatal(err)
			}
			fw := im.Framework
			if probs := fw.Validate(); len(probs) > 0 {
				t.Errorf("the framework read does not validate: %v", probs)
			}
			num := func(v *float64) string {
				if v == nil {
					return "-"
				}
				return strconv.FormatFloat(*v, 'g', -1, 64)
			}
			var gaps, opinion indicators.Indicator
			for _, ind := range fw.Indicators {
				switch ind.Code {
				case "1.b":
					gaps = ind
				case "1.1.2":
					opinion = ind
				}
			}
			bd := "-"
			if gaps.BaselineDate != nil {
				bd = gaps.BaselineDate.Format("2006-01-02")
			}
			if got := num(gaps.Baseline); got != c.want.baseline || bd != c.want.baselineDate {
				t.Errorf("1.b baseline %s (%s), want %s (%s)", got, bd, c.want.baseline, c.want.baselineDate)
			}
			if opinion.BaselineText != c.want.baselineText {
				t.Errorf("1.1.2 baseline %q, want %q", opinion.BaselineText, c.want.baselineText)
			}
			var parents, figures, targets []string
			for _, r := range fw.Results {
				parents = append(parents, r.Code+"<"+r.Parent)
			}
			for _, f := range im.Figures {
				figures = append(figures, fmt.Sprintf("%s %s [%s] %s %q / %q", f.Indicator, f.Period, f.Dims.Key(), num(f.Value), f.Text, f.Comment))
			}
			for _, m := range fw.Milestones {
				if m.Indicator == "1.1.2" {
					targets = append(targets, fmt.Sprintf("%s %q", m.Period, m.TargetText))
				}
			}
			targets = append(targets, fmt.Sprintf("end %q", opinion.TargetText))
			if got := strings.Join(parents, " "); got != c.want.parents {
				t.Errorf("parents %s, want %s", got, c.want.parents)
			}
			if got := strings.Join(figures, "; "); got != c.want.figures {
				t.Errorf("figures\n  %s\nwant\n  %s", got, c.want.figures)
			}
			if got := strings.Join(targets, "; "); got != c.want.targets {
				t.Errorf("1.1.2 targets %s, want %s", got, c.want.targets)
			}
			notes := strings.Join(im.Notes, "\n")
			for _, w := range c.want.notes {
				if !strings.Contains(notes, w) {
					t.Errorf("notes\n  %s\ndo not say\n  %s", strings.Join(im.Notes, "\n  "), w)
				}
			}
			for _, w := range c.want.noNote {
				if strings.Contains(notes, w) {
					t.Errorf("notes\n  %s\nsay %q", strings.Join(im.Notes, "\n  "), w)
				}
			}
			if c.want.nNotes >= 0 && len(im.Notes) != c.want.nNotes {
				t.Errorf("%d notes, want %d:\n  %s", len(im.Notes), c.want.nNotes, strings.Join(im.Notes, "\n  "))
			}
		})
	}
}

// TestReadIATIReferenceBaselines: the reference files' baselines as issue
// 12 asks. The annotated example's only baseline is for sex=female,
// age=adult: no total baseline; iatipublisher's qualitative indicator
// keeps its value 1234.
func TestReadIATIReferenceBaselines(t *testing.T) {
	im := readIATIFile(t, "iati-standard-example-annotated-2.03.xml", "")
	ind := im.Framework.Indicators[0]
	if ind.Baseline != nil || ind.BaselineDate != nil {
		t.Errorf("annotated example: baseline %v (%v), want none: its baseline is for sex=female, age=adult", ind.Baseline, ind.BaselineDate)
	}
	if notes := strings.Join(im.Notes, "\n"); !strings.Contains(notes, "indicator B1-2: 1 baseline not kept: 10 for age=adult; sex=female (2012-01-01)") {
		t.Errorf("annotated example: notes do not name the baseline not kept:\n%s", notes)
	}
	im = readIATIFile(t, "iatipublisher-test-complete.xml", "NP-SWC-0987-7626868262")
	ind = im.Framework.Indicators[0]
	if ind.Unit != indicators.Text || ind.BaselineText != "1234" || ind.BaselineDate == nil || ind.BaselineDate.Format("2006-01-02") != "2023-01-09" {
		t.Errorf("iatipublisher measure 5: unit %s, baseline %q (%v), want text, \"1234\" (2023-01-09)", ind.Unit, ind.BaselineText, ind.BaselineDate)
	}
	notes := strings.Join(im.Notes, "\n")
	for _, w := range []string{`the baseline's comment "narrative" is not kept`, `"Melanie Sloan" on the baseline (read as the total)`, `"narrative" on the actual of 2023-01-01..2023-02-11 (read as the total)`} {
		if !strings.Contains(notes, w) {
			t.Errorf("iatipublisher measure 5: notes do not say %s:\n%s", w, notes)
		}
	}
}
