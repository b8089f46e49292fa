package importers

// A streaming reader of .xlsx worksheets for the measurement import.
//
// excelize's row iterator (f.Rows, rows.Columns) gives each cell's value as
// a string but not its style, so a percent-formatted cell (0.75 shown as
// 75%) cannot be told from the plain number 0.75 (excelize issue #1439), and
// asking excelize for a cell's style loads the whole worksheet into memory.
// Opening a workbook with excelize also inflates every large worksheet into
// a temporary file before the first row is read. This reader instead
// inflates each worksheet part straight from the zip file into a small XML
// scanner (xmlscan.go), one row at a time, and gives every cell its raw value and its
// kind (text, number, date, percent, boolean) from the cell type and the
// number format of its style, looked up once per style index. Memory holds
// one row, the shared strings and the style table, whatever the number of
// rows.

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// DefaultUnzipSizeLimit is the largest total uncompressed size of a
// workbook that the measurement import accepts: a real 1,000,000-row
// workbook inflates to about 470 MB, a zip bomb to many gigabytes.
const DefaultUnzipSizeLimit int64 = 1 << 30

// ErrUnzipLimit is wrapped by the error returned for a workbook that
// inflates beyond the unzip size limit.
var ErrUnzipLimit = errors.New("workbook too large when uncompressed")

// xlsxBook is an open .xlsx file: its sheets, shared strings and style kinds.
type xlsxBook struct {
	zr       *zip.Reader
	closer   io.Closer
	files    map[string]*zip.File // by lower-cased name
	sheets   []xlsxSheetRef
	date1904 bool
	sst      sharedStrings
	xfKind   []CellKind // the kind of a number cell, by style index
	limit    int64
}

type xlsxSheetRef struct {
	Name string
	Part string // zip entry name
}

// openXLSX opens the workbook at file; limit caps the sum of the
// uncompressed sizes of its parts (0: DefaultUnzipSizeLimit).
func openXLSX(file string, limit int64) (*xlsxBook, error) { return openXLSXOf(file, nil, limit) }

// openXLSXOf is openXLSX reading through src when it is not nil.
func openXLSXOf(file string, src *Source, limit int64) (*xlsxBook, error) {
	if limit <= 0 {
		limit = DefaultUnzipSizeLimit
	}
	zr, closer, err := openZip(file, src)
	if err != nil {
		if _, serr := os.Stat(file); serr != nil {
			return nil, serr
		}
		return nil, notWorkbookFile(file)
	}
	b := &xlsxBook{zr: zr, closer: closer, files: map[string]*zip.File{}, limit: limit}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(limit) || f.UncompressedSize64 > uint64(limit) {
			closer.Close()
			return nil, fmt.Errorf("%w: its parts inflate to more than the limit of %d bytes (%s is %d bytes uncompressed); "+
				"a genuine file this large can be read with a higher unzip size limit", ErrUnzipLimit, limit, f.Name, f.UncompressedSize64)
		}
		b.files[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
	}
	if err := b.load(); err != nil {
		closer.Close()
		return nil, err
	}
	return b, nil
}

func (b *xlsxBook) Close() error { return b.closer.Close() }

// open opens the part name (a zip entry name, case-insensitive) with its
// size capped at the limit.
func (b *xlsxBook) open(name string) (io.ReadCloser, error) {
	f, ok := b.files[strings.ToLower(strings.TrimPrefix(name, "/"))]
	if !ok {
		return nil, fmt.Errorf("%w: the workbook has no part %s", indicators.ErrInvalid, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: part %s: %v", indicators.ErrInvalid, name, err)
	}
	return &limitedReadCloser{r: io.LimitedReader{R: rc, N: b.limit + 1}, c: rc, limit: b.limit, name: name, size: f.UncompressedSize64, crc: f.CRC32}, nil
}

type limitedReadCloser struct {
	r     io.LimitedReader
	c     io.Closer
	limit int64
	name  string
	size  uint64 // declared in the zip directory
	crc   uint32
}

func (l *limitedReadCloser) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if l.r.N <= 0 {
		return n, fmt.Errorf("%w: part %s inflates to more than %d bytes", ErrUnzipLimit, l.name, l.limit)
	}
	if err != nil && err != io.EOF {
		// zip.ErrFormat, zip.ErrChecksum, io.ErrUnexpectedEOF, a flate
		// error: the entry is not what the zip directory declares (a
		// forged size) or is damaged.
		what := "cannot be inflated (its compressed data is damaged)"
		switch {
		case errors.Is(err, zip.ErrChecksum):
			what = fmt.Sprintf("does not have the CRC-32 checksum %08x its zip directory entry declares", l.crc)
		case errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF):
			what = fmt.Sprintf("is not the %d bytes its zip directory entry declares (a forged or damaged size)", l.size)
		}
		return n, fmt.Errorf("%w: the file is damaged: part %s %s; copy or download the file again", indicators.ErrInvalid, l.name, what)
	}
	return n, err
}

