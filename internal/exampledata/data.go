package exampledata

import (
	"fmt"
	"math"
	"sort"
)

// quarter is a calendar quarter.
type quarter struct{ Y, Q int }

func (q quarter) String() string { return fmt.Sprintf("%dQ%d", q.Y, q.Q) }  // 2020Q1
func (q quarter) spoken() string { return fmt.Sprintf("Q%d %d", q.Q, q.Y) } // Q1 2020
func (q quarter) dashed() string { return fmt.Sprintf("%d-Q%d", q.Y, q.Q) } // 2020-Q1
func (q quarter) file() string   { return fmt.Sprintf("%dq%d", q.Y, q.Q) }  // 2020q1
func (q quarter) next() quarter {
	if q.Q == 4 {
		return quarter{q.Y + 1, 1}
	}
	return quarter{q.Y, q.Q + 1}
}
func (q quarter) before(r quarter) bool { return q.Y < r.Y || q.Y == r.Y && q.Q < r.Q }

// quarters returns from..to, both included.
func quarters(from, to quarter) []quarter {
	var qs []quarter
	for q := from; !to.before(q); q = q.next() {
		qs = append(qs, q)
	}
	return qs
}

var (
	// first is the first full quarter of the project (it started on
	// 2019-09-01, in the last month of 2019Q3).
	first = quarter{2019, 4}
	// last is the last quarter with data: the report is at 2022Q2.
	last = quarter{2022, 2}
)

func q(y, n int) quarter { return quarter{y, n} }

func workbooks() []workbook {
	var ws []workbook
	ws = append(ws, statisticsOffice()...)
	ws = append(ws, policyUnit()...)
	ws = append(ws, campaignAgency()...)
	ws = append(ws, ngoGrants()...)
	ws = append(ws, ngoCorrections())
	ws = append(ws, trainingCoordinator()...)
	ws = append(ws, surveys()...)
	return ws
}

func csvFiles() []csvFile { return []csvFile{emergencyResponse()} }

// ---------------------------------------------------------------------------
// Outcome 1: the national statistics office, one long workbook per quarter.

// nsoTraining is one training of statistics and emergency officers:
// officers who took both tests (den) and whose score improved (num), by sex.
type nsoTraining struct{ numF, numM, denF, denM int }

var nsoTrainings = map[quarter]nsoTraining{
	q(2020, 3): {numF: 12, numM: 8, denF: 24, denM: 21},
	q(2021, 1): {numF: 21, numM: 17, denF: 30, denM: 26},
	q(2021, 4): {numF: 17, numM: 14, denF: 22, denM: 20},
	q(2022, 2): {numF: 21, numM: 16, denF: 26, denM: 22},
}

// Tracking assessments per quarter: 8 by mid-term (2021Q3), 10 by 2022Q2.
var nsoAssessments = map[quarter]int{
	q(2020, 1): 1, q(2020, 2): 1, q(2020, 3): 1, q(2020, 4): 1,
	q(2021, 1): 1, q(2021, 2): 2, q(2021, 3): 1,
	q(2021, 4): 1, q(2022, 2): 1,
}

