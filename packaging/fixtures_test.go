package packaging

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

var update = flag.Bool("update", false, "rewrite the expected.txt of error_package_* fixtures")

const fixturesDir = "../fixtures"

// packagingFixtures lists fixtures/package_* and fixtures/error_package_*:
// each has its service under service/.
func packagingFixtures(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{"package_*", "error_package_*"} {
		dirs, err := filepath.Glob(filepath.Join(fixturesDir, pattern, "service", "serverless.yml"))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dirs {
			out = append(out, filepath.Base(filepath.Dir(filepath.Dir(d))))
		}
	}
	if len(out) == 0 {
		t.Fatal("no packaging fixtures found")
	}
	return out
}

// planFixture loads a fixture's service and plans its packaging. The
// diagnostics are rendered as the CLI prints them.
func planFixture(t *testing.T, serviceDir string) (*Plan, string) {
	t.Helper()
	svc, sources, diags := schema.Load(schema.LoadOptions{
		ConfigPath: "serverless.yml",
		ReadFile:   func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(serviceDir, p)) },
	})
	if svc == nil || diags.HasErrors() {
		var b bytes.Buffer
		diag.Render(&b, diags, func(f string) []byte { return sources[f] })
		t.Fatalf("cannot load the service:\n%s", b.String())
	}
	// Only packaging's own diagnostics: loading's are the compiler's to pin.
	plan, diags := NewPlan(Input{
		Service: svc.Name, Stage: svc.Stage, Packaging: svc.Packaging,
		FS: os.DirFS(serviceDir), Dir: serviceDir, ConfigFile: "serverless.yml",
	})
	var b bytes.Buffer
	diag.Render(&b, diags, func(f string) []byte { return sources[f] })
	return plan, b.String()
}

// listZips prints zips the way tools/oracle/list-zips.py does.
func listZips(t *testing.T, paths []string) string {
	t.Helper()
	var b strings.Builder
	for _, p := range paths {
		fmt.Fprintf(&b, "zip %s\n", filepath.Base(p))
		r, err := zip.OpenReader(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, f := range r.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatalf("%s: %s: %v", p, f.Name, err)
			}
			h := sha256.New()
			if _, err := io.Copy(h, rc); err != nil {
				t.Fatalf("%s: %s: %v", p, f.Name, err)
			}
			rc.Close()
			fmt.Fprintf(&b, "%o %x %s\n", f.ExternalAttrs>>16, h.Sum(nil), f.Name)
		}
		r.Close()
	}
	return b.String()
}

// TestFrameworkZips builds every packaging fixture's zips and compares
// their entries (names, order, modes, contents) with the framework's,
// recorded in zips.txt by tools/oracle/package-zips.sh.
func TestFrameworkZips(t *testing.T) {
	for _, name := range packagingFixtures(t) {
		if strings.HasPrefix(name, "error_") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(fixturesDir, name, "zips.txt"))
			if err != nil {
				t.Fatalf("missing zips.txt (run tools/oracle/package-zips.sh %s): %v", name, err)
			}
			plan, rendered := planFixture(t, filepath.Join(fixturesDir, name, "service"))
			if plan == nil {
				t.Fatalf("packaging failed:\n%s", rendered)
			}
			out := t.TempDir()
			if _, err := plan.Build(context.Background(), Options{OutDir: out}); err != nil {
				t.Fatal(err)
			}
			zips, _ := filepath.Glob(filepath.Join(out, "*.zip"))
			sort.Strings(zips)
			got := listZips(t, zips)
			wantText := stripComments(string(want))
			if got != wantText {
				t.Errorf("zip entries differ from the framework's\n--- framework\n%s--- stepform\n%s", wantText, got)
			}
		})
	}
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, "#") {
			b.WriteString(l)
		}
	}
	return b.String()
}

// TestPackagingErrors checks the diagnostics of error_package_* fixtures
// (which the framework rejects too: see their framework-error.txt).
func TestPackagingErrors(t *testing.T) {
	for _, name := range packagingFixtures(t) {
		if !strings.HasPrefix(name, "error_") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			plan, got := planFixture(t, filepath.Join(fixturesDir, name, "service"))
			if plan != nil {
				t.Fatalf("packaging succeeded; want errors")
			}
			golden := filepath.Join(fixturesDir, name, "expected.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("missing expected.txt (go test ./packaging -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("diagnostics differ\n--- want\n%s--- got\n%s", want, got)
			}
		})
	}
}
