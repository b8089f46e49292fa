package indicators

import "fmt"

// Status is where an indicator or result stands at a reporting period.
type Status string

const (
	StatusAchieved Status = "achieved"
	StatusOnTrack  Status = "on track"
	StatusAtRisk   Status = "at risk"
	StatusOffTrack Status = "off track"
	StatusNoData   Status = "no data"
	StatusNotDue   Status = "not due"
)

// Statuses lists every status, from best to worst, then the two that say
// nothing about performance.
var Statuses = []Status{StatusAchieved, StatusOnTrack, StatusAtRisk, StatusOffTrack, StatusNoData, StatusNotDue}

// ParseStatus reads a status word as a status rule or a user writes it.
func ParseStatus(s string) (Status, error) {
	switch norm(s) {
	case "achieved", "met", "done":
		return StatusAchieved, nil
	case "ontrack":
		return StatusOnTrack, nil
	case "atrisk":
		return StatusAtRisk, nil
	case "offtrack":
		return StatusOffTrack, nil
	case "nodata":
		return StatusNoData, nil
	case "notdue":
		return StatusNotDue, nil
	}
	return "", fmt.Errorf("%w: status %q, expected one of achieved, on track, at risk, off track, no data, not due", ErrInvalid, s)
}
