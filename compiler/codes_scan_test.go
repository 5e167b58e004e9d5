package compiler_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/schema/diag"
)

// reportingFuncs finds the reporting functions in the Go files under
// roots: every function or method with a string parameter named summary
// (diag.List.Errorf, emit.Context.DeployFailure, schema's findings and each
// package's own helpers), and says which argument is the summary. An
// exported name is keyed by itself (it is called from other packages); an
// unexported one by its folder and name, since packages reuse names (add,
// strictf) with the summary in different places.
func reportingFuncs(t *testing.T, roots ...string) map[string]int {
	t.Helper()
	found := map[string]int{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				return err
			}
			record := func(name string, params *ast.FieldList) {
				i := 0
				for _, field := range params.List {
					typ, _ := field.Type.(*ast.Ident)
					for _, p := range field.Names {
						if p.Name == "summary" && typ != nil && typ.Name == "string" {
							found[funcKey(filepath.Dir(path), name)] = i
						}
						i++
					}
					if len(field.Names) == 0 {
						i++
					}
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.FuncDecl:
					record(x.Name.Name, x.Type.Params)
				case *ast.AssignStmt:
					// A local helper: fail := func(pos diag.Pos, summary, ...).
					if len(x.Lhs) != len(x.Rhs) {
						break
					}
					for i, rhs := range x.Rhs {
						lit, isLit := rhs.(*ast.FuncLit)
						if id, isIdent := x.Lhs[i].(*ast.Ident); isLit && isIdent {
							record(id.Name, lit.Type.Params)
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return found
}

// funcKey is a reporting function's key in reportingFuncs.
func funcKey(dir, name string) string {
	if ast.IsExported(name) {
		return name
	}
	return dir + ":" + name
}

// sourceSummary is one summary a reporting call in the source can produce,
// with every part only known at run time written as X.
type sourceSummary struct {
	at, sample string
	opaque     bool // the summary is a variable: nothing to check statically
}

var formatVerb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

// sourceSummaries parses the Go files under roots and returns the summary
// of every call to a reporting function, in the packages that report
// diagnostics (those that use schema/diag).
func sourceSummaries(t *testing.T, roots ...string) []sourceSummary {
	t.Helper()
	var out []sourceSummary
	summaryArg := reportingFuncs(t, roots...)
	fset := token.NewFileSet()
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			if !usesDiag(t, filepath.Dir(path)) {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				i := -1
				switch fn := call.Fun.(type) {
				case *ast.SelectorExpr:
					if x, ok := fn.X.(*ast.Ident); ok && x.Name == "fmt" {
						return true
					}
					if n, ok := summaryArg[funcKey(filepath.Dir(path), fn.Sel.Name)]; ok {
						i = n
					}
				case *ast.Ident:
					if n, ok := summaryArg[funcKey(filepath.Dir(path), fn.Name)]; ok {
						i = n
					} else if fn.Name == "report" {
						// A local func variable holding Errorf or Warnf.
						i = 1
					}
				}
				if i < 0 || len(call.Args) <= i {
					return true
				}
				sample, ok := sampleOf(call.Args[i])
				out = append(out, sourceSummary{at: fset.Position(call.Pos()).String(), sample: sample, opaque: !ok})
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

var usesDiagCache = map[string]bool{}

// usesDiag reports whether the package in dir is schema/diag or imports it.
func usesDiag(t *testing.T, dir string) bool {
	if uses, ok := usesDiagCache[dir]; ok {
		return uses
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	uses := filepath.Base(dir) == "diag"
	for _, e := range entries {
		if uses || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			uses = uses || imp.Path.Value == `"github.com/stepform/stepform/schema/diag"`
		}
	}
	usesDiagCache[dir] = uses
	return uses
}

// sampleOf renders an expression that builds a summary, with X for what
// is known only at run time. ok is false when nothing of it is literal.
func sampleOf(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if s, err := strconv.Unquote(x.Value); err == nil {
			return s, true
		}
	case *ast.BinaryExpr:
		a, okA := sampleOf(x.X)
		b, okB := sampleOf(x.Y)
		return a + b, okA || okB
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(x.Args) > 0 {
			if lit, ok := x.Args[0].(*ast.BasicLit); ok {
				s, _ := strconv.Unquote(lit.Value)
				return formatVerb.ReplaceAllStringFunc(s, func(v string) string {
					if strings.HasSuffix(v, "q") {
						return `"X"`
					}
					return "X"
				}), true
			}
		}
	}
	return "X", false
}

// TestEveryDiagnosticHasACode compiles every fixture in both modes and
// fails for a diagnostic whose summary no entry of diag.Codes covers.
func TestEveryDiagnosticHasACode(t *testing.T) {
	ok, errs := fixtureNames(t)
	seen := map[string]bool{}
	for _, name := range append(ok, errs...) {
		f := loadFixture(t, name)
		for _, mode := range []compiler.Mode{compiler.Default, compiler.Plugin} {
			_, _, diags := compiler.Build(f.load, defaultOptions(t, f, mode), compiler.JSON)
			for _, d := range diags {
				if seen[d.Summary] {
					continue
				}
				seen[d.Summary] = true
				if _, ok := diag.CodeOf(d.Summary); !ok {
					t.Errorf("%s: %s: no code covers %q: add it to a pattern of schema/diag/codes.go", name, d.Pos, d.Summary)
				}
			}
		}
	}
}

// TestSourceSummariesHaveCodes checks every summary written in the source
// (with X for the parts known only at run time), so that diagnostics no
// fixture reaches get a code too.
func TestSourceSummariesHaveCodes(t *testing.T) {
	found := 0
	for _, s := range sourceSummaries(t, "../schema", "../compiler", "../cmd", "../packaging") {
		if s.opaque {
			continue
		}
		found++
		if _, ok := diag.CodeOf(s.sample); !ok {
			t.Errorf("%s: no code covers %q: add it to a pattern of schema/diag/codes.go", s.at, s.sample)
		}
	}
	if found < 100 {
		t.Fatalf("found only %d summaries in the source: is the scanner broken?", found)
	}
}
