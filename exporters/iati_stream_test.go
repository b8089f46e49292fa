package exporters

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// iatiRatioFramework is iatiFramework with a ratio indicator of outcome
// O1 whose measures come last in the framework: they are read in O1's
// place.
func iatiRatioFramework() (*indicators.Framework, []indicators.Measurement) {
	fw := iatiFramework()
	fw.Indicators = append(fw.Indicators,
		indicators.Indicator{Code: "1.r", Result: "O1", Name: "Share of households using the service", Unit: indicators.Percent, Numerator: "hh.used", Denominator: "hh"},
		indicators.Indicator{Code: "hh.used", Name: "households using", Unit: indicators.Number},
		indicators.Indicator{Code: "hh", Name: "households", Unit: indicators.Number})
	figs := append(iatiFigures(),
		indicators.Measurement{Indicator: "hh", Period: indicators.Quarter(2020, 1), Value: fp(80)},
		indicators.Measurement{Indicator: "hh.used", Period: indicators.Quarter(2020, 1), Value: fp(20)},
		indicators.Measurement{Indicator: "hh.used", Period: indicators.Quarter(2020, 2), Value: fp(30)},
		indicators.Measurement{Indicator: "hh", Period: indicators.Quarter(2020, 2), Value: fp(90)})
	return fw, figs
}

// storeLike gives figs as a store does: one indicator at a time in the
// order of codes, from one buffer overwritten after each call; before
// each call it calls seen with the code.
func storeLike(codes []string, figs []indicators.Measurement, seen func(code string)) IATIFigures {
	return func(fn func(string, []indicators.Measurement) error) error {
		var buf []indicators.Measurement
		for _, c := range codes {
			buf = buf[:0]
			for _, m := range figs {
				if m.Indicator == c {
					buf = append(buf, m)
				}
			}
			if len(buf) == 0 {
				continue
			}
			if seen != nil {
				seen(c)
			}
			if err := fn(c, buf); err != nil {
				return err
			}
			for i := range buf {
				buf[i] = indicators.Measurement{Indicator: "overwritten", Value: fp(-1)}
			}
		}
		return nil
	}
}

// TestWriteIATIFrom: the figures read one indicator at a time from a
// reused buffer make the file the figures given at once make, byte for
// byte; read in the order of IATIFigureOrder, each result is written as
// soon as its indicators' figures (and its ratio's measures') have been
// read, not at the end; figures out of that order and a source's error
// are errors.
func TestWriteIATIFrom(t *testing.T) {
	fw, figs := iatiRatioFramework()
	opt := IATIOptions{Generated: time.Date(2022, 7, 1, 12, 0, 0, 0, time.UTC)}
	var want bytes.Buffer
	if err := WriteIATI(&want, fw, figs, nil, opt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(want.String(), `<actual value="25">`) || !strings.Contains(want.String(), `numerator="30" denominator="90"`) {
		t.Fatalf("the export lacks the stored or the ratio actuals:\n%s", want.String())
	}
	codes := IATIFigureOrder(fw)
	if got := strings.Join(codes, " "); got != "OO.1 1.a 1.b hh.used hh 1.1.1 1.1.2" {
		t.Fatalf("IATIFigureOrder = %s, want the results' indicators result by result, a ratio's measures in its place, no activity's", got)
	}
	var got bytes.Buffer
	written := map[string]int{} // results in the file when each code's figures came
	src := storeLike(codes, figs, func(code string) { written[code] = strings.Count(got.String(), "<result ") })
	if err := WriteIATIFrom(&got, fw, src, nil, opt); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("streamed export differs:\n%s\nwant\n%s", got.String(), want.String())
	}
	// OO is out once its figures are read; O1 once its ratio's measures
	// are (before 1.1's figures are read).
	if written["OO.1"] != 0 || written["hh.used"] != 1 || written["hh"] != 1 || written["1.1.1"] != 2 || written["1.1.2"] != 2 {
		t.Errorf("results written when OO.1, hh.used, hh, 1.1.1 and 1.1.2 came: %d, %d, %d, %d, %d; want 0, 1, 1, 2, 2",
			written["OO.1"], written["hh.used"], written["hh"], written["1.1.1"], written["1.1.2"])
	}
	// Out of framework order: refused, naming both.
	err := WriteIATIFrom(&bytes.Buffer{}, fw, storeLike([]string{"1.1.2", "1.1.1"}, figs, nil), nil, opt)
	if err == nil || !strings.Contains(err.Error(), "the figures of 1.1.1 came after those of 1.1.2") {
		t.Errorf("out of order: %v", err)
	}
	failed := errors.New("connection lost")
	err = WriteIATIFrom(&bytes.Buffer{}, fw, func(func(string, []indicators.Measurement) error) error { return failed }, nil, opt)
	if !errors.Is(err, failed) {
		t.Errorf("source error: %v, want it as it is", err)
	}
}
