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
	// StatusNoTarget: no end-of-project target, so no progress (the
	// figures are still shown).
	StatusNoTarget Status = "no target"
	// StatusReported: a text indicator whose text is not its target and
	// that has no status rule: a stage word is not evidence of being on
	// track.
	StatusReported Status = "reported"
)

// Statuses lists every status, from best to worst, then those that say
// nothing about performance.
var Statuses = []Status{StatusAchieved, StatusOnTrack, StatusAtRisk, StatusOffTrack, StatusNoData, StatusNotDue, StatusNoTarget, StatusReported}

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
	case "notarget":
		return StatusNoTarget, nil
	case "reported":
		return StatusReported, nil
	}
	return "", fmt.Errorf("%w: status %q, expected one of achieved, on track, at risk, off track, no data, not due, no target, reported", ErrInvalid, s)
}
