//go:build unix

package schema

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stepform/stepform/schema/diag"
)

// specialFiles makes a directory, a FIFO, a symlink loop and an oversized
// file in dir and returns them with the words their error must contain.
func specialFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	fifo := filepath.Join(dir, "pipe.yml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	loop := filepath.Join(dir, "loop.yml")
	os.Symlink(loop, loop)
	big := filepath.Join(dir, "big.yml")
	f, _ := os.Create(big)
	f.Truncate(MaxFileSize + 1)
	f.Close()
	os.Mkdir(filepath.Join(dir, "folder.yml"), 0o755)
	cases := map[string]string{
		filepath.Join(dir, "folder.yml"): "is a directory, not a regular file",
		fifo:                             "is a FIFO, not a regular file",
		loop:                             "symbolic link loop",
		big:                              "stepform reads files up to 10485760 bytes",
	}
	for _, dev := range []string{"/dev/zero", "/dev/urandom"} {
		if _, err := os.Stat(dev); err == nil {
			cases[dev] = "is a character device, not a regular file"
		}
	}
	return cases
}

// withDeadline fails the test instead of hanging when f blocks.
func withDeadline(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading blocked")
	}
}

func TestReadLimitedRejectsSpecialFiles(t *testing.T) {
	for path, want := range specialFiles(t, t.TempDir()) {
		var err error
		withDeadline(t, func() { _, err = ReadLimited(path) })
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadLimited(%s) = %v, want an error containing %q", path, err, want)
		}
	}
	if _, err := ReadLimited(filepath.Join(t.TempDir(), "missing.yml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	// /proc files report size 0 yet have content.
	if data, err := ReadLimited("/proc/self/status"); err == nil && len(data) == 0 {
		t.Error("/proc/self/status read as empty")
	}
}

func TestLoadRejectsSpecialConfig(t *testing.T) {
	for path, want := range specialFiles(t, t.TempDir()) {
		var d diag.List
		withDeadline(t, func() { _, _, d = Load(LoadOptions{ConfigPath: path}) })
		if len(d) != 1 || !strings.Contains(d[0].Detail, want) {
			t.Errorf("Load(%s): %v, want one error containing %q", path, d, want)
		}
	}
}

func TestFileVariableRejectsSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	for path, want := range specialFiles(t, dir) {
		config := filepath.Join(dir, "serverless.yml")
		os.WriteFile(config, []byte("service: s\nprovider:\n  name: aws\ncustom:\n  x: ${file("+path+")}\n"), 0o644)
		var d diag.List
		withDeadline(t, func() { _, _, d = Load(LoadOptions{ConfigPath: config}) })
		var found bool
		for _, e := range d {
			if e.Severity == diag.Error && strings.Contains(e.Detail, want) {
				found = true
				if e.Pos.File != config || e.Pos.Line != 5 || e.Pos.Col != 6 {
					t.Errorf("${file(%s)}: error at %v, want %s:5:6", path, e.Pos, config)
				}
			}
		}
		if !found {
			t.Errorf("${file(%s)}: %v, want an error containing %q", path, d, want)
		}
	}
}
