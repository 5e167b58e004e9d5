//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestConfigAndBaseReadOnlyRegularFiles pins that --config and --base go
// through the bounded reader: a FIFO fails at once instead of hanging,
// and /dev/zero instead of exhausting memory.
func TestConfigAndBaseReadOnlyRegularFiles(t *testing.T) {
	dir := writeService(t, okService)
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	os.Mkdir(filepath.Join(dir, "folder"), 0o755)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"compile", "--config", "pipe"}, "pipe is a FIFO, not a regular file"},
		{[]string{"compile", "--config", "folder"}, "folder is a directory, not a regular file"},
		{[]string{"compile", "--config", "/dev/zero"}, "/dev/zero is a character device, not a regular file"},
		{[]string{"compile", "--base", "pipe"}, "pipe is a FIFO, not a regular file"},
		{[]string{"compile", "--base", "/dev/zero"}, "/dev/zero is a character device, not a regular file"},
	} {
		done := make(chan struct{})
		var code int
		var errOut string
		go func() { defer close(done); code, _, errOut = runCLI(t, dir, tc.args...) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%v blocked", tc.args)
		}
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want a failure naming %q", tc.args, code, errOut, tc.want)
		}
	}
}
