package exporters

import (
	"bytes"
	"encoding/json"
	"testing"
)

// indentCases are compact JSON texts for writeIndented.
var indentCases = []string{
	`{}`, `[]`, `null`, `1.5e-7`, `"a"`,
	`{"a":[],"b":{},"c":[1,2,{"d":null}],"e":"x,y:{z}[w]","f":"q\"uo\\te\\\\","g":true}`,
	`[[],[[]],{"":{"":[]}},-0.25,"\u2028é"]`,
	`{"rows":[1,2,3],"s":"\\\"","t":"\\"}`,
}

// TestWriteIndented: the same bytes as json.Indent with two spaces.
func TestWriteIndented(t *testing.T) {
	for _, c := range indentCases {
		checkIndented(t, []byte(c+"\n"))
	}
}

func checkIndented(t *testing.T, src []byte) {
	t.Helper()
	var want bytes.Buffer
	if err := json.Indent(&want, src, "", "  "); err != nil {
		t.Skip("not JSON")
	}
	var got bytes.Buffer
	if err := writeIndented(&got, src); err != nil {
		t.Fatalf("writeIndented(%q): %v", src, err)
	}
	if got.String() != want.String() {
		t.Errorf("writeIndented(%q):\n got %q\nwant %q", src, got.String(), want.String())
	}
}

// FuzzWriteIndented: for any value encoding/json writes compactly,
// writeIndented agrees with json.Indent.
func FuzzWriteIndented(f *testing.F) {
	for _, c := range indentCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var v any
		if json.Unmarshal(in, &v) != nil {
			return
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return
		}
		checkIndented(t, buf.Bytes())
	})
}

// TestJSONTopKey: the value of a member of the outer object, not of a
// nested one nor inside a string.
func TestJSONTopKey(t *testing.T) {
	for _, c := range []struct {
		src, key string
		want     int
	}{
		{`{"results":[]}`, "results", 11},
		{`{"a":{"results":[1]},"s":"\"results\":[]","results":[]}`, "results", 52},
		{`{"a":{"results":[1]}}`, "results", -1},
		{`{"s":"results"}`, "results", -1},
	} {
		if got := jsonTopKey([]byte(c.src), c.key); got != c.want {
			t.Errorf("jsonTopKey(%s, %q) = %d, want %d", c.src, c.key, got, c.want)
		}
	}
}
