package importers

import (
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// iatiProjectKeys are the Project keys of IATI publisher details beyond
// iati_identifier and reporting_org* (added to projectKeys): the activity
// dates as published, planned and actual apart, and whether the reporting
// organisation is a secondary reporter. An IATI file read by rmf fills
// them, so that the framework exported to .xlsx or .yaml and imported again
// writes the same IATI activity.
var iatiProjectKeys = map[string]string{
	"plannedstart": "planned_start", "plannedstartdate": "planned_start",
	"actualstart": "actual_start", "actualstartdate": "actual_start",
	"plannedend": "planned_end", "plannedenddate": "planned_end",
	"actualend": "actual_end", "actualenddate": "actual_end",
	"secondaryreporter": "secondary_reporter", "reportingorgsecondaryreporter": "secondary_reporter",
}

func init() {
	for k, v := range iatiProjectKeys {
		if _, taken := projectKeys[k]; !taken {
			projectKeys[k] = v
		}
	}
}

// buildProjectIATI reads the IATI keys of the project record.
func (b *builder) buildProjectIATI(r record) {
	p := &b.fw.Project
	for _, d := range []struct {
		field string
		t     *time.Time
	}{{"planned_start", &p.PlannedStart}, {"actual_start", &p.ActualStart}, {"planned_end", &p.PlannedEnd}, {"actual_end", &p.ActualEnd}} {
		if !r.has(d.field) {
			continue
		}
		if t, err := b.dateOrPeriod(r, d.field, strings.HasSuffix(d.field, "_end")); err == nil {
			*d.t = t
		}
	}
	if r.has("secondary_reporter") {
		v, err := ParseYesNo(r.text("secondary_reporter"))
		if err != nil {
			b.errAt(r, "secondary_reporter", indicators.ErrInvalid, "secondary_reporter %q, expected yes or no (yes when the reporting organisation publishes an activity it does not fund or carry out)", r.text("secondary_reporter"))
			return
		}
		sec := v == 1
		p.SecondaryReporter = &sec
	}
}
