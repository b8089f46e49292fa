package engine

import "context"

// readAhead runs read (a store's one-indicator-at-a-time reading, given
// ctx) on a goroutine of its own and gives its batches to fn on the
// caller's, a few indicators ahead (copies: the store reuses its slice),
// so that reading and what fn does with the figures overlap on two cores
// while at most a few indicators' figures are held. fn's error stops the
// reading and is returned as it is; else read's error is.
func readAhead[T any](ctx context.Context, read func(ctx context.Context, fn func(string, []T) error) error, fn func(string, []T) error) error {
	type batch struct {
		code string
		figs []T
	}
	const ahead = 4
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, ahead)
	free := make(chan []T, ahead+2)
	var readErr error
	go func() {
		defer close(batches)
		readErr = read(ctx, func(code string, figs []T) error {
			if err := ctx.Err(); err != nil {
				return err // the caller's fn failed
			}
			if len(figs) == 0 {
				return nil
			}
			var buf []T
			select {
			case buf = <-free:
			default:
			}
			buf = append(buf[:0], figs...)
			select {
			case batches <- batch{code, buf}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var err error
	for b := range batches { // until the reader is done
		if err == nil {
			if err = fn(b.code, b.figs); err != nil {
				cancel() // the reader stops
			}
		}
		select {
		case free <- b.figs:
		default:
		}
	}
	if err != nil {
		return err
	}
	return readErr
}
