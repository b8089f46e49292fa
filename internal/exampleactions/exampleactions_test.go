package exampleactions

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

var update = flag.Bool("update", false, "rewrite examples/actions.xlsx")

var examplePath = filepath.Join("..", "..", "examples", "actions.xlsx")

// TestExampleFile checks that examples/actions.xlsx is what Workbook
// writes (compared as read by the importer, since zip bytes may differ),
// and rewrites it with -update.
func TestExampleFile(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(examplePath, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := importers.ReadActionsXLSX(bytes.NewReader(buf.Bytes()), "actions.xlsx", nil)
	if err != nil {
		t.Fatalf("generated matrix: %v", err)
	}
	f, err := os.Open(examplePath)
	if err != nil {
		t.Fatalf("%v (run: go test ./internal/exampleactions -update)", err)
	}
	defer f.Close()
	got, err := importers.ReadActionsXLSX(f, "actions.xlsx", nil)
	if err != nil {
		t.Fatalf("examples/actions.xlsx: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("examples/actions.xlsx is stale: run go test ./internal/exampleactions -update")
	}
}

func TestExampleContent(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf); err != nil {
		t.Fatal(err)
	}
	// Every linked code is a result, activity or indicator of the example framework.
	fw, err := importers.ReadFramework(filepath.Join("..", "..", "examples", "framework.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := importers.ReadActionsXLSX(bytes.NewReader(buf.Bytes()), "actions.xlsx", fw)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Title != Title || !ev.Date.Equal(Date) || len(ev.Recommendations) != 12 {
		t.Fatalf("evaluation %q %v with %d recommendations", ev.Title, ev.Date, len(ev.Recommendations))
	}
	n := 0
	for i, r := range ev.Recommendations {
		m := Matrix[i]
		if r.Number != m.Number || r.Text != m.Text || r.Priority != m.Priority || r.Response != indicators.Accepted || len(r.Actions) != len(m.Actions) {
			t.Errorf("recommendation %d read as %+v", i+1, r)
		}
		n += len(r.Actions)
	}
	if n != 18 {
		t.Errorf("%d actions, want 18", n)
	}
	fu := indicators.BuildFollowUp([]indicators.Evaluation{*ev}, time.Date(2022, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(2023, 8, 31, 0, 0, 0, 0, time.UTC))
	if fu.OverdueCount != 1 || fu.Overdue[0].Number != "6.1" {
		t.Errorf("overdue at 2022-06-30: %+v", fu.Overdue)
	}
}
