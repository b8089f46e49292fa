package indicators

import (
	"strings"
	"testing"
	"time"
)

// TestCheckIATIKeys: check names every missing IATI Project key in one
// warning, and an unknown organisation type in another.
func TestCheckIATIKeys(t *testing.T) {
	full := Project{Code: "P", Title: "T", Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC),
		IATIIdentifier: "XM-DAC-1-P", ReportingOrg: "Org", ReportingOrgID: "XM-DAC-1", ReportingOrgType: "21"}
	cases := []struct {
		name string
		edit func(*Project)
		want []string // substrings of the IATI findings, in order; none for no finding
	}{
		{"complete", func(*Project) {}, nil},
		{"no identifier", func(p *Project) { p.IATIIdentifier = " " }, []string{"project P has no iati_identifier, which IATI needs", "fill in the Project sheet (project: in YAML) iati_identifier with"}},
		{"no org name", func(p *Project) { p.ReportingOrg = "" }, []string{"has no reporting_org,", "reporting_org with the name"}},
		{"no org id", func(p *Project) { p.ReportingOrgID = "" }, []string{"has no reporting_org_id,", "org-id.guide"}},
		{"no org type", func(p *Project) { p.ReportingOrgType = "" }, []string{"has no reporting_org_type,", "OrganisationType code"}},
		{"none", func(p *Project) {
			p.IATIIdentifier, p.ReportingOrg, p.ReportingOrgID, p.ReportingOrgType = "", "", "", ""
		},
			[]string{"has no iati_identifier, reporting_org, reporting_org_id, reporting_org_type,"}},
		{"unknown type", func(p *Project) { p.ReportingOrgType = "NGO" }, []string{`reporting_org_type "NGO", which is not an IATI OrganisationType code`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := full
			c.edit(&p)
			fw := &Framework{Project: p}
			var got []string
			for _, f := range fw.Check() {
				if strings.Contains(f.Message, "IATI") {
					if f.Severity != SevWarning || f.Code != "P" {
						t.Errorf("finding %+v, want a warning about project P", f)
					}
					got = append(got, f.Message)
				}
			}
			if len(c.want) == 0 {
				if len(got) > 0 {
					t.Errorf("findings %q, want none", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("findings %q, want one", got)
			}
			for _, w := range c.want {
				if !strings.Contains(got[0], w) {
					t.Errorf("finding %q lacks %q", got[0], w)
				}
			}
		})
	}
}

// TestIATIDates: the activity dates as kept; start and end stand in for
// the planned dates only when neither date of that end is kept.
func TestIATIDates(t *testing.T) {
	d := func(s string) time.Time {
		x, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	base := Project{Start: d("2020-01-01"), End: d("2021-12-31")}
	cases := []struct {
		name string
		edit func(*Project)
		want string
	}{
		{"rmf's own", func(*Project) {}, "1=2020-01-01 3=2021-12-31"},
		{"actual start only", func(p *Project) { p.ActualStart = d("2020-02-01") }, "2=2020-02-01 3=2021-12-31"},
		{"all four", func(p *Project) {
			p.PlannedStart, p.ActualStart, p.PlannedEnd, p.ActualEnd = d("2019-12-01"), d("2020-02-01"), d("2021-11-30"), d("2022-01-31")
		}, "1=2019-12-01 2=2020-02-01 3=2021-11-30 4=2022-01-31"},
		{"actual end only", func(p *Project) { p.ActualEnd = d("2022-01-31") }, "1=2020-01-01 4=2022-01-31"},
	}
	for _, c := range cases {
		p := base
		c.edit(&p)
		var got []string
		for _, x := range p.IATIDates() {
			got = append(got, x.Type+"="+x.Date.Format(time.DateOnly))
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%s: %s, want %s", c.name, g, c.want)
		}
	}
}