func statisticsOffice() []workbook {
	var ws []workbook
	for _, qq := range quarters(first, last) {
		p := qq.String()
		var rows [][]any
		tools := "no"
		toolsNote := "Tools being adapted with the emergency management agency."
		if !qq.before(q(2020, 4)) {
			tools, toolsNote = "yes", "Adapted tool set approved by the agency in December 2020."
		}
		if qq.before(q(2020, 2)) {
			toolsNote = "Review of the existing tools started."
		}
		rows = append(rows, []any{"1.1.1", "Mobility tracking tools adapted to the capital", p, nil, tools, toolsNote, "Project records", "yes"})
		n := nsoAssessments[qq]
		note := ""
		switch {
		case qq == q(2020, 2) || qq == q(2020, 3):
			note = "Field work slowed by the COVID-19 restrictions."
		case qq == q(2021, 2):
			note = "Assessments in Khovd and Dornod, provinces of origin."
		case n == 0:
			note = "No assessment this quarter."
		}
		rows = append(rows, []any{"1.1.3", "Tracking assessments carried out", p, nil, n, note, "Assessment reports", "yes"})
		if t, ok := nsoTrainings[qq]; ok {
			for _, r := range []struct {
				code, name, sex string
				v               int
			}{
				{"1.1.2n", "Trained officers whose test score improved", "female", t.numF},
				{"1.1.2n", "Trained officers whose test score improved", "male", t.numM},
				{"1.1.2d", "Trained officers who took both tests", "female", t.denF},
				{"1.1.2d", "Trained officers who took both tests", "male", t.denM},
			} {
				rows = append(rows, []any{r.code, r.name, p, r.sex, r.v, "", "Pre- and post-training tests", "yes"})
			}
		}
		if qq.before(q(2021, 3)) {
			sub := "no"
			note := "Questionnaire review under way."
			if qq.before(q(2020, 3)) {
				note = ""
			}
			if qq == q(2021, 2) {
				sub, note = "yes", "Proposal presented to the statistics office on 2021-05-20."
			}
			rows = append(rows, []any{"1.2.1", "Proposal for migration indicators in the census submitted", p, nil, sub, note, "Correspondence with the statistics office", "yes"})
		}
		switch qq {
		case q(2021, 4):
			rows = append(rows, []any{"O1.1", "Official statistical releases with internal-migration data", p, nil, 1, "First migration statistics bulletin.", "NSO publications", "yes"})
		case q(2022, 2):
			rows = append(rows, []any{"O1.1", "Official statistical releases with internal-migration data", p, nil, 1, "Labour force survey release with a migration table.", "NSO publications", "yes"})
		}
		ws = append(ws, workbook{
			Name: qq.file() + "_statistics_office_outcome1.xlsx",
			Sheets: []sheet{{
				Name: "Outcome 1",
				Titles: []string{
					"National Statistics Office of Mongolia - data return to the MIG-MN project",
					"Quarter " + p + ". Counts are new in the quarter, not running totals.",
					"",
				},
				Header: []string{"Code", "Name", "Period", "Sex", "Value", "Comment", "Source", "Verified"},
				Rows:   rows,
				Widths: []float64{9, 52, 10, 8, 8, 52, 34, 9},
			}},
		})
	}
	return ws
}

// ---------------------------------------------------------------------------
// Outcome 2: the policy unit's IPTT (wide), sent every year and at 2022Q2,
// each one restating the earlier quarters; a second sheet in the long layout
// gives the training results as numerator and denominator.

type iptRow struct {
	code, name string
	vals       map[quarter]any
}

var policyIPTT = []iptRow{
	{"O2.1", "National, local or sectoral policies that address internal migration", map[quarter]any{
		q(2021, 4): 1, q(2022, 2): 1}},
	{"2.1.1", "Thematic studies completed", map[quarter]any{
		q(2020, 4): 1, q(2021, 2): 1}},
	{"2.2.1", "Action plan submitted to the labour ministry", map[quarter]any{
		q(2020, 4): "no", q(2021, 2): "no", q(2021, 4): "no", q(2022, 2): "no"}},
	{"2.2.2", "Stage reached by the action plan", map[quarter]any{
		q(2020, 4): "not started", q(2021, 2): "drafting", q(2021, 4): "drafting", q(2022, 2): "consultation"}},
}

// policyTraining: staff reporting better knowledge of research tools
// (2.1.2n, the numerator of 2.1.2) out of those who answered the
// questionnaire (2.1.2d, its denominator), by sex.
var policyTraining = []struct {
	q        quarter
	sex      string
	num, den int
}{
	{q(2021, 1), "female", 18, 25},
	{q(2021, 1), "male", 10, 16},
	{q(2022, 1), "female", 14, 19},
	{q(2022, 1), "male", 9, 13},
}

