package main

import (
	"context"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

var actionsCmd = &command{
	Name:    "actions",
	Summary: "follow up the recommendations of an evaluation: import the management response, list, update",
	Usage: "rmf actions [--status S] [--overdue] [--responsible R] [--priority N] [--as-of DATE]\n" +
		"       rmf actions import FILE.xlsx [--dry-run] [--title TITLE]\n" +
		"       rmf actions update ID [--status S] [--comment TEXT] [--date D]\n" +
		"       rmf actions show ID",
	Help: "The management response matrix answers each recommendation of an evaluation (priority 1 to 3,\n" +
		"accepted / partially accepted / rejected) with key actions: a deadline, a responsible unit, a\n" +
		"status (not started, ongoing, completed, cancelled), the logframe codes they touch, and a log of\n" +
		"dated monitoring comments.\n" +
		"\n" +
		"import FILE   reads the matrix (one row per key action; the recommendation's cells repeated, left\n" +
		"              blank or merged). Deadlines may be dates, months (May 2022), windows (2022-03..2022-09,\n" +
		"              from 2022-04), \"before end of project period\", \"every reporting period\" or an event\n" +
		"              (\"before the selection\"). Comments that begin with a date (\"15 June 2022: ...\") become\n" +
		"              dated log entries. Linked codes must be results, activities or indicators of the stored\n" +
		"              framework. Any problem is listed with its sheet and cell and nothing is written.\n" +
		"              Importing the same file again changes nothing; comments already in the log are\n" +
		"              not added again. The evaluation is matched by its title (the first text above the\n" +
		"              header row; --title overrides it).\n" +
		"(no subcommand) lists the key actions: overdue ones first (deadline passed, neither completed\n" +
		"              nor cancelled, at --as-of, default today), then the others in matrix order.\n" +
		"update ID     appends a status change and/or a comment to the action's log, dated --date (default\n" +
		"              today). Nothing is ever overwritten: the log only grows. ID is the action number\n" +
		"              shown by \"rmf actions\" (6.1) or, when two evaluations share a number, its id (#17).\n" +
		"show ID       prints one action with its whole log.",
}

var (
	actionsImportCmd = &command{Name: "actions import", Summary: "import a management response matrix (.xlsx)",
		Usage: "rmf actions import FILE.xlsx [--dry-run] [--title TITLE]"}
	actionsUpdateCmd = &command{Name: "actions update", Summary: "append a status change or a comment to a key action's log",
		Usage: "rmf actions update ID [--status S] [--comment TEXT] [--date D]"}
	actionsShowCmd = &command{Name: "actions show", Summary: "print one key action with its log",
		Usage: "rmf actions show ID"}
)

func init() {
	actionsCmd.Run = runActions
	register(actionsCmd)
	addDemoStep(demoStep{Order: 30, Name: "actions", Run: demoActions})
}

func runActions(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return runActionsImport(ctx, env, args[1:])
		case "update":
			return runActionsUpdate(ctx, env, args[1:])
		case "show":
			return runActionsShow(ctx, env, args[1:])
		}
	}
	return runActionsList(ctx, env, args)
}

func runActionsImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, actionsImportCmd.Name)
	dry := fs.Bool("dry-run", false, "check the file and say what would change, without writing")
	title := fs.String("title", "", "the evaluation's title (default: the first text above the header row)")
	pos, err := parseFlags(env, actionsImportCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("import expects one FILE.xlsx, got %d arguments", len(pos))
	}
	file := pos[0]
	if err := engine.CheckInput(file); err != nil {
		return err
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.ImportActions(ctx, file, *title, *dry)
	if res != nil && res.NoFramework {
		fmt.Fprintf(env.Stderr, "rmf actions import: no framework stored: linked codes are not checked\n")
	}
	if err != nil {
		return err
	}
	ev, ch := res.Evaluation, res.Change
	printActionsChange(env.Stdout, file, ev, ch, *dry)
	return nil
}