func (l *limitedReadCloser) Close() error { return l.c.Close() }

func (b *xlsxBook) has(name string) bool {
	_, ok := b.files[strings.ToLower(strings.TrimPrefix(name, "/"))]
	return ok
}

// rels reads a relationships part: id -> (type, target resolved against dir).
func (b *xlsxBook) rels(name, dir string) (map[string][2]string, error) {
	out := map[string][2]string{}
	if !b.has(name) {
		return out, nil
	}
	err := b.scan(name, func(d *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local != "Relationship" {
			return nil
		}
		var id, typ, target, mode string
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				id = a.Value
			case "Type":
				typ = a.Value
			case "Target":
				target = a.Value
			case "TargetMode":
				mode = a.Value
			}
		}
		if mode == "External" {
			return nil
		}
		target = strings.ReplaceAll(target, "\\", "/")
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(target, "/")
		} else {
			target = path.Join(dir, target)
		}
		out[id] = [2]string{typ, target}
		return nil
	})
	return out, err
}

// scan calls fn for every start element of a small part.
func (b *xlsxBook) scan(name string, fn func(d *xml.Decoder, se xml.StartElement) error) error {
	rc, err := b.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: part %s: %v", indicators.ErrInvalid, name, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if err := fn(d, se); err != nil {
				return err
			}
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// load reads the workbook part, its relationships, the styles and the
// shared strings.
func (b *xlsxBook) load() error {
	wb := "xl/workbook.xml"
	root, err := b.rels("_rels/.rels", "")
	if err != nil {
		return err
	}
	for _, r := range root {
		if strings.HasSuffix(r[0], "/officeDocument") {
			wb = r[1]
		}
	}
	if !b.has(wb) {
		if kind := otherOfficeFile(b.has); kind != "" {
			return fmt.Errorf("%w: the file is %s, expected an .xlsx workbook", indicators.ErrInvalid, kind)
		}
		return fmt.Errorf("%w: not an .xlsx workbook (no %s part)", indicators.ErrInvalid, wb)
	}
	dir := path.Dir(wb)
	rels, err := b.rels(path.Join(dir, "_rels", path.Base(wb)+".rels"), dir)
	if err != nil {
		return err
	}
	err = b.scan(wb, func(d *xml.Decoder, se xml.StartElement) error {
		switch se.Name.Local {
		case "workbookPr":
			v := attr(se, "date1904")
			b.date1904 = v == "1" || strings.EqualFold(v, "true")
		case "sheet":
			var id string
			for _, a := range se.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					id = a.Value
				}
			}
			r, ok := rels[id]
			if !ok {
				return nil // a sheet without a part: nothing to read
			}
			if strings.HasSuffix(r[0], "/worksheet") || r[0] == "" {
				b.sheets = append(b.sheets, xlsxSheetRef{Name: attr(se, "name"), Part: r[1]})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	styles, strs := path.Join(dir, "styles.xml"), path.Join(dir, "sharedStrings.xml")
	for _, r := range rels {
		switch {
		case strings.HasSuffix(r[0], "/styles"):
			styles = r[1]
		case strings.HasSuffix(r[0], "/sharedStrings"):
			strs = r[1]
		}
	}
	if b.has(styles) {
		if err := b.loadStyles(styles); err != nil {
			return err
		}
	}
	if b.has(strs) {
		if err := b.loadStrings(strs); err != nil {
			return err
		}
	}
	return nil
}

// loadStyles reads the number format of every cell style (cellXfs) and
// classifies it once.
func (b *xlsxBook) loadStyles(name string) error {
	custom := map[int]string{}
	var xfFmt []int
	depth, inXfs := 0, false
	rc, err := b.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: part %s: %v", indicators.ErrInvalid, name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				id, _ := strconv.Atoi(attr(t, "numFmtId"))
				custom[id] = attr(t, "formatCode")
			case "cellXfs":
				inXfs, depth = true, 0
			case "xf":
				if inXfs && depth == 0 {
					id, _ := strconv.Atoi(attr(t, "numFmtId"))
					xfFmt = append(xfFmt, id)
				}
			}
			if inXfs && t.Name.Local != "cellXfs" {
				depth++
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			} else if inXfs {
				depth--
			}
		}
	}
	b.xfKind = make([]CellKind, len(xfFmt))
	for i, id := range xfFmt {
		b.xfKind[i] = NumFmtKind(id, custom[id])
	}
	return nil
}

