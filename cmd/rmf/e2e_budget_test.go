package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExpendituresE2E: rmf import recognises the finance export, the
// report at 2021Q3 shows the review's figures, a second import changes
// nothing, a correction becomes a revision, and a bad file is refused with
// its cells and changes nothing.
func TestExpendituresE2E(t *testing.T) {
	onEngines(t, testExpendituresE2E) // both engines: e2e_engines_test.go
}

func testExpendituresE2E(t *testing.T) {
	dir := projectDir(t)
	out := mustRMF(t, dir, "import", examplePath(t, "finance/expenditures.xlsx"))
	if !strings.Contains(out, "44 rows read, 44 added, 0 changed, 0 unchanged") {
		t.Errorf("import: %s", out)
	}
	report := mustRMF(t, dir, "report", "--period", "2021Q3")
	for _, want := range []string{
		"At 2021-08-31, 50.0% of the project's time has elapsed and 27.7% of the operational budget is spent", // spending known to 2021-08-31: time at the same day
		"  Output 1.2              200,000     15,800   7.9%",
		"  Output 3.2              150,000     19,200  12.8%",
		"  Output 3.3              450,000     57,600  12.8%",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("text report lacks %q:\n%s", want, report)
		}
	}
	js := mustRMF(t, dir, "report", "--period", "2021Q3", "--format", "json")
	var r struct {
		Efficiency struct {
			Operational struct {
				Rate float64 `json:"disbursement_rate"`
				Lags bool    `json:"spending_lags_time"`
			} `json:"operational"`
		} `json:"efficiency"`
		Results []struct {
			Code   string `json:"code"`
			Budget *struct {
				Budget float64 `json:"budget"`
				Spent  float64 `json:"spent"`
			} `json:"budget"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	if op := r.Efficiency.Operational; op.Rate < 0.2769 || op.Rate > 0.2771 || !op.Lags {
		t.Errorf("operational %+v", op)
	}
	for _, x := range r.Results {
		if x.Code == "1.2" && (x.Budget == nil || x.Budget.Budget != 200000 || x.Budget.Spent != 15800) {
			t.Errorf("1.2 budget block %+v", x.Budget)
		}
	}

	// A correction: output 1.2 spent 20,000 (not 8,000) in the fourth semester.
	corr := filepath.Join(dir, "correction.csv")
	os.WriteFile(corr, []byte("budget line,period,amount\nOP-1.2,2021-03-01..2021-08-31,20000\n"), 0o644)
	if out := mustRMF(t, dir, "import", corr); !strings.Contains(out, "1 row read, 0 added, 1 changed, 0 unchanged") {
		t.Errorf("correction: %s", out)
	}
	if report := mustRMF(t, dir, "report", "--period", "2021Q3"); !strings.Contains(report, "  Output 1.2              200,000     27,800  13.9%") {
		t.Errorf("corrected report:\n%s", report)
	}

	hist := mustRMF(t, dir, "expenditures", "--history", "OP-1.2")
	if !strings.Contains(hist, "8,000") || !strings.Contains(hist, "20,000") || strings.Count(hist, "false") != 1 {
		t.Errorf("history of OP-1.2:\n%s", hist)
	}

	// A bad file: every problem with its cell, nothing written.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("result code,period,amount,currency\n9.9,2021S1,100,\n1.2,2021Q5,100,\n1.2,2021S1,-4,\n1.2,2021S1,5,USD\n"), 0o644)
	_, errs, code := rmf(t, dir, "import", bad)
	if code != 1 {
		t.Errorf("bad file: exit %d", code)
	}
	for _, want := range []string{"cell A2 (result)", "cell B3 (period)", "cell C4 (amount)", "cell D5 (currency)", "nothing was written"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	imports := mustRMF(t, dir, "imports")
	if strings.Contains(imports, "bad.csv") || !strings.Contains(imports, "correction.csv") {
		t.Errorf("imports:\n%s", imports)
	}
}
