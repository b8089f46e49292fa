package importers

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"testing"
)

// countedRows gives n rows (row i has i%5 cells "i.j", the slice reused as
// xlsxRows reuses it), then end.
type countedRows struct {
	n, i  int
	end   error
	cells []Cell
	block chan struct{} // when not nil, Next waits on it after the first rows
}

func (r *countedRows) Next() (int, []Cell, error) {
	if r.i >= r.n {
		return 0, nil, r.end
	}
	if r.block != nil && r.i == prefetchBatch {
		<-r.block
	}
	r.i++
	r.cells = r.cells[:0]
	for j := 0; j < r.i%5; j++ {
		r.cells = append(r.cells, Cell{Raw: fmt.Sprintf("%d.%d", r.i, j), Kind: CellText})
	}
	return r.i * 2, r.cells, nil
}

func TestPrefetchRows(t *testing.T) {
	boom := errors.New("damaged part")
	for _, n := range []int{0, 1, prefetchBatch - 1, prefetchBatch, prefetchBatch + 1, 3*prefetchBatch + 7, (prefetchAhead + 3) * prefetchBatch} {
		for _, end := range []error{io.EOF, boom} {
			t.Run(strconv.Itoa(n)+"/"+end.Error(), func(t *testing.T) {
				p := newPrefetchRows(&countedRows{n: n, end: end})
				defer p.Close()
				for i := 1; i <= n; i++ {
					row, cells, err := p.Next()
					if err != nil {
						t.Fatalf("row %d: %v", i, err)
					}
					if row != 2*i || len(cells) != i%5 {
						t.Fatalf("row %d: got number %d with %d cells, want %d with %d", i, row, len(cells), 2*i, i%5)
					}
					for j, c := range cells {
						if want := fmt.Sprintf("%d.%d", i, j); c.Raw != want || c.Kind != CellText {
							t.Fatalf("row %d, cell %d: %+v, want %q", i, j, c, want)
						}
					}
				}
				for k := 0; k < 2; k++ { // the end, and again
					if _, cells, err := p.Next(); err != end || cells != nil {
						t.Fatalf("after %d rows: %v, %v; want %v", n, cells, err, end)
					}
				}
			})
		}
	}
}

// TestPrefetchRowsCloseEarly stops reading while the goroutine is ahead
// (and while it waits on its source): Close returns, and the source is not
// read after it.
func TestPrefetchRowsCloseEarly(t *testing.T) {
	src := &countedRows{n: 100 * prefetchBatch, end: io.EOF}
	p := newPrefetchRows(src)
	for i := 0; i < 10; i++ {
		if _, _, err := p.Next(); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	p.Close() // twice: no panic
	read := src.i
	if read >= src.n {
		t.Errorf("the whole source was read (%d rows) for 10 rows asked", read)
	}
	if _, _, err := p.Next(); err == nil {
		t.Error("Next after Close: no error")
	}
	if src.i != read {
		t.Errorf("source read after Close: %d rows, then %d", read, src.i)
	}

	blocked := &countedRows{n: 10 * prefetchBatch, end: io.EOF, block: make(chan struct{})}
	p = newPrefetchRows(blocked)
	if _, _, err := p.Next(); err != nil {
		t.Fatal(err)
	}
	close(blocked.block) // Close waits for the source's Next in progress
	p.Close()
}
