package graphcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The checkers must reject what the tools reject, or the graph tests
// could not fail.
func TestCheckersReject(t *testing.T) {
	if err := DOT([]byte("digraph g { a -> b; }")); err != nil {
		t.Errorf("valid DOT: %v", err)
	}
	for _, bad := range []string{"digraph g { a -> ; }", "digraph g { a [label=\"x] }", "graph g { a -> b }"} {
		if err := DOT([]byte(bad)); err == nil {
			t.Errorf("dot accepted %q", bad)
		}
	}
	failures, err := DOTAll([][]byte{[]byte("digraph a { x; }"), []byte("digraph b { -> }"), []byte("digraph c { y; }")})
	if err != nil || len(failures) != 1 || failures[1] == nil {
		t.Errorf("DOTAll: %v, %v; want the second document to fail", failures, err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"good.mmd":        "flowchart TD\n  a[\"x #quot;y#quot;\"] -->|\"l\"| b\n",
		"unclosed.mmd":    "flowchart TD\n  a[\"x\" --> b\n",
		"raw_quote.mmd":   "flowchart TD\n  a[\"x\"y\"]\n",
		"end_keyword.mmd": "flowchart TD\n  a --> end\n",
		"not_a_graph.mmd": "hello\n",
	}
	var paths []string
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		paths = append(paths, p)
	}
	failures2, err := Mermaid(paths)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		bad := !strings.HasSuffix(p, "good.mmd")
		if _, failed := failures2[p]; failed != bad {
			t.Errorf("%s: failed %v, want %v (%s)", filepath.Base(p), failed, bad, failures2[p])
		}
	}
}
