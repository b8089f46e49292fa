package exporters

import (
	"errors"
	"fmt"
	"iter"

	"github.com/rmf-project/rmf/indicators"
)

// RevisionSource gives the donor workbook's figures (its Data sheets) as
// they are written, from a store read indicator by indicator, instead of
// all of them at once.
type RevisionSource struct {
	// Count is how many figures Each gives: the Data sheets are split
	// and their autofilters set before the first figure is written.
	Count int
	// Each calls fn with the figures in order, a run at a time; revs
	// may be reused once fn returns. fn's error is to be returned as it
	// is.
	Each func(fn func(revs []indicators.Revision) error) error
}

// RevisionsOf is the source of figures held in memory.
func RevisionsOf(revs []indicators.Revision) RevisionSource {
	return RevisionSource{Count: len(revs), Each: func(fn func([]indicators.Revision) error) error {
		if len(revs) == 0 {
			return nil
		}
		return fn(revs)
	}}
}

// ErrFiguresChanged is wrapped when a source gives more or fewer figures
// than its Count: the figures changed between the count and the reading
// (an import that landed meanwhile), and the workbook would not be one
// state of the database.
var ErrFiguresChanged = errors.New("the figures changed while the workbook was written (an import landed meanwhile?): write it again")

// errPullStopped ends a source's Each when the workbook stops pulling.
var errPullStopped = errors.New("donor workbook: figures no longer read")

// revisionPuller turns a source's calls into figures pulled one at a
// time (iter.Pull: the source runs as a coroutine, a switch per run of
// figures), so that the Data sheets take them as they need them.
type revisionPuller struct {
	src      RevisionSource
	pull     func() ([]indicators.Revision, bool)
	stopPull func()
	batch    []indicators.Revision
	i, given int
	err      error // of src.Each
}

func newRevisionPuller(src RevisionSource) *revisionPuller { return &revisionPuller{src: src} }

func (p *revisionPuller) seq(yield func([]indicators.Revision) bool) {
	p.err = p.src.Each(func(revs []indicators.Revision) error {
		if len(revs) > 0 && !yield(revs) {
			return errPullStopped
		}
		return nil
	})
}

// fill pulls the next run of figures, reporting false after the last.
func (p *revisionPuller) fill() (bool, error) {
	if p.pull == nil {
		p.pull, p.stopPull = iter.Pull(p.seq)
	}
	for p.i >= len(p.batch) {
		b, ok := p.pull()
		if !ok {
			if p.err != nil {
				return false, fmt.Errorf("figures: %w", p.err)
			}
			return false, nil
		}
		p.batch, p.i = b, 0
	}
	return true, nil
}

// next is the next figure.
func (p *revisionPuller) next() (*indicators.Revision, error) {
	ok, err := p.fill()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: %d figures read, %d counted before", ErrFiguresChanged, p.given, p.src.Count)
	}
	p.i++
	p.given++
	return &p.batch[p.i-1], nil
}

// end checks that the source gave no more figures than announced and
// ended without an error.
func (p *revisionPuller) end() error {
	ok, err := p.fill()
	if err != nil {
		return err
	}
	if ok {
		return fmt.Errorf("%w: more figures read than the %d counted before", ErrFiguresChanged, p.src.Count)
	}
	return nil
}

// stop ends the source's Each if it is still running.
func (p *revisionPuller) stop() {
	if p.stopPull != nil {
		p.stopPull()
	}
}
