package schema

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The framework reads serverless.yml with js-yaml, which takes a "?" inside
// a flow collection ([...] or {...}) as text unless it starts an entry and
// is followed by a space (an explicit key: [? key]). yaml.v3 follows YAML
// 1.1 there: any "?" ends a plain scalar and starts a key, so
// rate: [cron(0 8 * * ? *)] fails to parse, and [x, ?y] parses to a
// mapping. maskFlowQuestionMarks hides the "?" js-yaml reads as text behind
// a character the text does not hold, and unmaskPlainScalars puts them
// back into the parsed plain scalars; when the count differs (the scan
// misread the text), the caller parses the text as it is.

// maskFlowQuestionMarks returns data with each "?" js-yaml reads as part of
// a plain scalar in a flow collection replaced by mark, a character absent
// from data, and how many it replaced. The mark is one character, so lines
// and columns (which yaml.v3 counts in characters) stay where they were.
func maskFlowQuestionMarks(data []byte) (masked []byte, mark rune, count int) {
	if !bytes.Contains(data, []byte("?")) || !bytes.ContainsAny(data, "[{") {
		return data, 0, 0
	}
	positions := flowQuestionMarks(data)
	if len(positions) == 0 {
		return data, 0, 0
	}
	mark = unusedRune(data)
	if mark == 0 {
		return data, 0, 0
	}
	var enc [utf8.UTFMax]byte
	markBytes := enc[:utf8.EncodeRune(enc[:], mark)]
	out := make([]byte, 0, len(data)+len(positions)*(len(markBytes)-1))
	last := 0
	for _, p := range positions {
		out = append(append(out, data[last:p]...), markBytes...)
		last = p + 1
	}
	return append(out, data[last:]...), mark, len(positions)
}

// unusedRune picks a character from the private use area that data does
// not contain, or 0 when it holds them all.
func unusedRune(data []byte) rune {
	text := string(data)
	for r := rune(0xE000); r <= 0xF8FF; r++ {
		if !strings.ContainsRune(text, r) {
			return r
		}
	}
	return 0
}

