package indicators

// The report model: what BuildReport computes and the exporters write. Its
// JSON form is the one of SPEC section 7 (numbers are pointers so that no
// data is null; statuses are the lower-case words of Status).

// Report is the results-based report of one project at a reporting period.
type Report struct {
	Project ReportProject `json:"project"`
	Period  ReportPeriod  `json:"period"`
	// Previous is the period "what changed" compares with (null when P is
	// the first reporting period of the project).
	Previous *ReportPeriod `json:"previous,omitempty"`
	// Elapsed is the share of project time elapsed at the end of the period.
	Elapsed  float64        `json:"elapsed"`
	Results  []ReportResult `json:"results"`
	Findings []Finding      `json:"findings"`
	// Missing lists the figures owed by the end of P and not received, for
	// P and earlier periods (SPEC 5 "What is due"), in framework order then
	// period order.
	Missing []MissingReport `json:"missing"`
	// StatusCounts counts the indicators of the whole report by status.
	StatusCounts map[Status]int `json:"status_counts,omitempty"`
	// Recommendations are the evaluations' recommendations with their key
	// actions at the end of the period (the JSON report's recommendations
	// array); FollowUp has the rest of the follow-up: counts by status,
	// overdue actions, actions linked to each result.
	Recommendations []FollowUpRecommendation `json:"recommendations"`
	// FollowUp is the follow-up of evaluation recommendations, when given.
	FollowUp *FollowUp `json:"follow_up,omitempty"`
	// Efficiency is money spent against time elapsed and results reached
	// (AddEfficiency, indicators/efficiency.go), when the framework has a budget.
	Efficiency *Efficiency `json:"efficiency,omitempty"`
}

// ReportProject is the project part of the report.
type ReportProject struct {
	Code      string `json:"code"`
	Title     string `json:"title"`
	Start     string `json:"start"`
	End       string `json:"end"`
	Donor     string `json:"donor,omitempty"`
	Reporting string `json:"reporting,omitempty"`
}

// ReportPeriod is a period as printed: its canonical code and its dates.
type ReportPeriod struct {
	Code  string `json:"code"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// ReportResult is one result of the logframe with its indicators.
type ReportResult struct {
	Code          string   `json:"code"`
	Level         Level    `json:"level"`
	Parent        string   `json:"parent,omitempty"`
	Statement     string   `json:"statement"`
	Assumptions   string   `json:"assumptions,omitempty"`
	ContributesTo []string `json:"contributes_to,omitempty"`
	Status        Status   `json:"status"`
	// Delivery is the worst status of everything below the result (child
	// results and their indicators, recursively); "" when nothing is below.
	Delivery     Status         `json:"delivery,omitempty"`
	StatusCounts map[Status]int `json:"status_counts"`
	// Depth is 0 for a top result, 1 for its children, ... (for indenting).
	Depth      int               `json:"depth"`
	Children   []string          `json:"children,omitempty"`
	Indicators []ReportIndicator `json:"indicators"`
	// Budget is the result's budget, spending and efficiency flags
	// (AddEfficiency), for outcomes and outputs that have a budget.
	Budget *ResultBudget `json:"budget,omitempty"`
}

// ReportIndicator is where one indicator stands at the reporting period.
type ReportIndicator struct {
	Code        string      `json:"code"`
	Name        string      `json:"name"`
	Unit        Unit        `json:"unit"`
	Direction   Direction   `json:"direction"`
	Aggregation Aggregation `json:"aggregation"`
	Computed    bool        `json:"computed,omitempty"`
	Baseline    *float64    `json:"baseline"`
	Target      *float64    `json:"target"`
	// Milestone is the expected value at the end of P (the expected path,
	// SPEC 5), on the footing of Actual.
	Milestone *float64 `json:"milestone"`
	// MilestoneReading is how the milestones are read: cumulative or per
	// period ("" without milestones).
	MilestoneReading string `json:"milestone_reading,omitempty"`
	// MilestoneText is the text of the last milestone due (text indicators).
	MilestoneText string   `json:"milestone_text,omitempty"`
	PeriodValue   *float64 `json:"period_value"`
	Actual        *float64 `json:"actual"`
	// PreviousActual is the actual at the end of the previous period.
	PreviousActual *float64 `json:"previous_actual"`
	Progress       *float64 `json:"progress"`
	Expected       *float64 `json:"expected"`
	Status         Status   `json:"status"`
	Projection     *float64 `json:"projection"`
	Likely         *bool    `json:"likely"`
	// Text indicators: the baseline, target and latest reported text.
	BaselineText  string         `json:"baseline_text,omitempty"`
	TargetText    string         `json:"target_text,omitempty"`
	ActualText    string         `json:"actual_text,omitempty"`
	NextMilestone *NextMilestone `json:"next_milestone,omitempty"`
	Disaggregated []DisaggActual `json:"disaggregated"`
	Verified      string         `json:"verified"`
	Warnings      []string       `json:"warnings"`
	// Missing are the periods whose figures were owed by the end of P and
	// did not come (as printed, oldest first); PeriodMissing are those of
	// them that end within P: P's own figures did not come, so "what
	// changed" must not read as no change.
	Missing       []string `json:"missing,omitempty"`
	PeriodMissing []string `json:"period_missing,omitempty"`
	// Due is every figure owed by the end of P, received or not (for rmf
	// due and the trackers; not in the JSON report).
	Due         []DueItem     `json:"-"`
	Series      []SeriesPoint `json:"series"`
	Sources     []Source      `json:"sources"`
	DataSource  string        `json:"data_source,omitempty"`
	Means       string        `json:"means_of_verification,omitempty"`
	Frequency   string        `json:"frequency,omitempty"`
	Responsible string        `json:"responsible,omitempty"`
	Numerator   *float64      `json:"numerator,omitempty"`
	Denominator *float64      `json:"denominator,omitempty"`
	Formula     string        `json:"formula,omitempty"`
}

// NextMilestone is the first milestone due after the reporting period, on
// the same footing as Milestone (cumulative for sum indicators).
type NextMilestone struct {
	Period string  `json:"period"`
	Target float64 `json:"target"`
}

// DisaggActual is the actual of one disaggregation (e.g. sex=female).
type DisaggActual struct {
	Dims        Disagg   `json:"dims"`
	Actual      *float64 `json:"actual"`
	PeriodValue *float64 `json:"period_value"`
	Milestone   *float64 `json:"milestone,omitempty"`
}

// SeriesPoint is one reporting period from the project start to P: the
// cumulative milestone, the cumulative actual and the figure of the period.
type SeriesPoint struct {
	Period      string   `json:"period"`
	Start       string   `json:"start"`
	End         string   `json:"end"`
	Target      *float64 `json:"target"`
	Actual      *float64 `json:"actual"`
	PeriodValue *float64 `json:"period_value"`
}

// Source is where figures behind a number came from.
type Source struct {
	File  string `json:"file,omitempty"` // the file name, without the folder it lay in
	Sheet string `json:"sheet,omitempty"`
	Rows  []int  `json:"rows,omitempty"`
	// Figures is how many figures came from this file and sheet.
	Figures int `json:"figures"`
}

// Finding is a data-quality finding: a figure that is not verified, a total
// that does not match its breakdown, a rule that does not hold, a formula
// without data.
type Finding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Period   string   `json:"period,omitempty"`
	// Kind classifies the finding: unverified, mismatch, rule, formula.
	Kind string `json:"kind,omitempty"`
}
