package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/packaging"
)

// templateFile is the file sls package writes, which deploy tools read.
const templateFile = "cloudformation-template-update-stack.json"

func packageCommand(env map[string]string) *cli.Command {
	flags := append(commonFlags(), &cli.StringFlag{
		Name: "output", Aliases: []string{"o"}, Value: ".serverless", DefaultText: "package.path, then .serverless, in the service folder",
		Usage: "write the package into `DIR`", TakesFile: true,
	})
	return &cli.Command{
		Name:            "package",
		Usage:           "write the template, the code zips and the deploy state where sls package writes them",
		ArgsUsage:       "[serverless.yml]",
		Description:     "Compiles the service and writes DIR/" + templateFile + ", the functions' code zips, " + packaging.CreateStackTemplateFile + " and " + packaging.StateFile + ", each atomically: on any error the previous files are left as they were. `sls deploy --package DIR` deploys the folder. The template is JSON, as the file name says; for YAML use compile --format yaml.",
		HideHelpCommand: true,
		Flags:           flags,
		Action: func(c *cli.Context) error {
			// The framework's file name says JSON, and nothing reads a
			// YAML template from the package directory.
			if c.String("format") == "yaml" {
				return usageError{"package writes " + templateFile + ", which is JSON; for YAML use stepform compile --format yaml"}
			}
			r, err := compileService(c, env, writeZips)
			if err != nil {
				return err
			}
			printDiagnostics(c.App.ErrWriter, r.diags, r.sources)
			if r.diags.HasErrors() {
				fmt.Fprintf(c.App.ErrWriter, "stepform: %s\n", summary(r.diags))
				return errConfig
			}
			if err := writePackage(r, c.App.ErrWriter); err != nil {
				return err
			}
			path := filepath.Join(r.outDir, templateFile)
			fmt.Fprintf(c.App.ErrWriter, "stepform: wrote %s\n", path)
			return nil
		},
	}
}

// Temporary files are named .stepform-<pid>-<random>.tmp in the output
// directory, so that a later run can tell a killed run's leftover (its
// process is gone) from a concurrent run's file in progress.
const (
	tempPrefix = ".stepform-"
	tempSuffix = ".tmp"
	// staleTempAge is the age after which a temporary file is a leftover
	// even though a process with its pid exists: pids are reused.
	staleTempAge = time.Hour
)

// syncFile is (*os.File).Sync; tests replace it to see what is synced when.
var syncFile = (*os.File).Sync

// pendingTemplate is the template written and synced under a temporary
// name beside path, waiting to be renamed into place.
type pendingTemplate struct{ tmp, path string }

// writeTemplatePending writes text to a temporary file beside path and
// syncs it, so that readers never see a partial template once it is
// renamed into place (commit), even after a crash; the directory is
// synced after the rename. An existing file keeps its permissions; a new
// one gets 0644.
func writeTemplatePending(path string, text compiler.Text) (pendingTemplate, error) {
	mode := fs.FileMode(0o644)
	if info, err := os.Stat(path); err == nil {
		if !info.Mode().IsRegular() {
			return pendingTemplate{}, errors.New("not a regular file")
		}
		mode = info.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), fmt.Sprintf("%s%d-*%s", tempPrefix, os.Getpid(), tempSuffix))
	if err != nil {
		return pendingTemplate{}, err
	}
	if err := writeAndClose(tmp, text, mode); err != nil {
		os.Remove(tmp.Name())
		return pendingTemplate{}, err
	}
	return pendingTemplate{tmp: tmp.Name(), path: path}, nil
}

// commit renames the template into place.
func (p pendingTemplate) commit() error {
	if err := os.Rename(p.tmp, p.path); err != nil {
		p.discard()
		return err
	}
	return nil
}

// discard removes the temporary file, if any.
func (p pendingTemplate) discard() {
	if p.tmp != "" {
		os.Remove(p.tmp)
	}
}

func writeAndClose(f *os.File, text compiler.Text, mode fs.FileMode) error {
	_, err := text.WriteTo(f)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = syncFile(f)
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

// syncDir makes a rename in dir durable. Some systems cannot sync a
// directory; there the rename is as durable as the system makes it.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	if err := syncFile(d); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	return nil
}

// removeStaleTemps deletes the temporary files that runs killed before
// their rename left in dir. It leaves alone any other file, and the
// recent temporary files of processes that are still running.
func removeStaleTemps(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, ok := tempFilePID(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		recent := now.Sub(info.ModTime()) < staleTempAge
		if recent && (pid == 0 || processExists(pid)) {
			continue
		}
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

// tempFilePID reports whether name is one of our temporary files and the
// pid in it; 0 for the pid-less names of earlier versions
// (.stepform-<random>.tmp).
func tempFilePID(name string) (int, bool) {
	middle, ok := strings.CutPrefix(name, tempPrefix)
	if !ok {
		return 0, false
	}
	if middle, ok = strings.CutSuffix(middle, tempSuffix); !ok {
		return 0, false
	}
	pidText, random, hasPID := strings.Cut(middle, "-")
	if !hasPID {
		random, pidText = pidText, ""
	}
	if !allDigits(random) {
		return 0, false
	}
	if !hasPID {
		return 0, true
	}
	pid, err := strconv.Atoi(pidText)
	if err != nil || pid <= 0 || !allDigits(pidText) {
		return 0, false
	}
	return pid, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
