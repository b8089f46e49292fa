package indicators

// The state the series of one report share while they are made
// (aggScratch): interned disaggregations and the buffers of a period.

import (
	"reflect"
	"slices"
	"strings"
)

// dinfo is a disaggregation's interned key, dimension names and pairs.
type dinfo struct {
	key   string   // dkey
	names string   // sorted dimension names joined by commas
	n     int      // number of dimensions
	pairs []int32  // pair ids, sorted by dimension name
	dims  []string // dimension names, sorted
}

type d2 struct{ k1, v1, k2, v2 string }

// aggScratch is the state shared by the series of one report: interned
// keys and the buffers of addPeriod, reused from one period to the next.
type aggScratch struct {
	fw        *Framework
	infos     map[d2]*dinfo
	pairIDs   map[[2]string]int32
	pairKeys  []string
	pairNames []string
	cells     []pcell
	explicit  map[string]int
	groups    []pgroup
	accs      []acc
	touched   []int32
	wants     map[[2]string]int // want, by group names and dimension
	dimNames  []string          // declared dimension names, sorted
	// the Dims maps (mapID) of the figures of the period before, in order,
	// and their infos (addPeriod), for the series being made
	prevDims  []uintptr
	prevInfos []*dinfo
}

func newAggScratch(fw *Framework) *aggScratch {
	sc := &aggScratch{fw: fw, infos: map[d2]*dinfo{}, pairIDs: map[[2]string]int32{}, explicit: map[string]int{}, wants: map[[2]string]int{}}
	for _, d := range fw.Dimensions {
		sc.dimNames = append(sc.dimNames, d.Name)
	}
	slices.Sort(sc.dimNames)
	return sc
}

func (sc *aggScratch) pair(name, val string) int32 {
	k := [2]string{name, val}
	if id, ok := sc.pairIDs[k]; ok {
		return id
	}
	id := int32(len(sc.pairKeys))
	sc.pairIDs[k] = id
	sc.pairKeys = append(sc.pairKeys, name+"="+val)
	sc.pairNames = append(sc.pairNames, name)
	return id
}

// mapID is the identity of the map d (0 for nil): two figures whose Dims
// have the same identity have the same disaggregation.
func mapID(d Disagg) uintptr {
	if d == nil {
		return 0
	}
	return uintptr(reflect.ValueOf(d).UnsafePointer())
}

// info interns d.
func (sc *aggScratch) info(d Disagg) *dinfo {
	var k d2
	switch len(d) {
	case 0:
	case 1, 2:
		// look the declared dimensions up (sorted by name): cheaper than
		// ranging over the map
		found := 0
		for _, n := range sc.dimNames {
			if v, ok := d[n]; ok {
				if found == 0 {
					k.k1, k.v1 = n, v
				} else {
					k.k2, k.v2 = n, v
				}
				found++
				if found == len(d) {
					break
				}
			}
		}
		if found != len(d) {
			k = d2{}
			i := 0
			for n, v := range d {
				if i == 0 {
					k.k1, k.v1 = n, v
				} else {
					k.k2, k.v2 = n, v
				}
				i++
			}
			if len(d) == 2 && k.k2 < k.k1 {
				k = d2{k.k2, k.v2, k.k1, k.v1}
			}
		}
	default:
		return sc.makeInfo(d)
	}
	if in, ok := sc.infos[k]; ok {
		return in
	}
	in := sc.makeInfo(d)
	sc.infos[k] = in
	return in
}

func (sc *aggScratch) makeInfo(d Disagg) *dinfo {
	in := &dinfo{key: dkey(d), n: len(d), dims: d.Dims()}
	in.names = strings.Join(in.dims, ",")
	for _, n := range in.dims {
		in.pairs = append(in.pairs, sc.pair(n, d[n]))
	}
	return in
}

// want is how many cells make a complete breakdown of group names below
// dimension name (the product of the numbers of values of the others); 0
// when a dimension has no declared values.
func (sc *aggScratch) want(names, name string) int {
	k := [2]string{names, name} // no string built per call: addPeriod asks at every period
	if w, ok := sc.wants[k]; ok {
		return w
	}
	w := 1
	for _, d := range strings.Split(names, ",") {
		if d == name {
			continue
		}
		if dim, ok := sc.fw.Dimension(d); ok && len(dim.Values) > 0 {
			w *= len(dim.Values)
		} else {
			w = 0
			break
		}
	}
	sc.wants[k] = w
	return w
}

// groupCells groups the cells of a period by their dimension names,
// coarsest first (in sc's memory).
func (sc *aggScratch) groupCells(cells []pcell) []pgroup {
	groups := sc.groups[:0]
	for i := range cells {
		c := &cells[i]
		if c.in.n == 0 {
			continue
		}
		g := -1
		for k := range groups {
			if groups[k].names == c.in.names {
				g = k
				break
			}
		}
		if g < 0 {
			g = len(groups)
			if g < cap(groups) {
				groups = groups[:g+1]
				groups[g].names, groups[g].n, groups[g].cells = c.in.names, c.in.n, groups[g].cells[:0]
			} else {
				groups = append(groups, pgroup{names: c.in.names, n: c.in.n})
			}
		}
		groups[g].cells = append(groups[g].cells, int32(i))
	}
	sc.groups = groups
	slices.SortFunc(groups, func(a, b pgroup) int {
		if a.n != b.n {
			return a.n - b.n
		}
		return strings.Compare(a.names, b.names)
	})
	return groups
}
