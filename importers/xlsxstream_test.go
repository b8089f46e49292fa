package importers

import (
	"strings"
	"testing"
)

// TestXLSXRowsCellTypeAfterLongFormula: a cell's type is read before its
// content, whose tags (a shared formula's long <f .../>) reuse the
// scanner's buffer: a formula's text result stays text.
func TestXLSXRowsCellTypeAfterLongFormula(t *testing.T) {
	// The long row tag first: the buffer is then large enough for the
	// formula's tag, which is written over the cell's.
	data := `<worksheet><sheetData><row r="2" spans="1:2" customFormat="1" ht="15" customHeight="1" thickBot="1">` +
		`<c r="A2" t="str"><f t="shared" ref="A2:A1000" si="0">CONCATENATE(B2,"-",C2)</f><v>ab-cd</v></c>` +
		`<c r="B2" s="1"><f t="shared" ref="B2:B1000" si="1">C2/D2</f><v>0.25</v></c>` +
		`</row></sheetData></worksheet>`
	b := &xlsxBook{sst: newSharedStrings("indicator"), xfKind: []CellKind{CellNumber, CellPercent}, limit: 1 << 20}
	r := newXLSXRows(b, strings.NewReader(data), nil)
	row, cells, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if row != 2 || len(cells) != 2 || cells[0].Kind != CellText || cells[0].Raw != "ab-cd" || cells[1].Kind != CellPercent || cells[1].Raw != "0.25" {
		t.Errorf("row %d: %+v; want the text ab-cd and the percent 0.25", row, cells)
	}
}

// TestCellAttrs: cellAttrs reads r, s and t as attrValue reads each.
func TestCellAttrs(t *testing.T) {
	for _, attrs := range []string{
		` r="A2" s="1" t="s"`, ` t='str' r="B7"`, ` x:r="C3" s = "4"`, ` r="A&amp;1" t="b&#13;"`, ` r="A1" r="B1" t="n" t="s"`,
		` r="A1" bad t="s"`, ` r=A1 t="s"`, ``, ` s=""`, ` rr="A1" ss="1" tt="s" r="Z9"`,
	} {
		r, s, tt := cellAttrs([]byte(attrs))
		for name, got := range map[string][]byte{"r": r, "s": s, "t": tt} {
			want := attrValue([]byte(attrs), name)
			if (got == nil) != (want == nil) || string(got) != string(want) {
				t.Errorf("%q: %s is %q (nil %v), attrValue gives %q (nil %v)", attrs, name, got, got == nil, want, want == nil)
			}
		}
	}
}