func printActionsChange(w io.Writer, file string, ev *indicators.Evaluation, ch engine.ActionsChange, dry bool) {
	acts := 0
	for _, r := range ev.Recommendations {
		acts += len(r.Actions)
	}
	verb := ""
	if dry {
		verb = "(dry run, nothing written) "
	}
	switch {
	case ch.NewEvaluation:
		fmt.Fprintf(w, "%simported %q from %s: %d recommendations, %d key actions, %d log entries\n",
			verb, ev.Title, file, len(ev.Recommendations), acts, ch.LogAdded)
	case !ch.Changed():
		fmt.Fprintf(w, "%s%s: %q unchanged, nothing written (%d recommendations, %d key actions; %d comments already in the log)\n",
			verb, file, ev.Title, len(ev.Recommendations), acts, ch.LogKept)
	default:
		fmt.Fprintf(w, "%supdated %q from %s: %d recommendations added, %d changed; %d key actions added, %d changed; %d log entries added (%d comments already in the log)\n",
			verb, ev.Title, file, ch.RecommendationsAdded, ch.RecommendationsChanged, ch.ActionsAdded, ch.ActionsChanged, ch.LogAdded, ch.LogKept)
	}
	if len(ch.Missing) > 0 {
		fmt.Fprintf(w, "kept %d key actions that %s no longer has: %s\n", len(ch.Missing), file, strings.Join(ch.Missing, ", "))
	}
}

// actionsFilter selects actions for the list.
type actionsFilter struct {
	status      indicators.ActionStatus
	overdue     bool
	responsible string
	priority    int
}

func runActionsList(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, actionsCmd.Name)
	status := fs.String("status", "", "only actions with this status at --as-of: not started, ongoing, completed or cancelled")
	overdue := fs.Bool("overdue", false, "only overdue actions")
	resp := fs.String("responsible", "", "only actions whose responsible unit contains this text (any case)")
	prio := fs.Int("priority", 0, "only actions of recommendations with this priority (1 to 3)")
	asOf := fs.String("as-of", "", "the day statuses and overdue are computed at (default today)")
	pos, err := parseFlags(env, actionsCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (subcommands: import, update, show)", pos[0])
	}
	var f actionsFilter
	f.overdue, f.responsible, f.priority = *overdue, *resp, *prio
	if *status != "" {
		if f.status, err = indicators.ParseActionStatus(*status); err != nil {
			return usagef("--status: %v", err)
		}
	}
	if *prio < 0 || *prio > 3 {
		return usagef("--priority %d, expected 1, 2 or 3", *prio)
	}
	day, err := engine.ParseDay(*asOf, time.Now())
	if err != nil {
		return usagef("--as-of: %v", err)
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	evs, end, err := db.KeyActions(ctx)
	if err != nil {
		return err
	}
	if len(evs) == 0 {
		fmt.Fprintln(env.Stdout, "no evaluation stored yet: rmf actions import FILE.xlsx")
		return nil
	}
	return writeActionsList(env.Stdout, evs, day.End, end, f)
}

type listedAction struct {
	fa       indicators.FollowUpAction
	id       int64
	priority int
	order    int
}

