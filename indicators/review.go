package indicators

// ReportReview is the reporting cycle's part of a report (issue 16): how
// many of the figures the report uses were approved, which were not, and
// which figures of locked (reported) periods were revised since they were
// reported. A report has one only when the database's review log has
// entries (a project that does not approve figures sees no change).
type ReportReview struct {
	// Figures counts the figures the report uses (periods ending by the
	// end of the reporting period) by review state.
	Figures   int `json:"figures"`
	Approved  int `json:"approved"`
	Submitted int `json:"submitted"`
	Returned  int `json:"returned"`
	// Unapproved lists the figures of the reporting period itself that
	// are not approved.
	Unapproved []ReviewedFigure `json:"unapproved,omitempty"`
	// Revised lists the figures of locked periods up to the reporting
	// period that changed since the period was locked.
	Revised []RevisedFigure `json:"revised,omitempty"`
	// RevisedActuals lists, when the reporting period itself is locked,
	// the indicators whose actual differs from the one reported.
	RevisedActuals []RevisedActual `json:"revised_actuals,omitempty"`
}

// ReviewedFigure is a figure not approved.
type ReviewedFigure struct {
	Indicator string   `json:"indicator"`
	Period    string   `json:"period"`
	Dims      string   `json:"dims,omitempty"`
	Value     *float64 `json:"value"`
	Text      string   `json:"text,omitempty"`
	State     string   `json:"state"`            // submitted or returned
	Reason    string   `json:"reason,omitempty"` // of the return
}

// RevisedFigure is a figure of a locked period that changed after the lock.
type RevisedFigure struct {
	Indicator    string   `json:"indicator"`
	Period       string   `json:"period"`
	Dims         string   `json:"dims,omitempty"`
	Value        *float64 `json:"value"`
	Text         string   `json:"text,omitempty"`
	Reported     *float64 `json:"reported"` // null when the figure had not arrived
	ReportedText string   `json:"reported_text,omitempty"`
	LockedPeriod string   `json:"locked_period"` // the lock that covers the figure
	ReportedOn   string   `json:"reported_on"`   // the day of the lock
	CorrectedBy  string   `json:"corrected_by"`  // the file of the current revision
	CorrectedOn  string   `json:"corrected_on"`  // the day it was imported
}

// RevisedActual is an indicator of a locked reporting period whose actual
// differs from the one reported.
type RevisedActual struct {
	Indicator   string   `json:"indicator"`
	Unit        Unit     `json:"unit"`
	Actual      *float64 `json:"actual"`
	Reported    *float64 `json:"reported"`
	ReportedOn  string   `json:"reported_on"`
	CorrectedBy []string `json:"corrected_by,omitempty"` // files of the revisions since
}
