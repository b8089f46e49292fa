package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/web"
)

var serveLoadDuration = flag.Duration("serve-load", 5*time.Second, "how long BenchmarkServeLoad loads the server (the issue's figure is 30s)")

// BenchmarkServeLoad runs "rmf serve" on the demo project (the built
// binary, as a user runs it) and loads it from 50 concurrent clients on
// loopback for -serve-load (default 5s): dashboards of random periods
// (half the requests), indicator pages (30%), report downloads in
// Markdown and JSON (15%) and templates (5%), and a workbook uploaded to
// the dry run every 2 seconds. It reports requests per second, the p50,
// p95 and p99 latency of all requests and of the dashboard, errors (any
// status but 200; must be 0) and the server's peak resident memory.
//
//	go test ./cmd/rmf -run '^$' -bench ServeLoad -serve-load 30s
func BenchmarkServeLoad(b *testing.B) {
	dir := b.TempDir()
	if out, err := exec.Command(rmfBin, "demo", "-o", filepath.Join(dir, "demo")).CombinedOutput(); err != nil {
		b.Fatalf("rmf demo: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "demo", "demo.db")
	add := exec.Command(rmfBin, "--db", db, "user", "add", "olivia", "--role", "officer")
	add.Stdin = strings.NewReader("load-test-pass\n")
	if out, err := add.CombinedOutput(); err != nil {
		b.Fatalf("rmf user add: %v\n%s", err, out)
	}
	srv := exec.Command(rmfBin, "--db", db, "serve", "--addr", "127.0.0.1:0")
	srv.Env = append(os.Environ(), "GOMAXPROCS=2")
	stdout, _ := srv.StdoutPipe()
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		b.Fatal(err)
	}
	defer srv.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("rmf serve said nothing: %v", err)
	}
	m := regexp.MustCompile(`http://(\S+)`).FindStringSubmatch(line)
	if m == nil {
		b.Fatalf("rmf serve: no address in %q", line)
	}
	go io.Copy(io.Discard, stdout)
	base := "http://" + m[1]

	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrf := func(path string) string {
		resp, err := hc.Get(base + path)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		mm := csrfRE.FindSubmatch(body)
		if mm == nil {
			b.Fatalf("no csrf token on %s", path)
		}
		return string(mm[1])
	}
	resp, err := hc.PostForm(base+"/login", url.Values{"csrf": {csrf("/login")}, "name": {"olivia"}, "password": {"load-test-pass"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("login: %v %v", err, resp)
	}
	resp.Body.Close()
	token := csrf("/")
	periods := []string{"2020S1", "2020S2", "2021S1", "2021S2", "2022S1", "2022S2", "2023S1"}
	inds := []string{"1.1.1", "1.1.2", "1.2.1", "2.1.1", "3.2.1", "3.3.2", "3.3.5", "O1.1", "OO.1"}
	wb, err := os.ReadFile(examplePath(&testing.T{}, "data/2021q2_training_coordinator.xlsx"))
	if err != nil {
		b.Fatal(err)
	}

	var mu sync.Mutex
	var all, dash []time.Duration
	var errs atomic.Int64
	var firstErr atomic.Value
	get := func(path string, isDash bool) {
		t0 := time.Now()
		resp, err := hc.Get(base + path)
		ok := err == nil && resp.StatusCode == http.StatusOK
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		d := time.Since(t0)
		if !ok {
			errs.Add(1)
			firstErr.CompareAndSwap(nil, fmt.Sprintf("GET %s: %v %v", path, err, resp))
		}
		mu.Lock()
		all = append(all, d)
		if isDash {
			dash = append(dash, d)
		}
		mu.Unlock()
	}
	stop := time.Now().Add(*serveLoadDuration)
	b.ResetTimer()
	var wg sync.WaitGroup
	for c := 0; c < 50; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 14))
			for time.Now().Before(stop) {
				p := periods[r.IntN(len(periods))]
				switch x := r.IntN(100); {
				case x < 50:
					get("/?period="+p, true)
				case x < 80:
					get("/indicator/"+inds[r.IntN(len(inds))]+"?period="+p, false)
				case x < 95:
					get("/download/report?period="+p+"&format="+[]string{"md", "json"}[r.IntN(2)], false)
				default:
					get("/download/template?period="+p, false)
				}
			}
		}()
	}
	uploads := 0
	for time.Now().Before(stop) {
		t0 := time.Now()
		if code := uploadTo(hc, base, token, wb); code != http.StatusOK {
			errs.Add(1)
			firstErr.CompareAndSwap(nil, fmt.Sprintf("upload: status %d", code))
		}
		mu.Lock()
		all = append(all, time.Since(t0))
		mu.Unlock()
		uploads++
		time.Sleep(2 * time.Second)
	}
	wg.Wait()
	b.StopTimer()
	srv.Process.Signal(syscall.SIGINT)
	srv.Wait()
	secs := serveLoadDuration.Seconds()
	b.ReportMetric(float64(len(all))/secs, "req/s")
	b.ReportMetric(pctl(all, 50), "p50-ms")
	b.ReportMetric(pctl(all, 95), "p95-ms")
	b.ReportMetric(pctl(all, 99), "p99-ms")
	b.ReportMetric(pctl(dash, 95), "dashboard-p95-ms")
	b.ReportMetric(float64(errs.Load()), "errors")
	b.ReportMetric(float64(uploads), "uploads")
	if rss, _, ok := childUsage(srv.ProcessState); ok {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	}
	if n := errs.Load(); n > 0 {
		b.Errorf("%d requests failed; the first: %v", n, firstErr.Load())
	}
}