// MaxSharedStringBytes and MaxSharedStrings cap the shared strings table
// the measurement import keeps in memory: the text of all its strings, and
// their number. The unzip limit caps bytes read, not what is kept: a 2 MB
// workbook whose strings inflate to 1,000 MB (under the 1 GiB limit) held
// them all. A measurement workbook with a unique 100-character comment on
// each of 500,000 rows keeps 50 MB. Variables so that tests can lower them.
var (
	MaxSharedStringBytes = 64 << 20
	MaxSharedStrings     = 4_000_000
)

// ErrSharedStrings is wrapped by the error for a shared strings table over
// MaxSharedStringBytes or MaxSharedStrings.
var ErrSharedStrings = errors.New("shared strings table too large")

// sharedStrings is a workbook's shared strings table: the text of every
// string in one string (one allocation whatever their number) and where
// each ends.
type sharedStrings struct {
	all string
	end []uint32
}

func newSharedStrings(list ...string) sharedStrings {
	var t sharedStrings
	for _, s := range list {
		t.all += s
		t.end = append(t.end, uint32(len(t.all)))
	}
	return t
}

func (t *sharedStrings) len() int { return len(t.end) }

func (t *sharedStrings) at(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.end[i-1]
	}
	return t.all[start:t.end[i]]
}

// loadStrings reads the shared strings table (phonetic runs left out),
// with the worksheet scanner (the same XML rules as the cells'), keeping
// at most MaxSharedStringBytes of text in MaxSharedStrings strings.
func (b *xlsxBook) loadStrings(name string) error {
	rc, err := b.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	s := newXMLScanner(rc)
	var all strings.Builder
	var end []uint32
	inSI, inT, rPh := false, false, 0
	tooBig := func(what string) error {
		return fmt.Errorf("%w: part %s holds %s; rmf keeps at most %d strings and %d MiB of shared text from one workbook "+
			"(a genuine workbook this large can be saved as several files or as CSV)", ErrSharedStrings, name, what, MaxSharedStrings, MaxSharedStringBytes>>20)
	}
	for {
		ev, err := s.next(inSI && inT && rPh == 0)
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, errXMLSyntax) {
				return fmt.Errorf("%w: part %s: %v", indicators.ErrInvalid, name, err)
			}
			return err
		}
		switch ev.kind {
		case evStart:
			switch string(ev.local) {
			case "si":
				inSI = true
			case "t":
				inT = true
			case "rPh":
				rPh++
			}
		case evEnd:
			switch string(ev.local) {
			case "si":
				if len(end) >= MaxSharedStrings {
					return tooBig(fmt.Sprintf("more than %d strings", MaxSharedStrings))
				}
				inSI = false
				end = append(end, uint32(all.Len()))
			case "t":
				inT = false
			case "rPh":
				rPh = max(rPh-1, 0)
			}
		case evText:
			if all.Len()+len(ev.text) > MaxSharedStringBytes {
				return tooBig(fmt.Sprintf("more than %d MiB of text", MaxSharedStringBytes>>20))
			}
			all.Write(ev.text)
		}
	}
	b.sst = sharedStrings{all: all.String(), end: end}
	return nil
}