func policyUnit() []workbook {
	var ws []workbook
	for _, upto := range []quarter{q(2020, 4), q(2021, 4), q(2022, 2)} {
		qs := quarters(first, upto)
		header := []string{"Code", "Name"}
		widths := []float64{8, 60}
		for _, qq := range qs {
			header = append(header, qq.String())
			widths = append(widths, 11)
		}
		var rows [][]any
		for _, r := range policyIPTT {
			row := []any{r.code, r.name}
			for _, qq := range qs {
				row = append(row, r.vals[qq])
			}
			rows = append(rows, row)
		}
		sheets := []sheet{{
			Name: "IPTT",
			Titles: []string{
				"Indicator performance tracking table - outcome 2, migration governance",
				"Migration policy unit, Ministry of Labour and Social Protection; figures up to " + upto.String(),
				"One column per quarter; an empty cell means nothing to report for that quarter.",
				"",
			},
			Header: header,
			Rows:   rows,
			Widths: widths,
		}}
		var trows [][]any
		for _, code := range []string{"2.1.2n", "2.1.2d"} {
			for _, t := range policyTraining {
				if upto.before(t.q) {
					continue
				}
				v, what := t.num, "Staff who report better knowledge"
				if code == "2.1.2d" {
					v, what = t.den, "Staff who answered"
				}
				trows = append(trows, []any{code, what, t.q.String(), t.sex, v, "Questionnaire three months after the training"})
			}
		}
		if len(trows) > 0 {
			sheets = append(sheets, sheet{
				Name: "Training results",
				Titles: []string{
					"Policy staff trained in research tools: post-training self-assessment",
					"2.1.2n: staff who report better knowledge; 2.1.2d: staff who answered. rmf computes the share (2.1.2).",
					"",
				},
				Header: []string{"Indicator", "Name", "Period", "Sex", "Value", "Source"},
				Rows:   trows,
				Widths: []float64{10, 34, 10, 8, 8, 44},
			})
		}
		ws = append(ws, workbook{Name: upto.file() + "_policy_unit_iptt.xlsx", Sheets: sheets})
	}
	return ws
}

// ---------------------------------------------------------------------------
// Output 3.1: the campaign agency (wide, by sex, quarters spelled "Q1 2020").

var campaignReach = map[quarter][2]int{ // female, male
	q(2020, 1): {6200, 5100},
	q(2020, 2): {9800, 8400},
	q(2020, 3): {11200, 9300},
	q(2020, 4): {12600, 10900},
	q(2021, 1): {10400, 8800},
	q(2021, 2): {9100, 7700},
	q(2021, 3): {6300, 5400},
	q(2021, 4): {5900, 5100},
	q(2022, 1): {4700, 4000},
	q(2022, 2): {5200, 4400},
}

func campaignAgency() []workbook {
	var ws []workbook
	for _, upto := range []quarter{q(2020, 4), q(2021, 4), q(2022, 2)} {
		qs := quarters(q(2020, 1), upto)
		header := []string{"Code", "Name", "Sex"}
		widths := []float64{8, 40, 8}
		for _, qq := range qs {
			header = append(header, qq.spoken())
			widths = append(widths, 10)
		}
		var rows [][]any
		for i, sex := range []string{"female", "male"} {
			row := []any{"3.1.1", "People reached by the information campaign", sex}
			for _, qq := range qs {
				row = append(row, num(campaignReach[qq][i]))
			}
			rows = append(rows, row)
		}
		ws = append(ws, workbook{
			Name: upto.file() + "_campaign_agency.xlsx",
			Sheets: []sheet{{
				Name: "Reach",
				Titles: []string{
					"Safe-migration information campaign: people reached",
					"Campaign agency report to the MIG-MN project, " + qs[0].spoken() + " to " + upto.spoken(),
					"Audience figures from broadcasters and sign-in sheets of events, per quarter.",
					"",
				},
				Header: header,
				Rows:   rows,
				Widths: widths,
			}},
		})
	}
	return ws
}

