// Package exporters writes the domain of package indicators out: the
// framework (.xlsx, .yaml), the partners' template and the blank framework
// workbook, reports (text, Markdown, JSON, HTML, the donor workbook), the
// IATI activity XML, and the console listings of the command line (the
// logframe tree, a figure's history). Each writer is checked by a golden
// file (go test ./exporters -update regenerates them).
package exporters