// unmaskPlainScalars turns mark back into "?" in the plain scalars of the
// tree (keys included) and returns how many it restored.
func unmaskPlainScalars(root *yaml.Node, mark rune) int {
	seen := map[*yaml.Node]bool{}
	restored := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if n.Kind == yaml.ScalarNode && n.Style&^yaml.TaggedStyle == 0 {
			if k := strings.Count(n.Value, string(mark)); k > 0 {
				n.Value = strings.ReplaceAll(n.Value, string(mark), "?")
				restored += k
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	return restored
}

// flowQuestionMarks returns the offsets of the "?" that js-yaml reads as
// text in the flow collections of data. It follows just enough of YAML to
// know where flow collections, quoted and block scalars and comments are.
func flowQuestionMarks(data []byte) []int {
	var found []int
	s := flowScan{data: data, nodeStart: true}
	for s.i < len(data) {
		if s.depth == 0 {
			s.block()
		} else {
			s.flow(&found)
		}
	}
	return found
}

type flowScan struct {
	data      []byte
	i         int
	depth     int  // nesting of flow collections
	nodeStart bool // a node may start here
	inPlain   bool // inside a plain scalar of a flow collection
	indent    int  // indentation of the current line (block context)
}

func (s *flowScan) at(i int) byte {
	if i < len(s.data) {
		return s.data[i]
	}
	return 0
}

func isBlankOrEnd(b byte) bool {
	return b == 0 || b == ' ' || b == '\t' || b == '\n' || b == '\r'
}

func (s *flowScan) skipLine() {
	for s.i < len(s.data) && s.data[s.i] != '\n' {
		s.i++
	}
}

// skipQuoted skips a quoted scalar starting at s.i, lines included.
func (s *flowScan) skipQuoted() {
	q := s.data[s.i]
	s.i++
	for s.i < len(s.data) {
		switch b := s.data[s.i]; {
		case q == '"' && b == '\\':
			s.i += 2
			continue
		case b == q && q == '\'' && s.at(s.i+1) == '\'':
			s.i += 2
			continue
		case b == q:
			s.i++
			return
		}
		s.i++
	}
}

// skipToken skips a tag, anchor or alias name.
func (s *flowScan) skipToken() {
	for s.i < len(s.data) && !isBlankOrEnd(s.data[s.i]) && !strings.ContainsRune(",[]{}", rune(s.data[s.i])) {
		s.i++
	}
}

// block scans one step of block context.
func (s *flowScan) block() {
	b := s.data[s.i]
	afterBlank := s.i == 0 || isBlankOrEnd(s.data[s.i-1])
	switch {
	case b == '\n':
		s.i++
		s.indent = 0
		for s.at(s.i) == ' ' {
			s.i++
			s.indent++
		}
		s.nodeStart = true
	case b == ' ' || b == '\t' || b == '\r':
		s.i++
	case b == '#' && afterBlank:
		s.skipLine()
	case b == ':' && isBlankOrEnd(s.at(s.i+1)):
		s.nodeStart = true // a value follows its key
		s.i++
	case !s.nodeStart:
		s.i++
	case b == '[' || b == '{':
		s.depth, s.nodeStart, s.inPlain = 1, true, false
		s.i++
	case b == '"' || b == '\'':
		s.skipQuoted()
		s.nodeStart = false
	case (b == '-' || b == '?') && isBlankOrEnd(s.at(s.i+1)):
		s.i++
	case b == '!' || b == '&':
		s.skipToken()
	case b == '|' || b == '>':
		s.skipBlockScalar()
	default:
		s.nodeStart = false
		s.i++
	}
}

// skipBlockScalar skips a literal or folded scalar: the rest of its line
// and the lines indented deeper than the line it starts on.
func (s *flowScan) skipBlockScalar() {
	s.skipLine()
	for s.i < len(s.data) {
		next := s.i + 1
		indent := 0
		for s.at(next+indent) == ' ' {
			indent++
		}
		if end := s.at(next + indent); indent <= s.indent && end != '\n' && end != '\r' && end != 0 {
			return // the '\n' at s.i ends the scalar; block() reads it
		}
		s.i = next
		s.skipLine()
	}
}

// flow scans one step inside a flow collection.
func (s *flowScan) flow(found *[]int) {
	b := s.data[s.i]
	switch {
	case b == ' ' || b == '\t' || b == '\r' || b == '\n':
		s.i++
		if s.at(s.i) == '#' {
			s.skipLine() // a comment ends a plain scalar
			s.inPlain = false
		}
	case b == '[' || b == '{':
		s.depth++
		s.nodeStart, s.inPlain = true, false
		s.i++
	case b == ']' || b == '}':
		s.depth--
		s.nodeStart, s.inPlain = false, false
		s.i++
	case b == ',':
		s.nodeStart, s.inPlain = true, false
		s.i++
	case b == ':' && (isBlankOrEnd(s.at(s.i+1)) || strings.ContainsRune(",[]{}", rune(s.at(s.i+1))) || !s.inPlain):
		s.nodeStart, s.inPlain = true, false
		s.i++
	case b == '?':
		if s.nodeStart && (isBlankOrEnd(s.at(s.i+1)) || strings.ContainsRune(",]}", rune(s.at(s.i+1)))) {
			s.i++ // an explicit key, as js-yaml reads it
			return
		}
		*found = append(*found, s.i)
		s.nodeStart, s.inPlain = false, true
		s.i++
	case s.nodeStart && (b == '"' || b == '\''):
		s.skipQuoted()
		s.nodeStart = false
	case s.nodeStart && (b == '!' || b == '&'):
		s.skipToken()
	case s.nodeStart && b == '*':
		s.skipToken()
		s.nodeStart = false
	default:
		s.nodeStart, s.inPlain = false, true
		s.i++
	}
}
