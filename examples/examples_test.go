package examples_test

import (
	"testing"

	"github.com/rmf-project/rmf/importers"
)

func TestFrameworkYAMLLoads(t *testing.T) {
	fw, err := importers.ReadFramework("framework.yaml")
	if err != nil {
		t.Fatalf("framework.yaml: %v", err)
	}
	t.Logf("%d results, %d indicators, %d milestones", len(fw.Results), len(fw.Indicators), len(fw.Milestones))
}
