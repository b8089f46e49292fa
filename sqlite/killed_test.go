package sqlite

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

const killedEnv = "RMF_ENGINE_KILLED_IMPORT_DB"

// TestKilledImport kills (SIGKILL) a process in the middle of an import,
// after it staged thousands of figures and before Finish: the database is
// left as it was, and the next import works.
func TestKilledImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	path := filepath.Join(t.TempDir(), "rmf.db")
	db, _ := openAt(t, path)
	if _, err := db.SaveFramework(context.Background(), fullFramework()); err != nil {
		t.Fatal(err)
	}
	if _, err := runImport(t, db, "a.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, db)

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledImportChild$")
	cmd.Env = append(os.Environ(), killedEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "staged\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q, %v", line, err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	if after := countRows(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("after a killed import: before %v, after %v", before, after)
	}
	db.Close()
	db2, _ := openAt(t, path)
	if after := countRows(t, db2); !reflect.DeepEqual(before, after) {
		t.Errorf("after reopening: before %v, after %v", before, after)
	}
	b, err := runImport(t, db2, "b.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2), fig(t, "1.1a", "2021Q2", 6, 3))
	if err != nil || counts(b) != [3]int{1, 0, 1} {
		t.Errorf("import after a killed one: %+v, %v", b, err)
	}
}

// TestKilledImportChild is the process TestKilledImport kills.
func TestKilledImportChild(t *testing.T) {
	path := os.Getenv(killedEnv)
	if path == "" {
		t.Skip("run by TestKilledImport")
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	im, err := db.BeginImport(context.Background(), indicators.Batch{File: "killed.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	start := day(2000, 1, 1)
	for i := 0; i < 20000; i++ {
		m := fig(t, "1.1a", "2021Q1", float64(i), i+2)
		m.Period = indicators.Day(start.AddDate(0, 0, i))
		if err := im.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	os.Stdout.WriteString("staged\n")
	time.Sleep(time.Minute) // killed before this ends
}

// TestCloseDuringImport closes the database with an import open: the
// import is rolled back and its write lock released.
func TestCloseDuringImport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rmf.db")
	db, _ := openAt(t, path)
	if _, err := db.SaveFramework(context.Background(), fullFramework()); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, db)
	im, err := db.BeginImport(context.Background(), indicators.Batch{File: "open.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Add(fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Finish(false); err == nil {
		t.Error("Finish after Close: no error")
	}
	db2, _ := openAt(t, path)
	if after := countRows(t, db2); !reflect.DeepEqual(before, after) {
		t.Errorf("after Close during an import: before %v, after %v", before, after)
	}
	// Fails with "database is locked" if the import kept its lock.
	if _, err := runImport(t, db2, "b.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Errorf("import after Close during an import: %v", err)
	}
}
