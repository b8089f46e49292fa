package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
)

var dueCmd = &command{
	Name:    "due",
	Summary: "what each responsible party owes for a period and what has arrived (a partner tracker)",
	Usage:   "rmf due --period P [--format text|json]",
	Help: "For each responsible party (the indicators' responsible column), the figures owed for P (periods of\n" +
		"the indicator's frequency that end within P; blank frequency = the project's reporting) with what arrived\n" +
		"and from which file, then the figures of earlier periods that are still missing. Text is written to be\n" +
		"pasted into an e-mail; json gives the same as a list of parties with their items.",
}

func init() {
	dueCmd.Run = runDue
	register(dueCmd)
}

// dueParty is what one responsible party owes.
type dueParty struct {
	Responsible string `json:"responsible"`
	// Period are the figures owed for P itself, received or not.
	Period []indicators.DueItem `json:"period"`
	// Earlier are the figures of earlier periods still missing.
	Earlier []indicators.DueItem `json:"earlier_missing"`
}

func runDue(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, dueCmd.Name)
	periodFlag := fs.String("period", "", "reporting `P`eriod: 2021Q3, 2021S1, 2021, PY2 or 2020-09-01..2021-02-28")
	formatFlag := fs.String("format", "text", "output `format`: text or json")
	pos, err := parseFlags(env, dueCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (name the period with --period P)", pos[0])
	}
	if strings.TrimSpace(*periodFlag) == "" {
		return usagef("--period is required, e.g. --period 2021Q3")
	}
	format := strings.ToLower(strings.TrimSpace(*formatFlag))
	if format != "text" && format != "json" {
		return usagef("unknown format %q: expected text or json", *formatFlag)
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	rr, err := db.Report(ctx, engine.ReportRequest{Period: *periodFlag})
	if err != nil {
		return err
	}
	r := rr.Report
	parties := dueParties(r)
	if format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if parties == nil {
			parties = []dueParty{}
		}
		return enc.Encode(map[string]any{"project": r.Project.Code, "period": r.Period, "parties": parties})
	}
	writeDue(env.Stdout, r, parties)
	return nil
}

// dueParties groups what every indicator of the report owes by responsible
// party, in the order each party first appears in the framework.
func dueParties(r *indicators.Report) []dueParty {
	var out []dueParty
	at := map[string]int{}
	for _, res := range r.Results {
		for _, ind := range res.Indicators {
			for _, d := range ind.Due {
				if d.Computed {
					continue // computed from other indicators, which are listed themselves
				}
				if !d.InPeriod && d.Received {
					continue // an earlier figure that came: nothing to chase
				}
				i, ok := at[d.Responsible]
				if !ok {
					i = len(out)
					at[d.Responsible] = i
					out = append(out, dueParty{Responsible: d.Responsible})
				}
				if d.InPeriod {
					out[i].Period = append(out[i].Period, d)
				} else {
					out[i].Earlier = append(out[i].Earlier, d)
				}
			}
		}
	}
	return out
}

// writeDue writes the tracker as plain text.
func writeDue(w io.Writer, r *indicators.Report, parties []dueParty) {
	fmt.Fprintf(w, "What is owed for %s (%s..%s), %s %s\n", r.Period.Code, r.Period.Start, r.Period.End, r.Project.Code, r.Project.Title)
	if len(parties) == 0 {
		fmt.Fprintf(w, "\nNothing is owed by the end of %s.\n", r.Period.Code)
		return
	}
	for _, pt := range parties {
		got := 0
		for _, d := range pt.Period {
			if d.Received {
				got++
			}
		}
		fmt.Fprintf(w, "\n%s\n", pt.Responsible)
		switch {
		case len(pt.Period) == 0:
			fmt.Fprintf(w, "  nothing owed for %s\n", r.Period.Code)
		default:
			fmt.Fprintf(w, "  %s: %d of %s arrived\n", r.Period.Code, got, plural(len(pt.Period), "figure"))
			for _, d := range pt.Period {
				line := fmt.Sprintf("    %s %s %s (%s)", dueMark(d), d.Indicator, d.Name, d.Period)
				if d.Received {
					if len(d.Files) > 0 {
						line += ": " + strings.Join(d.Files, ", ")
					}
				} else {
					line += ": missing"
				}
				fmt.Fprintln(w, line)
			}
		}
		if len(pt.Earlier) > 0 {
			fmt.Fprintf(w, "  still missing from earlier periods: %s\n", plural(len(pt.Earlier), "figure"))
			for _, line := range dueEarlierLines(pt.Earlier) {
				fmt.Fprintf(w, "    ✖ %s\n", line)
			}
		}
	}
}

func dueMark(d indicators.DueItem) string {
	if d.Received {
		return "✔"
	}
	return "✖"
}

// dueEarlierLines is one line per indicator: "1.1 Kitchens built: 2026Q1, 2026Q2".
func dueEarlierLines(items []indicators.DueItem) []string {
	var out []string
	var last string
	for _, d := range items {
		if d.Indicator == last {
			out[len(out)-1] += ", " + d.Period
			continue
		}
		last = d.Indicator
		out = append(out, d.Indicator+" "+d.Name+": "+d.Period)
	}
	return out
}

// plural is "1 figure", "2 figures".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
