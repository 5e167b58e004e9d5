package graph

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema"
)

var mermaidID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// FuzzRender draws arbitrary definitions: no panic, and every node ID
// Mermaid sees is a plain identifier that is not a keyword.
func FuzzRender(f *testing.F) {
	cases, _ := filepath.Glob("testdata/*.yml")
	for _, c := range cases {
		data, _ := os.ReadFile(c)
		f.Add(data)
	}
	f.Add([]byte(`{StartAt: end, States: {end: {Type: Choice, Choices: [{Not: {Not: {And: []}}, Next: end}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, diags := schema.ParseYAML("f.yml", data)
		if diags.HasErrors() || root == nil {
			return
		}
		machines := []Machine{{Name: "m", Definition: root}, {Name: "m", Definition: root}}
		for _, format := range []Format{Mermaid, DOT} {
			out, err := Render(machines, format)
			if err != nil {
				t.Fatal(err)
			}
			if format != Mermaid {
				continue
			}
			for _, line := range strings.Split(string(out), "\n") {
				line = strings.TrimSpace(line)
				if line == "" || line == "end" || strings.HasPrefix(line, "flowchart") || strings.HasPrefix(line, "class") {
					continue
				}
				id := strings.TrimPrefix(line, "subgraph ")
				if i := strings.IndexAny(id, "[({ "); i >= 0 {
					id = id[:i]
				}
				if !mermaidID.MatchString(id) || mermaidKeywords[strings.ToLower(id)] {
					t.Fatalf("node ID %q in line %q", id, line)
				}
			}
		}
	})
}
