package graph

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/tools/graphcheck"
)

var update = flag.Bool("update", false, "rewrite the golden .mmd and .dot files")

// machinesOf reads a testdata case: a definition (it has States), or a map
// of machine names to definitions.
func machinesOf(t *testing.T, file string) []Machine {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	root, diags := schema.ParseYAML(file, data)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", file, diags)
	}
	if root.Get("States") != nil {
		return []Machine{{Definition: root}}
	}
	var out []Machine
	for _, p := range root.Pairs {
		out = append(out, Machine{Name: p.Key, Definition: p.Value})
	}
	return out
}

// TestGolden draws each testdata case in both formats, compares with the
// golden files, and checks their syntax with Graphviz and Mermaid.
func TestGolden(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*.yml")
	jsonCases, _ := filepath.Glob("testdata/*.json")
	cases = append(cases, jsonCases...)
	sort.Strings(cases)
	if len(cases) == 0 {
		t.Fatal("no cases in testdata")
	}
	if *update && os.Getenv("CI") != "" {
		t.Fatal("-update must not run in CI: golden files are reviewed, not regenerated")
	}
	var mermaidFiles []string
	for _, file := range cases {
		machines := machinesOf(t, file)
		base := strings.TrimSuffix(file, filepath.Ext(file))
		for _, f := range []struct {
			format Format
			ext    string
		}{{Mermaid, ".mmd"}, {DOT, ".dot"}} {
			got, err := Render(machines, f.format)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := Render(machinesOf(t, file), f.format)
			if string(again) != string(got) {
				t.Errorf("%s%s: two runs differ", base, f.ext)
			}
			golden := base + f.ext
			if *update {
				os.WriteFile(golden, got, 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./compiler/graph -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from the output:\n%s", golden, got)
			}
			if f.format == DOT {
				if err := graphcheck.DOT(got); err != nil {
					t.Errorf("%s: %v", golden, err)
				}
			} else {
				mermaidFiles = append(mermaidFiles, golden)
			}
		}
	}
	checkMermaid(t, mermaidFiles)
}

func checkMermaid(t *testing.T, files []string) {
	t.Helper()
	failures, err := graphcheck.Mermaid(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if msg, ok := failures[f]; ok {
			t.Errorf("%s: Mermaid's parser: %s", f, msg)
		}
	}
}

// TestFixtures draws every state machine of every fixture that loads, in
// both formats, and checks the syntax of each.
func TestFixtures(t *testing.T) {
	configs, _ := filepath.Glob("../../fixtures/*/serverless.yml")
	if len(configs) == 0 {
		t.Fatal("no fixtures")
	}
	dir := t.TempDir()
	var mermaidFiles, dotNames []string
	var dots [][]byte
	drawn := 0
	for _, config := range configs {
		svc, _, _ := schema.Load(schema.LoadOptions{ConfigPath: config, Env: map[string]string{}})
		if svc == nil || svc.StepFunctions == nil {
			continue
		}
		var machines []Machine
		for _, m := range svc.StepFunctions.StateMachines {
			if def, _ := Definition(m); def != nil {
				machines = append(machines, Machine{Name: m.Key, Definition: def})
			}
		}
		if len(machines) == 0 {
			continue
		}
		name := filepath.Base(filepath.Dir(config))
		for i, one := range [][]Machine{machines, machines[:1]} {
			drawn++
			dot, err := Render(one, DOT)
			if err != nil {
				t.Fatal(err)
			}
			dots = append(dots, dot)
			dotNames = append(dotNames, name)
			mmd, _ := Render(one, Mermaid)
			file := filepath.Join(dir, fmt.Sprintf("%s_%d.mmd", name, i))
			os.WriteFile(file, mmd, 0o644)
			mermaidFiles = append(mermaidFiles, file)
		}
	}
	if drawn < 100 {
		t.Errorf("only %d fixtures drawn", drawn)
	}
	failures, err := graphcheck.DOTAll(dots)
	if err != nil {
		t.Fatal(err)
	}
	for i, err := range failures {
		t.Errorf("%s: %v", dotNames[i], err)
	}
	checkMermaid(t, mermaidFiles)
}
