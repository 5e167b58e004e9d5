package lazyre

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// expensiveAtInit are calls that cost a run real time when made while
// packages initialise (every run pays for every package's initialisation,
// whatever the command needs): compiling a regular expression, marshalling
// through reflection, parsing a template.
var expensiveAtInit = map[string]bool{
	"regexp.MustCompile": true, "regexp.Compile": true,
	"regexp.MustCompilePOSIX": true, "regexp.CompilePOSIX": true,
	"json.Marshal": true, "json.MarshalIndent": true, "json.Unmarshal": true,
	"template.New": true, "template.Must": true,
}

// TestNoExpensiveWorkAtInit: no package-level variable of the stepform
// binary's packages, and no init function, calls one of expensiveAtInit;
// a regular expression is a lazyre.Regexp (compiled on first use), a
// constant text is written as a constant.
func TestNoExpensiveWorkAtInit(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	for _, dir := range []string{"cmd", "compiler", "schema", "packaging", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			checked++
			for _, decl := range file.Decls {
				switch decl := decl.(type) {
				case *ast.GenDecl:
					if decl.Tok != token.VAR {
						continue
					}
					for _, spec := range decl.Specs {
						for _, value := range spec.(*ast.ValueSpec).Values {
							for _, call := range callsAtInit(value) {
								t.Errorf("%s: a package-level variable calls %s at start-up", fset.Position(call.Pos()), callName(call))
							}
						}
					}
				case *ast.FuncDecl:
					if decl.Recv == nil && decl.Name.Name == "init" {
						for _, call := range callsAtInit(decl.Body) {
							t.Errorf("%s: init calls %s at start-up", fset.Position(call.Pos()), callName(call))
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 50 {
		t.Fatalf("checked only %d files; is the walk looking in the right place?", checked)
	}
}

// callsAtInit returns the calls in n to expensiveAtInit that run when n
// is evaluated: those inside a function literal count only when the
// literal is called right away.
func callsAtInit(n ast.Node) []*ast.CallExpr {
	var found []*ast.CallExpr
	var visit func(ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // a function value, run later if at all
		case *ast.CallExpr:
			if expensiveAtInit[callName(n)] {
				found = append(found, n)
			}
			if lit, ok := n.Fun.(*ast.FuncLit); ok {
				ast.Inspect(lit.Body, visit)
				for _, arg := range n.Args {
					ast.Inspect(arg, visit)
				}
				return false
			}
		}
		return true
	}
	ast.Inspect(n, visit)
	return found
}

// callName is pkg.Func for a call of a package's function, else "".
func callName(call *ast.CallExpr) string {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return ""
	}
	return pkg.Name + "." + sel.Sel.Name
}

// initBudget bounds what one of stepform's packages may allocate while it
// initialises: every run pays for every package's initialisation,
// whatever the command needs, and allocations are the measure of it that
// does not depend on the machine (16 KiB is some tens of microseconds of
// building maps and tables). A table that takes more is built on first
// use (sync.OnceValue) or written as constant data.
const initBudget = 16 << 10

// TestPackageInitsAllocateLittle builds the stepform binary as make build
// does, runs it with GODEBUG=inittrace=1, and fails when one of its own
// packages allocates more than initBudget while initialising.
func TestPackageInitsAllocateLittle(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	const module = "github.com/stepform/stepform"
	bin := filepath.Join(t.TempDir(), "stepform")
	build := exec.Command(goTool, "build", "-tags", "urfave_cli_no_docs", "-o", bin, "./cmd/stepform")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run := exec.Command(bin, "version")
	godebug := "inittrace=1"
	if old := os.Getenv("GODEBUG"); old != "" {
		godebug = old + "," + godebug
	}
	run.Env = append(os.Environ(), "GODEBUG="+godebug)
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("stepform version: %v\n%s", err, out)
	}
	seen := 0
	lines := bufio.NewScanner(bytes.NewReader(out))
	for lines.Scan() {
		// init PACKAGE @T ms, T ms clock, BYTES bytes, N allocs
		var pkg, at, clock string
		var size, allocs int
		if _, err := fmt.Sscanf(lines.Text(), "init %s %s ms, %s ms clock, %d bytes, %d allocs", &pkg, &at, &clock, &size, &allocs); err != nil {
			continue
		}
		if pkg != module && !strings.HasPrefix(pkg, module+"/") {
			continue
		}
		seen++
		if size > initBudget {
			t.Errorf("%s allocates %d bytes (%d allocations) while initialising; at most %d may be: build its tables on first use", pkg, size, allocs, initBudget)
		}
	}
	if seen < 5 {
		t.Fatalf("found the initialisation of only %d stepform packages in:\n%s", seen, out)
	}
}