// ---------------------------------------------------------------------------
// Output 3.3: the NGO grants manager (long, by sex and province), every
// semester. Migrants served up to 2021Q2 add up to the 10,753 reported at
// mid-term, which could not be verified.

// ngoServed is the number of migrants served per quarter.
var ngoServed = map[quarter]int{
	q(2020, 3): 1650, q(2020, 4): 2480, q(2021, 1): 3105, q(2021, 2): 3518, // 10,753
	q(2021, 3): 640, q(2021, 4): 520, q(2022, 1): 410, q(2022, 2): 585,
}

// MigrantsServedAtMidTerm is the sum of the migrants served up to 2021Q2.
const MigrantsServedAtMidTerm = 10753

// ngoProvinces are where the funded NGOs work, with their share of clients.
var ngoProvinces = []struct {
	name  string
	share float64
}{
	{"Ulaanbaatar", 0.45}, {"Darkhan-Uul", 0.12}, {"Orkhon", 0.11}, {"Khovd", 0.10},
	{"Dornod", 0.09}, {"Selenge", 0.08}, {"Uvurkhangai", 0.05},
}

const ngoFemaleShare = 0.58

// ngoGrants: NGOs funded, service types (a running count), CHF disbursed.
var ngoGrantRows = []struct {
	q         quarter
	code      string
	v         any
	src, note string
}{
	{q(2020, 3), "3.3.1", 17, "Signed grant agreements", "17 NGOs selected out of 51 applicants."},
	{q(2020, 3), "3.3.5", num(85000), "Grants ledger", "First instalments."},
	{q(2020, 4), "3.3.3", 62, "NGO service catalogue", ""},
	{q(2020, 4), "3.3.5", num(64500), "Grants ledger", ""},
	{q(2021, 1), "3.3.3", 118, "NGO service catalogue", ""},
	{q(2021, 1), "3.3.5", num(52000), "Grants ledger", ""},
	{q(2021, 2), "3.3.3", 141, "NGO service catalogue", ""},
	{q(2021, 2), "3.3.5", num(41300), "Grants ledger", ""},
	{q(2021, 3), "3.3.5", num(18000), "Grants ledger", "Final instalments of the first round."},
	{q(2021, 4), "3.3.3", 146, "NGO service catalogue", ""},
	{q(2021, 4), "3.3.5", num(22400), "Grants ledger", ""},
	{q(2022, 1), "3.3.5", num(9800), "Grants ledger", "Second-round call for proposals, focused on employability."},
	{q(2022, 2), "3.3.3", 147, "NGO service catalogue", ""},
	{q(2022, 2), "3.3.5", num(14600), "Grants ledger", "Four more NGOs selected in May 2022; agreements not yet signed."},
}

// allocate splits total over weights by the largest remainder, so the
// parts add up to total exactly.
func allocate(total int, weights []float64) []int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	parts := make([]int, len(weights))
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(weights))
	left := total
	for i, w := range weights {
		exact := float64(total) * w / sum
		parts[i] = int(math.Floor(exact))
		left -= parts[i]
		rems[i] = rem{i, exact - float64(parts[i])}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; k < left; k++ {
		parts[rems[k%len(rems)].i]++
	}
	return parts
}

// ngoBreakdown returns the migrants served in quarter qq by province then
// sex (female, male).
func ngoBreakdown(qq quarter) [][2]int {
	w := make([]float64, len(ngoProvinces))
	for i, p := range ngoProvinces {
		w[i] = p.share
	}
	out := make([][2]int, len(ngoProvinces))
	for i, n := range allocate(ngoServed[qq], w) {
		fm := allocate(n, []float64{ngoFemaleShare, 1 - ngoFemaleShare})
		out[i] = [2]int{fm[0], fm[1]}
	}
	return out
}

