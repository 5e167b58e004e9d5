// Package diag describes problems found in a configuration: where they are,
// how bad they are, and how to fix them.
//
// A Diagnostic's first rendered line is machine-readable, in the form editors
// and CI annotators understand:
//
//	serverless.yml:12:7: error: unknown key "defintion"
//
// followed by an excerpt of the source and a sentence on how to fix it.
// Phases collect diagnostics into a List and keep going, so that one run
// reports every problem.
package diag

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a source file. Line and Col are 1-based; Col counts
// characters, not bytes. A Pos is valid when Line > 0.
type Pos struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether p names a line.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String renders p as file:line:col, file:line, or file when the line or
// column is unknown.
func (p Pos) String() string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	case p.File != "":
		return p.File
	}
	return "-"
}

// Severity says whether a Diagnostic stops compilation. The zero value is
// invalid, so a forgotten severity shows up in tests.
type Severity uint8

const (
	Invalid Severity = iota
	Error
	Warning
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "invalid"
}

// Diagnostic is one problem. Summary is short and stable (it is what golden
// files and greps match); Detail is one or two sentences on how to fix it.
type Diagnostic struct {
	Severity Severity
	Pos      Pos
	Summary  string
	Detail   string
}

// List collects diagnostics. The zero value is an empty list ready to use.
type List []Diagnostic

// Errorf appends an error at pos. Detail is formatted with args.
func (l *List) Errorf(pos Pos, summary, detail string, args ...any) {
	l.add(Error, pos, summary, detail, args)
}

// Warnf appends a warning at pos. Detail is formatted with args.
func (l *List) Warnf(pos Pos, summary, detail string, args ...any) {
	l.add(Warning, pos, summary, detail, args)
}

func (l *List) add(s Severity, pos Pos, summary, detail string, args []any) {
	if len(args) > 0 {
		detail = fmt.Sprintf(detail, args...)
	}
	*l = append(*l, Diagnostic{Severity: s, Pos: pos, Summary: shortenMessage(summary), Detail: shortenMessage(detail)})
}

// Append adds every diagnostic of other.
func (l *List) Append(other List) { *l = append(*l, other...) }

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Sort orders the list by file, line, column, then summary, and drops exact
// repeats (the same problem found twice through a shared YAML anchor).
func (l *List) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i].Pos, s[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return s[i].Summary < s[j].Summary
	})
	out := s[:0]
	for i, d := range s {
		if i > 0 && d == s[i-1] {
			continue
		}
		out = append(out, d)
	}
	*l = out
}

// Err returns the list as an error when it holds an error, and a true nil
// otherwise.
func (l List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return ErrorList(l)
}

// ErrorList is a List that stops compilation.
type ErrorList List

func (e ErrorList) Error() string {
	var first Diagnostic
	n := 0
	for _, d := range e {
		if d.Severity == Error {
			if n == 0 {
				first = d
			}
			n++
		}
	}
	msg := first.Pos.String() + ": " + first.Summary
	if n > 1 {
		msg += fmt.Sprintf(" (and %d more errors)", n-1)
	}
	return msg
}

// Suggest returns the candidate closest to word by edit distance, or "" when
// none is close enough to be a plausible typo.
func Suggest(word string, candidates []string) string {
	best, bestDist := "", 0
	lw := strings.ToLower(word)
	for _, c := range candidates {
		d := levenshtein(lw, strings.ToLower(c))
		if d == 0 {
			return c
		}
		limit := 2
		if len(c) > 8 {
			limit = 3
		}
		// Ties go to the alphabetically first candidate, so the suggestion
		// does not depend on the candidates' order.
		if d <= limit && (best == "" || d < bestDist || (d == bestDist && c < best)) {
			best, bestDist = c, d
		}
	}
	return best
}

// DidYouMean is Suggest phrased for a Detail: " Did you mean "x"?" or "".
func DidYouMean(word string, candidates []string) string {
	if s := Suggest(word, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
