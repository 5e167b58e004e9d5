package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stepform/stepform/internal/benchservice"
)

// The benchmarks run a whole command in the process, as main does after
// the runtime and the packages have initialised, on the generated
// one-machine service: what a small service's run costs besides start-up
// (which only whole-process figures show) and, for package, the disk.
// `go test ./cmd/stepform -run '^$' -bench OneMachine -cpuprofile ...`
// shows where it goes.

func benchmarkCommand(b *testing.B, command string, extra ...string) {
	dir := b.TempDir()
	config := filepath.Join(dir, "serverless.yml")
	if err := os.WriteFile(config, benchservice.Config(1), 0o644); err != nil {
		b.Fatal(err)
	}
	args := append([]string{"stepform", command, "--compat", "plugin", "--stage", "dev", config}, extra...)
	env := environ()
	b.ReportAllocs()
	for b.Loop() {
		if code := run(args, io.Discard, io.Discard, env); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

func BenchmarkCompileOneMachine(b *testing.B) { benchmarkCommand(b, "compile") }

func BenchmarkPackageOneMachine(b *testing.B) {
	benchmarkCommand(b, "package", "--output", filepath.Join(b.TempDir(), "package"))
}
