package importers

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// FuzzImportExpendituresCSV: whatever the CSV, the importer never panics,
// returns indicators.Problems (each a *CellError) or nothing, and every
// expenditure it hands to the sink passes Framework.ValidateExpenditure.
//
//	go test ./importers -run '^$' -fuzz FuzzImportExpendituresCSV -fuzztime 30s
func FuzzImportExpendituresCSV(f *testing.F) {
	for _, s := range []string{
		"result,period,amount\n1.2,2021S1,100\n",
		"budget line;date;spent;currency\nBL-12;2021-03-01;1,250.50;CHF\n",
		"output,semester,amount\nA1.2.1 x,PY2,5\nO1,2020-09-01..2021-02-28,-3\n",
		"amount\n4\n", "result,period,amount,indicator\n1.2,2021,1,2\n",
		"result,period,amount,reference\n1.2,2021S1,1e308,V\n1.2,2021S1,NaN,V\n",
	} {
		f.Add([]byte(s))
	}
	fw := expFramework()
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var s expSink
		_, err := ImportExpenditures(path, fw, &s, ExpenditureOptions{})
		if err != nil {
			var probs indicators.Problems
			if !errors.As(err, &probs) || len(probs) == 0 {
				t.Fatalf("error %T is not a non-empty Problems: %v", err, err)
			}
			for _, p := range probs {
				var ce *indicators.CellError
				if !errors.As(p, &ce) {
					t.Fatalf("problem %T is not a CellError: %v", p, p)
				}
			}
			return
		}
		for _, e := range s.got {
			if err := fw.ValidateExpenditure(e); err != nil {
				t.Fatalf("accepted an invalid expenditure %+v: %v", e, err)
			}
		}
	})
}
