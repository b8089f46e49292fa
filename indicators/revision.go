package indicators

import (
	"fmt"
	"strings"
	"time"
)

// ReasonCodes are the kinds of reason for revising a framework's targets,
// as TolaData names them.
var ReasonCodes = []string{"adaptive management", "budget realignment", "changes in context", "costed extension",
	"COVID-19", "donor requirement", "implementation delays", "other"}

// ParseReasonCode reads a reason code as people write it ("Changes in
// context", "covid19"); "" stays "".
func ParseReasonCode(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	for _, c := range ReasonCodes {
		if norm(c) == norm(s) {
			return c, nil
		}
	}
	switch norm(s) {
	case "covid", "covid19pandemic", "pandemic":
		return "COVID-19", nil
	}
	return "", fmt.Errorf("%w: reason code %q, expected one of: %s", ErrInvalid, s, strings.Join(ReasonCodes, ", "))
}

// ChangeRecord is why a framework was revised: a row of a logframe's
// RECORD OF CHANGES sheet (as the DFID logframe has one), or the --reason
// of an import.
type ChangeRecord struct {
	Date       time.Time // the day of the change (UTC); zero when not given
	Version    string    // the logframe's version label ("2.0")
	Level      string    // what it concerns ("outcome 3", "3.2.1", "all")
	Reason     string    // why (required)
	ReasonCode string    // one of ReasonCodes, or ""
	ApprovedBy string
	Loc        Loc
}

// Key identifies a record: the same row read from a later version of the
// workbook is the same record.
func (r ChangeRecord) Key() string {
	d := ""
	if !r.Date.IsZero() {
		d = r.Date.Format(time.DateOnly)
	}
	return strings.Join([]string{d, strings.TrimSpace(r.Version), strings.TrimSpace(r.Level), strings.Join(strings.Fields(r.Reason), " ")}, "\x1f")
}
