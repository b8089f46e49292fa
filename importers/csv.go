package importers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/rmf-project/rmf/indicators"
)

// csvRows streams the records of a CSV file as rows of text cells. The
// delimiter (comma, semicolon or tab) is guessed from the first line; a
// UTF-8 byte order mark is skipped.
type csvRows struct {
	r     *csv.Reader
	cells []Cell
	last  int
}

func newCSVRows(in io.Reader) (*csvRows, error) {
	br := bufio.NewReaderSize(&lineLimitReader{r: in}, 64<<10)
	if bom, err := br.Peek(2); err == nil && (bytes.Equal(bom, []byte{0xFF, 0xFE}) || bytes.Equal(bom, []byte{0xFE, 0xFF})) {
		// UTF-16, as Excel writes "Unicode Text" (tab-separated).
		br = bufio.NewReaderSize(transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), 64<<10)
	}
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	head, _ := br.Peek(8 << 10)
	r := csv.NewReader(br)
	r.Comma = sniffDelimiter(head)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	return &csvRows{r: r}, nil
}

// sniffDelimiter picks the delimiter that occurs most often, outside
// quotes, in the first line of head.
func sniffDelimiter(head []byte) rune {
	counts := map[byte]int{}
	inQuote := false
	for _, ch := range head {
		if ch == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if ch == '\n' {
			break
		}
		if ch == ',' || ch == ';' || ch == '\t' {
			counts[ch]++
		}
	}
	best, n := byte(','), 0
	for _, ch := range []byte{',', ';', '\t'} {
		if counts[ch] > n {
			best, n = ch, counts[ch]
		}
	}
	return rune(best)
}

// Next returns the next record: its line number and its cells. The slice
// is reused by the next call. io.EOF at the end.
func (c *csvRows) Next() (int, []Cell, error) {
	rec, err := c.r.Read()
	if err != nil {
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return 0, nil, &indicators.CellError{Row: pe.Line, Err: fmt.Errorf("%w: %v", indicators.ErrInvalid, pe.Err)}
		}
		return 0, nil, err
	}
	line, _ := c.r.FieldPos(0)
	if line <= c.last {
		line = c.last + 1
	}
	c.last = line
	c.cells = c.cells[:0]
	for j, f := range rec {
		if !utf8.ValidString(f) {
			return 0, nil, &indicators.CellError{Row: line, Cell: cellRef(j, line), Err: fmt.Errorf(
				"%w: the text %q is not UTF-8, expected a file saved as UTF-8: in Excel, save it as \"CSV UTF-8 (Comma delimited)\"", indicators.ErrInvalid, strings.ToValidUTF8(f, "\ufffd"))}
		}
		k := CellText
		if strings.TrimSpace(f) == "" {
			k = CellEmpty
		}
		c.cells = append(c.cells, Cell{Raw: f, Kind: k})
	}
	return line, c.cells, nil
}

func (c *csvRows) Close() error { return nil }

// MaxCSVLine bounds a line of a CSV file: encoding/csv holds a whole
// record in memory, so a file of gigabytes without a line break (not a CSV
// file at all) would fill it. A row of 100 cells of Excel's 32,767
// characters stays well below.
const MaxCSVLine = 16 << 20

// lineLimitReader fails when more than MaxCSVLine bytes come without a
// line break.
type lineLimitReader struct {
	r   io.Reader
	run int // bytes since the last '\n'
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if i := bytes.LastIndexByte(p[:n], '\n'); i >= 0 {
		l.run = n - i - 1
	} else {
		l.run += n
	}
	if l.run > MaxCSVLine {
		return n, fmt.Errorf("%w: a line longer than %d MiB, expected a CSV file of rows (one figure or indicator per line)", indicators.ErrInvalid, MaxCSVLine>>20)
	}
	return n, err
}
