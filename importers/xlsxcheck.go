package importers

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// checkParts reads every XML part of the workbook data (a zip) as XML
// before excelize opens it. excelize drops a part it cannot parse without
// a word: an entity error in the shared strings gave every sheet empty
// text and "no header row" for each, and a zip entry with a forged size
// "XML syntax error". This says what is wrong with which part instead. It
// returns nil for data that is not a zip (excelize then says why).
func checkParts(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	var total int64
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") {
			continue
		}
		n, err := checkPart(f, DefaultUnzipSizeLimit-total)
		total += n
		if err != nil {
			return fmt.Errorf("%w: part %s of the workbook: %w", indicators.ErrInvalid, f.Name, err)
		}
	}
	return nil
}

// checkPart reads one part with encoding/xml (entities: only XML's five
// and character references) and returns the bytes it inflated to.
func checkPart(f *zip.File, limit int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, partReadError(f, err)
	}
	defer rc.Close()
	cr := &countingReader{r: io.LimitReader(rc, limit+1)}
	d := xml.NewDecoder(cr)
	for {
		tok, err := d.RawToken()
		if cr.n > limit {
			return cr.n, fmt.Errorf("%w: the workbook inflates to more than %d bytes", ErrUnzipLimit, DefaultUnzipSizeLimit)
		}
		if err == io.EOF {
			return cr.n, nil
		}
		if err != nil {
			if cr.err != nil {
				return cr.n, partReadError(f, cr.err)
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return cr.n, fmt.Errorf("line %d: %s", se.Line, se.Msg)
			}
			return cr.n, err
		}
		if dir, ok := tok.(xml.Directive); ok && bytes.HasPrefix(bytes.TrimSpace(dir), []byte("DOCTYPE")) {
			return cr.n, fmt.Errorf("it has a <!DOCTYPE> (with entity declarations, a way to hide or inflate text), which workbook parts must not have")
		}
	}
}

// partReadError says how a zip entry is damaged.
func partReadError(f *zip.File, err error) error {
	switch {
	case errors.Is(err, zip.ErrChecksum):
		return fmt.Errorf("the file is damaged: it does not have the CRC-32 checksum %08x its zip directory entry declares; copy or download the file again", f.CRC32)
	case errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the file is damaged: it is not the %d bytes its zip directory entry declares (a forged or damaged size); copy or download the file again", f.UncompressedSize64)
	case errors.Is(err, zip.ErrAlgorithm):
		return fmt.Errorf("it is compressed with a method Excel does not use")
	}
	return fmt.Errorf("the file is damaged: the part cannot be inflated; copy or download the file again")
}

type countingReader struct {
	r   io.Reader
	n   int64
	err error // the reader's own error, other than io.EOF
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil && err != io.EOF {
		c.err = err
	}
	return n, err
}
