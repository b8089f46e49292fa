package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDonorWorkbookPDF prints the demo's donor workbook as a person would:
// LibreOffice converts it to PDF, pdftotext reads the pages back. The IPTT
// prints over several landscape pages with the code and indicator columns
// on each and no period split over two pages; the Summary is one page
// with its chart; the headers say which columns are cumulative. It needs
// libreoffice and pdftotext (poppler-utils), which .ci/run installs; it is
// skipped without them.
func TestDonorWorkbookPDF(t *testing.T) {
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		if lo, err = exec.LookPath("soffice"); err != nil {
			t.Skip("skipped: libreoffice is not installed (.ci/run installs it)")
		}
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("skipped: pdftotext is not installed (poppler-utils; .ci/run installs it)")
	}
	if testing.Short() {
		t.Skip("skipped in -short mode: converting with LibreOffice takes a while")
	}
	dir, _ := demoDir(t)
	pdfDir := filepath.Join(dir, "pdf")
	cmd := exec.Command(lo, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"),
		"--convert-to", "pdf", "--outdir", pdfDir, filepath.Join(dir, "out", "report.xlsx"))
	cmd.Env = append(os.Environ(), "HOME="+dir)
	done := make(chan struct{})
	var out []byte
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Minute): // a hung conversion, not a measure of speed
		cmd.Process.Kill()
		<-done
		t.Fatalf("libreoffice did not finish converting report.xlsx:\n%s", out)
	}
	if err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(pdfDir, "report.pdf")
	txt, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	pages := strings.Split(strings.TrimSuffix(string(txt), "\f"), "\f")
	if len(pages) < 10 || len(pages) > 80 {
		t.Errorf("the workbook prints on %d pages, want 10 to 80", len(pages))
	}
	// The IPTT sheets come first, up to the Summary.
	summary := -1
	for i, p := range pages {
		if strings.Contains(p, "Summary at 2022Q2") {
			if summary >= 0 {
				t.Errorf("the Summary prints on pages %d and %d, want one", summary+1, i+1)
			}
			summary = i
		}
	}
	if summary < 2 {
		t.Fatalf("no Summary page after the IPTT pages (found at %d)", summary)
	}
	// The chart is on the Summary's page, whole: its title and its legend.
	if s := pages[summary]; !strings.Contains(s, "Progress against expected per outcome") || !strings.Contains(s, "Expected") {
		t.Errorf("the Summary page lacks its chart:\n%s", s)
	}
	if summary+1 < len(pages) && !strings.Contains(pages[summary+1], "by disaggregation") {
		t.Errorf("the page after the Summary is not the Disaggregation sheet: the Summary runs over one page:\n%.400s", pages[summary+1])
	}
	periods := 0
	header := regexp.MustCompile(`Result / indicator`)
	for i, p := range pages[:summary] {
		// The code and indicator columns and the header rows on every page.
		if !header.MatchString(p) || !strings.Contains(p, "Code") {
			t.Errorf("IPTT page %d lacks the repeated Code and Result / indicator columns:\n%.300s", i+1, p)
			continue
		}
		// The header rows: a period's four columns are on one page, so
		// each "Actual in" (period) has its "% met" beside it.
		lines := strings.Split(p, "\n")
		at := 0
		for k, l := range lines {
			if strings.Contains(l, "Result / indicator") {
				at = k
				break
			}
		}
		head := strings.Join(lines[max(0, at-3):min(len(lines), at+3)], "\n")
		in, met := strings.Count(head, "Actual in"), strings.Count(head, "% met")
		if in != met || strings.Count(head, "Cumulative") < 2*in {
			t.Errorf("IPTT page %d: %d 'Actual in', %d '%% met', %d 'Cumulative' headers: a period is split over two pages:\n%s",
				i+1, in, met, strings.Count(head, "Cumulative"), head)
		}
		// Readable widths: a landscape page holds 2 or 3 periods; more
		// would mean the table was squeezed to fit the page.
		if met > 3 {
			t.Errorf("IPTT page %d holds %d periods: squeezed to fit, want the table over more pages", i+1, met)
		}
		if strings.Contains(lines[at], "Code") && strings.Count(p, "Result / indicator") == 1 {
			periods += met
		}
	}
	// 9 semesters (2019S2 to 2022S1) and 3 project years at least, over
	// the row pages: more than one page wide, not squeezed onto one.
	if periods < 12 {
		t.Errorf("the IPTT pages show %d periods, want the 9 semesters and 3 project years at least", periods)
	}
	// Text wrapped in a cell runs on over lines: read it in reading order.
	raw, err := exec.Command(pdftotext, pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	all := strings.Join(strings.Fields(string(raw)), " ")
	for _, want := range []string{"indicators reported every six months", "indicators reported yearly", "once, at the end of the project",
		"Actual in", "Cumulative", "Missing reports:", "Milestones read as"} {
		if !strings.Contains(all, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
}
