package importers

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

// rocWorkbook writes a workbook whose sheet (named sheet) holds rows.
func rocWorkbook(t *testing.T, sheet string, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "logframe.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadRecordOfChanges(t *testing.T) {
	head := []any{"Date", "Version", "Level", "Reason(s) for change", "Reason code", "Approved by"}
	for _, tc := range []struct {
		name  string
		sheet string
		rows  [][]any
		want  []string // Key-like summaries: date|version|level|reason|code|approved
		err   []string // substrings of the error, when it fails
	}{
		{name: "DFID layout with a title row", sheet: "RECORD OF CHANGES",
			rows: [][]any{{"Record of changes to the logframe"}, head,
				{"2021-11-20", "2.0", "Outcome 3", "Mid-term review: provincial training", "Changes in context", "Steering committee"},
				{},
				{"15/03/2022", 2.1, "3.3.1", "Four more NGOs", "", ""}},
			want: []string{"2021-11-20|2.0|Outcome 3|Mid-term review: provincial training|changes in context|Steering committee",
				"2022-03-15|2.1|3.3.1|Four more NGOs||"}},
		{name: "a date cell and COVID spelled freely", sheet: "Record of changes",
			rows: [][]any{head, {time.Date(2020, 5, 4, 0, 0, 0, 0, time.UTC), "1.1", "all", "Lockdown", "covid19", "Donor"}},
			want: []string{"2020-05-04|1.1|all|Lockdown|COVID-19|Donor"}},
		{name: "another sheet only", sheet: "Results", rows: [][]any{{"code", "level"}}},
		{name: "a row without reason or date", sheet: "Record of changes",
			rows: [][]any{head, {"2021-11-20", "2.0", "Outcome 3", "", "", ""}, {"", "2.1", "3.3.1", "Four more NGOs"}},
			err:  []string{"sheet Record of changes, cell D2 (reason): required value missing: a change without a reason", "cell A3 (date): required value missing: a change without a date"}},
		{name: "a bad date and an unknown code", sheet: "Record of changes",
			rows: [][]any{head, {"next week", "2.0", "O3", "Review", "mid-term review"}},
			err:  []string{`cell A2 (date): invalid value: date "next week"`, `cell E2 (reason code): invalid value: reason code "mid-term review", expected one of: adaptive management`}},
		{name: "no reason column", sheet: "Record of changes",
			rows: [][]any{{"Date", "Version", "Approved by"}, {"2021-11-20", "2.0", "SC"}},
			err:  []string{"no column reason"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := ReadRecordOfChanges(rocWorkbook(t, tc.sheet, tc.rows))
			if len(tc.err) > 0 {
				if err == nil {
					t.Fatalf("no error, got %+v", recs)
				}
				for _, e := range tc.err {
					if !strings.Contains(err.Error(), e) {
						t.Errorf("error lacks %q:\n%v", e, err)
					}
				}
				if !errors.Is(err, indicators.ErrRequired) && !errors.Is(err, indicators.ErrInvalid) && !errors.Is(err, indicators.ErrMissingColumn) {
					t.Errorf("error wraps no sentinel: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, strings.Join([]string{r.Date.Format(time.DateOnly), r.Version, r.Level, r.Reason, r.ReasonCode, r.ApprovedBy}, "|"))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
