package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/web"
)

// The users of the serve tests: name, role, responsible, password.
var serveUsers = []struct{ name, role, resp, pw string }{
	{"olivia", "officer", "", "officer-pass-1"},
	{"tina", "partner", "Training coordinator", "partner-pass-1"},
	{"nora", "partner", "NGO grants manager", "partner-pass-2"},
	{"victor", "viewer", "", "viewer-pass-1"},
}

// serveDBOnce builds, once per test run, a database with the example
// framework, some partners' figures (not the training coordinator's
// 2021S1 workbook, which the tests upload), the example management
// response and the users, through the command line.
var serveDBOnce struct {
	sync.Once
	path string
	err  string
}

func serveDBTemplate(t *testing.T) string {
	t.Helper()
	serveDBOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rmf-serve-db-")
		if err != nil {
			serveDBOnce.err = err.Error()
			return
		}
		db := filepath.Join(dir, "serve.db")
		steps := [][]string{
			{"--db", db, "framework", "import", examplePath(t, "framework.yaml")},
			{"--db", db, "import", examplePath(t, "data/2020q4_ngo_grants.xlsx"), examplePath(t, "data/2020q4_statistics_office_outcome1.xlsx"),
				examplePath(t, "data/2021q1_statistics_office_outcome1.xlsx")},
			{"--db", db, "actions", "import", examplePath(t, "actions.xlsx")},
		}
		for _, s := range steps {
			if out, errs, code := rmf(t, dir, s...); code != 0 {
				serveDBOnce.err = strings.Join(s, " ") + ": " + out + errs
				return
			}
		}
		for _, u := range serveUsers {
			args := []string{"--db", db, "user", "add", u.name, "--role", u.role}
			if u.resp != "" {
				args = append(args, "--responsible", u.resp)
			}
			cmd := exec.Command(rmfBin, args...)
			cmd.Stdin = strings.NewReader(u.pw + "\n")
			if out, err := cmd.CombinedOutput(); err != nil {
				serveDBOnce.err = strings.Join(args, " ") + ": " + string(out)
				return
			}
		}
		serveDBOnce.path = db
	})
	if serveDBOnce.err != "" {
		t.Fatal(serveDBOnce.err)
	}
	return serveDBOnce.path
}

// serveFixture is a server over a copy of the template database.
type serveFixture struct {
	URL   string
	DB    *engine.Engine
	App   serveApp
	Clock *testClock
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newServeFixture(t *testing.T, opt web.Options) *serveFixture {
	t.Helper()
	b, err := os.ReadFile(serveDBTemplate(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "serve.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := onPostgres(t); r != nil { // the PostgreSQL run of onEngines: the copy in a project
		path = copyToProject(t, r, path)
	}
	db, err := openEngineOpt(context.Background(), path, time.Now, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &testClock{t: time.Now()}
	opt.Now = clock.Now
	opt.Log = nil
	opt.UploadDir = t.TempDir()
	site, err := db.Site()
	if err != nil {
		t.Fatal(err)
	}
	app := serveApp{site}
	srv, err := web.New(app, app, opt)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &serveFixture{URL: ts.URL, DB: db, App: app, Clock: clock}
}

// client is one browser: a cookie jar, no redirects followed.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string // of the last page that had a form
}

func (f *serveFixture) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: f.URL, hc: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) (int, string, http.Header) {
	c.t.Helper()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp.StatusCode, string(b), resp.Header
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	code, body, _ := c.do(req)
	return code, body
}

func (c *client) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	code, body, _ := c.do(req)
	return code, body
}

