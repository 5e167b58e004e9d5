package diag

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Sources returns the text of a file named in a Pos, or nil when it is not
// known. Rendering uses it for the source excerpt.
type Sources func(file string) []byte

// Render writes every diagnostic of l to w:
//
//	serverless.yml:12:7: error: summary
//	   12 |       defintion:
//	      |       ^
//	  Detail sentence.
//
// The output does not depend on the terminal: no colour, no wrapping.
func Render(w io.Writer, l List, src Sources) {
	for _, d := range l {
		fmt.Fprintf(w, "%s: %s: %s\n", d.Pos, d.Severity, d.Summary)
		if line, ok := sourceLine(src, d.Pos); ok {
			gutter := fmt.Sprintf("%5d | ", d.Pos.Line)
			line, caretCol := excerpt(line, d.Pos.Col)
			fmt.Fprintf(w, "%s%s\n", gutter, line)
			if caretCol > 0 { // without a column, no caret
				pad := strings.Map(func(r rune) rune {
					if r == '\t' {
						return '\t'
					}
					return ' '
				}, firstRunes(line, caretCol-1))
				fmt.Fprintf(w, "%s| %s^\n", strings.Repeat(" ", len(gutter)-2), pad)
			}
		}
		if d.Detail != "" {
			for _, l := range strings.Split(d.Detail, "\n") {
				fmt.Fprintf(w, "  %s\n", l)
			}
		}
	}
}

// excerpt cuts a source line to maxExcerpt characters around column col
// (1-based, 0 for none), marking cuts with "…", and returns the caret's
// column in the cut text. Control characters show as U+FFFD so that the
// excerpt never writes them to a terminal.
func excerpt(line string, col int) (string, int) {
	line = strings.Map(func(r rune) rune {
		if r != '\t' && (r < 0x20 || r == 0x7f) {
			return '\uFFFD'
		}
		return r
	}, line)
	runes := []rune(line)
	if len(runes) <= maxExcerpt {
		return line, col
	}
	start := 0
	if col > maxExcerpt-maxExcerpt/4 {
		start = col - 1 - maxExcerpt/2
	}
	end := start + maxExcerpt
	if end > len(runes) {
		end, start = len(runes), len(runes)-maxExcerpt
	}
	out := string(runes[start:end])
	if start > 0 {
		out = "…" + out
		if col > 0 {
			col = col - start + 1
		}
	}
	if end < len(runes) {
		out += "…"
	}
	return out, col
}

func sourceLine(src Sources, p Pos) (string, bool) {
	if src == nil || !p.IsValid() {
		return "", false
	}
	text := src(p.File)
	if text == nil {
		return "", false
	}
	for i := 1; i < p.Line; i++ {
		nl := bytes.IndexByte(text, '\n')
		if nl < 0 {
			return "", false
		}
		text = text[nl+1:]
	}
	if nl := bytes.IndexByte(text, '\n'); nl >= 0 {
		text = text[:nl]
	}
	line := strings.TrimRight(string(text), "\r")
	if !utf8.ValidString(line) {
		line = strings.ToValidUTF8(line, "\uFFFD")
	}
	return line, true
}

func firstRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