// writeActionsList prints the actions of evs selected by f at asOf:
// overdue first (longest overdue first), then in matrix order.
func writeActionsList(w io.Writer, evs []indicators.Evaluation, asOf, projectEnd time.Time, f actionsFilter) error {
	var list []listedAction
	total := 0
	for _, ev := range evs {
		for _, r := range ev.Recommendations {
			for _, a := range r.Actions {
				total++
				fa := indicators.FollowActionAt(a, asOf, projectEnd)
				fa.Recommendation = r.Number
				switch {
				case f.status != "" && fa.Status != f.status:
					continue
				case f.overdue && !fa.Overdue:
					continue
				case f.responsible != "" && !strings.Contains(strings.ToLower(fa.Responsible), strings.ToLower(f.responsible)):
					continue
				case f.priority != 0 && r.Priority != f.priority:
					continue
				}
				list = append(list, listedAction{fa: fa, id: a.ID, priority: r.Priority, order: len(list)})
			}
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].fa, list[j].fa
		if a.Overdue != b.Overdue {
			return a.Overdue
		}
		if a.Overdue && a.DaysOverdue != b.DaysOverdue {
			return a.DaysOverdue > b.DaysOverdue
		}
		return list[i].order < list[j].order
	})
	day := asOf.Format(time.DateOnly)
	if len(list) == 0 {
		fmt.Fprintf(w, "no key action matches (of %d, as of %s)\n", total, day)
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tACTION\tPRIO\tSTATUS\tOVERDUE\tDEADLINE\tDUE\tRESPONSIBLE\tKEY ACTION")
	overdue := 0
	for _, l := range list {
		a := l.fa
		od := ""
		if a.Overdue {
			overdue++
			od = fmt.Sprintf("%d days", a.DaysOverdue)
		}
		prio := ""
		if l.priority > 0 {
			prio = strconv.Itoa(l.priority)
		}
		fmt.Fprintf(tw, "#%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.id, a.Number, prio, a.Status, od,
			actionsOr(a.Deadline, "-"), actionsOr(a.Due, "-"), actionsCut(actionsOr(a.Responsible, "-"), 30), actionsCut(a.Text, 60))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d of %d key actions, %d overdue, as of %s\n", len(list), total, overdue, day)
	return nil
}

func actionsOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// actionsCut shortens s to n runes on one line, with an ellipsis.
func actionsCut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func runActionsUpdate(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, actionsUpdateCmd.Name)
	status := fs.String("status", "", "the new status: not started, ongoing, completed or cancelled")
	comment := fs.String("comment", "", "a monitoring comment")
	date := fs.String("date", "", "the day (or month) of the update: 2022-07-02, 2 July 2022, 2022-07 (default today)")
	pos, err := parseFlags(env, actionsUpdateCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("update expects one action ID (such as 6.1 or #17), got %d arguments", len(pos))
	}
	if *status == "" && strings.TrimSpace(*comment) == "" {
		return usagef("give --status, --comment or both")
	}
	e := indicators.LogEntry{Text: strings.TrimSpace(*comment), Source: "rmf actions update"}
	if *status != "" {
		if e.Status, err = indicators.ParseActionStatus(*status); err != nil {
			return usagef("--status: %v", err)
		}
	}
	if e.Date, err = engine.ParseDay(*date, time.Now()); err != nil {
		return usagef("--date: %v", err)
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	ref, before, after, err := db.UpdateAction(ctx, pos[0], e)
	if err != nil {
		return err
	}
	what := "comment"
	if e.Status != "" {
		what = fmt.Sprintf("status %s -> %s", before.Status, after.Status)
		if e.Text != "" {
			what += " with a comment"
		}
	}
	fmt.Fprintf(env.Stdout, "key action %s (#%d, recommendation %s): appended %s dated %s; the log has %d entries\n",
		ref.Number, ref.ID, ref.Recommendation, what, e.Date, len(after.Log))
	if e.Status != "" && after.Status != e.Status {
		fmt.Fprintf(env.Stdout, "note: a later entry in the log still gives %s as the current status\n", after.Status)
	}
	return nil
}

func runActionsShow(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, actionsShowCmd.Name)
	pos, err := parseFlags(env, actionsShowCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("show expects one action ID (such as 6.1 or #17), got %d arguments", len(pos))
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	ref, a, err := db.Action(ctx, pos[0])
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "key action %s (#%d) of recommendation %s, %s\n", a.Number, a.ID, ref.Recommendation, ref.Evaluation)
	fmt.Fprintf(w, "  %s\n", strings.Join(strings.Fields(a.Text), " "))
	fmt.Fprintf(w, "  deadline: %s; responsible: %s; status: %s\n", actionsOr(a.Deadline.String(), "none"), actionsOr(a.Responsible, "-"), a.Status)
	if len(a.Links) > 0 {
		fmt.Fprintf(w, "  linked to: %s\n", strings.Join(a.Links, ", "))
	}
	fmt.Fprintf(w, "log (%d entries, oldest first):\n", len(a.Log))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, e := range a.Log {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t[%s, recorded %s]\n", actionsOr(e.Date.String(), "(undated)"), actionsOr(string(e.Status), "-"),
			strings.Join(strings.Fields(e.Text), " "), path.Base(actionsOr(e.Source, "?")), e.Recorded.Format(time.DateOnly))
	}
	return tw.Flush()
}

// exampleActions is the name of the example matrix in examples/.
const exampleActions = "actions.xlsx"

// demoActions (step 30) imports the example management response and
// prints a one-line summary of its follow-up as of its latest comment.
func demoActions(ctx context.Context, d *demoRun) error {
	d.At(time.Date(2022, 8, 1, 9, 0, 0, 0, time.UTC)) // the management response as it stood then
	f, err := d.Examples.Open(exampleActions)
	if err != nil {
		return err
	}
	defer f.Close()
	name := "examples/" + exampleActions
	ev, err := importers.ReadActionsXLSX(f, name, d.Framework)
	if err != nil {
		return err
	}
	if _, err := d.DB.SaveEvaluation(ctx, ev); err != nil {
		return err
	}
	var asOf time.Time
	for _, r := range ev.Recommendations {
		for _, a := range r.Actions {
			for _, e := range a.Log {
				if !e.Date.IsZero() && e.Date.End.After(asOf) {
					asOf = e.Date.End
				}
			}
		}
	}
	var end time.Time
	if d.Framework != nil {
		end = d.Framework.Project.End
	}
	fu, err := d.DB.FollowUp(ctx, asOf, end)
	if err != nil || fu == nil {
		return err
	}
	fmt.Fprintf(d.Env.Stdout, "imported the management response from %s: %s (as of %s)\n", name, exporters.FollowUpSummary(fu), fu.AsOf)
	return nil
}