func (c *client) upload(name string, content []byte) (int, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	fw, _ := mw.CreateFormFile("workbook", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	code, body, _ := c.do(req)
	return code, body
}

func (c *client) login(name, pw string) (int, string) {
	c.t.Helper()
	c.get("/login")
	return c.post("/login", url.Values{"csrf": {c.csrf}, "name": {name}, "password": {pw}, "next": {"/"}})
}

func (f *serveFixture) loggedIn(t *testing.T, name string) *client {
	t.Helper()
	c := f.client(t)
	for _, u := range serveUsers {
		if u.name == name {
			if code, body := c.login(u.name, u.pw); code != http.StatusSeeOther {
				t.Fatalf("login %s: status %d\n%s", name, code, body)
			}
			c.get("/") // a page with the session's CSRF token
			return c
		}
	}
	t.Fatalf("no test user %s", name)
	return nil
}

func (f *serveFixture) imports(t *testing.T) int {
	t.Helper()
	imps, err := f.DB.Imports(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(imps)
}

// TestServeRolesByRoute tries every route as every role (and anonymous):
// officers reach everything, partners their own indicators, uploads and
// the template, viewers every page that reads.
func TestServeRolesByRoute(t *testing.T) {
	onEngines(t, testServeRolesByRoute) // both engines: e2e_engines_test.go
}

func testServeRolesByRoute(t *testing.T) {
	f := newServeFixture(t, web.Options{})
	const see, redirect, forbid, bad = 200, 303, 403, 400
	routes := []struct {
		method, path string
		form         url.Values // POST fields besides csrf
		// Expected status for anonymous, officer, partner tina (Training
		// coordinator), viewer.
		anon, officer, partner, viewer int
		want                           string // text on the officer's page
	}{
		{"GET", "/", nil, redirect, see, see, see, "Logframe"},
		{"GET", "/?period=2021S1", nil, redirect, see, see, see, "2021S1"},
		{"GET", "/?period=1999Q1", nil, redirect, bad, bad, bad, "No reporting period"},
		{"GET", "/indicator/1.1.2", nil, redirect, see, see, see, "Measurement plan"},  // tina's
		{"GET", "/indicator/3.3.1", nil, redirect, see, forbid, see, "Every revision"}, // nora's
		{"GET", "/indicator/NOPE", nil, redirect, 404, 404, 404, "No indicator"},
		{"GET", "/upload", nil, redirect, see, see, forbid, "Choose the workbook"},
		{"POST", "/upload", url.Values{}, 401, bad, bad, forbid, "Choose a workbook"},
		{"POST", "/upload/confirm", url.Values{"upload": {"nope"}}, 401, bad, bad, forbid, "unknown or has expired"},
		{"GET", "/downloads", nil, redirect, see, see, see, "Donor workbook"},
		{"GET", "/download/template?period=2021S1", nil, redirect, see, see, see, ""},
		{"GET", "/download/report?period=2021S1&format=json", nil, redirect, see, forbid, see, `"project"`},
		{"GET", "/download/report?period=2021S1&format=md", nil, redirect, see, forbid, see, "#"},
		{"GET", "/download/report?period=2021S1&format=html", nil, redirect, see, forbid, see, "<html"},
		{"GET", "/download/report?period=2021S1&format=xlsx", nil, redirect, see, forbid, see, "PK"},
		{"GET", "/download/report?period=2021S1&format=pdf", nil, redirect, bad, forbid, bad, "Unknown format"},
		{"GET", "/followup?period=2023S2", nil, redirect, see, forbid, see, "Key actions"},
		{"POST", "/followup/comment", url.Values{"action": {"1.1"}, "text": {""}}, 401, bad, forbid, forbid, "comment is empty"},
		{"GET", "/efficiency", nil, redirect, see, forbid, see, "Efficiency"},
		{"GET", "/no/such/page", nil, 404, 404, 404, 404, "No such page"},
	}
	users := map[string]*client{"": f.client(t), "olivia": f.loggedIn(t, "olivia"), "tina": f.loggedIn(t, "tina"), "victor": f.loggedIn(t, "victor")}
	before := f.imports(t)
	for _, rt := range routes {
		for _, who := range []string{"", "olivia", "tina", "victor"} {
			want := map[string]int{"": rt.anon, "olivia": rt.officer, "tina": rt.partner, "victor": rt.viewer}[who]
			c := users[who]
			var code int
			var body string
			if rt.method == "GET" {
				code, body = c.get(rt.path)
			} else if rt.path == "/upload" {
				// A multipart form without a file.
				var buf bytes.Buffer
				mw := multipart.NewWriter(&buf)
				mw.WriteField("csrf", c.csrf)
				mw.Close()
				req, _ := http.NewRequest("POST", c.base+rt.path, &buf)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				code, body, _ = c.do(req)
			} else {
				form := url.Values{"csrf": {c.csrf}}
				for k, v := range rt.form {
					form[k] = v
				}
				code, body = c.post(rt.path, form)
			}
			if code != want {
				t.Errorf("%s %s as %q: status %d, want %d\n%.600s", rt.method, rt.path, who, code, want, body)
			}
			if who == "olivia" && rt.want != "" && !strings.Contains(body, rt.want) {
				t.Errorf("%s %s as officer: the page lacks %q\n%.600s", rt.method, rt.path, rt.want, body)
			}
			if who == "tina" && code == see && strings.Contains(body, "3.3.1") && strings.HasPrefix(rt.path, "/?") {
				t.Errorf("%s as a partner shows another partner's indicator 3.3.1", rt.path)
			}
		}
	}
	if n := f.imports(t); n != before {
		t.Errorf("the routes wrote %d imports", n-before)
	}
	// The partner's dashboard lists their indicators only.
	_, body := users["tina"].get("/?period=2021S1")
	if !strings.Contains(body, "/indicator/1.1.2?") || strings.Contains(body, "/indicator/3.3.1?") || strings.Contains(body, "/indicator/O1.1?") {
		t.Errorf("the partner's dashboard does not hold exactly their indicators:\n%s", body)
	}
}

// TestServeLogin: wrong passwords, rate limiting, expired sessions, logging out.
func TestServeLogin(t *testing.T) {
	onEngines(t, testServeLogin) // both engines: e2e_engines_test.go
}

func testServeLogin(t *testing.T) {
	f := newServeFixture(t, web.Options{SessionTTL: time.Hour})
	c := f.client(t)
	if code, body := c.login("olivia", "wrong-password"); code != http.StatusUnauthorized || !strings.Contains(body, "Wrong user name or password") {
		t.Errorf("wrong password: status %d\n%s", code, body)
	}
	if code, _ := c.login("nobody", "whatever-pass"); code != http.StatusUnauthorized {
		t.Errorf("unknown user: status %d", code)
	}
	if code, _ := c.get("/"); code != http.StatusSeeOther {
		t.Errorf("after failed logins the dashboard answered %d, want a redirect to the login", code)
	}
	// A login without the login form's token is refused.
	if code, _ := f.client(t).post("/login", url.Values{"name": {"olivia"}, "password": {"officer-pass-1"}}); code != http.StatusForbidden {
		t.Errorf("login without the form's token: status %d, want 403", code)
	}
	// Five failures for a name block it, even with the right password.
	for i := 0; i < 4; i++ {
		c.login("olivia", "wrong-password")
	}
	if code, body := c.login("olivia", "officer-pass-1"); code != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed logins") {
		t.Errorf("6th login after 5 failures: status %d, want 429\n%.400s", code, body)
	}
	f.Clock.Add(16 * time.Minute)
	if code, _ := c.login("olivia", "officer-pass-1"); code != http.StatusSeeOther {
		t.Errorf("login after the window passed: status %d", code)
	}
	// The session cookie is HttpOnly and SameSite.
	u, _ := url.Parse(f.URL)
	c2 := f.client(t)
	c2.get("/login")
	req, _ := http.NewRequest("POST", f.URL+"/login", strings.NewReader(url.Values{"csrf": {c2.csrf}, "name": {"victor"}, "password": {"viewer-pass-1"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c2.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var sc *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "rmf_session" {
			sc = ck
		}
	}
	if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteStrictMode {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict", sc)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	_ = u
	// Expired: the session ends after its TTL.
	if code, _ := c.get("/"); code != http.StatusOK {
		t.Fatalf("dashboard after login: %d", code)
	}
	csrf := c.csrf
	f.Clock.Add(61 * time.Minute)
	req, _ = http.NewRequest("GET", f.URL+"/", nil)
	code, _, h := c.do(req)
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "why=expired") {
		t.Errorf("expired session: status %d to %q, want a redirect to the login saying it expired", code, h.Get("Location"))
	}
	if code, body := c.post("/followup/comment", url.Values{"csrf": {csrf}, "action": {"1.1"}, "text": {"late"}}); code != http.StatusUnauthorized || !strings.Contains(body, "expired") {
		t.Errorf("POST with an expired session: status %d, want 401\n%.400s", code, body)
	}
	// Logging out ends the session in the database.
	c3 := f.loggedIn(t, "victor")
	if code, _ := c3.post("/logout", url.Values{"csrf": {c3.csrf}}); code != http.StatusSeeOther {
		t.Errorf("logout: %d", code)
	}
	if code, _ := c3.get("/"); code != http.StatusSeeOther {
		t.Errorf("after logout the dashboard answered %d", code)
	}
}

// TestServeCSRFAndEscaping: a forged token changes nothing; HTML in a
// comment is shown as text.
func TestServeCSRFAndEscaping(t *testing.T) {
	onEngines(t, testServeCSRFAndEscaping) // both engines: e2e_engines_test.go
}

func testServeCSRFAndEscaping(t *testing.T) {
	f := newServeFixture(t, web.Options{})
	c := f.loggedIn(t, "olivia")
	log := func() int {
		evs, _, err := f.DB.KeyActions(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ev := range evs {
			for _, r := range ev.Recommendations {
				for _, a := range r.Actions {
					n += len(a.Log)
				}
			}
		}
		return n
	}
	_, page := c.get("/followup?period=2023S2")
	m := regexp.MustCompile(`name="action" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the follow-up page has no comment form:\n%s", page)
	}
	before := log()
	for _, tok := range []string{"", "forged", c.csrf + "x"} {
		if code, body := c.post("/followup/comment", url.Values{"csrf": {tok}, "action": {m[1]}, "text": {"forged"}}); code != http.StatusForbidden || !strings.Contains(body, "security token") {
			t.Errorf("comment with token %q: status %d, want 403", tok, code)
		}
	}
	if n := log(); n != before {
		t.Fatalf("forged comments wrote %d log entries", n-before)
	}
	evil := `<script>alert("x")</script> & <b>bold</b>`
	if code, body := c.post("/followup/comment", url.Values{"csrf": {c.csrf}, "action": {m[1]}, "text": {evil}}); code != http.StatusSeeOther {
		t.Fatalf("comment: status %d\n%s", code, body)
	}
	if n := log(); n != before+1 {
		t.Fatalf("a comment wrote %d log entries, want 1", n-before)
	}
	// Stored as written (the comment is dated today, after the example's
	// last period, so no follow-up page of the project shows it yet).
	evs, _, _ := f.DB.KeyActions(context.Background())
	stored := false
	for _, ev := range evs {
		for _, r := range ev.Recommendations {
			for _, a := range r.Actions {
				for _, e := range a.Log {
					stored = stored || (e.Text == evil && strings.Contains(e.Source, "olivia"))
				}
			}
		}
	}
	if !stored {
		t.Errorf("the comment is not stored as written, with who wrote it")
	}
	// HTML in a period or code is escaped on the error pages too.
	_, body := c.get("/?period=" + url.QueryEscape("<i>x</i>"))
	if strings.Contains(body, "<i>x</i>") || !strings.Contains(body, "&lt;i&gt;x&lt;/i&gt;") {
		t.Errorf("the period is not escaped:\n%s", body)
	}
}

// TestServeUpload: the dry run lists every figure added, nothing is written
// until confirmed, the confirmed import changes the dashboard, the same
// file again changes nothing; a partner's upload of another partner's
// figures, oversized and non-workbook uploads are refused with nothing written.
func TestServeUpload(t *testing.T) {
	onEngines(t, testServeUpload) // both engines: e2e_engines_test.go
}

func testServeUpload(t *testing.T) {
	f := newServeFixture(t, web.Options{MaxUpload: 512 << 10})
	wb, err := os.ReadFile(examplePath(t, "data/2021q2_training_coordinator.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	tina := f.loggedIn(t, "tina")
	_, dash := tina.get("/?period=2021S1")
	before := f.imports(t)
	code, body := tina.upload("2021q2_training_coordinator.xlsx", wb)
	if code != http.StatusOK || !strings.Contains(body, "Dry run of 2021q2_training_coordinator.xlsx") || !strings.Contains(body, "would be added") {
		t.Fatalf("dry run: status %d\n%s", code, body)
	}
	if !strings.Contains(body, "(new)") || !strings.Contains(body, `<span class="code">3.2.1</span>`) {
		t.Errorf("the dry run does not list the figures added:\n%s", body)
	}
	if n := f.imports(t); n != before {
		t.Fatalf("the dry run wrote %d imports", n-before)
	}
	id := regexp.MustCompile(`name="upload" value="([^"]+)"`).FindStringSubmatch(body)
	if id == nil {
		t.Fatalf("no confirmation form:\n%s", body)
	}
	// Another user cannot confirm it.
	other := f.loggedIn(t, "olivia")
	if code, _ := other.post("/upload/confirm", url.Values{"csrf": {other.csrf}, "upload": {id[1]}}); code != http.StatusBadRequest {
		t.Errorf("another user confirming the upload: status %d, want 400", code)
	}
	code, body = tina.post("/upload/confirm", url.Values{"csrf": {tina.csrf}, "upload": {id[1]}})
	if code != http.StatusOK || !strings.Contains(body, "Imported 2021q2_training_coordinator.xlsx") {
		t.Fatalf("confirm: status %d\n%s", code, body)
	}
	if n := f.imports(t); n != before+1 {
		t.Fatalf("the confirmed upload wrote %d imports, want 1", n-before)
	}
	_, dash2 := tina.get("/?period=2021S1")
	if dash == dash2 {
		t.Errorf("the dashboard did not change after the import")
	}
	_, ind := tina.get("/indicator/3.2.1")
	if !strings.Contains(ind, "2021q2_training_coordinator.xlsx") || !strings.Contains(ind, "<td>tina</td>") {
		t.Errorf("the indicator page does not name the uploaded file and who uploaded it")
	}
	// The confirmation cannot be replayed.
	if code, _ := tina.post("/upload/confirm", url.Values{"csrf": {tina.csrf}, "upload": {id[1]}}); code != http.StatusBadRequest {
		t.Errorf("replayed confirmation: status %d", code)
	}
	// The same bytes again: nothing to import.
	code, body = tina.upload("again.xlsx", wb)
	if code != http.StatusOK || !strings.Contains(body, "imported before") || strings.Contains(body, `id="confirm"`) {
		t.Errorf("same file again: status %d\n%s", code, body)
	}

	bad := []struct {
		who, name string
		content   []byte
		status    int
		want      string
	}{
		{"nora", "training.xlsx", wb, http.StatusForbidden, "not yours"},
		{"tina", "ngo.xlsx", mustRead(t, examplePath(t, "data/2021q2_ngo_grants.xlsx")), http.StatusForbidden, "3.3.2 (reported by NGO grants manager)"},
		{"olivia", "notes.txt", []byte("hello"), http.StatusUnsupportedMediaType, "not a workbook"},
		{"olivia", "fake.xlsx", []byte("this is not a zip file"), http.StatusUnprocessableEntity, "fake.xlsx"},
		{"olivia", "big.xlsx", bytes.Repeat([]byte("x"), 600<<10), http.StatusRequestEntityTooLarge, "too large"},
		{"olivia", "huge.xlsx", bytes.Repeat([]byte("x"), 2<<20), http.StatusRequestEntityTooLarge, "too large"},
		{"olivia", "<b>x</b>.csv", []byte("indicator,period,value\n1.1.2,2021Q3,<b>5</b>\n"), http.StatusUnprocessableEntity, "&lt;b&gt;5&lt;/b&gt;"},
	}
	for _, b := range bad {
		c := f.loggedIn(t, b.who)
		n0 := f.imports(t)
		code, body := c.upload(b.name, b.content)
		if code != b.status || !strings.Contains(body, b.want) {
			t.Errorf("%s uploading %s: status %d, want %d with %q\n%.1500s", b.who, b.name, code, b.status, b.want, body)
		}
		if strings.Contains(body, "<b>") {
			t.Errorf("%s: HTML from the upload is not escaped", b.name)
		}
		if n := f.imports(t); n != n0 {
			t.Errorf("%s uploading %s wrote %d imports", b.who, b.name, n-n0)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUserCommands: rmf user add (password from stdin), list, remove, and
// the bad input of each.
func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "u.db")
	mustRMF(t, dir, "--db", db, "framework", "import", examplePath(t, "framework.yaml"))
	add := func(pw string, args ...string) (string, int) {
		cmd := exec.Command(rmfBin, append([]string{"--db", db, "user", "add"}, args...)...)
		cmd.Stdin = strings.NewReader(pw)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return string(out), code
	}
	if out, code := add("long-enough-1\n", "amani", "--role", "partner", "--responsible", "Training coordinator"); code != 0 {
		t.Fatalf("user add: %d %s", code, out)
	}
	for _, c := range []struct {
		pw   string
		args []string
		code int
		want string
	}{
		{"long-enough-1\n", []string{"amani", "--role", "viewer"}, 1, "already exists"},
		{"short\n", []string{"bob", "--role", "viewer"}, 1, "too short"},
		{"", []string{"bob", "--role", "viewer"}, 1, "no password"},
		{"long-enough-1\n", []string{"bob", "--role", "admin"}, 2, "expected officer, partner or viewer"},
		{"long-enough-1\n", []string{"bob", "--role", "partner"}, 2, "needs --responsible"},
		{"long-enough-1\n", []string{"bob", "--role", "partner", "--responsible", "Nobody"}, 1, "no indicator of the framework names it"},
	} {
		out, code := add(c.pw, c.args...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("user add %v: status %d, want %d with %q\n%s", c.args, code, c.code, c.want, out)
		}
	}
	out := mustRMF(t, dir, "--db", db, "user", "list")
	if !strings.Contains(out, "amani") || !strings.Contains(out, "Training coordinator") || strings.Contains(out, "bob") || strings.Contains(out, "long-enough") {
		t.Errorf("user list:\n%s", out)
	}
	mustRMF(t, dir, "--db", db, "user", "remove", "amani")
	if _, errs, code := rmf(t, dir, "--db", db, "user", "remove", "amani"); code != 1 || !strings.Contains(errs, "no such user") {
		t.Errorf("removing a removed user: %d %s", code, errs)
	}
	if _, errs, code := rmf(t, dir, "--db", db, "serve", "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(errs, "no users") {
		t.Errorf("serve without users: %d %s", code, errs)
	}
}
