package diff

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzCompare parses arbitrary pairs of templates and compares them: no
// panic, a template never differs from itself, and the report is the
// same twice.
func FuzzCompare(f *testing.F) {
	dirs, _ := filepath.Glob("testdata/*")
	for _, d := range dirs {
		olds, _ := filepath.Glob(filepath.Join(d, "old.*"))
		news, _ := filepath.Glob(filepath.Join(d, "new.*"))
		if len(olds) == 1 && len(news) == 1 {
			a, _ := os.ReadFile(olds[0])
			b, _ := os.ReadFile(news[0])
			f.Add(a, b)
		}
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		old, d1 := Parse("old.json", a)
		new, d2 := Parse("new.yml", b)
		if d1.HasErrors() || d2.HasErrors() {
			return
		}
		if Compare(old, old).Changed() {
			t.Fatal("a template differs from itself")
		}
		if Compare(old, new).String() != Compare(old, new).String() {
			t.Fatal("two reports differ")
		}
	})
}
