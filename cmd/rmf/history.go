package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

var historyCmd = &command{
	Name:    "history",
	Summary: "every revision of an indicator's figures and where each came from",
	Usage:   "rmf [--db FILE] history CODE [--period P]",
	Help: "Lists every stored version of CODE's figures, by period and disaggregation: the value (or the\n" +
		"text, or numerator/denominator), whether it was verified, its revision number, a * on the\n" +
		"version in force, and the file, sheet and row it was read from with the time of the import.\n" +
		"--period P keeps the figures whose period lies within P: --period 2021 shows the year's\n" +
		"quarters and months as well as the figures for the whole year (P: 2021Q3, 2021S1, Q3 2021, ...).",
}

func init() {
	historyCmd.Run = runHistory
	register(historyCmd)
}

func runHistory(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, historyCmd.Name)
	period := fs.String("period", "", "only the figures of period `P`")
	pos, err := parseFlags(env, historyCmd, fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usagef("name the indicator: rmf history CODE")
	case len(pos) > 1:
		return usagef("one indicator code at a time (got %s)", strings.Join(pos, " "))
	}
	code := pos[0]
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	h, err := db.FigureHistory(ctx, code, *period)
	if err != nil {
		return err
	}
	fw, ind, p, revs := h.Framework, h.Indicator, h.Period, h.Revisions
	fmt.Fprintf(env.Stdout, "%s %s [%s]\n", ind.Code, ind.Name, ind.Unit)
	if len(revs) == 0 {
		switch {
		case p != nil:
			fmt.Fprintf(env.Stdout, "no figures for %s yet\n", p)
		default:
			fmt.Fprintln(env.Stdout, "no figures imported yet")
		}
	}
	switch {
	case ind.Computed():
		fmt.Fprintf(env.Stdout, "%s is computed by its formula %s; its inputs have their own history\n", ind.Code, ind.Formula)
	case ind.IsRatio():
		fmt.Fprintf(env.Stdout, "%s is computed as %s / %s; see \"rmf history %s\" and \"rmf history %s\"\n",
			ind.Code, ind.Numerator, ind.Denominator, ind.Numerator, ind.Denominator)
	}
	if len(revs) == 0 {
		return nil
	}
	writeHistory(env.Stdout, fw, ind, revs)
	return nil
}

// writeHistory prints the revisions as a table, ordered by period,
// disaggregation and revision.
func writeHistory(w io.Writer, fw *indicators.Framework, ind *indicators.Indicator, revs []indicators.Revision) {
	revs = append([]indicators.Revision(nil), revs...)
	sort.SliceStable(revs, func(i, j int) bool {
		a, b := revs[i], revs[j]
		if c := a.Period.Compare(b.Period); c != 0 {
			return c < 0
		}
		if ak, bk := a.Dims.Key(), b.Dims.Key(); ak != bk {
			return ak < bk
		}
		return a.Revision < b.Revision
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PERIOD\tDISAGGREGATION\tVALUE\tVERIFIED\tREV\tCURRENT\tFILE\tSHEET\tROW\tIMPORTED")
	for _, r := range revs {
		dims := "total"
		if !r.Dims.Total() {
			dims = r.Dims.String()
		}
		cur := ""
		if r.Current {
			cur = "*"
		}
		row := ""
		if r.Loc.Row > 0 {
			row = strconv.Itoa(r.Loc.Row)
		}
		sheet := r.Loc.Sheet
		if sheet == "" {
			sheet = "-"
		}
		verified := string(r.Verified)
		if verified == "" {
			verified = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n",
			r.Period, dims, figureText(fw, ind, r.Measurement), verified, r.Revision, cur,
			r.Loc.File, sheet, row, r.Imported.Local().Format(time.DateTime))
	}
	tw.Flush()
}

// figureText prints a figure in its unit: 44%, yes, "drafting", 18/25 (72%),
// 68,200 CHF.
func figureText(fw *indicators.Framework, ind *indicators.Indicator, m indicators.Measurement) string {
	if ind.Unit == indicators.Text {
		if m.Text != "" || m.Value == nil {
			return strconv.Quote(m.Text)
		}
	}
	var nd string
	if m.Numerator != nil && m.Denominator != nil {
		nd = formatNum(*m.Numerator) + "/" + formatNum(*m.Denominator)
		if m.Value == nil && *m.Denominator != 0 {
			v := *m.Numerator / *m.Denominator
			if ind.Unit == indicators.Percent {
				v *= 100
			}
			m.Value = &v
		}
	}
	if m.Value == nil {
		if nd != "" {
			return nd
		}
		if m.Text != "" {
			return strconv.Quote(m.Text)
		}
		return "-"
	}
	v := *m.Value
	var s string
	switch ind.Unit {
	case indicators.YesNo:
		s = "no"
		if v != 0 {
			s = "yes"
		}
	case indicators.Percent:
		s = formatNum(roundTo(v, 1)) + "%"
	case indicators.Currency:
		s = formatNum(v)
		if fw.Project.Currency != "" {
			s += " " + fw.Project.Currency
		}
	default:
		s = formatNum(v)
	}
	if nd != "" {
		s = nd + " (" + s + ")"
	}
	return s
}

func roundTo(v float64, digits int) float64 {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	r, _ := strconv.ParseFloat(s, 64)
	return r
}

// formatNum prints 10753 as 10,753 and 0.5 as 0.5.
func formatNum(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) > 3 {
		var b strings.Builder
		lead := len(intPart) % 3
		if lead > 0 {
			b.WriteString(intPart[:lead])
		}
		for i := lead; i < len(intPart); i += 3 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(intPart[i : i+3])
		}
		intPart = b.String()
	}
	if frac != "" {
		intPart += "." + frac
	}
	if neg {
		intPart = "-" + intPart
	}
	return intPart
}
