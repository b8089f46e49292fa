package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// page is what every template gets.
type page struct {
	Title   string
	User    *User
	CSRF    string
	Nav     string // the current section, for the menu
	Message string // an error or notice shown at the top
	Data    any
}

var funcs = template.FuncMap{
	"fig": fig,
	"exact": func(v *float64, u indicators.Unit) string {
		if v == nil {
			return indicators.NoValue
		}
		return u.FormatExact(*v)
	},
	"pct":  fmtPct,
	"pctf": func(v float64) string { return fmtPct(&v) },
	"pickerOf": func(action, period string, periods []string) map[string]any {
		return map[string]any{"Action": action, "Period": period, "Periods": periods}
	},
	"badge":   func(s indicators.Status) string { return "badge s-" + strings.ReplaceAll(string(s), " ", "-") },
	"indent":  func(d int) string { return fmt.Sprintf("d%d", min(d, 4)) },
	"bar":     progressBar,
	"lower":   strings.ToLower,
	"dims":    func(d indicators.Disagg) string { return d.Key() },
	"join":    strings.Join,
	"base":    filepath.Base,
	"amount":  indicators.FormatAmount,
	"ptr":     func(v float64) *float64 { return &v },
	"date":    func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") },
	"canRead": func(u *User) bool { return u != nil && u.Role != Partner },
	"canUp":   func(u *User) bool { return u != nil && u.Role != Viewer },
	"officer": func(u *User) bool { return u != nil && u.Role == Officer },
}

func (s *Server) parseTemplates() error {
	s.tmpl = map[string]*template.Template{}
	names, err := fs_glob()
	if err != nil {
		return err
	}
	for _, n := range names {
		if n == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/"+n+".html")
		if err != nil {
			return err
		}
		s.tmpl[n] = t
	}
	return nil
}

func fs_glob() ([]string, error) {
	ents, err := assets.ReadDir("templates")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".html"))
	}
	return out, nil
}

