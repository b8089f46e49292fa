package main

// The hostile-workbook corpus: files made to hide data from Excel, to
// exhaust memory, to overflow sums or to make rmf change data silently. They
// are generated deterministically by hostileFiles and committed in
// testdata/hostile (go test -run TestHostileCorpus -update rewrites them);
// the test checks that the committed files are what the generator makes,
// then imports each into a database holding the example framework and
// figures: each is refused with the exact message expected, and the
// database is unchanged (or, for the comment smuggling, only the row Excel
// shows is imported).

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const hostileDir = "testdata/hostile"

// xlsxParts is a minimal workbook: one sheet "Data" with the given sheet
// data XML, and a shared strings table when sst is not empty.
func xlsxParts(sheetData, sst string) []zipPart {
	ct := `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`
	rels := `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	wb := `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`
	wbRels := `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`
	if sst != "" {
		wbRels += `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
	}
	wbRels += `</Relationships>`
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		sheetData + `</sheetData></worksheet>`
	parts := []zipPart{{Name: "[Content_Types].xml", Data: ct}, {Name: "_rels/.rels", Data: rels}, {Name: "xl/workbook.xml", Data: wb},
		{Name: "xl/_rels/workbook.xml.rels", Data: wbRels}, {Name: "xl/worksheets/sheet1.xml", Data: sheet}}
	if sst != "" {
		parts = append(parts, zipPart{Name: "xl/sharedStrings.xml", Data: sst})
	}
	return parts
}

// zipPart is one entry of a generated zip; Forge, when not zero, is the
// uncompressed size its headers declare instead of the true one.
type zipPart struct {
	Name  string
	Data  string
	Forge uint64
}

// deterministicZip writes parts deflated, with no time stamps, so that the
// same parts always give the same bytes.
func deterministicZip(parts []zipPart) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		var comp bytes.Buffer
		fw, err := flate.NewWriter(&comp, flate.BestCompression)
		if err != nil {
			return nil, err
		}
		io.WriteString(fw, p.Data)
		if err := fw.Close(); err != nil {
			return nil, err
		}
		size := uint64(len(p.Data))
		if p.Forge != 0 {
			size = p.Forge
		}
		h := &zip.FileHeader{Name: p.Name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(p.Data)),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: size}
		w, err := zw.CreateRaw(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(comp.Bytes()); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// row is a <row> of inline-string and number cells: "#5" is the number 5.
func row(n int, cells ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, n)
	for j, c := range cells {
		ref := fmt.Sprintf("%c%d", 'A'+j, n)
		if v, ok := strings.CutPrefix(c, "#"); ok {
			fmt.Fprintf(&b, `<c r="%s"><v>%s</v></c>`, ref, v)
		} else {
			fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, c)
		}
	}
	return b.String() + `</row>`
}

var hostileHeader = row(1, "indicator", "period", "sex", "value")

// hostileCase is one file of the corpus and what rmf must say of it.
type hostileCase struct {
	File   string
	Args   []string // the command, before the file
	Stdout string   // expected, exactly; FILE stands for the file's path
	Stderr string
	Code   int
	// Absent is a value that must not be stored (the hidden row).
	Absent string
}

