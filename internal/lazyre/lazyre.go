// Package lazyre holds regular expressions that are compiled on first use
// rather than at package initialisation, so that a command which never
// needs a pattern does not pay for compiling it at start-up.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled the first time it is used.
type Regexp struct {
	pattern string
	once    sync.Once
	re      *regexp.Regexp
}

// New returns a Regexp for pattern; pattern must be valid (it is compiled
// with regexp.MustCompile on first use).
func New(pattern string) *Regexp {
	return &Regexp{pattern: pattern}
}

// Compiled returns the compiled expression.
func (r *Regexp) Compiled() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.pattern) })
	return r.re
}

// String returns the source pattern.
func (r *Regexp) String() string { return r.pattern }

// MatchString reports whether s contains a match.
func (r *Regexp) MatchString(s string) bool { return r.Compiled().MatchString(s) }

// FindString returns the leftmost match in s.
func (r *Regexp) FindString(s string) string { return r.Compiled().FindString(s) }

// FindStringIndex returns the location of the leftmost match in s.
func (r *Regexp) FindStringIndex(s string) []int { return r.Compiled().FindStringIndex(s) }

// FindStringSubmatch returns the leftmost match in s and its submatches.
func (r *Regexp) FindStringSubmatch(s string) []string {
	return r.Compiled().FindStringSubmatch(s)
}

// FindStringSubmatchIndex returns the locations of the leftmost match in s
// and its submatches.
func (r *Regexp) FindStringSubmatchIndex(s string) []int {
	return r.Compiled().FindStringSubmatchIndex(s)
}

// FindAllString returns up to n successive matches in s (all when n < 0).
func (r *Regexp) FindAllString(s string, n int) []string {
	return r.Compiled().FindAllString(s, n)
}

// FindAllStringIndex returns the locations of up to n successive matches.
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return r.Compiled().FindAllStringIndex(s, n)
}

// FindAllStringSubmatch returns up to n successive matches with submatches.
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.Compiled().FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex returns the locations of up to n successive
// matches and their submatches.
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.Compiled().FindAllStringSubmatchIndex(s, n)
}

// ReplaceAllString replaces every match in src with repl, expanding $ groups.
func (r *Regexp) ReplaceAllString(src, repl string) string {
	return r.Compiled().ReplaceAllString(src, repl)
}

// ReplaceAllLiteralString replaces every match in src with repl verbatim.
func (r *Regexp) ReplaceAllLiteralString(src, repl string) string {
	return r.Compiled().ReplaceAllLiteralString(src, repl)
}

// ReplaceAllStringFunc replaces every match in src with repl's result.
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.Compiled().ReplaceAllStringFunc(src, repl)
}

// Split slices s into substrings separated by the expression.
func (r *Regexp) Split(s string, n int) []string { return r.Compiled().Split(s, n) }

// SubexpNames returns the names of the parenthesized subexpressions.
func (r *Regexp) SubexpNames() []string { return r.Compiled().SubexpNames() }