// render writes template name with p; a template error is a 500 (the page
// is rendered to a buffer first, so no half page is sent).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	var buf bytes.Buffer
	if err := s.tmpl[name].Execute(&buf, p); err != nil {
		s.opt.Log.Printf("render %s: %v", name, err)
		http.Error(w, "internal error rendering the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail shows an error page with status.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, q *request, status int, msg string) {
	p := page{Title: http.StatusText(status), Message: msg, Data: status}
	if q != nil {
		p.User, p.CSRF = &q.User, q.CSRF
	}
	s.render(w, r, status, "error", p)
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, q *request, err error) {
	s.opt.Log.Printf("%s %s: %v", r.Method, r.URL.Path, err)
	s.fail(w, r, q, http.StatusInternalServerError, err.Error())
}

func (s *Server) pageFor(q *request, title, nav string, data any) page {
	return page{Title: title, User: &q.User, CSRF: q.CSRF, Nav: nav, Data: data}
}

// visible reports whether u may see indicator ind's figures: partners see
// only the indicators whose responsible is theirs.
func visible(u User, responsible string) bool {
	if u.Role != Partner {
		return true
	}
	return sameParty(responsible, u.Responsible)
}

func sameParty(a, b string) bool {
	return strings.TrimSpace(a) != "" && strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// period resolves the ?period= of a request: one of the project's
// reporting periods, or the latest with figures.
func (s *Server) period(r *http.Request) (string, []string, error) {
	ps, latest, err := s.app.Periods(r.Context())
	if err != nil {
		return "", nil, err
	}
	want := strings.TrimSpace(r.URL.Query().Get("period"))
	if want == "" {
		return latest, ps, nil
	}
	for _, p := range ps {
		if strings.EqualFold(p, want) {
			return p, ps, nil
		}
	}
	return "", ps, &badPeriod{want, ps}
}

// periodReport is the period the request asks for (the latest by
// default), the periods to pick from and the report of that period; ok is
// false when it has written the page that says what went wrong.
func (s *Server) periodReport(w http.ResponseWriter, r *http.Request, q *request) (p string, ps []string, rep *indicators.Report, ok bool) {
	p, ps, err := s.period(r)
	if err != nil {
		s.periodFail(w, r, q, err)
		return "", nil, nil, false
	}
	rep, err = s.app.Report(r.Context(), p)
	if err != nil {
		s.serverError(w, r, q, err)
		return "", nil, nil, false
	}
	return p, ps, rep, true
}

type badPeriod struct {
	seen string
	ps   []string
}

func (e *badPeriod) Error() string {
	return fmt.Sprintf("No reporting period %q: expected one of %s.", e.seen, strings.Join(e.ps, ", "))
}

func (s *Server) periodFail(w http.ResponseWriter, r *http.Request, q *request, err error) {
	var bp *badPeriod
	if errors.As(err, &bp) {
		s.fail(w, r, q, http.StatusBadRequest, err.Error())
		return
	}
	s.serverError(w, r, q, err)
}

// dashRow is one line of the logframe tree: a result or an indicator.
type dashRow struct {
	Result    *indicators.ReportResult
	Indicator *indicators.ReportIndicator
	Depth     int
}

type dashboard struct {
	Period    string
	Periods   []string
	Report    *indicators.Report
	Rows      []dashRow
	Counts    []statusCount
	Attention []*indicators.ReportIndicator
	Missing   []partnerMissing
}

type statusCount struct {
	Status indicators.Status
	N      int
}

type partnerMissing struct {
	Responsible string
	Items       []indicators.MissingReport
}

// filterReport keeps of r what u may see: for a partner, their indicators
// and the results above them.
func filterReport(r *indicators.Report, u User) *indicators.Report {
	if u.Role != Partner {
		return r
	}
	c := *r
	c.Results = nil
	for _, res := range r.Results {
		res := res
		var inds []indicators.ReportIndicator
		for _, ind := range res.Indicators {
			if visible(u, ind.Responsible) {
				inds = append(inds, ind)
			}
		}
		res.Indicators = inds
		res.Budget = nil
		c.Results = append(c.Results, res)
	}
	keep := map[string]bool{}
	byCode := map[string]*indicators.ReportResult{}
	for i := range c.Results {
		byCode[c.Results[i].Code] = &c.Results[i]
	}
	for _, res := range c.Results {
		if len(res.Indicators) > 0 {
			for code := res.Code; code != "" && !keep[code]; {
				keep[code] = true
				if p, ok := byCode[code]; ok {
					code = p.Parent
				} else {
					break
				}
			}
		}
	}
	var kept []indicators.ReportResult
	for _, res := range c.Results {
		if keep[res.Code] {
			kept = append(kept, res)
		}
	}
	c.Results = kept
	codes := map[string]bool{}
	for _, res := range kept {
		for _, ind := range res.Indicators {
			codes[ind.Code] = true
		}
	}
	c.Missing = nil
	for _, m := range r.Missing {
		if codes[m.Indicator] {
			c.Missing = append(c.Missing, m)
		}
	}
	c.Findings = nil
	for _, f := range r.Findings {
		if codes[f.Code] {
			c.Findings = append(c.Findings, f)
		}
	}
	c.StatusCounts = map[indicators.Status]int{}
	for _, res := range kept {
		for _, ind := range res.Indicators {
			c.StatusCounts[ind.Status]++
		}
	}
	c.Efficiency, c.FollowUp, c.Recommendations, c.Review = nil, nil, nil, nil
	return &c
}

var statusOrder = []indicators.Status{indicators.StatusAchieved, indicators.StatusOnTrack, indicators.StatusAtRisk,
	indicators.StatusOffTrack, indicators.StatusNoData, indicators.StatusNotDue, indicators.StatusNoTarget, indicators.StatusReported}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, q *request) {
	p, ps, rep, ok := s.periodReport(w, r, q)
	if !ok {
		return
	}
	rep = filterReport(rep, q.User)
	d := dashboard{Period: p, Periods: ps, Report: rep}
	for i := range rep.Results {
		res := &rep.Results[i]
		d.Rows = append(d.Rows, dashRow{Result: res, Depth: res.Depth})
		for j := range res.Indicators {
			ind := &res.Indicators[j]
			d.Rows = append(d.Rows, dashRow{Indicator: ind, Depth: res.Depth + 1})
			if ind.Status == indicators.StatusOffTrack || ind.Status == indicators.StatusAtRisk || ind.Status == indicators.StatusNoData {
				d.Attention = append(d.Attention, ind)
			}
		}
	}
	sort.SliceStable(d.Attention, func(i, j int) bool {
		return attentionRank(d.Attention[i].Status) < attentionRank(d.Attention[j].Status)
	})
	for _, st := range statusOrder {
		if n := rep.StatusCounts[st]; n > 0 {
			d.Counts = append(d.Counts, statusCount{st, n})
		}
	}
	byParty := map[string]int{}
	for _, m := range rep.Missing {
		i, ok := byParty[m.Responsible]
		if !ok {
			i = len(d.Missing)
			byParty[m.Responsible] = i
			d.Missing = append(d.Missing, partnerMissing{Responsible: m.Responsible})
		}
		d.Missing[i].Items = append(d.Missing[i].Items, m)
	}
	s.render(w, r, http.StatusOK, "dashboard", s.pageFor(q, "Dashboard "+p, "dashboard", d))
}

func attentionRank(s indicators.Status) int {
	switch s {
	case indicators.StatusOffTrack:
		return 0
	case indicators.StatusAtRisk:
		return 1
	}
	return 2
}

type indicatorPage struct {
	Period    string
	Periods   []string
	Indicator *indicators.Indicator
	Result    *indicators.ReportResult
	Report    *indicators.ReportIndicator
	Chart     template.HTML
	Revisions []Revision
}

func (s *Server) indicator(w http.ResponseWriter, r *http.Request, q *request) {
	code := r.PathValue("code")
	fw, err := s.app.Framework(r.Context())
	if err != nil {
		s.serverError(w, r, q, err)
		return
	}
	ind, ok := fw.Indicator(code)
	if !ok {
		s.fail(w, r, q, http.StatusNotFound, fmt.Sprintf("No indicator %q in the framework.", code))
		return
	}
	if !visible(q.User, ind.Responsible) {
		s.fail(w, r, q, http.StatusForbidden, fmt.Sprintf("Indicator %s is reported by %s: a partner sees only their own indicators.", ind.Code, orNone(ind.Responsible)))
		return
	}
	p, ps, rep, ok := s.periodReport(w, r, q)
	if !ok {
		return
	}
	d := indicatorPage{Period: p, Periods: ps, Indicator: ind}
	for i := range rep.Results {
		for j := range rep.Results[i].Indicators {
			if rep.Results[i].Indicators[j].Code == ind.Code {
				d.Result, d.Report = &rep.Results[i], &rep.Results[i].Indicators[j]
			}
		}
	}
	if d.Report == nil {
		s.serverError(w, r, q, fmt.Errorf("indicator %s is not in the report of %s", ind.Code, p))
		return
	}
	d.Chart = chartSVG(d.Report, ind.PathShapeOrDefault() == indicators.PathSteps)
	if d.Revisions, err = s.app.History(r.Context(), ind.Code); err != nil {
		s.serverError(w, r, q, err)
		return
	}
	s.render(w, r, http.StatusOK, "indicator", s.pageFor(q, ind.Code+" "+ind.Name, "dashboard", d))
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "no one named"
	}
	return s
}

