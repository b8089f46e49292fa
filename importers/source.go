package importers

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// Source is a file opened once for an import: its SHA-256, the sorting of
// its sheets (ClassifySheets) and the reading of its figures all read this
// one open file, through io.ReaderAt, rather than each opening the path
// again (a file replaced on disk half-way would otherwise be hashed in one
// version and read in another). Pass it as the Source of
// MeasurementOptions or ExpenditureOptions.
type Source struct {
	Path string // as the caller named it, for messages
	f    *os.File
	size int64
}

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
	return &Source{Path: path, f: f, size: fi.Size()}, nil
}

// Close closes the file.
func (s *Source) Close() error { return s.f.Close() }

// SHA256 is the hex SHA-256 of the file's bytes, read as a stream; it
// stops when ctx is done.
func (s *Source) SHA256(ctx context.Context) (string, error) {
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
			return "", fmt.Errorf("%s: %w", s.Path, unwrapPathErr(err))
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// reader reads the file from its start.
func (s *Source) reader() io.Reader { return io.NewSectionReader(s.f, 0, s.size) }

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
		zr, err := zip.NewReader(src.f, src.size)
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
