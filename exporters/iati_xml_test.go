package exporters

import (
	"bytes"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// writeIATIBoth writes the activity with the results by hand and with
// encoding/xml.
func writeIATIBoth(t *testing.T, fw *indicators.Framework, figs []indicators.Measurement, r *indicators.Report) (hand, enc []byte) {
	t.Helper()
	gen := time.Date(2022, 7, 1, 12, 0, 0, 0, time.UTC)
	write := func(byHand bool) []byte {
		prev := iatiResultsByHand
		iatiResultsByHand = byHand
		defer func() { iatiResultsByHand = prev }()
		var buf bytes.Buffer
		if err := WriteIATI(&buf, fw, figs, r, IATIOptions{Generated: gen}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	return write(true), write(false)
}

// TestIATIResultsByHand: the results written by hand are encoding/xml's
// bytes, for the golden project and for texts holding every character
// encoding/xml escapes or replaces (quotes, markup, tabs, line ends,
// control characters, invalid UTF-8, U+FFFD, characters outside the BMP),
// in every element and attribute the results carry: statements,
// assumptions, names, definitions, codes, dimensions, comments, texts,
// baselines, ratio figures.
func TestIATIResultsByHand(t *testing.T) {
	hand, enc := writeIATIBoth(t, iatiFramework(), iatiFigures(), nil)
	if !bytes.Equal(hand, enc) {
		t.Fatalf("golden project: by hand\n%s\nencoding/xml\n%s", hand, enc)
	}
	for _, nasty := range []string{
		`a "quoted" 'word' & <tag> > x`, "tab\there, line\nend, cr\r\nend", "nul\x00bell\x07 esc\x1b",
		"bad \xff\xfe utf-8", "replacement \uFFFD char", "emoji 🌍 and \U0010FFFF", "\uFFFE\uFFFF nonchars", "",
		"   spaced   ", "]]> cdata end", "&amp; already escaped",
	} {
		fw := iatiFramework()
		fw.Results[1].Statement = nasty + " statement"
		fw.Results[1].Assumptions = nasty
		fw.Indicators[3].Name = nasty
		fw.Indicators[3].Definition = nasty
		fw.Indicators[4].BaselineText = nasty
		fw.Dimensions[0].Values = append(fw.Dimensions[0].Values, nasty)
		figs := iatiFigures()
		figs[2].Dims = indicators.Disagg{"sex": nasty}
		figs[4].Comment = nasty
		figs[0].Text = nasty
		hand, enc := writeIATIBoth(t, fw, figs, nil)
		if !bytes.Equal(hand, enc) {
			t.Errorf("%q: by hand\n%s\nencoding/xml\n%s", nasty, hand, enc)
		}
	}
}

// FuzzIATIResultsByHand: any statement, name, dimension value, comment
// and text gives the same bytes by hand as with encoding/xml.
func FuzzIATIResultsByHand(f *testing.F) {
	f.Add("plain", "x", "female", "a comment", "text")
	f.Add("<a href=\"x\">&</a>", "\t\r\n", "\xff", "\x00", "\uFFFD")
	f.Fuzz(func(t *testing.T, statement, name, dim, comment, text string) {
		fw := iatiFramework()
		fw.Results[2].Statement = statement
		fw.Indicators[3].Name = name
		figs := iatiFigures()
		figs[3].Dims = indicators.Disagg{"sex": dim}
		figs[4].Comment = comment
		figs[7].Text = text
		hand, enc := writeIATIBoth(t, fw, figs, nil)
		if !bytes.Equal(hand, enc) {
			t.Errorf("by hand\n%s\nencoding/xml\n%s", hand, enc)
		}
	})
}
