package jsvalue

import (
	"strings"

	"github.com/stepform/stepform/schema"
)

// ReplaceAll is String.prototype.replaceAll(pattern, replacement) with a
// string pattern: "$$", "$&", "$`" and "$'" in the replacement expand.
func ReplaceAll(s, pattern, repl string) string {
	if pattern == "" || !strings.Contains(s, pattern) {
		return s
	}
	var b strings.Builder
	rest := 0
	for {
		i := strings.Index(s[rest:], pattern)
		if i < 0 {
			break
		}
		at := rest + i
		b.WriteString(s[rest:at])
		b.WriteString(ExpandReplacement(repl, s, at, pattern))
		rest = at + len(pattern)
	}
	b.WriteString(s[rest:])
	return b.String()
}

// ExpandReplacement expands a JavaScript replacement string for a match of
// matched at position at in s.
func ExpandReplacement(repl, s string, at int, matched string) string {
	if !strings.Contains(repl, "$") {
		return repl
	}
	var b strings.Builder
	for i := 0; i < len(repl); i++ {
		if repl[i] != '$' || i+1 == len(repl) {
			b.WriteByte(repl[i])
			continue
		}
		switch repl[i+1] {
		case '$':
			b.WriteByte('$')
		case '&':
			b.WriteString(matched)
		case '`':
			b.WriteString(s[:at])
		case '\'':
			b.WriteString(s[at+len(matched):])
		default:
			b.WriteByte('$')
			continue
		}
		i++
	}
	return b.String()
}

// TruthyOrNil is n when it is truthy, else nil (JavaScript's v || undefined).
func TruthyOrNil(n *schema.Node) *schema.Node {
	if n.Truthy() {
		return n
	}
	return nil
}

// StringOrNil is String(v) for a truthy scalar, v itself for an object
// (an intrinsic), and nil for a falsy value.
func StringOrNil(n *schema.Node) *schema.Node {
	if !n.Truthy() {
		return nil
	}
	if IsObject(n) {
		return n
	}
	return Val(String(n))
}

// ReplaceFirst is String.prototype.replace with a string pattern: the
// first occurrence only, with $$, $&, $` and $' expanded in the replacement.
func ReplaceFirst(s, pattern, repl string) string {
	i := strings.Index(s, pattern)
	if i < 0 {
		return s
	}
	return s[:i] + ExpandReplacement(repl, s, i, pattern) + s[i+len(pattern):]
}