func ngoGrants() []workbook {
	var ws []workbook
	for _, sem := range [][2]quarter{
		{q(2020, 3), q(2020, 4)}, {q(2021, 1), q(2021, 2)}, {q(2021, 3), q(2021, 4)}, {q(2022, 1), q(2022, 2)},
	} {
		var served [][]any
		for _, qq := range sem {
			verified, note := "unverifiable", "As reported by the NGOs; their client registers do not allow a check."
			if !qq.before(q(2021, 3)) {
				verified, note = "yes", "Client registers checked on a sample during monitoring visits."
			}
			for i, p := range ngoProvinces {
				b := ngoBreakdown(qq)[i]
				for j, sex := range []string{"female", "male"} {
					served = append(served, []any{"3.3.2", qq.dashed(), sex, p.name, num(b[j]), verified, "NGO quarterly reports", note})
				}
			}
		}
		var grants [][]any
		for _, g := range ngoGrantRows {
			if g.q == sem[0] || g.q == sem[1] {
				grants = append(grants, []any{g.code, g.q.dashed(), g.v, g.src, g.note})
			}
		}
		ws = append(ws, workbook{
			Name: sem[1].file() + "_ngo_grants.xlsx",
			Sheets: []sheet{
				{
					Name: "Migrants served",
					Titles: []string{
						"NGO grants: migrants served by the funded NGOs, " + sem[0].dashed() + " and " + sem[1].dashed(),
						"Compiled by the NGO grants manager from the NGOs' quarterly reports.",
						"",
					},
					Header: []string{"Indicator", "Reporting period", "Sex", "Province", "Value", "Verified", "Source", "Comment"},
					Rows:   served,
					Widths: []float64{10, 12, 8, 14, 9, 13, 24, 62},
				},
				{
					Name: "Grants",
					Titles: []string{
						"NGO grants: NGOs funded, service types and grants disbursed (CHF)",
						"",
					},
					Header: []string{"Indicator", "Reporting period", "Value", "Source", "Comment"},
					Rows:   grants,
					Widths: []float64{10, 12, 10, 26, 62},
				},
			},
		})
	}
	return ws
}

// Corrections sent after the ledger audit and the catalogue review: new
// revisions of three figures imported earlier.
var ngoCorrectionRows = [][]any{
	{"3.3.5", "2020Q4", num(68200), "Ledger audit of July 2021: an instalment of CHF 3,700 was booked in 2021Q1 by mistake.", "Audited grants ledger"},
	{"3.3.5", "2021Q2", num(38900), "Ledger audit of July 2021: CHF 2,400 returned by an NGO that closed its project.", "Audited grants ledger"},
	{"3.3.3", "2021Q2", 144, "Service catalogue review: three service types had been counted under other headings.", "NGO service catalogue"},
}

func ngoCorrections() workbook {
	return workbook{
		Name: "2021q3_ngo_grants_corrections.xlsx",
		Sheets: []sheet{{
			Name: "Corrections",
			Titles: []string{
				"Corrections to earlier NGO grant returns",
				"After the audit of the grants ledger (July 2021) and the review of the service catalogue.",
				"",
			},
			Header: []string{"Indicator", "Period", "Value", "Comment", "Source"},
			Rows:   ngoCorrectionRows,
			Widths: []float64{10, 10, 10, 80, 24},
		}},
	}
}

// ---------------------------------------------------------------------------
// Output 3.2: the training coordinator (long, a disaggregation column).
// 150 local staff trained by 2022Q2 against 360 planned: off track; the
// provincial trainings of activity 3.2.5 only start in 2022-08.

var trainings = []struct {
	q        quarter
	province string
	n, women int
	note     string
}{
	{q(2020, 4), "Ulaanbaatar", 38, 27, "Social workers of four districts of the capital."},
	{q(2021, 2), "Ulaanbaatar", 41, 30, "Registration staff of the capital's districts."},
	{q(2021, 4), "Ulaanbaatar", 22, 15, "Refresher course; COVID-19 limits on group size."},
	{q(2022, 2), "Darkhan-Uul", 24, 17, "First provincial training."},
	{q(2022, 2), "Orkhon", 25, 16, ""},
}

