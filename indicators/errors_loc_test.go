package indicators

import (
	"errors"
	"testing"
)

// TestCellErrorString: the one location type prints every kind of place
// the same way.
func TestCellErrorString(t *testing.T) {
	err := errors.New("invalid value: x")
	for _, tt := range []struct {
		e    CellError
		want string
	}{
		{CellError{File: "a.xlsx", Err: err}, "a.xlsx: invalid value: x"},
		{CellError{File: "a.xlsx", Sheet: "Data", Err: err}, "a.xlsx: sheet Data: invalid value: x"},
		{CellError{File: "a.xlsx", Sheet: "Data", Row: 7, Err: err}, "a.xlsx: sheet Data, row 7: invalid value: x"},
		{CellError{File: "a.xlsx", Sheet: "Data", Cell: "B7", Field: "value", Err: err}, "a.xlsx: sheet Data, cell B7 (value): invalid value: x"},
		{CellError{File: "a.csv", Cell: "C2", Err: err}, "a.csv: cell C2: invalid value: x"},
		{CellError{File: "f.yaml", Row: 3, Err: err}, "f.yaml:3: invalid value: x"},
		{CellError{File: "f.yaml", Row: 3, Field: "target", Err: err}, "f.yaml:3: target: invalid value: x"},
		{CellError{File: "a.xml", Line: 12, Err: err}, "a.xml: line 12: invalid value: x"},
		{CellError{Err: err}, "invalid value: x"},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.e, got, tt.want)
		}
		if !errors.Is(&tt.e, err) {
			t.Errorf("%+v does not wrap its error", tt.e)
		}
	}
}

// TestProblemCap: problems beyond the cap are counted, and one last
// problem says how many.
func TestProblemCap(t *testing.T) {
	c := ProblemCap{Max: 2}
	for i := 0; i < 5; i++ {
		c.Add(&CellError{File: "f.csv", Row: i + 1, Err: ErrInvalid})
	}
	p := c.Problems("f.csv")
	if c.Len() != 5 || len(p) != 3 || p[2].Error() != "f.csv: invalid value: 3 more problems not listed (only the first 2 are)" {
		t.Errorf("Len %d, problems %q", c.Len(), p.Error())
	}
	var z ProblemCap
	z.Add(ErrInvalid)
	if got := z.Problems("x"); len(got) != 1 {
		t.Errorf("zero cap: %v", got)
	}
	if got := CapProblems(Problems{ErrInvalid, ErrInvalid, ErrInvalid}, "y", 1); len(got) != 2 || !errors.Is(got[1], ErrInvalid) {
		t.Errorf("CapProblems: %v", got)
	}
}
