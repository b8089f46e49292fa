package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/rmf-project/rmf/internal/sqlstore"
)

// Loader stages rows while the file is read: Add queues them a chunk at a
// time, and a goroutine inserts the chunks on the write transaction's own
// connection (through database/sql's Conn.Raw to go-sqlite3's connection,
// so that they are part of the transaction) with a prepared INSERT of
// loadRows rows at a time; Flush waits for it to end. Reading the file
// (one core) and storing its rows (the other) then overlap, and memory
// holds a few chunks whatever the size of the file.
//
// Measured on the large workbook (internal/gen BenchmarkLargeImportEngine,
// 200,000 rows, CPU profiles): one prepared single-row INSERT per figure
// through database/sql took 0.7 s of CPU in the reading goroutine; 16 rows
// per statement straight to the driver take 0.36 s, in a goroutine of
// their own.
func (dialect) Loader(ctx context.Context, tx *sqlstore.Tx, name string, cols []string) (sqlstore.Loader, error) {
	if tx.Conn() == nil {
		return nil, errors.New("bulk load outside a write transaction")
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	insert := `INSERT INTO ` + name + ` (` + strings.Join(cols, ", ") + `) VALUES `
	return &chunkLoader{tx: tx, cols: len(cols),
		one:  insert + row,
		many: insert + strings.TrimSuffix(strings.Repeat(row+", ", loadRows), ", "),
	}, nil
}

const (
	// loadRows rows go in one INSERT: the per-statement work of the driver
	// and of SQLite (reset, step, the statement's journal) is shared by
	// them. 16 × 18 columns is well under SQLite's limit on parameters.
	loadRows = 16
	// loadChunk rows are handed to the goroutine at a time (a multiple of
	// loadRows), loadAhead chunks at most wait for it.
	loadChunk = 64 * loadRows
	loadAhead = 4
)

// chunkLoader is SQLite's Loader.
type chunkLoader struct {
	tx        *sqlstore.Tx
	cols      int
	one, many string // the INSERT of one row, of loadRows rows
	chunk     []driver.Value
	// While the goroutine runs: chunks go to ch, closing abort stops it
	// (Close), done gives its end.
	ch    chan []driver.Value
	free  chan []driver.Value // chunks stored, to be filled again
	abort chan struct{}
	done  chan error
	err   error // the goroutine's failure, once seen
}

// Add queues row. Go's int becomes int64, as database/sql would convert it.
func (l *chunkLoader) Add(ctx context.Context, row []any) error {
	if l.err != nil {
		return l.err
	}
	if len(row) != l.cols {
		return fmt.Errorf("bulk load: %d values, expected %d", len(row), l.cols)
	}
	if l.chunk == nil {
		select {
		case l.chunk = <-l.free:
		default:
			l.chunk = make([]driver.Value, 0, loadChunk*l.cols)
		}
	}
	for _, v := range row {
		switch v.(type) {
		case nil, int, int64, float64, string:
		default:
			return fmt.Errorf("bulk load: a value of type %T, expected an integer, a number, a text or nil", v)
		}
	}
	for _, v := range row {
		if x, ok := v.(int); ok {
			v = int64(x)
		}
		l.chunk = append(l.chunk, v)
	}
	if len(l.chunk) == loadChunk*l.cols {
		return l.send(ctx)
	}
	return nil
}

// send hands the current chunk to the goroutine, starting it if needed.
func (l *chunkLoader) send(ctx context.Context) error {
	if len(l.chunk) == 0 {
		return nil
	}
	if l.ch == nil {
		l.start(ctx)
	}
	select {
	case l.ch <- l.chunk:
		l.chunk = nil
		return nil
	case err := <-l.done: // the goroutine ended before taking every row
		l.ch, l.done = nil, nil
		if err == nil {
			err = errors.New("the loader ended early")
		}
		l.err = fmt.Errorf("bulk load: %w", err)
		return l.err
	}
}

func (l *chunkLoader) start(ctx context.Context) {
	l.ch, l.abort, l.done = make(chan []driver.Value, loadAhead), make(chan struct{}), make(chan error, 1)
	l.free = make(chan []driver.Value, 2)
	ch, abort, done := l.ch, l.abort, l.done
	go func() {
		done <- l.tx.Conn().Raw(func(dc any) error {
			c, ok := dc.(*sqlite3.SQLiteConn)
			if !ok {
				return fmt.Errorf("driver connection %T, expected go-sqlite3's", dc)
			}
			return l.run(ctx, c, ch, abort)
		})
	}()
}

// run inserts the chunks of ch until it is closed, abort is closed or ctx
// ends.
func (l *chunkLoader) run(ctx context.Context, c *sqlite3.SQLiteConn, ch <-chan []driver.Value, abort <-chan struct{}) error {
	var one, many driver.Stmt
	defer func() {
		for _, s := range []driver.Stmt{one, many} {
			if s != nil {
				s.Close()
			}
		}
	}()
	// exec runs stmt (prepared on first use) over rows, numbering them.
	args := make([]driver.NamedValue, loadRows*l.cols)
	exec := func(stmt *driver.Stmt, query string, rows []driver.Value) error {
		if *stmt == nil {
			s, err := c.Prepare(query)
			if err != nil {
				return err
			}
			*stmt = s
		}
		a := args[:len(rows)]
		for i, v := range rows {
			a[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
		}
		// A background context: go-sqlite3 would start a goroutine per
		// statement to watch a cancellable one; ctx is checked between
		// chunks instead.
		_, err := (*stmt).(driver.StmtExecContext).ExecContext(context.Background(), a)
		return err
	}
	width := loadRows * l.cols
	for {
		var chunk []driver.Value
		select {
		case <-abort:
			return errAbandoned
		case <-ctx.Done():
			return ctx.Err()
		case next, ok := <-ch:
			if !ok {
				return nil
			}
			chunk = next
		}
		full := chunk
		for len(chunk) >= width {
			if err := exec(&many, l.many, chunk[:width]); err != nil {
				return err
			}
			chunk = chunk[width:]
		}
		for len(chunk) > 0 {
			if err := exec(&one, l.one, chunk[:l.cols]); err != nil {
				return err
			}
			chunk = chunk[l.cols:]
		}
		select { // for the next chunk of Add
		case l.free <- full[:0]:
		default:
		}
	}
}

// errAbandoned stops a load that Close abandons.
var errAbandoned = errors.New("import abandoned")

// Flush sends the rows queued and waits for the goroutine to store them.
func (l *chunkLoader) Flush(ctx context.Context) error {
	if l.err != nil {
		return l.err
	}
	if err := l.send(ctx); err != nil {
		return err
	}
	if l.ch == nil {
		return nil
	}
	close(l.ch)
	err := <-l.done
	l.ch, l.done = nil, nil
	if err != nil {
		l.err = fmt.Errorf("bulk load: %w", err)
	}
	return l.err
}

// Close abandons the load: the goroutine stops and is waited for (what it
// inserted goes with the transaction's rollback).
func (l *chunkLoader) Close() error {
	if l.ch != nil {
		close(l.abort)
		<-l.done
		l.ch, l.done = nil, nil
	}
	l.chunk = nil
	return nil
}