// maxColumns is the number of columns of a worksheet (XFD).
const maxColumns = 16384

// xlsxRows streams the rows of one worksheet.
type xlsxRows struct {
	b     *xlsxBook
	rc    io.Closer
	s     *xmlScanner
	row   int
	cells []Cell
	done  bool
	buf   []byte
	fbuf  []byte // the formula of the current cell
	hasV  bool   // the current cell has a <v> (or inline <is>) element
	// slowCells reads every cell event by event (tests compare it with
	// the one-step reading of plain cells, plainCell).
	slowCells bool
}

func (b *xlsxBook) rows(sh xlsxSheetRef) (*xlsxRows, error) {
	rc, err := b.open(sh.Part)
	if err != nil {
		return nil, err
	}
	return newXLSXRows(b, rc, rc), nil
}

func newXLSXRows(b *xlsxBook, r io.Reader, c io.Closer) *xlsxRows {
	return &xlsxRows{b: b, rc: c, s: newXMLScanner(r)}
}

func (r *xlsxRows) Close() error {
	if r.rc == nil {
		return nil
	}
	return r.rc.Close()
}

// Next returns the next row that has a <row> element: its 1-based number
// and its cells, indexed by 0-based column (gaps filled with empty cells).
// The slice is reused by the next call. io.EOF at the end of the sheet.
func (r *xlsxRows) Next() (int, []Cell, error) {
	if r.done {
		return 0, nil, io.EOF
	}
	for {
		ev, err := r.s.next(false)
		if err == io.EOF {
			r.done = true
			return 0, nil, io.EOF
		}
		if err != nil {
			r.done = true
			return 0, nil, r.xmlErr(err)
		}
		switch ev.kind {
		case evStart:
			if string(ev.local) == "row" {
				n := r.row + 1
				if v := attrValue(ev.attrs, "r"); v != nil {
					if x, err := strconv.Atoi(string(v)); err == nil && x > 0 {
						n = x
					}
				}
				r.row = n
				if err := r.readRow(); err != nil {
					r.done = true
					return 0, nil, err
				}
				return r.row, r.cells, nil
			}
		case evEnd:
			if string(ev.local) == "sheetData" {
				r.done = true
				return 0, nil, io.EOF
			}
		}
	}
}

func (r *xlsxRows) xmlErr(err error) error {
	if !errors.Is(err, errXMLSyntax) { // the unzip limit, a damaged part
		return err
	}
	return fmt.Errorf("%w: worksheet XML after row %d: %v", indicators.ErrInvalid, r.row, err)
}

// readRow reads the cells of the current <row> up to its end tag.
func (r *xlsxRows) readRow() error {
	for i := range r.cells {
		r.cells[i] = Cell{}
	}
	r.cells = r.cells[:0]
	col := 0
	for {
		ev, err := r.s.next(false)
		if err != nil {
			if err == io.EOF {
				return fmt.Errorf("%w: worksheet XML ends inside row %d", indicators.ErrInvalid, r.row)
			}
			return r.xmlErr(err)
		}
		switch ev.kind {
		case evStart:
			if string(ev.local) != "c" {
				continue
			}
			col++
			ref, sv, tv := cellAttrs(ev.attrs)
			if ref != nil {
				if c := colOfRef(ref); c > 0 {
					col = c
				}
			}
			style := 0
			if sv != nil {
				style, _ = strconv.Atoi(string(sv))
			}
			// A copy: the attributes are the scanner's buffer, which the
			// tags inside the cell (a long <f .../>) may overwrite.
			typ := string(tv)
			if col > maxColumns {
				return fmt.Errorf("%w: row %d has more than %d columns", indicators.ErrInvalid, r.row, maxColumns)
			}
			raw, err := r.readCell()
			if err != nil {
				return err
			}
			c := Cell{Raw: raw}
			if !r.hasV && len(r.fbuf) > 0 {
				// A formula whose result was never saved (the file was
				// written by a program that does not calculate).
				r.cells = appendAt(r.cells, col, Cell{Kind: CellUncomputed, Formula: "=" + strings.TrimPrefix(strings.TrimSpace(string(r.fbuf)), "=")})
				continue
			}
			switch typ {
			case "s":
				idx, err := strconv.Atoi(strings.TrimSpace(raw))
				if err != nil || idx < 0 || idx >= r.b.sst.len() {
					if raw != "" {
						return fmt.Errorf("%w: cell %s refers to shared string %q, which does not exist", indicators.ErrInvalid, cellRef(col-1, r.row), raw)
					}
				} else {
					c.Raw = r.b.sst.at(idx)
				}
				c.Kind = CellText
			case "inlineStr", "str", "e":
				c.Kind = CellText
			case "b":
				c.Kind = CellBool
			case "d":
				c.Kind = CellDate
			default:
				c.Kind = CellNumber
				if style >= 0 && style < len(r.b.xfKind) {
					c.Kind = r.b.xfKind[style]
				}
			}
			if strings.TrimSpace(c.Raw) == "" {
				c.Kind = CellEmpty
			}
			r.cells = appendAt(r.cells, col, c)
		case evEnd:
			if string(ev.local) == "row" {
				return nil
			}
		}
	}
}

