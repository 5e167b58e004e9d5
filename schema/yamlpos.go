package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/stepform/stepform/schema/diag"
)

// maxRefineSize bounds the texts whose YAML errors are located by
// re-parsing prefixes (a few dozen parses); a larger text keeps the line
// the YAML library names.
const maxRefineSize = 512 << 10

// yamlSyntaxError turns a YAML library error into a positioned diagnostic.
// The library names no line for an error on the first line or in the byte
// stream (control characters, bad UTF-8, an unknown alias), and for a
// parser error it names the start of the enclosing block, not the
// offending token, with no column. So the position is found again: a bad
// byte by scanning for it, anything else by finding the shortest prefix of
// the text that fails the same way, whose last byte is the culprit.
func yamlSyntaxError(diags *diag.List, file string, data []byte, err error) {
	msg := cleanYAMLError(err)
	if off, what, ok := badYAMLByte(data); ok && isReaderProblem(msg) {
		diags.Errorf(offsetPos(file, data, off), "YAML syntax error", "%s. %s", msg, what)
		return
	}
	if off, ok := unknownAlias(data, msg); ok {
		diags.Errorf(offsetPos(file, data, off), "YAML syntax error", "%s. Define the anchor (&name) before the alias, or fix the alias's name.", msg)
		return
	}
	pos := syntaxPos(file, data, err)
	if len(data) <= maxRefineSize {
		if off, ok := failingPrefix(data, msg); ok {
			pos = offsetPos(file, data, off)
		}
	}
	diags.Errorf(pos, "YAML syntax error", "%s. Fix the YAML syntax here.", msg)
}

// isReaderProblem reports whether a YAML error comes from decoding the
// byte stream rather than from its syntax.
func isReaderProblem(msg string) bool {
	for _, s := range []string{"control characters", "UTF-8", "UTF-16", "Unicode"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// badYAMLByte finds the first byte YAML does not accept in a UTF-8 text:
// invalid UTF-8, or a control character other than tab and line breaks.
// A text with NUL bytes after ASCII ones is most likely UTF-16 without a
// byte order mark, and the advice says so.
func badYAMLByte(data []byte) (int, string, bool) {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return 0, "", false // UTF-16 with a byte order mark: the library reads it
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return i, fmt.Sprintf("Byte 0x%02X is not UTF-8 (Latin-1?); save the file as UTF-8.", data[i]), true
		case r == 0 && len(data) >= 2 && (data[0] == 0) != (data[1] == 0):
			return i, "The file looks like UTF-16 without a byte order mark; save it as UTF-8.", true
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7F || r >= 0x80 && r < 0xA0 && r != 0x85 || r == 0xFFFE || r == 0xFFFF:
			return i, fmt.Sprintf("Character U+%04X is a control character, which YAML does not allow; remove it.", r), true
		}
		i += size
	}
	return 0, "", false
}

// failingPrefix finds where a YAML text first fails with msg: the end of
// the shortest prefix of whole lines that fails so, then within that line
// the shortest prefix. It returns the offset of the offending byte. Both
// searches are binary, so they take a few dozen parses.
func failingPrefix(data []byte, msg string) (int, bool) {
	fails := func(end int) bool { return yamlProblem(data[:end]) == msg }
	var lineEnds []int
	for i, b := range data {
		if b == '\n' {
			lineEnds = append(lineEnds, i+1)
		}
	}
	if len(lineEnds) == 0 || lineEnds[len(lineEnds)-1] != len(data) {
		lineEnds = append(lineEnds, len(data))
	}
	k := sort.Search(len(lineEnds), func(i int) bool { return fails(lineEnds[i]) })
	if k == len(lineEnds) {
		return 0, false
	}
	lineStart := 0
	if k > 0 {
		lineStart = lineEnds[k-1]
	}
	lineEnd := lineEnds[k]
	line := data[lineStart:lineEnd]
	indent := len(line) - len(bytes.TrimLeft(line, " \t"))
	switch {
	case strings.HasPrefix(msg, "did not find expected ',' or "):
		// Every prefix that stops inside a flow collection fails so: the
		// culprit is the bracket left open.
		if at, ok := unclosedBracket(data[:lineEnd]); ok {
			return at, true
		}
	case msg == "did not find expected '-' indicator":
		// The line's first token should have been a list entry.
		return lineStart + indent, true
	}
	end := lineStart + sort.Search(lineEnd-lineStart, func(i int) bool { return fails(lineStart + i + 1) }) + 1
	if end > lineEnd {
		return lineStart + indent, true
	}
	off := end - 1
	// A prefix that ends with a line break fails where the text ends: the
	// culprit is the line's last character.
	for off > lineStart && (data[off] == '\n' || data[off] == '\r') {
		off--
	}
	// Step back to the start of a multi-byte character.
	for off > lineStart && !utf8.RuneStart(data[off]) {
		off--
	}
	return off, true
}

// unknownAlias finds the first "*name" of text for the library's error
// about an alias to an anchor that does not exist; the library gives no
// position for it.
func unknownAlias(data []byte, msg string) (int, bool) {
	name, ok := strings.CutPrefix(msg, "unknown anchor '")
	if !ok {
		return 0, false
	}
	alias := []byte("*" + strings.TrimSuffix(name, "' referenced"))
	for off := 0; ; {
		at := bytes.Index(data[off:], alias)
		if at < 0 {
			return 0, false
		}
		at += off
		end := at + len(alias)
		// The whole name: an alias ends at a space, a line break or a flow
		// indicator.
		if end == len(data) || bytes.IndexByte([]byte(" \t\r\n,]}"), data[end]) >= 0 {
			return at, true
		}
		off = end
	}
}

// unclosedBracket finds the last "[" or "{" of text that the text does not
// close, skipping quoted text and comments.
func unclosedBracket(text []byte) (int, bool) {
	var open []int
	var quote byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\t' || text[i-1] == '\n'):
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case c == '[' || c == '{':
			open = append(open, i)
		case (c == ']' || c == '}') && len(open) > 0:
			open = open[:len(open)-1]
		}
	}
	if len(open) == 0 {
		return 0, false
	}
	return open[len(open)-1], true
}

// yamlProblem is the error message of parsing text, "" when it parses.
func yamlProblem(text []byte) string {
	var doc yaml.Node
	err := decodeSafely(yaml.NewDecoder(bytes.NewReader(text)), &doc)
	if err == nil || errors.Is(err, io.EOF) {
		return ""
	}
	return cleanYAMLError(err)
}

// offsetPos converts a byte offset of data into a position; columns count
// characters, as the YAML library's do.
func offsetPos(file string, data []byte, off int) diag.Pos {
	if off > len(data) {
		off = len(data)
	}
	line, col := 1, 1
	for i := 0; i < off; {
		r, size := utf8.DecodeRune(data[i:])
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return diag.Pos{File: file, Line: line, Col: col}
}