// uploadTo posts a workbook to the dry run and returns the status.
func uploadTo(hc *http.Client, base, token string, wb []byte) int {
	pr, pw := io.Pipe()
	go func() {
		mw := newMultipart(pw)
		mw.WriteField("csrf", token)
		fw, _ := mw.CreateFormFile("workbook", "2021q2_training_coordinator.xlsx")
		fw.Write(wb)
		mw.Close()
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", base+"/upload", pr)
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+loadBoundary)
	resp, err := hc.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// pctl is the p-th percentile of ds in milliseconds.
func pctl(ds []time.Duration, p int) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := min(len(s)-1, len(s)*p/100)
	return float64(s[i].Microseconds()) / 1000
}

const loadBoundary = "rmf-load-boundary-14"

func newMultipart(w io.Writer) *multipart.Writer {
	mw := multipart.NewWriter(w)
	mw.SetBoundary(loadBoundary)
	return mw
}

// BenchmarkServeDashboardLarge serves the dashboard of the large benchmark
// project (internal/gen, the cached database of BenchmarkReportPipelineLarge,
// copied) through the web application: cold-ms is the first request (the
// report built from every figure), then each iteration is a request of
// the cached report (the database unchanged), with its p95.
func BenchmarkServeDashboardLarge(b *testing.B) {
	src := largeDB(b)
	path := filepath.Join(b.TempDir(), "large.db")
	in, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, in, 0o600); err != nil {
		b.Fatal(err)
	}
	in = nil
	ctx := context.Background()
	db, err := openEngineOpt(ctx, path, time.Now, engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	hash, err := web.HashPassword("large-bench-pass")
	if err != nil {
		b.Fatal(err)
	}
	if err := db.AddUser(ctx, engine.User{Name: "olivia", Role: "officer"}, string(hash)); err != nil {
		b.Fatal(err)
	}
	site, err := db.Site()
	if err != nil {
		b.Fatal(err)
	}
	app := serveApp{site}
	srv, err := web.New(app, app, web.Options{UploadDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 5 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(ts.URL + "/login")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRE.FindSubmatch(body)
	if m == nil {
		b.Fatal("no login token")
	}
	resp, err = hc.PostForm(ts.URL+"/login", url.Values{"csrf": {string(m[1])}, "name": {"olivia"}, "password": {"large-bench-pass"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("login: %v %v", err, resp)
	}
	resp.Body.Close()
	get := func() time.Duration {
		t0 := time.Now()
		resp, err := hc.Get(ts.URL + "/?period=" + benchPeriod)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("dashboard: status %d", resp.StatusCode)
		}
		return time.Since(t0)
	}
	cold := get()
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ds = append(ds, get())
	}
	b.StopTimer()
	b.ReportMetric(float64(cold.Milliseconds()), "cold-ms")
	b.ReportMetric(pctl(ds, 95), "warm-p95-ms")
}
