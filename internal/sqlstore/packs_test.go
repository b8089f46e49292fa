package sqlstore

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

func packFigs(t testing.TB) []indicators.Measurement {
	t.Helper()
	per := func(s string) indicators.Period {
		p, err := indicators.ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	f := func(v float64) *float64 { return &v }
	female := indicators.Disagg{"sex": "female"}
	both := indicators.Disagg{"sex": "male", "district": "Darkhan, \"north\" | 2"}
	return []indicators.Measurement{
		{Indicator: "A", Period: per("2021Q1"), Value: f(12.5), Comment: "as reported", Source: "register", Verified: indicators.VerifiedYes,
			Loc: indicators.Loc{File: "q1.xlsx", Sheet: "Data", Row: 2}},
		{Indicator: "A", Period: per("2021Q1"), Dims: female, Value: f(math.Copysign(0, -1)), Loc: indicators.Loc{File: "q1.xlsx", Sheet: "Data", Row: 3}},
		{Indicator: "A", Period: per("2021Q1"), Dims: both, Value: f(math.SmallestNonzeroFloat64), Verified: indicators.Unverifiable,
			Loc: indicators.Loc{File: "q1.xlsx", Sheet: "Data", Row: 1 << 40}},
		{Indicator: "A", Period: per("2021Q2"), Value: f(-1e308), Numerator: f(0.1 + 0.2), Denominator: f(3), Text: "ünïcode ✓\x00",
			Loc: indicators.Loc{File: "/far/away/q2.xlsx", Sheet: "Q2 — données", Row: -7}},
		{Indicator: "A", Period: per("2021"), Text: "all year", Verified: "maybe"},
		{Indicator: "A", Period: per("2020-09-01..2021-02-28"), Numerator: f(1), Loc: indicators.Loc{Row: 0}},
	}
}

// TestPackRoundTrip: a pack gives back every field of every figure as it
// was, numbers to the bit; Upto leaves out the figures of periods ending
// after it.
func TestPackRoundTrip(t *testing.T) {
	figs := packFigs(t)
	var p packer
	data := append([]byte(nil), p.pack(figs)...)
	var u unpacker
	var c periodCache
	var got []indicators.Measurement
	if err := u.unpack(&c, "A", data, "", &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(figs) {
		t.Fatalf("%d figures, want %d", len(got), len(figs))
	}
	for i := range figs {
		if d := diffFigures(&figs[i], &got[i]); d != "" {
			t.Errorf("figure %d: %s", i, d)
		}
		if figs[i].Dims == nil && got[i].Dims != nil && len(got[i].Dims) > 0 {
			t.Errorf("figure %d: total came back with dims %v", i, got[i].Dims)
		}
	}
	// the same packer again gives the same bytes (its memory reused)
	if again := p.pack(figs); string(again) != string(data) {
		t.Error("packing the same figures twice gave other bytes")
	}
	// Upto 2021-03-31: the two figures of 2021Q1 and the custom range
	got = got[:0]
	if err := u.unpack(&c, "A", data, "2021-03-31", &got); err != nil {
		t.Fatal(err)
	}
	var periods []string
	for _, m := range got {
		periods = append(periods, m.Period.String())
	}
	if want := "2021Q1 2021Q1 2021Q1 2020-09-01..2021-02-28"; strings.Join(periods, " ") != want {
		t.Errorf("upto 2021-03-31: %s, want %s", strings.Join(periods, " "), want)
	}
}

// TestUnpackRefusesDamage: a pack cut short, lengthened or with an index
// out of its tables is refused, and leaves dst as it was.
func TestUnpackRefusesDamage(t *testing.T) {
	var p packer
	data := append([]byte(nil), p.pack(packFigs(t))...)
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"other version", append([]byte{packVersion + 1}, data[1:]...)},
		{"cut short", data[:len(data)-3]},
		{"one byte more", append(append([]byte(nil), data...), 0)},
		{"only the tables", data[:len(data)/3]},
		{"huge count", append([]byte{packVersion}, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)},
		{"bad period", []byte{packVersion, 1, 4, 'x', 'x', 'x', 'x', 0, 0, 0}},
		{"index out of range", []byte{packVersion, 0, 0, 0, 1, 3, 0, 0, 0, 0}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var u unpacker
			var c periodCache
			keep := []indicators.Measurement{{Indicator: "kept"}}
			err := u.unpack(&c, "A", tt.data, "", &keep)
			if err == nil || !strings.Contains(err.Error(), errBadPack.Error()) {
				t.Errorf("err = %v, want %v", err, errBadPack)
			}
			if len(keep) != 1 || keep[0].Indicator != "kept" {
				t.Errorf("dst = %v, want it as it was", keep)
			}
		})
	}
}

// FuzzUnpack: any bytes either unpack or are refused, never a panic; what
// unpacks packs again to bytes that unpack to the same figures.
func FuzzUnpack(f *testing.F) {
	var p packer
	f.Add(append([]byte(nil), p.pack(packFigs(f))...))
	f.Add([]byte{packVersion, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var u unpacker
		var c periodCache
		var got []indicators.Measurement
		if err := u.unpack(&c, "A", data, "", &got); err != nil {
			return
		}
		var p packer
		again := append([]byte(nil), p.pack(got)...)
		var got2 []indicators.Measurement
		if err := u.unpack(&c, "A", again, "", &got2); err != nil {
			t.Fatalf("repacked figures do not unpack: %v", err)
		}
		if len(got2) != len(got) {
			t.Fatalf("%d figures, then %d", len(got), len(got2))
		}
		for i := range got {
			if d := diffFigures(&got[i], &got2[i]); d != "" {
				t.Fatalf("figure %d: %s", i, d)
			}
		}
	})
}

// TestStagedPacksCountTexts: the memory an import's packs take counts the
// distinct texts they keep, not only the figures: a file whose every
// figure has a comment of its own reaches maxStagedBytes (and the import
// then packs from the rows) long before nine million figures.
func TestStagedPacksCountTexts(t *testing.T) {
	var ip importPacks
	p, err := indicators.ParsePeriod("2021Q1")
	if err != nil {
		t.Fatal(err)
	}
	v := 1.0
	const n, size = 1000, 4096
	for i := 0; i < n; i++ {
		m := indicators.Measurement{Indicator: "A", Period: p, Value: &v,
			Comment: strings.Repeat("x", size-8) + fmt.Sprintf("%08d", i), Loc: indicators.Loc{Row: i + 2}}
		ip.add(&m, "2021Q1", fmt.Sprintf("district=%d", i))
	}
	if ip.bytes < n*size {
		t.Errorf("%d figures with a comment of %d bytes each counted as %d bytes", n, size, ip.bytes)
	}
}
