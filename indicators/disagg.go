package indicators

import (
	"fmt"
	"sort"
	"strings"
)

// Disagg is a disaggregation: dimension=value pairs such as sex=female,
// location=Darkhan. An empty (or nil) Disagg is the total.
type Disagg map[string]string

// Total is true when d names no dimension.
func (d Disagg) Total() bool { return len(d) == 0 }

// Dims returns the dimension names of d, sorted.
func (d Disagg) Dims() []string {
	ks := make([]string, 0, len(d))
	for k := range d {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Values returns the values of d in the order of Dims: for sex=female,
// location=Darkhan, [Darkhan female].
func (d Disagg) Values() []string {
	ks := d.Dims()
	for i, k := range ks {
		ks[i] = d[k]
	}
	return ks
}

// Key is the canonical form of d: "location=Darkhan; sex=female", dimensions
// sorted by name; "" for the total. Two equal disaggregations have equal keys.
func (d Disagg) Key() string {
	if len(d) == 0 {
		return ""
	}
	parts := make([]string, 0, len(d))
	for _, k := range d.Dims() {
		parts = append(parts, k+"="+d[k])
	}
	return strings.Join(parts, "; ")
}

// String is Key, or "total" for the total.
func (d Disagg) String() string {
	if len(d) == 0 {
		return "total"
	}
	return d.Key()
}

// Has is true when every pair of sub is also in d.
func (d Disagg) Has(sub Disagg) bool {
	for k, v := range sub {
		if d[k] != v {
			return false
		}
	}
	return true
}

// With returns a copy of d with k=v added.
func (d Disagg) With(k, v string) Disagg {
	out := make(Disagg, len(d)+1)
	for a, b := range d {
		out[a] = b
	}
	out[k] = v
	return out
}

// ParseDisagg reads "sex=female; location=Darkhan" (also separated by
// commas). Blank text, "total" or "all" is the total. Names and values are
// trimmed; names are lower-cased.
func ParseDisagg(s string) (Disagg, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "total") || strings.EqualFold(s, "all") {
		return nil, nil
	}
	d := Disagg{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == '|' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			k, v, ok = strings.Cut(part, ":")
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("%w: disaggregation %q, expected dimension=value pairs such as sex=female; location=Darkhan", ErrInvalid, s)
		}
		if old, dup := d[k]; dup && old != v {
			return nil, fmt.Errorf("%w: disaggregation %q names %s twice", ErrInvalid, s, k)
		}
		d[k] = v
	}
	return d, nil
}

// CheckDisagg checks d against the framework's dimensions and the
// indicator's declared disaggregations, and returns d with dimension names
// and values spelled as declared.
func (f *Framework) CheckDisagg(ind *Indicator, d Disagg) (Disagg, error) {
	if len(d) == 0 {
		return d, nil
	}
	out := make(Disagg, len(d))
	for k, v := range d {
		dim, ok := f.Dimension(k)
		if !ok {
			return nil, fmt.Errorf("%w: %q is not a declared dimension (declared: %s)", ErrDimension, k, f.dimensionNames())
		}
		if ind != nil && !containsFold(ind.Disaggregations, dim.Name) {
			return nil, fmt.Errorf("%w: indicator %s is not disaggregated by %s (it is by: %s)", ErrDimension, ind.Code, dim.Name, orNone(ind.Disaggregations))
		}
		val, ok := matchValue(dim.Values, v)
		if !ok {
			return nil, fmt.Errorf("%w: %q is not a value of dimension %s (expected one of: %s)", ErrDimension, v, dim.Name, strings.Join(dim.Values, ", "))
		}
		out[dim.Name] = val
	}
	return out, nil
}

func (f *Framework) dimensionNames() string {
	var ns []string
	for _, d := range f.Dimensions {
		ns = append(ns, d.Name)
	}
	return orNone(ns)
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func matchValue(vals []string, v string) (string, bool) {
	for _, x := range vals {
		if x == v {
			return x, true
		}
	}
	for _, x := range vals {
		if strings.EqualFold(x, v) {
			return x, true
		}
	}
	return "", false
}
