package importers

import (
	"errors"
	"io"
	"sync"
)

// prefetchRows reads a rowSource in a goroutine of its own, a batch of
// rows ahead of its caller: unzipping and scanning a sheet's XML (the
// larger half of reading a large workbook) then runs on one core while
// the rows are validated and stored on another. Memory holds at most
// prefetchAhead+2 batches of prefetchBatch rows, whatever the size of the
// sheet. Rows come out exactly as the source gives them, its error (or
// io.EOF) after the last row before it.
//
// Close stops the goroutine and waits for it before the caller closes the
// source: the source is never used from two goroutines at once.
type prefetchRows struct {
	ch   chan *rowBatch
	free chan *rowBatch
	stop chan struct{}
	wg   sync.WaitGroup
	cur  *rowBatch
	i    int
	err  error // the source's error, once reached
}

const (
	prefetchBatch = 256
	prefetchAhead = 4
)

// rowBatch holds rows read ahead: row i is number nums[i], its cells
// cells[ends[i-1]:ends[i]]; err ends the source after them (nil: more
// batches follow).
type rowBatch struct {
	nums  []int
	ends  []int
	cells []Cell
	err   error
}

func newPrefetchRows(src rowSource) *prefetchRows {
	p := &prefetchRows{ch: make(chan *rowBatch, prefetchAhead), free: make(chan *rowBatch, 2), stop: make(chan struct{})}
	p.wg.Add(1)
	go p.run(src)
	return p
}

func (p *prefetchRows) run(src rowSource) {
	defer p.wg.Done()
	defer close(p.ch)
	for {
		var b *rowBatch
		select {
		case b = <-p.free:
			b.nums, b.ends, b.cells, b.err = b.nums[:0], b.ends[:0], b.cells[:0], nil
		default:
			b = &rowBatch{nums: make([]int, 0, prefetchBatch), ends: make([]int, 0, prefetchBatch)}
		}
		for len(b.nums) < prefetchBatch && b.err == nil {
			row, cells, err := src.Next()
			if err != nil {
				b.err = err
				break
			}
			b.nums = append(b.nums, row)
			b.cells = append(b.cells, cells...)
			b.ends = append(b.ends, len(b.cells))
		}
		select {
		case p.ch <- b:
		case <-p.stop:
			return
		}
		if b.err != nil {
			return
		}
	}
}

// Next returns the next row; its cells are valid until the next call.
func (p *prefetchRows) Next() (int, []Cell, error) {
	for p.cur == nil || p.i >= len(p.cur.nums) {
		if p.err != nil {
			return 0, nil, p.err
		}
		if p.cur != nil {
			if p.cur.err != nil {
				p.err = p.cur.err
				continue
			}
			select {
			case p.free <- p.cur:
			default:
			}
		}
		b, ok := <-p.ch
		if !ok { // stopped by Close
			p.cur, p.err = nil, io.EOF
			continue
		}
		p.cur, p.i = b, 0
	}
	b, i := p.cur, p.i
	p.i++
	from := 0
	if i > 0 {
		from = b.ends[i-1]
	}
	return b.nums[i], b.cells[from:b.ends[i]:b.ends[i]], nil
}

// Close stops the goroutine and waits for it to end. It is safe to call
// more than once.
func (p *prefetchRows) Close() {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	p.wg.Wait()
	p.cur, p.err = nil, errPrefetchClosed
}

var errPrefetchClosed = errors.New("sheet rows read after Close")