// appendAt sets the cell of the 1-based column col, filling gaps with
// empty cells.
func appendAt(cells []Cell, col int, c Cell) []Cell {
	for len(cells) < col-1 {
		cells = append(cells, Cell{})
	}
	if len(cells) == col-1 {
		cells = append(cells, c)
	} else if col-1 < len(cells) {
		cells[col-1] = c
	}
	return cells
}

// readCell reads the content of a <c> element up to its end tag: the
// value of <v> (the cached value of a formula), or the text of an inline
// string's <t> elements (phonetic runs left out). It also notes in r.hasV
// whether the cell has a value element and in r.fbuf its formula, if any.
func (r *xlsxRows) readCell() (string, error) {
	r.buf = r.buf[:0]
	r.fbuf = r.fbuf[:0]
	r.hasV = false
	if !r.slowCells {
		if text, ok := r.s.plainCell(); ok { // <v>TEXT</v></c>, <is><t>TEXT</t></is></c>
			r.hasV = true
			r.buf = append(r.buf, text...)
			return string(r.buf), nil
		}
	}
	inV, inT, inRPh, inF, depth := false, false, false, false, 0
	for {
		ev, err := r.s.next(inV || inF || (inT && !inRPh))
		if err != nil {
			if err == io.EOF {
				return "", fmt.Errorf("%w: worksheet XML ends inside row %d", indicators.ErrInvalid, r.row)
			}
			return "", r.xmlErr(err)
		}
		switch ev.kind {
		case evStart:
			depth++
			switch string(ev.local) {
			case "v":
				inV, r.hasV = true, true
			case "is":
				r.hasV = true
			case "t":
				inT = true
			case "rPh":
				inRPh = true
			case "f":
				inF = true
				if len(r.fbuf) == 0 {
					r.fbuf = append(r.fbuf, ' ') // a shared formula's <f/> has no text
				}
			}
		case evEnd:
			if depth == 0 { // </c>
				return string(r.buf), nil
			}
			depth--
			switch string(ev.local) {
			case "v":
				inV = false
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			case "f":
				inF = false
			}
		case evText:
			switch {
			case inF:
				r.fbuf = append(r.fbuf, ev.text...)
			case inV || (inT && !inRPh):
				r.buf = append(r.buf, ev.text...)
			}
		}
	}
}

// colOfRef returns the 1-based column of a cell reference such as "AB12",
// or 0.
func colOfRef(ref []byte) int {
	col := 0
	for i := 0; i < len(ref); i++ {
		ch := ref[i]
		switch {
		case ch >= 'A' && ch <= 'Z':
			col = col*26 + int(ch-'A') + 1
		case ch >= 'a' && ch <= 'z':
			col = col*26 + int(ch-'a') + 1
		default:
			return col
		}
		if col > 16384 {
			return 0
		}
	}
	return col
}

// cellRef is the reference of the 0-based column col in the 1-based row.
func cellRef(col, row int) string {
	var b [8]byte
	i := len(b)
	for n := col + 1; n > 0; n = (n - 1) / 26 {
		i--
		b[i] = byte('A' + (n-1)%26)
	}
	return string(b[i:]) + strconv.Itoa(row)
}
