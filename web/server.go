package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Options configure a Server.
type Options struct {
	// Now is the clock (sessions, rate limits); time.Now when nil.
	Now func() time.Time
	// SessionTTL is how long a login lasts; 12 hours when 0.
	SessionTTL time.Duration
	// MaxUpload is the largest upload in bytes; 64 MiB when 0. (The
	// workbook's unpacked size is bounded by the importer's unzip limit.)
	MaxUpload int64
	// UploadDir holds uploads between the dry run and the confirmation;
	// a temporary folder when "".
	UploadDir string
	// Log receives server errors; log.Default when nil.
	Log *log.Logger
}

// Server is the web application: an http.Handler.
type Server struct {
	app   App
	store Store
	opt   Options
	mux   *http.ServeMux
	tmpl  map[string]*template.Template
	login *limiter // failed logins per user name
	addrs *limiter // failed logins per client address (an office behind one address)

	mu      sync.Mutex
	pending map[string]pendingUpload // id -> upload awaiting confirmation
}

type pendingUpload struct {
	Path    string
	User    string
	Name    string
	Expires time.Time
}

const sessionCookie = "rmf_session"
const loginCookie = "rmf_login"

// New returns the server of app with users and sessions in store.
func New(app App, store Store, opt Options) (*Server, error) {
	dummyHash() // before the first login (a wrong name takes as long as a wrong password)
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.SessionTTL == 0 {
		opt.SessionTTL = 12 * time.Hour
	}
	if opt.MaxUpload == 0 {
		opt.MaxUpload = 64 << 20
	}
	if opt.Log == nil {
		opt.Log = log.Default()
	}
	if opt.UploadDir == "" {
		d, err := os.MkdirTemp("", "rmf-uploads-")
		if err != nil {
			return nil, err
		}
		opt.UploadDir = d
	}
	s := &Server{app: app, store: store, opt: opt, mux: http.NewServeMux(), pending: map[string]pendingUpload{},
		login: &limiter{max: 5, window: 15 * time.Minute, now: opt.Now, fails: map[string][]time.Time{}},
		addrs: &limiter{max: 20, window: 15 * time.Minute, now: opt.Now, fails: map[string][]time.Time{}}}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// Close removes the uploads still awaiting confirmation.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, p := range s.pending {
		os.RemoveAll(filepath.Dir(p.Path))
		delete(s.pending, id)
	}
	return nil
}

// access says who may reach a route.
type access int

const (
	anyone    access = iota // officers, partners, viewers
	readers                 // officers and viewers: whole-project pages
	uploaders               // officers and partners
	officers
)

func (s *Server) routes() {
	static, _ := fs.Sub(assets, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.loginPost)
	s.mux.HandleFunc("POST /logout", s.auth(anyone, s.logout))
	s.mux.HandleFunc("GET /{$}", s.auth(anyone, s.dashboard))
	s.mux.HandleFunc("GET /indicator/{code}", s.auth(anyone, s.indicator))
	s.mux.HandleFunc("GET /upload", s.auth(uploaders, s.uploadPage))
	s.mux.HandleFunc("POST /upload", s.auth(uploaders, s.uploadPost))
	s.mux.HandleFunc("POST /upload/confirm", s.auth(uploaders, s.uploadConfirm))
	s.mux.HandleFunc("GET /downloads", s.auth(anyone, s.downloads))
	s.mux.HandleFunc("GET /download/template", s.auth(anyone, s.downloadTemplate))
	s.mux.HandleFunc("GET /download/report", s.auth(readers, s.downloadReport))
	s.mux.HandleFunc("GET /followup", s.auth(readers, s.followup))
	s.mux.HandleFunc("POST /followup/comment", s.auth(officers, s.comment))
	s.mux.HandleFunc("GET /efficiency", s.auth(readers, s.efficiency))
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, nil, http.StatusNotFound, "No such page: "+r.URL.Path)
	})
}

// ServeHTTP sets the security headers and serves the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if !strings.HasPrefix(r.URL.Path, "/static/") {
		h.Set("Cache-Control", "no-store")
	}
	s.mux.ServeHTTP(w, r)
}

// request is what a handler gets: the user and the session's CSRF token.
type request struct {
	User User
	CSRF string
}

type handler func(w http.ResponseWriter, r *http.Request, q *request)

// auth wraps h: a request without a valid session goes to the login page
// (401 for anything but a GET), a user whose role may not reach the route
// gets 403, and every POST must carry the session's CSRF token (403).
func (s *Server) auth(a access, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, why := s.session(r)
		if q == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?why="+why+"&next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, nil, http.StatusUnauthorized, loginReason(why)+" Log in again; nothing was changed.")
			return
		}
		if !allowed(a, q.User.Role) {
			s.fail(w, r, q, http.StatusForbidden, fmt.Sprintf("A %s cannot open this page.", q.User.Role))
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxUpload+1<<20)
			var err error
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				err = r.ParseMultipartForm(8 << 20)
			} else {
				err = r.ParseForm()
			}
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				s.fail(w, r, q, http.StatusRequestEntityTooLarge, "The request is too large: a file of at most "+sizeText(s.opt.MaxUpload)+". Nothing was changed.")
				return
			}
			if !sameToken(r.FormValue("csrf"), q.CSRF) {
				s.fail(w, r, q, http.StatusForbidden, "The form's security token is missing or wrong (was the page open in another session?). Nothing was changed: reload the page and try again.")
				return
			}
		}
		h(w, r, q)
	}
}

