package exporters

import (
	"html/template"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// handStrings are texts whose JSON needs escapes, for the hand encoder of
// the report's findings.
var handStrings = []string{
	"", "plain", `q"uo\te`, "tab\there", "line\nbreak\r\n", "\b\f\x00\x01\x1f\x7f",
	"<script>&amp;</script>", "é ü 漢字 🙂", "\u2028\u2029", "bad \xff\xfe utf-8 \xe2\x82", "\xf0\x9f",
	strings.Repeat("x", 100) + `"`,
}

// TestJSONAppendString: the hand encoder writes a string as
// encoding/json does with SetEscapeHTML(false).
func TestJSONAppendString(t *testing.T) {
	for _, s := range handStrings {
		want, err := jsonCompact(s)
		if err != nil {
			t.Fatal(err)
		}
		got := jsonAppendString([]byte("x"), s)
		if string(got) != "x"+strings.TrimSuffix(string(want), "\n") {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

// TestJSONAppendFinding: a finding is encoded as encoding/json encodes it,
// empty period and kind left out.
func TestJSONAppendFinding(t *testing.T) {
	var fs []indicators.Finding
	for i, s := range handStrings {
		f := indicators.Finding{Code: s, Severity: indicators.Severity(handStrings[(i+1)%len(handStrings)]), Message: handStrings[(i+2)%len(handStrings)]}
		if i%2 == 0 {
			f.Period = handStrings[(i+3)%len(handStrings)]
		}
		if i%3 == 0 {
			f.Kind = handStrings[(i+4)%len(handStrings)]
		}
		fs = append(fs, f)
	}
	fs = append(fs, indicators.Finding{}, indicators.Finding{Code: "1.1", Severity: indicators.SevWarning, Message: "m", Period: "2021Q3", Kind: "mismatch"})
	for _, f := range fs {
		want, err := jsonCompact(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonAppendFinding(nil, &f); string(got) != strings.TrimSuffix(string(want), "\n") {
			t.Errorf("%+v: got %s, want %s", f, got, want)
		}
	}
}

// TestRepMDText: repMDText flattens as strings.Fields and a join do, with
// or without its shortcut for texts already flat.
func TestRepMDText(t *testing.T) {
	for _, s := range append(handStrings, " lead", "trail ", "two  spaces", "a b c", "nbsp\u00a0x", "nel\u0085x", "v\vt", "a", " ") {
		if got, want := repMDText(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("repMDText(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestHTMLEscapeText: list items are escaped as the report's template
// (html/template) escapes a text between tags.
func TestHTMLEscapeText(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<li><strong>{{.Code}}</strong> {{.Text}}</li>`))
	for _, s := range append(handStrings, "a+b 'q' \"d\" <i>&</i>\x00", "\xef\xbf\xbe \ufdd0") {
		var want strings.Builder
		if err := tmpl.Execute(&want, htmlItem{Code: s, Text: s + "!"}); err != nil {
			t.Fatal(err)
		}
		var l htmlItems
		l.add(s, s, "!")
		if got := string(l.html()); got != "\n"+want.String() {
			t.Errorf("%q: got %q, want %q", s, got, "\n"+want.String())
		}
	}
}
