package indicators

import (
	"strings"
	"time"
)

// What the IATI export needs of the project (SPEC sections 2 and 8): the
// publisher as it publishes itself. rmf never invents these: `check` warns
// when one is missing and `export iati` refuses, naming the Project key to
// fill.

// IATIKey is a Project key the IATI export needs, with what to put in it.
type IATIKey struct {
	Key  string // the Project key: iati_identifier, reporting_org, ...
	What string // what to fill it with, for messages
}

// IATIKeys lists the Project keys the IATI export needs, in the order of
// the Project sheet.
var IATIKeys = []IATIKey{
	{"iati_identifier", "the activity's IATI identifier: the reporting organisation's identifier followed by the activity's own code, such as GB-COH-123456-PRJ1"},
	{"reporting_org", "the name of the organisation that publishes the activity"},
	{"reporting_org_id", "the reporting organisation's IATI organisation identifier, such as GB-COH-123456 (find or register it through org-id.guide)"},
	{"reporting_org_type", "the reporting organisation's IATI OrganisationType code, such as 10 (government), 21 (international NGO) or 40 (multilateral)"},
}

// MissingIATI lists the IATI keys the project does not fill (blank or
// white space only).
func (p Project) MissingIATI() []IATIKey {
	var out []IATIKey
	for _, k := range IATIKeys {
		var v string
		switch k.Key {
		case "iati_identifier":
			v = p.IATIIdentifier
		case "reporting_org":
			v = p.ReportingOrg
		case "reporting_org_id":
			v = p.ReportingOrgID
		case "reporting_org_type":
			v = p.ReportingOrgType
		}
		if strings.TrimSpace(v) == "" {
			out = append(out, k)
		}
	}
	return out
}

// IATIOrganisationTypes is IATI's OrganisationType codelist (version 2.03).
var IATIOrganisationTypes = map[string]string{
	"10": "Government", "11": "Local Government", "15": "Other Public Sector",
	"21": "International NGO", "22": "National NGO", "23": "Regional NGO", "24": "Partner Country based NGO",
	"30": "Public Private Partnership", "40": "Multilateral", "60": "Foundation",
	"70": "Private Sector", "71": "Private Sector in Provider Country", "72": "Private Sector in Aid Recipient Country",
	"73": "Private Sector in Third Country", "80": "Academic, Training and Research", "90": "Other",
}

// IATIActivityDate is one activity-date of an IATI activity.
type IATIActivityDate struct {
	Type string // 1 planned start, 2 actual start, 3 planned end, 4 actual end
	Date time.Time
}

// IATIDates are the activity dates the IATI export writes: those the
// project keeps from its IATI file (planned and actual apart), with start
// as the planned start when neither start date is kept and end as the
// planned end when neither end date is.
func (p Project) IATIDates() []IATIActivityDate {
	var out []IATIActivityDate
	add := func(typ string, t time.Time) {
		if !t.IsZero() {
			out = append(out, IATIActivityDate{typ, t})
		}
	}
	ps, pe := p.PlannedStart, p.PlannedEnd
	if ps.IsZero() && p.ActualStart.IsZero() {
		ps = p.Start
	}
	if pe.IsZero() && p.ActualEnd.IsZero() {
		pe = p.End
	}
	add("1", ps)
	add("2", p.ActualStart)
	add("3", pe)
	add("4", p.ActualEnd)
	return out
}

// iati lints what the IATI export needs: the missing keys are one
// warning naming each key and what to fill it with (a project that does not
// publish to IATI can ignore it); an unknown organisation type another.
func (c *checker) iati() {
	p := c.fw.Project
	if miss := p.MissingIATI(); len(miss) > 0 {
		keys := make([]string, len(miss))
		fills := make([]string, len(miss))
		for i, k := range miss {
			keys[i] = k.Key
			fills[i] = k.Key + " with " + k.What
		}
		c.add(secProject, 0, subField, p.Code, SevWarning,
			"project %s has no %s, which IATI needs (rmf export iati refuses without it); fill in the Project sheet (project: in YAML) %s",
			p.Code, strings.Join(keys, ", "), strings.Join(fills, "; "))
	}
	if t := strings.TrimSpace(p.ReportingOrgType); t != "" {
		if _, ok := IATIOrganisationTypes[t]; !ok {
			c.add(secProject, 0, subField, p.Code, SevWarning,
				"project %s has reporting_org_type %q, which is not an IATI OrganisationType code; use one such as 10 (government), 21 (international NGO), 22 (national NGO), 40 (multilateral), 80 (academic) or 90 (other)",
				p.Code, t)
		}
	}
}
