package indicators

// What a report keeps of each figure once its series is made (figRec): for
// its sources, verification and what was due.

import (
	"math"
)

// figRec is what a report keeps of a figure: its period (exactly as the
// figure gave it: s.fper), file and sheet (s.locs), row and verification.
type figRec struct {
	row    uint32 // the row (0 when not above 0), or with wideRow the index of it in series.wideRows
	period int32
	loc    int32
	ver    uint8 // verCode, and wideRow
}

// wideRow marks, in figRec.ver, a row too large for figRec.row: kept in
// series.wideRows (16 bytes a figure rather than 24 for a large
// project's million).
const wideRow = 1 << 7

// rowOf is the row of m (0 when none was above 0).
func (s *series) rowOf(m *figRec) int {
	if m.ver&wideRow != 0 {
		return s.wideRows[m.row]
	}
	return int(m.row)
}

// verOfRec is the verification of m.
func verOfRec(m *figRec) Verified { return verOf(m.ver &^ wideRow) }

// figLoc is a file and sheet figures were read from.
type figLoc struct{ file, sheet string }

// verCode is the code of a figure's verification in a figRec; any other
// value than yes, no and unverifiable is kept as unknown (0), which every
// reader treats alike.
func verCode(v Verified) uint8 {
	switch v {
	case VerifiedYes:
		return 1
	case VerifiedNo:
		return 2
	case Unverifiable:
		return 3
	}
	return 0
}

// verOf is the verification a verCode stands for.
func verOf(c uint8) Verified {
	switch c {
	case 1:
		return VerifiedYes
	case 2:
		return VerifiedNo
	case 3:
		return Unverifiable
	}
	return VerifiedUnknown
}

// keepRecs sets s.recs from figs (sorted as s resolved them).
func (s *series) keepRecs(figs []*Measurement) {
	if len(figs) == 0 {
		return
	}
	s.recs = make([]figRec, len(figs))
	var pidx map[Period]int32
	var lidx map[figLoc]int32
	lastP, lastL := int32(-1), int32(-1)
	for i, m := range figs {
		r := &s.recs[i]
		r.ver = verCode(m.Verified)
		switch row := m.Loc.Row; {
		case row <= 0:
		case uint64(row) <= math.MaxUint32:
			r.row = uint32(row)
		default:
			r.row, r.ver = uint32(len(s.wideRows)), r.ver|wideRow
			s.wideRows = append(s.wideRows, row)
		}
		switch {
		case lastP >= 0 && s.fper[lastP] == m.Period:
			r.period = lastP
		default:
			if pidx == nil {
				pidx = map[Period]int32{}
			}
			k, ok := pidx[m.Period]
			if !ok {
				k = int32(len(s.fper))
				pidx[m.Period] = k
				s.fper = append(s.fper, m.Period)
			}
			r.period, lastP = k, k
		}
		l := figLoc{m.Loc.File, m.Loc.Sheet}
		switch {
		case lastL >= 0 && s.locs[lastL] == l:
			r.loc = lastL
		default:
			if lidx == nil {
				lidx = map[figLoc]int32{}
			}
			k, ok := lidx[l]
			if !ok {
				k = int32(len(s.locs))
				lidx[l] = k
				s.locs = append(s.locs, l)
			}
			r.loc, lastL = k, k
		}
	}
}
