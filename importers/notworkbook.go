package importers

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

// cfbMagic starts an OLE compound file: an Excel 97-2003 .xls file, or an
// .xlsx workbook encrypted with a password (Excel wraps those in one).
var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// notWorkbook explains, from its first bytes and its size, why a file
// that should be an .xlsx workbook cannot be opened as one. The error
// wraps indicators.ErrInvalid and says what to do; cause is the error of
// the zip reader, kept out of the message (users cannot act on it).
func notWorkbook(head []byte, size int64) error {
	const want = "expected an .xlsx workbook"
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	var what string
	switch {
	case size == 0:
		what = "the file is empty (0 bytes), " + want
	case bytes.HasPrefix(head, cfbMagic):
		what = "the file is a password-protected workbook or an old Excel 97-2003 (.xls) file, " + want +
			" without a password: remove the password (File > Info > Protect Workbook) and save it as Excel Workbook (.xlsx)"
	case bytes.HasPrefix(head, []byte("PK")):
		what = "the file is damaged or incomplete (its zip archive cannot be read), " + want + ": copy or download it again"
	case bytes.HasPrefix(trimmed, []byte("%PDF")):
		what = "the file is a PDF document, " + want
	case bytes.HasPrefix(trimmed, []byte("{\\rtf")):
		what = "the file is an RTF document, " + want
	case bytes.HasPrefix(trimmed, []byte("<")):
		what = "the file is an HTML or XML page named like a workbook (some systems export web pages as Excel files), " + want +
			": open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)"
	case bytes.IndexByte(head, 0) < 0 && utf8.Valid(head[:validPrefix(head)]):
		line, _, _ := strings.Cut(string(trimmed), "\n")
		if len(line) > 40 {
			line = line[:validPrefix([]byte(line[:40]))] + "..."
		}
		what = fmt.Sprintf("the file is text (it begins %q), not a workbook; %s, or a CSV file named .csv", strings.TrimSpace(line), want)
	default:
		what = "the file is not a zip archive, " + want
	}
	return fmt.Errorf("%w: %s", indicators.ErrInvalid, what)
}

// validPrefix is the length of head without a rune cut at its end.
func validPrefix(head []byte) int {
	n := len(head)
	for i := 0; i < utf8.UTFMax && n > 0; i++ {
		if utf8.Valid(head[:n]) {
			return n
		}
		n--
	}
	return n
}

// notWorkbookFile is notWorkbook for the file at path.
func notWorkbookFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%w: is a folder, expected an .xlsx workbook", indicators.ErrInvalid)
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	return notWorkbook(head[:n], fi.Size())
}

// otherOfficeFile names the kind of an Office Open XML or OpenDocument
// package that is not a workbook, from the names of its parts ("" when it
// cannot tell).
func otherOfficeFile(has func(string) bool) string {
	switch {
	case has("word/document.xml"):
		return "a Word document"
	case has("ppt/presentation.xml"):
		return "a PowerPoint presentation"
	case has("content.xml") && has("mimetype"):
		return "an OpenDocument file (LibreOffice); save it as Excel Workbook (.xlsx)"
	}
	return ""
}

// readWorkbook reads workbook r whole and opens it; name is the file name
// used in messages. A file excelize cannot open is an indicators.Problems
// saying why (openWorkbookError).
func readWorkbook(r io.Reader, name string) (*excelize.File, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &indicators.CellError{File: name, Err: err}
	}
	if err := checkParts(data); err != nil {
		return nil, indicators.Problems{&indicators.CellError{File: name, Err: err}}
	}
	f, err := OpenWorkbook(bytes.NewReader(data))
	if err != nil {
		return nil, indicators.Problems{&indicators.CellError{File: name, Err: openWorkbookError(data, err)}}
	}
	return f, nil
}

// openWorkbookError explains why excelize could not open data as a
// workbook.
func openWorkbookError(data []byte, err error) error {
	if len(data) >= 2 && bytes.HasPrefix(data, []byte("PK")) {
		if zr, zerr := zip.NewReader(bytes.NewReader(data), int64(len(data))); zerr == nil {
			has := func(name string) bool {
				for _, f := range zr.File {
					if strings.EqualFold(f.Name, name) {
						return true
					}
				}
				return false
			}
			if kind := otherOfficeFile(has); kind != "" {
				return fmt.Errorf("%w: the file is %s, expected an .xlsx workbook", indicators.ErrInvalid, kind)
			}
			return fmt.Errorf("%w: cannot open as an .xlsx workbook: %v", indicators.ErrInvalid, err)
		}
	}
	head := data
	if len(head) > 512 {
		head = head[:512]
	}
	return notWorkbook(head, int64(len(data)))
}