func allowed(a access, r Role) bool {
	switch a {
	case anyone:
		return true
	case readers:
		return r == Officer || r == Viewer
	case uploaders:
		return r == Officer || r == Partner
	}
	return r == Officer
}

func loginReason(why string) string {
	if why == "expired" {
		return "Your session has expired."
	}
	return "You are not logged in."
}

// session returns the request's session, or nil and why ("none",
// "expired").
func (s *Server) session(r *http.Request) (*request, string) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, "none"
	}
	u, csrf, exp, err := s.store.Session(r.Context(), tokenHash(c.Value))
	if err != nil {
		if !errors.Is(err, ErrNoUser) {
			s.opt.Log.Printf("session: %v", err)
		}
		return nil, "expired"
	}
	if !s.opt.Now().Before(exp) {
		return nil, "expired"
	}
	return &request{User: u, CSRF: csrf}, ""
}

func tokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func sameToken(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// HashPassword is the bcrypt hash of a password, for "rmf user add".
func HashPassword(pw string) ([]byte, error) {
	if len(pw) < 8 {
		return nil, errors.New("the password is too short: at least 8 characters")
	}
	if len(pw) > 72 {
		return nil, errors.New("the password is too long: at most 72 bytes (bcrypt)")
	}
	return bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
}

// dummyHash is checked against when the user does not exist, so that a
// wrong name takes as long as a wrong password. It is made once, by New
// (not when the package loads: a bcrypt hash takes some 50 ms, which every
// rmf command paid), before any login is answered.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("not a password of anyone"), bcrypt.DefaultCost)
	return h
})

// limiter counts failed logins per key (the user name, the client address)
// in a sliding window.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	fails  map[string][]time.Time
}

// blocked reports whether key had max failures within the window.
func (l *limiter) blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(key)) >= l.max
}

func (l *limiter) recent(key string) []time.Time {
	cut := l.now().Add(-l.window)
	ts := l.fails[key]
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
	} else {
		l.fails[key] = ts
	}
	return ts
}

func (l *limiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[key] = append(l.recent(key), l.now())
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if q, _ := s.session(r); q != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	msg := ""
	if why := r.URL.Query().Get("why"); why == "expired" {
		msg = loginReason(why) + " Log in again."
	}
	s.showLogin(w, r, http.StatusOK, msg)
}

// showLogin renders the login form with a fresh login CSRF token (a
// double-submit cookie: there is no session yet).
func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	tok := randomToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: "/login", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: 3600})
	next := r.FormValue("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		next = "/"
	}
	s.render(w, r, status, "login", page{Title: "Log in", Message: msg, Data: map[string]string{"CSRF": tok, "Next": next}})
}

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	name := strings.TrimSpace(r.FormValue("name"))
	pw := r.FormValue("password")
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameToken(r.FormValue("csrf"), c.Value) {
		s.showLogin(w, r, http.StatusForbidden, "The login form's security token is missing or wrong: try again from this page.")
		return
	}
	ipKey, nameKey := "ip:"+clientIP(r), "user:"+name
	if s.addrs.blocked(ipKey) || s.login.blocked(nameKey) {
		w.Header().Set("Retry-After", fmt.Sprint(int(s.login.window.Seconds())))
		s.showLogin(w, r, http.StatusTooManyRequests, "Too many failed logins: wait 15 minutes and try again.")
		return
	}
	u, hash, err := s.store.UserPassword(r.Context(), name)
	if err != nil && !errors.Is(err, ErrNoUser) {
		s.fail(w, r, nil, http.StatusInternalServerError, "Cannot check the login: "+err.Error())
		return
	}
	if err != nil {
		hash = dummyHash()
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(pw)) != nil || u.Name == "" {
		s.addrs.fail(ipKey)
		s.login.fail(nameKey)
		s.showLogin(w, r, http.StatusUnauthorized, "Wrong user name or password.")
		return
	}
	s.login.reset(nameKey)
	tok, csrf := randomToken(), randomToken()
	if err := s.store.SaveSession(r.Context(), tokenHash(tok), u.Name, csrf, s.opt.Now().Add(s.opt.SessionTTL)); err != nil {
		s.fail(w, r, nil, http.StatusInternalServerError, "Cannot open a session: "+err.Error())
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/login", MaxAge: -1})
	next := r.FormValue("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, q *request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(r.Context(), tokenHash(c.Value)); err != nil {
			s.opt.Log.Printf("logout: %v", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
