package compiler_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// concerns are the packages that each emit one part of the template.
var concerns = []string{"alarms", "apigateway", "events", "iam", "lambda", "notifications", "statemachine"}

const module = "github.com/stepform/stepform/"

// below are the packages the concerns build on.
var below = []string{"internal", "mode", "cfn", "asl", "artifact"}

// TestLayering checks that imports run one way: no concern, and no package
// the concerns build on, imports the orchestrator or a concern (a concern
// receives what it needs through emit.Context). Tools that read the
// compiler's output (inspect, graph, diff) sit above it and may import it.
func TestLayering(t *testing.T) {
	isConcern := map[string]bool{}
	for _, c := range concerns {
		isConcern[module+"compiler/"+c] = true
	}
	checked := 0
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == filepath.Base(path) ||
			!strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		top, _, _ := strings.Cut(filepath.ToSlash(path), "/")
		if !slices.Contains(concerns, top) && !slices.Contains(below, top) {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		self := module + "compiler/" + filepath.ToSlash(filepath.Dir(path))
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			switch {
			case p == module+"compiler":
				t.Errorf("%s imports the orchestrator (package compiler)", path)
			case isConcern[p] && p != self && !strings.HasPrefix(self, p+"/"):
				t.Errorf("%s imports the concern %s", path, p)
			}
		}
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < len(concerns) {
		t.Fatalf("checked only %d files", checked)
	}
}
