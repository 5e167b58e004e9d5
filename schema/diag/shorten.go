package diag

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bounds on what a diagnostic prints, so that a value read from a large
// file (${file(/proc/self/environ)}, a 5 MB line) is never dumped whole.
const (
	// maxQuoted is the most characters a quoted value keeps; a longer one
	// keeps its first quotedKeep characters and says how long it was.
	maxQuoted  = 80
	quotedKeep = 40
	// maxMessageLine bounds one line of a summary or detail.
	maxMessageLine = 1000
	// maxExcerpt is the widest source excerpt, in characters.
	maxExcerpt = 200
)

// shortenMessage shortens every Go-quoted string ("...", as %q writes it)
// in text that is longer than maxQuoted characters, then cuts any line
// longer than maxMessageLine. Messages quote values with %q, so this one
// place bounds every value a diagnostic shows.
func shortenMessage(text string) string {
	if len(text) <= maxQuoted && !strings.Contains(text, "\n") {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		if text[i] != '"' {
			b.WriteByte(text[i])
			i++
			continue
		}
		end, units := quotedEnd(text, i)
		if end < 0 || units <= maxQuoted {
			if end < 0 {
				end = len(text)
			}
			b.WriteString(text[i:end])
			i = end
			continue
		}
		keepEnd, _ := quotedPrefix(text, i, quotedKeep)
		fmt.Fprintf(&b, "%s…\" (%d characters)", text[i:keepEnd], units)
		i = end
	}
	lines := strings.Split(b.String(), "\n")
	for k, l := range lines {
		lines[k] = cutRunes(l, maxMessageLine)
	}
	return strings.Join(lines, "\n")
}

// quotedEnd returns the offset just past the closing quote of the quoted
// string starting at text[start], and how many characters (escapes count
// as one) it holds; -1 when it is not closed.
func quotedEnd(text string, start int) (int, int) {
	units := 0
	for i := start + 1; i < len(text); {
		switch text[i] {
		case '"':
			return i + 1, units
		case '\\':
			i += escapeLen(text[i:])
		default:
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
		}
		units++
	}
	return -1, units
}

// quotedPrefix returns the offset after the first n characters of the
// quoted string starting at text[start], never inside an escape.
func quotedPrefix(text string, start, n int) (int, int) {
	i := start + 1
	for units := 0; units < n && i < len(text); units++ {
		if text[i] == '\\' {
			i += escapeLen(text[i:])
		} else {
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
		}
	}
	return i, n
}

// escapeLen is the length of the backslash escape at the start of s.
func escapeLen(s string) int {
	n := 2
	if len(s) > 1 {
		switch s[1] {
		case 'x':
			n = 4
		case 'u':
			n = 6
		case 'U':
			n = 10
		case '0', '1', '2', '3', '4', '5', '6', '7':
			n = 4
		}
	}
	if n > len(s) {
		n = len(s)
	}
	return n
}

// cutRunes cuts s to n characters, marking the cut.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return firstRunes(s, n) + "…"
}
