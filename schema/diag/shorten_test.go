package diag

import (
	"bytes"
	"strings"
	"testing"
)

func TestLongQuotedValuesAreShortened(t *testing.T) {
	long := strings.Repeat("SECRET=x\x00", 1000)
	var l List
	l.Errorf(Pos{File: "a.yml", Line: 1, Col: 1}, "unknown state "+quote(long), "No state is called %q; %q is fine.", long, "short")
	want := `"SECRET=x\x00SECRET=x\x00SECRET=x\x00SECRET=x\x00SECR…" (9000 characters)`
	if got := l[0].Summary; got != "unknown state "+want {
		t.Errorf("summary = %s", got)
	}
	if got := l[0].Detail; got != "No state is called "+want+`; "short" is fine.` {
		t.Errorf("detail = %s", got)
	}
	// Unquoted text is cut per line.
	l.Errorf(Pos{}, "s", "%s", strings.Repeat("a", 5000))
	if got := l[1].Detail; got != strings.Repeat("a", maxMessageLine)+"…" {
		t.Errorf("long line kept %d bytes", len(got))
	}
}

func quote(s string) string {
	var l List
	l.Errorf(Pos{}, "", "%q", s)
	return l[0].Detail
}

func TestExcerptIsCutAroundTheCaret(t *testing.T) {
	line := strings.Repeat("a", 3000) + "X" + strings.Repeat("b", 5_000_000)
	src := []byte("first\n" + line + "\n")
	var l List
	l.Errorf(Pos{File: "f.yml", Line: 2, Col: 3001}, "bad", "")
	var buf bytes.Buffer
	Render(&buf, l, func(string) []byte { return src })
	out := buf.String()
	if buf.Len() > 1000 {
		t.Fatalf("rendered %d bytes for one diagnostic", buf.Len())
	}
	lines := strings.Split(out, "\n")
	excerpt, caret := lines[1], lines[2]
	want := "    2 | …" + strings.Repeat("a", 100) + "X" + strings.Repeat("b", 99) + "…"
	if excerpt != want {
		t.Errorf("excerpt = %q", excerpt)
	}
	// The caret stays under the X.
	if at := strings.IndexByte(caret, '^'); at != strings.Index(excerpt, "X")-len("…")+1 {
		t.Errorf("caret at %d, X at %d:\n%s", at, strings.Index(excerpt, "X"), out)
	}
	// Near the start of a long line the excerpt starts at column 1.
	l[0].Pos.Col = 2
	buf.Reset()
	Render(&buf, l, func(string) []byte { return src })
	if got := strings.Split(buf.String(), "\n")[1]; got != "    2 | "+strings.Repeat("a", 200)+"…" {
		t.Errorf("excerpt = %q", got)
	}
}

func TestExcerptHidesControlCharacters(t *testing.T) {
	var l List
	l.Errorf(Pos{File: "f.yml", Line: 1, Col: 3}, "bad", "")
	var buf bytes.Buffer
	Render(&buf, l, func(string) []byte { return []byte("a:\x00\x1b[31m\tb\n") })
	if got := strings.Split(buf.String(), "\n")[1]; got != "    1 | a:\uFFFD\uFFFD[31m\tb" {
		t.Errorf("excerpt = %q", got)
	}
}