// --- upload ------------------------------------------------------------------

type uploadPage struct {
	Name    string
	ID      string
	Preview *Preview
	Batch   *indicators.Batch
	Refused []string // indicators of other partners
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request, q *request) {
	s.render(w, r, http.StatusOK, "upload", s.pageFor(q, "Upload a workbook", "upload", uploadPage{}))
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._ -]+`)

// uploadPost saves the workbook, runs the dry run and shows what importing
// it would change, with a form to confirm.
func (s *Server) uploadPost(w http.ResponseWriter, r *http.Request, q *request) {
	f, hdr, err := r.FormFile("workbook")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.fail(w, r, q, http.StatusRequestEntityTooLarge, "The file is too large: at most "+sizeText(s.opt.MaxUpload)+". Nothing was imported.")
			return
		}
		s.fail(w, r, q, http.StatusBadRequest, "Choose a workbook (.xlsx or .csv) to upload. Nothing was imported.")
		return
	}
	defer f.Close()
	name := unsafeName.ReplaceAllString(filepath.Base(hdr.Filename), "_")
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".xlsx" && ext != ".csv" {
		s.fail(w, r, q, http.StatusUnsupportedMediaType, fmt.Sprintf("%s is not a workbook: expected an .xlsx or .csv file. Nothing was imported.", name))
		return
	}
	dir, err := os.MkdirTemp(s.opt.UploadDir, "up-")
	if err != nil {
		s.serverError(w, r, q, err)
		return
	}
	path := filepath.Join(dir, name)
	if err := saveFile(path, f, s.opt.MaxUpload); err != nil {
		os.RemoveAll(dir)
		if errors.Is(err, errTooLarge) {
			s.fail(w, r, q, http.StatusRequestEntityTooLarge, "The file is too large: at most "+sizeText(s.opt.MaxUpload)+". Nothing was imported.")
			return
		}
		s.serverError(w, r, q, err)
		return
	}
	pv, err := s.app.DryRun(r.Context(), path)
	if err != nil {
		os.RemoveAll(dir)
		s.serverError(w, r, q, err)
		return
	}
	d := uploadPage{Name: name, Preview: pv}
	if refused := s.othersIndicators(r, q.User, pv.Indicators); len(refused) > 0 {
		os.RemoveAll(dir)
		d.Refused = refused
		s.render(w, r, http.StatusForbidden, "upload", s.pageFor(q, "Upload refused", "upload", d))
		return
	}
	if len(pv.Problems) > 0 {
		os.RemoveAll(dir)
		s.render(w, r, http.StatusUnprocessableEntity, "upload", s.pageFor(q, "Upload: problems", "upload", d))
		return
	}
	id := randomToken()
	s.mu.Lock()
	now := s.opt.Now()
	for k, p := range s.pending { // forget stale uploads
		if now.After(p.Expires) {
			os.RemoveAll(filepath.Dir(p.Path))
			delete(s.pending, k)
		}
	}
	s.pending[id] = pendingUpload{Path: path, User: q.User.Name, Name: name, Expires: now.Add(time.Hour)}
	s.mu.Unlock()
	d.ID = id
	s.render(w, r, http.StatusOK, "upload", s.pageFor(q, "Upload: dry run", "upload", d))
}

// othersIndicators lists the indicators of codes a partner may not touch.
func (s *Server) othersIndicators(r *http.Request, u User, codes []string) []string {
	if u.Role != Partner {
		return nil
	}
	fw, err := s.app.Framework(r.Context())
	if err != nil {
		return []string{"(the framework cannot be read: " + err.Error() + ")"}
	}
	var out []string
	for _, c := range codes {
		ind, ok := fw.Indicator(c)
		if !ok || !visible(u, ind.Responsible) {
			resp := "not in the framework"
			if ok {
				resp = "reported by " + orNone(ind.Responsible)
			}
			out = append(out, c+" ("+resp+")")
		}
	}
	return out
}

func (s *Server) uploadConfirm(w http.ResponseWriter, r *http.Request, q *request) {
	id := r.FormValue("upload")
	s.mu.Lock()
	p, ok := s.pending[id]
	if ok && p.User == q.User.Name {
		delete(s.pending, id)
	}
	s.mu.Unlock()
	if !ok || p.User != q.User.Name || s.opt.Now().After(p.Expires) {
		if ok && p.User == q.User.Name {
			os.RemoveAll(filepath.Dir(p.Path))
		}
		s.fail(w, r, q, http.StatusBadRequest, "This upload is unknown or has expired: upload the workbook again. Nothing was imported.")
		return
	}
	defer os.RemoveAll(filepath.Dir(p.Path))
	d := uploadPage{Name: p.Name}
	// Checked again: the framework may have changed since the dry run.
	pv, err := s.app.DryRun(r.Context(), p.Path)
	if err != nil {
		s.serverError(w, r, q, err)
		return
	}
	d.Preview = pv
	if d.Refused = s.othersIndicators(r, q.User, pv.Indicators); len(d.Refused) > 0 {
		s.render(w, r, http.StatusForbidden, "upload", s.pageFor(q, "Upload refused", "upload", d))
		return
	}
	b, err := s.app.Import(r.Context(), p.Path, q.User.Name)
	if err != nil {
		var probs indicators.Problems
		if errors.As(err, &probs) {
			d.Preview = &Preview{Problems: strings.Split(probs.Error(), "\n")}
			s.render(w, r, http.StatusUnprocessableEntity, "upload", s.pageFor(q, "Upload: problems", "upload", d))
			return
		}
		d.Preview = &Preview{Problems: strings.Split(err.Error(), "\n")}
		s.render(w, r, http.StatusUnprocessableEntity, "upload", s.pageFor(q, "Upload: problems", "upload", d))
		return
	}
	d.Batch = &b
	d.Preview = nil
	s.render(w, r, http.StatusOK, "upload", s.pageFor(q, "Imported", "upload", d))
}

var errTooLarge = errors.New("too large")

func saveFile(path string, r io.Reader, limit int64) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		return errTooLarge
	}
	return err
}

// --- downloads -----------------------------------------------------------------

type downloadsPage struct {
	Period  string
	Periods []string
	Formats []format
}

type format struct{ Key, Label string }

var reportFormats = []format{
	{"html", "Report, one HTML page (printable)"},
	{"md", "Report, Markdown (steering committee)"},
	{"json", "Report, JSON"},
	{"xlsx", "Donor workbook (IPTT, summary, sources), .xlsx"},
	{"iati", "IATI activity with its results, .xml"},
}

func (s *Server) downloads(w http.ResponseWriter, r *http.Request, q *request) {
	p, ps, err := s.period(r)
	if err != nil {
		s.periodFail(w, r, q, err)
		return
	}
	d := downloadsPage{Period: p, Periods: ps}
	if q.User.Role != Partner {
		d.Formats = reportFormats
	}
	s.render(w, r, http.StatusOK, "downloads", s.pageFor(q, "Downloads", "downloads", d))
}

func (s *Server) downloadTemplate(w http.ResponseWriter, r *http.Request, q *request) {
	p, _, err := s.period(r)
	if err != nil {
		s.periodFail(w, r, q, err)
		return
	}
	var buf bytes.Buffer
	if err := s.app.Template(r.Context(), p, &buf); err != nil {
		s.serverError(w, r, q, err)
		return
	}
	send(w, "template-"+p+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

func (s *Server) downloadReport(w http.ResponseWriter, r *http.Request, q *request) {
	p, _, err := s.period(r)
	if err != nil {
		s.periodFail(w, r, q, err)
		return
	}
	f := r.URL.Query().Get("format")
	types := map[string]string{
		"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "json": "application/json",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "iati": "application/xml",
	}
	ct, ok := types[f]
	if !ok {
		s.fail(w, r, q, http.StatusBadRequest, fmt.Sprintf("Unknown format %q: expected html, md, json, xlsx or iati.", f))
		return
	}
	var buf bytes.Buffer
	if err := s.app.Download(r.Context(), p, f, &buf); err != nil {
		s.fail(w, r, q, http.StatusUnprocessableEntity, err.Error())
		return
	}
	name := "report-" + p + "." + f
	if f == "iati" {
		name = "iati-activity-" + p + ".xml"
	}
	send(w, name, ct, buf.Bytes())
}

func send(w http.ResponseWriter, name, ct string, b []byte) {
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", "attachment; filename=\""+unsafeName.ReplaceAllString(name, "_")+"\"")
	// A downloaded HTML report runs nothing: the CSP of the app applies.
	w.Header().Set("Content-Length", fmt.Sprint(len(b)))
	w.Write(b)
}

// --- follow-up and efficiency ----------------------------------------------------

type followupPage struct {
	Period   string
	Periods  []string
	FollowUp *indicators.FollowUp
	Recs     []indicators.FollowUpRecommendation
	Actions  []indicators.FollowUpAction // every action, overdue first
	Done     string
}

func (s *Server) followup(w http.ResponseWriter, r *http.Request, q *request) {
	p, ps, rep, ok := s.periodReport(w, r, q)
	if !ok {
		return
	}
	d := followupPage{Period: p, Periods: ps, FollowUp: rep.FollowUp, Recs: rep.Recommendations}
	for _, rec := range rep.Recommendations {
		for _, a := range rec.Actions {
			a.Evaluation = rec.Evaluation
			d.Actions = append(d.Actions, a)
		}
	}
	sort.SliceStable(d.Actions, func(i, j int) bool {
		a, b := d.Actions[i], d.Actions[j]
		if a.Overdue != b.Overdue {
			return a.Overdue
		}
		return a.DaysOverdue > b.DaysOverdue
	})
	if r.URL.Query().Get("done") != "" {
		d.Done = "Comment added to action " + r.URL.Query().Get("done") + "."
	}
	s.render(w, r, http.StatusOK, "followup", s.pageFor(q, "Follow-up", "followup", d))
}

func (s *Server) comment(w http.ResponseWriter, r *http.Request, q *request) {
	ev, act, text := r.FormValue("evaluation"), r.FormValue("action"), strings.TrimSpace(r.FormValue("text"))
	if text == "" {
		s.fail(w, r, q, http.StatusBadRequest, "The comment is empty: write what happened. Nothing was changed.")
		return
	}
	if n := len([]rune(text)); n > 32767 {
		s.fail(w, r, q, http.StatusBadRequest, fmt.Sprintf("The comment has %d characters: at most 32,767. Nothing was changed.", n))
		return
	}
	if err := s.app.AddComment(r.Context(), ev, act, text, q.User.Name); err != nil {
		s.fail(w, r, q, http.StatusUnprocessableEntity, err.Error()+" Nothing was changed.")
		return
	}
	http.Redirect(w, r, "/followup?done="+url.QueryEscape(act), http.StatusSeeOther)
}

type efficiencyPage struct {
	Period     string
	Periods    []string
	Efficiency *indicators.Efficiency
}

func (s *Server) efficiency(w http.ResponseWriter, r *http.Request, q *request) {
	p, ps, rep, ok := s.periodReport(w, r, q)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "efficiency", s.pageFor(q, "Efficiency", "efficiency", efficiencyPage{p, ps, rep.Efficiency}))
}

// --- formatting ----------------------------------------------------------------

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// fig shows a figure of unit u as the reports do (indicators.Unit.Format):
// "10,753", "71.4%", "yes"; "–" when there is none.
func fig(v *float64, u indicators.Unit) string {
	if v == nil {
		return indicators.NoValue
	}
	return u.Format(*v)
}

func fmtPct(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", math.Round(*v*100))
}

// progressBar is an inline SVG bar of progress (0..1, capped at 1.2) with
// a marker where the expected progress is (no style attributes: the CSP
// allows no inline style).
func progressBar(progress, expected *float64) template.HTML {
	const w, h = 120, 12
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="bar" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="progress %s, expected %s">`, w, h, w, h, fmtPct(progress), fmtPct(expected))
	fmt.Fprintf(&b, `<rect x="0" y="2" width="%d" height="8" rx="2" fill="#e3e7ee"/>`, w)
	if progress != nil {
		p := math.Max(0, math.Min(*progress, 1))
		fill := "#2f7d4f"
		if expected != nil && *progress < *expected*0.8 {
			fill = "#c8553d"
		}
		fmt.Fprintf(&b, `<rect x="0" y="2" width="%.1f" height="8" rx="2" fill="%s"/>`, p*w, fill)
	}
	if expected != nil {
		x := math.Max(1, math.Min(*expected, 1)*w-1)
		fmt.Fprintf(&b, `<rect x="%.1f" y="0" width="2" height="12" fill="#1d2a3a"><title>expected %s</title></rect>`, x, fmtPct(expected))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// sizeText is a size in bytes as MB, or KB below a megabyte.
func sizeText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d MB", n>>20)
}
