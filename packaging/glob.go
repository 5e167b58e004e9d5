package packaging

import (
	"fmt"
	"regexp"
	"strings"
)

// glob is one compiled micromatch pattern (micromatch 4 with `dot: true`,
// the options the framework uses): `*` and `?` stay inside a path segment,
// `**` as a whole segment spans any number of them (a trailing `/**` also
// matches the directory itself), `[...]` classes, `{a,b}` alternatives,
// the extglobs `@(..)`, `*(..)`, `+(..)`, `?(..)`, and `\` escapes.
// Dot files are matched like any other name. Leading `./` is ignored.
type glob struct {
	source string
	// Literal patterns and `literal/**` patterns skip the regexp: the dev
	// dependency excludes alone can be hundreds of them.
	literal string
	prefix  bool
	re      *regexp.Regexp
}

const globSpecial = "*?[]{}()\\!@+|"

func compileGlob(pattern string) (*glob, error) {
	p := pattern
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	g := &glob{source: pattern}
	if !strings.ContainsAny(p, globSpecial) {
		g.literal = p
		return g, nil
	}
	if base, ok := strings.CutSuffix(p, "/**"); ok && !strings.ContainsAny(base, globSpecial) && base != "" {
		g.literal, g.prefix = base, true
		return g, nil
	}
	t := &translator{src: p}
	body, err := t.alternative(0)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", pattern, err)
	}
	re, err := regexp.Compile("^(?:" + body + ")$")
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", pattern, err)
	}
	g.re = re
	return g, nil
}

// match reports whether the slash-separated relative path matches.
func (g *glob) match(path string) bool {
	if g.re != nil {
		return g.re.MatchString(path)
	}
	if g.prefix {
		return path == g.literal || strings.HasPrefix(path, g.literal+"/") && len(path) > len(g.literal)+1
	}
	return path == g.literal
}

// literalDirs returns the leading path segments of the pattern that hold no
// glob syntax: no path outside them can match, which lets the walk skip
// whole directories.
func (g *glob) literalDirs() []string {
	p := g.source
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	segs := strings.Split(p, "/")
	var out []string
	for _, s := range segs[:len(segs)-1] {
		if strings.ContainsAny(s, globSpecial) {
			break
		}
		out = append(out, s)
	}
	return out
}

// translator turns a glob into a Go regular expression (RE2: linear time
// on any input).
type translator struct {
	src string
	i   int
}

// alternative translates up to the end, or up to the `,`/`}`/`|`/`)` that
// closes the group at the given depth (0 = top level).
func (t *translator) alternative(depth int) (string, error) {
	var b strings.Builder
	for t.i < len(t.src) {
		c := t.src[t.i]
		switch {
		case depth > 0 && (c == ',' || c == '}' || c == '|' || c == ')'):
			return b.String(), nil
		case c == '\\':
			if t.i+1 < len(t.src) {
				b.WriteString(regexp.QuoteMeta(t.src[t.i+1 : t.i+2]))
				t.i += 2
			} else {
				b.WriteString(`\\`)
				t.i++
			}
		case c == '/' && strings.HasPrefix(t.src[t.i:], "/**") && t.atGroupEnd(t.i+3, depth):
			// `dir/**` also matches dir itself.
			b.WriteString(`(?:/.*)?`)
			t.i += 3
		case c == '*' && strings.HasPrefix(t.src[t.i:], "**") && t.atSegmentStart(t.i) && t.i+2 < len(t.src) && t.src[t.i+2] == '/':
			b.WriteString(`(?:[^/]+/)*`)
			t.i += 3
		case c == '*' && strings.HasPrefix(t.src[t.i:], "**") && t.atSegmentStart(t.i) && t.atGroupEnd(t.i+2, depth):
			b.WriteString(`.*`)
			t.i += 2
		case (c == '@' || c == '*' || c == '+' || c == '?' || c == '!') && t.i+1 < len(t.src) && t.src[t.i+1] == '(':
			if c == '!' {
				return "", fmt.Errorf("the negated extglob !(...) is not supported")
			}
			t.i += 2
			g, err := t.group(')', depth+1)
			if err != nil {
				return "", err
			}
			b.WriteString(g)
			if c != '@' {
				b.WriteByte(c)
			}
		case c == '*':
			for t.i < len(t.src) && t.src[t.i] == '*' {
				t.i++
			}
			b.WriteString(`[^/]*`)
		case c == '?':
			b.WriteString(`[^/]`)
			t.i++
		case c == '[':
			b.WriteString(t.class())
		case c == '{':
			if end := t.closingBrace(t.i); end > 0 && strings.ContainsRune(t.src[t.i+1:end], ',') {
				t.i++
				g, err := t.group('}', depth+1)
				if err != nil {
					return "", err
				}
				b.WriteString(g)
			} else {
				b.WriteString(`\{`)
				t.i++
			}
		default:
			b.WriteString(regexp.QuoteMeta(t.src[t.i : t.i+1]))
			t.i++
		}
	}
	if depth > 0 {
		return "", fmt.Errorf("unclosed group")
	}
	return b.String(), nil
}

// group translates `a,b}` or `a|b)` after its opening bracket.
func (t *translator) group(closer byte, depth int) (string, error) {
	var alts []string
	for {
		a, err := t.alternative(depth)
		if err != nil {
			return "", err
		}
		alts = append(alts, a)
		if t.i >= len(t.src) {
			return "", fmt.Errorf("unclosed group")
		}
		c := t.src[t.i]
		t.i++
		if c == closer {
			return "(?:" + strings.Join(alts, "|") + ")", nil
		}
		if c == '}' || c == ')' {
			return "", fmt.Errorf("mismatched %q", c)
		}
	}
}

func (t *translator) closingBrace(open int) int {
	depth := 0
	for j := open; j < len(t.src); j++ {
		switch t.src[j] {
		case '\\':
			j++
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

func (t *translator) atSegmentStart(i int) bool {
	return i == 0 || strings.ContainsRune("/{,|(", rune(t.src[i-1]))
}

func (t *translator) atGroupEnd(i, depth int) bool {
	if i == len(t.src) {
		return true
	}
	return depth > 0 && strings.ContainsRune(",}|)", rune(t.src[i]))
}

// class translates a bracket expression. `[^...]` negates; picomatch
// reads `[!...]` as the literal text or a class holding `!`, and so do we.
func (t *translator) class() string {
	end := strings.IndexByte(t.src[t.i+1:], ']')
	if end < 0 {
		t.i++
		return `\[`
	}
	if end == 0 { // `[]...]`: the bracket is a member
		if e := strings.IndexByte(t.src[t.i+2:], ']'); e >= 0 {
			end = e + 1
		} else {
			t.i++
			return `\[`
		}
	}
	body := t.src[t.i+1 : t.i+1+end]
	literal := t.src[t.i : t.i+2+end]
	t.i += end + 2
	var b strings.Builder
	negate := strings.HasPrefix(body, "^")
	if negate {
		body = body[1:]
		b.WriteString("[^/")
	} else {
		b.WriteString("[")
	}
	for _, r := range body {
		switch r {
		case '\\', '[', ']', '^':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteString("]")
	if strings.HasPrefix(body, "!") {
		return "(?:" + regexp.QuoteMeta(literal) + "|" + b.String() + ")"
	}
	return b.String()
}