func trainingCoordinator() []workbook {
	var ws []workbook
	for _, f := range []struct{ from, to quarter }{{first, q(2021, 2)}, {q(2021, 3), q(2022, 2)}} {
		var rows [][]any
		women := map[quarter]int{}
		var qs []quarter
		for _, t := range trainings {
			if t.q.before(f.from) || f.to.before(t.q) {
				continue
			}
			rows = append(rows, []any{"3.2.1", t.q.String(), "province=" + t.province, t.n, t.note})
			if _, ok := women[t.q]; !ok {
				qs = append(qs, t.q)
			}
			women[t.q] += t.women
		}
		for _, qq := range qs {
			rows = append(rows, []any{"3.2.1f", qq.String(), "", women[qq], "Women among the participants, all provinces."})
		}
		ws = append(ws, workbook{
			Name: f.to.file() + "_training_coordinator.xlsx",
			Sheets: []sheet{{
				Name: "Trainings",
				Titles: []string{
					"Local staff trained to inform and serve migrants",
					"Training coordinator, " + f.from.String() + " to " + f.to.String() + "; participants who attended the full course.",
					"",
				},
				Header: []string{"Indicator", "Period", "Disaggregation", "Value", "Comment"},
				Rows:   rows,
				Widths: []float64{10, 10, 26, 8, 52},
			}},
		})
	}
	return ws
}

// ---------------------------------------------------------------------------
// Surveys of the M&E unit: percents in cells formatted as percents.

func surveys() []workbook {
	mk := func(qq quarter, rows [][]any) workbook {
		return workbook{
			Name: qq.file() + "_me_unit_surveys.xlsx",
			Sheets: []sheet{{
				Name: "Survey results",
				Titles: []string{
					"MIG-MN M&E unit: survey results, " + qq.String(),
					"Shares as measured by the surveys; sample sizes are in the survey reports.",
					"",
				},
				Header: []string{"Indicator", "Period", "Disaggregation", "Value", "Numerator", "Denominator", "Source", "Comment"},
				Rows:   rows,
				Widths: []float64{10, 10, 16, 8, 11, 12, 40, 50},
			}},
		}
	}
	reg := "Migrant survey in the target districts"
	return []workbook{
		mk(q(2020, 4), [][]any{
			{"O3.1", "2020Q4", "", pct(26), nil, nil, reg, "First follow-up survey."},
			{"O3.1", "2020Q4", "sex=female", pct(27), nil, nil, reg, ""},
			{"O3.1", "2020Q4", "sex=male", pct(25), nil, nil, reg, ""},
		}),
		mk(q(2021, 4), [][]any{
			{"O3.1", "2021Q4", "", pct(23), nil, nil, reg, "Second follow-up survey."},
			{"O3.1", "2021Q4", "sex=female", pct(24), nil, nil, reg, ""},
			{"O3.1", "2021Q4", "sex=male", pct(22), nil, nil, reg, ""},
			{"3.1.2", "2021Q4", "", nil, 352, 800, "KAP survey in provinces of origin (midline)",
				"352 of 800 respondents intend to look for information before moving; baseline 35% in February 2020."},
		}),
	}
}

// ---------------------------------------------------------------------------
// Output 3.4: the emergency response, a CSV file.

func emergencyResponse() csvFile {
	return csvFile{
		Name:   "2021q1_emergency_response.csv",
		Header: []string{"indicator", "period", "disaggregation", "value", "source", "verified", "comment"},
		Rows: [][]string{
			{"3.4.1", "2020Q2", "sex=female", "842", "Signed distribution lists", "yes", "Food packages during the spring 2020 lockdown"},
			{"3.4.1", "2020Q2", "sex=male", "643", "Signed distribution lists", "yes", ""},
			{"3.4.2", "2020Q4", "", "610", "Signed distribution lists", "yes", "Coal for the winter, first distribution"},
			{"3.4.2", "2021Q1", "", "390", "Signed distribution lists", "yes", "Second distribution, February 2021"},
		},
	}
}
