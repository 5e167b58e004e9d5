package diag

import (
	"bytes"
	"testing"
)

func TestRender(t *testing.T) {
	var l List
	l.Warnf(Pos{File: "s.yml", Line: 2, Col: 5}, "second", "Fix b.")
	l.Errorf(Pos{File: "s.yml", Line: 1, Col: 3}, "first", "Fix %s.", "a")
	l.Errorf(Pos{File: "s.yml", Line: 1, Col: 3}, "first", "Fix a.") // a repeat
	l.Errorf(Pos{File: "s.yml", Line: 3}, "no column", "")
	l.Sort()
	src := []byte("a: b\n\tbc: d\ne: f\n")
	var buf bytes.Buffer
	Render(&buf, l, func(string) []byte { return src })
	want := "s.yml:1:3: error: first\n" +
		"    1 | a: b\n" +
		"      |   ^\n" +
		"  Fix a.\n" +
		"s.yml:2:5: warning: second\n" +
		"    2 | \tbc: d\n" +
		"      | \t   ^\n" +
		"  Fix b.\n" +
		"s.yml:3: error: no column\n" +
		"    3 | e: f\n"
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
	if !l.HasErrors() || l.Err() == nil || l.Err().Error() != "s.yml:1:3: first (and 1 more errors)" {
		t.Errorf("Err() = %v", l.Err())
	}
	var empty List
	if empty.Err() != nil {
		t.Error("an empty list must give a nil error")
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"definition", "dependsOn", "retain"}
	for in, want := range map[string]string{"defintion": "definition", "Retain": "retain", "zzz": "", "dependson": "dependsOn"} {
		if got := Suggest(in, keys); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

// Equally close candidates give the alphabetically first, whatever their order.
func TestSuggestTieIsStable(t *testing.T) {
	for _, order := range [][]string{{"Task", "Pass"}, {"Pass", "Task"}} {
		if got := Suggest("Tass", order); got != "Pass" {
			t.Errorf("Suggest(Tass, %v) = %q, want Pass", order, got)
		}
	}
}
