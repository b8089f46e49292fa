package importers

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"

	"github.com/rmf-project/rmf/indicators"
)

// Source is a file opened once for an import: its SHA-256, the sorting of
// its sheets (ClassifySheets) and the reading of its figures all read this
// one source, through io.ReaderAt, rather than each opening the path again
// (a file replaced on disk half-way would otherwise be hashed in one
// version and read in another). Pass it as the Source of
// MeasurementOptions or ExpenditureOptions.
//
// A file of at most MaxSourceInMemory bytes (every workbook partners send)
// is read from disk once, whole, into memory: hashed as it is read, then
// sorted and parsed from memory (an .xlsx is a zip, which needs random
// access, so a hash computed while parsing is not possible: the parser
// reads the zip's parts out of order and skips some). A larger file stays
// on disk and is read twice, a streamed pass for the hash and the parse,
// so that memory stays bounded whatever the size of the file.
type Source struct {
	Path string // as the caller named it, for messages
	r    io.ReaderAt
	size int64
	f    *os.File // the open file when it was not read into memory
	sum  string   // the hex SHA-256 of a file read into memory
}

// MaxSourceInMemory is the largest file OpenSource reads into memory whole:
// 16 MiB, far above the workbooks partners send (tens or hundreds of KB)
// and small beside the memory an import uses anyway, so that memory stays
// bounded (SPEC 3: files of any size stream). A larger file (the 1,000,000
// row benchmark workbook, 31 MB) is hashed in a first streamed pass and
// then parsed.
const MaxSourceInMemory = 16 << 20

// OpenSource opens the file at path for an import.
func OpenSource(path string) (*Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if fi.Size() > MaxSourceInMemory {
		return &Source{Path: path, r: f, size: fi.Size(), f: f}, nil
	}
	// One buffer of the file's size (no doubling as it is read), hashed as
	// it fills.
	h := sha256.New()
	data := make([]byte, fi.Size())
	n, err := io.ReadFull(io.TeeReader(f, h), data)
	if err != nil && err != io.ErrUnexpectedEOF { // a file that shrank since Stat is read as it is
		f.Close()
		return nil, &indicators.CellError{File: path, Err: unwrapPathErr(err)}
	}
	var more [1]byte
	if m, _ := f.Read(more[:]); m > 0 { // it grew since Stat: read it from disk
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		return &Source{Path: path, r: f, size: fi.Size(), f: f}, nil
	}
	f.Close()
	data = data[:n]
	return &Source{Path: path, r: bytes.NewReader(data), size: int64(n), sum: hex.EncodeToString(h.Sum(nil))}, nil
}

// Close closes the file (a no-op for a file read into memory).
func (s *Source) Close() error {
	if s.f == nil {
		return nil
	}
	return s.f.Close()
}

// SHA256 is the hex SHA-256 of the file's bytes: computed when the file
// was read into memory, else read as a stream; it stops when ctx is done.
func (s *Source) SHA256(ctx context.Context) (string, error) {
	if s.f == nil {
		return s.sum, ctx.Err()
	}
	h := sha256.New()
	r := s.reader()
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := r.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", &indicators.CellError{File: s.Path, Err: unwrapPathErr(err)}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// reader reads the file from its start.
func (s *Source) reader() io.Reader { return io.NewSectionReader(s.r, 0, s.size) }

// openFile reads path from its start: through src when it is the path's
// source, else by opening it.
func openFile(path string, src *Source) (io.ReadCloser, error) {
	if src != nil {
		return io.NopCloser(src.reader()), nil
	}
	return os.Open(path)
}

// openZip opens path as a zip archive, through src when given.
func openZip(path string, src *Source) (*zip.Reader, io.Closer, error) {
	if src != nil {
		zr, err := zip.NewReader(src.r, src.size)
		return zr, io.NopCloser(nil), err
	}
	rc, err := zip.OpenReader(path)
	if err != nil {
		return nil, nil, err
	}
	return &rc.Reader, rc, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
