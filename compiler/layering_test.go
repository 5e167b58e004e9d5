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

// TestGoformationOnlyInCfn checks that goformation is imported by
// compiler/cfn only (and its spec checker, compiler/cfn/spec), in every
// package of the module, tests included: the
// concerns build its types through cfn's names, so that its quirks (and
// a replacement of it) stay in one package.
func TestGoformationOnlyInCfn(t *testing.T) {
	const goformation = "github.com/awslabs/goformation/"
	checked, inCfn := 0, 0
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != ".." && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata" || name == "fixtures") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		dir := filepath.ToSlash(filepath.Dir(path))
		allowed := dir == "../compiler/cfn" || strings.HasPrefix(dir, "../compiler/cfn/")
		for _, imp := range f.Imports {
			if !strings.HasPrefix(strings.Trim(imp.Path.Value, `"`), goformation) {
				continue
			}
			if allowed {
				inCfn++
			} else {
				t.Errorf("%s imports %s; build goformation's types through compiler/cfn", path, imp.Path.Value)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The walk must have seen the module, cfn's own imports included.
	if checked < 100 || inCfn == 0 {
		t.Fatalf("checked %d files, %d goformation imports in compiler/cfn", checked, inCfn)
	}
}
