//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestNotRegularFile: a device, a named pipe or a folder is refused at
// once, before anything reads it ("rmf import /dev/zero" ran forever and a
// FIFO blocked), by every command that reads a file.
func TestNotRegularFile(t *testing.T) {
	dir := projectDir(t)
	before := dbState(t, dir)
	fifo := filepath.Join(dir, "pipe.xlsx")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "/dev/zero"}, "rmf import: /dev/zero is not a regular file (a character device), expected a saved file such as a workbook\n" +
			"rmf import: the file has problems; nothing was written from it\n"},
		{[]string{"import", fifo}, "rmf import: " + fifo + " is not a regular file (a named pipe), expected a saved file such as a workbook\n" +
			"rmf import: the file has problems; nothing was written from it\n"},
		{[]string{"import", dir}, "rmf import: " + dir + " is a folder, expected a file\n" +
			"rmf import: the file has problems; nothing was written from it\n"},
		{[]string{"framework", "import", fifo}, "rmf framework: " + fifo + " is not a regular file (a named pipe), expected a saved file such as a workbook\n"},
		{[]string{"framework", "import", "/dev/zero"}, "rmf framework: /dev/zero is not a regular file (a character device), expected a saved file such as a workbook\n"},
		{[]string{"actions", "import", fifo}, "rmf actions: " + fifo + " is not a regular file (a named pipe), expected a saved file such as a workbook\n"},
	} {
		stdout, stderr, code := rmf(t, dir, c.args...)
		if code != 1 || stdout != "" || stderr != c.want {
			t.Errorf("rmf %s: exit status %d, stdout %q\nstderr %q\nwant %q", strings.Join(c.args, " "), code, stdout, stderr, c.want)
		}
	}
	if after := dbState(t, dir); after != before {
		t.Errorf("the database changed:\n%s", lineDiff(before, after))
	}
}
