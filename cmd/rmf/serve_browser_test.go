package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rmf-project/rmf/web"
)

// TestServeInBrowser drives Debian's chromium through rmf serve: log in,
// pick a period, open an indicator, upload a partner's workbook, see the
// dry run, confirm, see the dashboard change; a partner is blocked from
// another partner's indicator. Screenshots of the dashboard and of an
// indicator page are written to $RMF_SCREENS, else a temporary folder.
// Skipped (saying so) when chromium is not installed.
func TestServeInBrowser(t *testing.T) {
	chrome := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		t.Skip("chromium is not installed (apt-get install chromium): the browser tests did not run")
	}
	if testing.Short() {
		t.Skip("-short: the browser tests did not run")
	}
	f := newServeFixture(t, web.Options{})
	screens := os.Getenv("RMF_SCREENS")
	if screens == "" {
		screens = t.TempDir()
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1000),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	run := func(what string, acts ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, acts...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	get := func(what string, a chromedp.Action[string]) string {
		t.Helper()
		s, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return s
	}
	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		writeScreen(t, screens, name, png)
	}
	login := func(name, pw string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(f.URL + "/login"),
			chromedp.WaitVisible(chromedp.ID(`name`)),
			chromedp.SendKeys(chromedp.ID(`name`), name),
			chromedp.SendKeys(chromedp.ID(`password`), pw),
			chromedp.Submit(chromedp.ID(`password`)),
			chromedp.WaitVisible(chromedp.CSS(`section.tree`)),
		}
	}
	var text string
	// The officer logs in and picks a period.
	run("officer login", login("olivia", "officer-pass-1")...)
	run("pick a period",
		chromedp.SetValue(chromedp.ID(`period`), "2020S2"),
		chromedp.Submit(chromedp.ID(`period`)),
		chromedp.WaitVisible(chromedp.CSS(`p[data-period="2020S2"]`)),
		chromedp.SetValue(chromedp.ID(`period`), "2021S1"),
		chromedp.Submit(chromedp.ID(`period`)),
		chromedp.WaitVisible(chromedp.CSS(`p[data-period="2021S1"]`)))
	text = get("read the dashboard", chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(text, "2021S1") || !strings.Contains(text, "Needs attention") {
		t.Fatalf("the dashboard of 2021S1 is not shown:\n%.800s", text)
	}
	before := get("read the tree", chromedp.Text(chromedp.CSS(`section.tree`)))
	shoot("dashboard.png")
	top, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	writeScreen(t, screens, "dashboard-top.png", top)

	// Open an indicator from the dashboard.
	run("open indicator 1.1.1",
		chromedp.Click(chromedp.CSS(`a[href^="/indicator/1.1.1?"]`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.chart`)))
	text = get("read the indicator", chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(text, "Measurement plan") || !strings.Contains(text, "Every revision") {
		t.Fatalf("the indicator page lacks its sections:\n%.800s", text)
	}
	shoot("indicator.png")

	// Upload the training coordinator's workbook: the dry run, then confirm.
	wb := examplePath(t, "data/2021q2_training_coordinator.xlsx")
	n0 := f.imports(t)
	run("upload",
		chromedp.Navigate(f.URL+"/upload"),
		chromedp.WaitVisible(chromedp.ID(`workbook`)),
		chromedp.SetUploadFiles(chromedp.ID(`workbook`), []string{wb}),
		chromedp.Click(chromedp.ID(`check`)),
		chromedp.WaitVisible(chromedp.ID(`confirm`)))
	text = get("read the dry run", chromedp.Text(chromedp.CSS(`main`)))
	shoot("dry-run.png")
	if !strings.Contains(text, "would be added") || !strings.Contains(text, "3.2.1") {
		t.Fatalf("the dry run is not shown:\n%.1200s", text)
	}
	if f.imports(t) != n0 {
		t.Fatal("the dry run imported the file")
	}
	run("confirm",
		chromedp.Click(chromedp.ID(`confirm`)),
		chromedp.WaitVisible(chromedp.CSS(`section.ok`)))
	text = get("read the import", chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(text, "Imported 2021q2_training_coordinator.xlsx") || f.imports(t) != n0+1 {
		t.Fatalf("the confirmed upload was not imported:\n%.800s", text)
	}
	run("dashboard after",
		chromedp.Navigate(f.URL+"/?period=2021S1"),
		chromedp.WaitVisible(chromedp.CSS(`section.tree`)))
	after := get("read the tree after", chromedp.Text(chromedp.CSS(`section.tree`)))
	if after == before {
		t.Error("the dashboard did not change after the import")
	}
	run("log out", chromedp.Click(chromedp.CSS(`.who button`)), chromedp.WaitVisible(chromedp.ID(`name`)))

	// A partner is blocked from another partner's indicator.
	run("partner login", login("tina", "partner-pass-1")...)
	run("another partner's page",
		chromedp.Navigate(f.URL+"/indicator/3.3.1"),
		chromedp.WaitVisible(chromedp.CSS(`section.error`)))
	text = get("read the refusal", chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(text, "403") || !strings.Contains(text, "partner sees only their own indicators") {
		t.Errorf("the partner reached another partner's indicator:\n%.800s", text)
	}
	t.Logf("screenshots in %s", screens)
}

func writeScreen(t *testing.T, dir, name string, png []byte) {
	t.Helper()
	if len(png) < 1000 {
		t.Fatalf("screenshot %s is empty", name)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