// hostileFiles generates the corpus: file name -> bytes.
func hostileFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	add := func(name string, parts []zipPart) {
		b, err := deterministicZip(parts)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	// 1. Comment smuggling: "<!-->" opens a comment that only "-->" closes,
	// so Excel does not show row 3; rmf read it as a row.
	add("comment_smuggling.xlsx", xlsxParts(hostileHeader+row(2, "3.1.1", "2020Q1", "male", "#5")+
		`<!-->`+row(3, "3.1.1", "2020Q1", "female", "#999999")+`-->`, ""))
	// 2. A shared strings table of 65 MiB of text (1,040 strings of 64 KiB)
	// in a file of about 70 KB.
	var sst strings.Builder
	sst.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	chunk := strings.Repeat("A", 64<<10)
	for i := 0; i < 1040; i++ {
		sst.WriteString("<si><t>" + chunk + "</t></si>")
	}
	sst.WriteString("</sst>")
	add("sharedstrings_bomb.xlsx", xlsxParts(hostileHeader+row(2, "3.1.1", "2020Q1", "male", "#5"), sst.String()))
	// 3. An entity bomb ("billion laughs") in a worksheet's DOCTYPE.
	lol := `<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">` +
		`<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>`
	bomb := xlsxParts(hostileHeader+row(2, "3.1.1", "2020Q1", "male", "&c;"), "")
	bomb[4].Data = strings.Replace(bomb[4].Data, "<worksheet", lol+"<worksheet", 1)
	add("entity_bomb.xlsx", bomb)
	// 4. An entity that XML does not define, in the shared strings.
	add("entity_undefined.xlsx", xlsxParts(hostileHeader+`<row r="2"><c r="A2" t="s"><v>0</v></c></row>`,
		`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>3.1.1&bogus;</t></si></sst>`))
	// 5. A zip entry whose declared size is smaller than its data.
	forged := xlsxParts(hostileHeader+row(2, "3.1.1", "2020Q1", "male", "#5"), "")
	forged[4].Forge = 200
	add("forged_size.xlsx", forged)
	// 6. A cell of 40,000 characters (Excel holds 32,767).
	add("huge_cell.xlsx", xlsxParts(strings.Replace(hostileHeader, "</row>", `<c r="E1" t="inlineStr"><is><t>comment</t></is></c></row>`, 1)+
		strings.Replace(row(2, "3.1.1", "2020Q1", "male", "#5"), "</row>",
			`<c r="E2" t="inlineStr"><is><t>`+strings.Repeat("x", 40000)+`</t></is></c></row>`, 1), ""))
	// 7. A NUL byte in a cell's text.
	add("nul_byte.xlsx", xlsxParts(hostileHeader+row(2, "3.1.1", "2020Q1", "ma\x00le", "#5"), ""))
	// 8. A value of 1e308: its sums overflowed to +Inf.
	add("extreme_number.xlsx", xlsxParts(hostileHeader+row(2, "3.1.1", "2020Q1", "male", "#1e308"), ""))
	// 9. A figure dated in year 1.
	add("extreme_date.xlsx", xlsxParts(hostileHeader+row(2, "3.1.1", "0001-01-01", "male", "#5"), ""))
	// 10. A framework ending 9999-12-31 and starting in year 1.
	fw, err := os.ReadFile(filepath.Join("..", "..", "examples", "framework.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(fw), "  start: 2019-09-01\n", "  start: 0001-01-01\n", 1)
	files["extreme_dates.yaml"] = []byte(strings.Replace(s, "  end: 2023-08-31\n", "  end: 9999-12-31\n", 1))
	return files
}

var hostileCases = []hostileCase{
	{File: "comment_smuggling.xlsx", Args: []string{"import"}, Stdout: "FILE: 1 row read, 1 added, 0 changed, 0 unchanged\n", Absent: "999999"},
	{File: "sharedstrings_bomb.xlsx", Args: []string{"import"}, Code: 1, Stderr: "rmf import: FILE: shared strings table too large: " +
		"part xl/sharedStrings.xml holds more than 64 MiB of text; rmf keeps at most 4000000 strings and 64 MiB of shared text from one workbook " +
		"(a genuine workbook this large can be saved as several files or as CSV)\n" +
		"rmf import: the file has problems; nothing was written from it\n"},
	{File: "entity_bomb.xlsx", Args: []string{"import"}, Code: 1, Stderr: "rmf import: FILE: sheet Data: invalid value: worksheet XML after row 0: " +
		"XML syntax error: a <!DOCTYPE or other <! declaration, which workbook parts must not have\n" +
		"rmf import: the file has problems; nothing was written from it\n"},
	{File: "entity_undefined.xlsx", Args: []string{"import"}, Code: 1, Stderr: "rmf import: FILE: invalid value: part xl/sharedStrings.xml: " +
		"XML syntax error: unknown entity &bogus;\n" +
		"rmf import: the file has problems; nothing was written from it\n"},
	{File: "entity_undefined.xlsx", Args: []string{"framework", "import"}, Code: 1, Stderr: "rmf framework: FILE: invalid value: part xl/sharedStrings.xml of the workbook: " +
		"line 1: invalid character entity &bogus;\n"},
	{File: "forged_size.xlsx", Args: []string{"import"}, Code: 1, Stderr: "rmf import: FILE: sheet Data: invalid value: the file is damaged: " +
		"part xl/worksheets/sheet1.xml is not the 200 bytes its zip directory entry declares (a forged or damaged size); copy or download the file again\n" +
		"rmf import: the file has problems; nothing was written from it\n"},
	{File: "forged_size.xlsx", Args: []string{"framework", "import"}, Code: 1, Stderr: "rmf framework: FILE: invalid value: part xl/worksheets/sheet1.xml of the workbook: " +
		"the file is damaged: it is not the 200 bytes its zip directory entry declares (a forged or damaged size); copy or download the file again\n"},
	{File: "huge_cell.xlsx", Args: []string{"import"}, Code: 1, Stderr: "rmf import: FILE: sheet Data, cell E2: out of range: a text of 40000 characters, " +
		"longer than Excel's limit of 32767 characters per cell; shorten it (rmf does not cut text)\n" +
		"rmf import: the file has problems; nothing was written from it\n"},
	{File: "nul_byte.xlsx", Args: []string{"import"}, Code: 1, Stderr: "rmf import: FILE: sheet Data: invalid value: worksheet XML after row 2: " +
		"XML syntax error: character U+0000 is not allowed in XML text\n" +
		"rmf import: the file has problems; nothing was written from it\n"},
	{File: "extreme_number.xlsx", Args: []string{"import"}, Code: 1, Stderr: "rmf import: FILE: sheet Data, cell D2 (value): out of range: 3.1.1: the value \"1e308\" " +
		"is beyond the largest number rmf accepts, expected at most 1e15 (a million billion) in size\n" +
		"rmf import: the file has problems; nothing was written from it\n"},
	{File: "extreme_date.xlsx", Args: []string{"import"}, Code: 1, Stderr: "rmf import: FILE: sheet Data, cell B2 (period): out of range: period \"0001-01-01\" " +
		"is outside the years rmf accepts (1950 to 2100), expected a period within the project 2019-09-01..2023-08-31\n" +
		"rmf import: the file has problems; nothing was written from it\n"},
	{File: "extreme_dates.yaml", Args: []string{"framework", "import"}, Code: 1, Stderr: "rmf framework: FILE:27: start: out of range: start 0001-01-01 is outside the years rmf accepts (1950 to 2100)\n" +
		"rmf framework: FILE:28: end: out of range: end 9999-12-31 is outside the years rmf accepts (1950 to 2100)\n"},
}

func TestHostileCorpus(t *testing.T) {
	files := hostileFiles(t)
	if *update {
		if err := os.MkdirAll(hostileDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(hostileDir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(hostileDir, name))
		if err != nil {
			t.Fatalf("%v (go test -run TestHostileCorpus -update writes it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s/%s is not what the generator makes (go test -run TestHostileCorpus -update rewrites it)", hostileDir, name)
		}
	}
	dir := projectDir(t)
	mustRMF(t, dir, "import", filepath.Join(examplePath(t, "data"), "2021q1_emergency_response.csv"))
	seen := map[string]bool{}
	for _, c := range hostileCases {
		seen[c.File] = true
		t.Run(c.File+"/"+c.Args[0], func(t *testing.T) {
			before := dbState(t, dir)
			p, err := filepath.Abs(filepath.Join(hostileDir, c.File))
			if err != nil {
				t.Fatal(err)
			}
			stdout, stderr, code := rmf(t, dir, append(c.Args, p)...)
			wantOut, wantErr := strings.ReplaceAll(c.Stdout, "FILE", p), strings.ReplaceAll(c.Stderr, "FILE", p)
			if code != c.Code || stdout != wantOut || stderr != wantErr {
				t.Fatalf("rmf %s %s: exit status %d\nstdout:\n%s\nstderr:\n%s\nwant exit status %d\nstdout:\n%s\nstderr:\n%s",
					strings.Join(c.Args, " "), c.File, code, stdout, stderr, c.Code, wantOut, wantErr)
			}
			checkNoLeak(t, stderr)
			if c.Code != 0 {
				if after := dbState(t, dir); after != before {
					t.Errorf("the database changed:\n%s", lineDiff(before, after))
				}
			}
			if c.Absent != "" {
				if h := mustRMF(t, dir, "history", "3.1.1"); strings.Contains(h, c.Absent) {
					t.Errorf("the hidden row's value %s was stored:\n%s", c.Absent, h)
				}
			}
		})
	}
	for name := range files {
		if !seen[name] {
			t.Errorf("%s has no expected outcome in hostileCases", name)
		}
	}
}
