package importers

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// FuzzReadFrameworkYAML: whatever the input, the reader returns a
// framework or indicators.Problems, never panics, and a framework it
// accepts is valid.
//
//	go test ./importers -run '^$' -fuzz FuzzReadFrameworkYAML -fuzztime 30s
func FuzzReadFrameworkYAML(f *testing.F) {
	f.Add([]byte(baseYAML))
	if b, err := os.ReadFile("../examples/framework.yaml"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		"", "project:", "- a\n- b", "project: &a {code: X}\nresults: *a\n",
		"project: {code: P, title: T, start: 2020, end: 2021}\nresults: []\nindicators: []\n",
		"dimensions: {sex: [[a]]}\n", "milestones:\n  - {indicator: x, period: 2021Q9, target: yes}\n",
		"indicators:\n  - {code: a, unit: percent, baseline: 12%, target: .5}\n",
		"a: &x [*x]\n", "results:\n  - code: {a: b}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fw, err := ReadFrameworkYAML(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			var probs indicators.Problems
			if !errors.As(err, &probs) || len(probs) == 0 {
				t.Fatalf("error %T is not a non-empty Problems: %v", err, err)
			}
			_ = err.Error()
			return
		}
		if fw == nil {
			t.Fatal("nil framework without an error")
		}
		if probs := fw.Validate(); len(probs) > 0 {
			t.Fatalf("accepted an invalid framework: %v", probs)
		}
		_ = fw.Check()
	})
}
