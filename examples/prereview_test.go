package examples_test

import (
	"os"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// preReviewEdits turn the example framework (as revised after the mid-term
// review) back into the logframe agreed at the start of the project: the
// activities the review added are not there yet, 3.2.1 trains 360 local
// staff (80 a semester from 2021S2, none planned for 2023S1) instead of 840
// in all 21 provinces, and 3.3.1 funds the 17 NGOs first selected, not 21.
// Each edit must apply exactly once, so that an edit of framework.yaml that
// this story no longer fits fails here instead of going unnoticed.
var preReviewEdits = [][2]string{
	{"# Example results framework (logframe) for rmf.\n",
		"# Example results framework (logframe) for rmf: the logframe agreed at the\n" +
			"# start of the project, before the mid-term review (framework.yaml is the\n" +
			"# revised one; rmf demo imports this one first, then the revision with its\n" +
			"# reason, so that rmf framework history tells the story). Generated from\n" +
			"# framework.yaml by go test ./examples -update: edit that file, not this one.\n"},
	{"    target: 840\n", "    target: 360\n"},
	{"    notes: About 40 officials in each of the 21 provinces (activity 3.2.5). Target illustrative.\n",
		"    notes: Staff of the capital's districts and of five provinces of origin. Target illustrative.\n"},
	{"  - {indicator: 3.2.1, period: 2022S1, target: 160}\n", "  - {indicator: 3.2.1, period: 2022S1, target: 80}\n"},
	{"  - {indicator: 3.2.1, period: 2022S2, target: 280}\n", "  - {indicator: 3.2.1, period: 2022S2, target: 80}\n"},
	{"  - {indicator: 3.2.1, period: 2023S1, target: 200}\n", ""},
	{"    target: 21\n    milestones: per period", "    target: 17\n    milestones: per period"},
	{"  - {indicator: 3.3.1, period: 2022S2, target: 4}\n", ""},
	{"    notes: 17 NGOs were selected out of 51 applicants; four more were added after the mid-term review.\n",
		"    notes: 17 NGOs were selected out of 51 applicants.\n"},
	{" (revised after the mid-term review): turn the action plan into a roadmap owned by national and local stakeholders.",
		": draft the action plan with short-, medium- and long-term policy actions."},
	{" (expanded after the mid-term review): build NGO capacity with training in four regions and mentoring.",
		": build NGO capacity with training."},
}

// preReview is framework.yaml as it stood before the review.
func preReview(t *testing.T, s string) string {
	t.Helper()
	var kept []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.Contains(l, "(added after the mid-term review)") {
			kept = append(kept, l)
		}
	}
	s = strings.Join(kept, "")
	for _, e := range preReviewEdits {
		if n := strings.Count(s, e[0]); n != 1 {
			t.Fatalf("framework.yaml has %q %d times, expected once: update preReviewEdits", e[0], n)
		}
		s = strings.Replace(s, e[0], e[1], 1)
	}
	return s
}

// TestPreReviewFramework checks that framework-2019.yaml is framework.yaml
// before the review, and that it is a framework of its own: it imports,
// keeps the project, and has fewer results (the added activities).
func TestPreReviewFramework(t *testing.T) {
	b, err := os.ReadFile("framework.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := preReview(t, string(b))
	if *update {
		if err := os.WriteFile("framework-2019.yaml", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("framework-2019.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("framework-2019.yaml is not framework.yaml before the review: run go test ./examples -update after editing framework.yaml")
	}
	pre, post := readExample(t, "framework-2019.yaml"), readExample(t, "framework.yaml")
	if pre.Project.Code != post.Project.Code {
		t.Errorf("project %s before the review, %s after", pre.Project.Code, post.Project.Code)
	}
	// The review added activities 2.1.10 to 2.1.13, 3.2.5, 3.3.6 and 3.4.3.
	if d := len(post.Results) - len(pre.Results); d != 7 {
		t.Errorf("the review added %d results, expected 7 (activities 2.1.10-2.1.13, 3.2.5, 3.3.6, 3.4.3)", d)
	}
	// The per-period milestones add up to the end target in both.
	for _, fw := range []struct {
		name string
		sum  map[string]float64
		want map[string]float64
	}{
		{"framework-2019.yaml", milestoneSums(pre), map[string]float64{"3.2.1": 360, "3.3.1": 17}},
		{"framework.yaml", milestoneSums(post), map[string]float64{"3.2.1": 840, "3.3.1": 21}},
	} {
		for code, w := range fw.want {
			if fw.sum[code] != w {
				t.Errorf("%s: the milestones of %s add up to %v, expected %v", fw.name, code, fw.sum[code], w)
			}
		}
	}
}

// milestoneSums adds up the total (undisaggregated) milestones of each
// indicator.
func milestoneSums(fw *indicators.Framework) map[string]float64 {
	out := map[string]float64{}
	for _, m := range fw.Milestones {
		if len(m.Dims) == 0 {
			out[m.Indicator] += m.Target
		}
	}
	return out
}
