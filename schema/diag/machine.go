package diag

import (
	"encoding/json"
	"io"
	"strings"
)

// End returns the position just after the YAML or JSON token that starts
// at p: a quoted string, a key (up to its colon) or a plain scalar (up to
// a comment or, inside a flow collection, a separator). ok is false when
// the token is not one of these (a collection, a tag, an anchor, a block
// scalar) or does not end on its line: the end is then unknown. Like
// Pos.Col, the end column counts characters; it is exclusive.
func End(src Sources, p Pos) (end Pos, ok bool) {
	line, found := sourceLine(src, p)
	if !found || p.Col <= 0 {
		return Pos{}, false
	}
	runes := []rune(line)
	start := p.Col - 1
	if start >= len(runes) {
		return Pos{}, false
	}
	n := tokenLength(runes, start)
	if n <= 0 {
		return Pos{}, false
	}
	return Pos{File: p.File, Line: p.Line, Col: p.Col + n}, true
}

func tokenLength(line []rune, start int) int {
	switch line[start] {
	case '"':
		for i := start + 1; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				return i + 1 - start
			}
		}
		return 0
	case '\'':
		for i := start + 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				return i + 1 - start
			}
		}
		return 0
	case '[', '{', ']', '}', ',', '|', '>', '&', '*', '!', '#', '%', '@', '`', ' ', '\t':
		return 0
	case '-', '?', ':':
		if start+1 >= len(line) || line[start+1] == ' ' || line[start+1] == '\t' {
			return 0 // an indicator, not the start of a scalar
		}
	}
	inFlow := flowDepth(line[:start]) > 0
	end := start
	for i := start; i < len(line); i++ {
		c := line[i]
		if c == ':' && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t' || inFlow && strings.ContainsRune(",]}", line[i+1])) {
			break
		}
		if c == '#' && i > start && (line[i-1] == ' ' || line[i-1] == '\t') {
			break
		}
		if inFlow && (c == ',' || c == ']' || c == '}') {
			break
		}
		if c != ' ' && c != '\t' {
			end = i + 1
		}
	}
	return end - start
}

// flowDepth counts the flow collections still open in text, ignoring
// brackets inside quotes.
func flowDepth(text []rune) int {
	depth := 0
	var quote rune
	for _, c := range text {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[' || c == '{':
			depth++
		case (c == ']' || c == '}') && depth > 0:
			depth--
		}
	}
	return depth
}

// Record is a diagnostic as the machine-readable renderings give it.
type Record struct {
	File     string     `json:"file,omitempty"`
	Line     int        `json:"line,omitempty"`
	Column   int        `json:"column,omitempty"`
	End      *RecordEnd `json:"end,omitempty"`
	Severity string     `json:"severity"`
	Code     string     `json:"code"`
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail,omitempty"`
}

// RecordEnd is where a diagnostic's token ends (exclusive).
type RecordEnd struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Records turns l into Records, with each diagnostic's code and, where
// the source shows it, the end of the token it points at.
func Records(l List, src Sources) []Record {
	out := make([]Record, 0, len(l))
	for _, d := range l {
		code, _ := CodeOf(d.Summary)
		r := Record{
			File: d.Pos.File, Line: d.Pos.Line, Column: d.Pos.Col,
			Severity: d.Severity.String(), Code: code.ID, Summary: d.Summary, Detail: d.Detail,
		}
		if r.Line <= 0 {
			r.Column = 0
		}
		if end, ok := End(src, d.Pos); ok {
			r.End = &RecordEnd{Line: end.Line, Column: end.Col}
		}
		out = append(out, r)
	}
	return out
}

// WriteJSON writes l as one JSON array of Records, an empty array when
// there is nothing to report. An array, not JSON Lines: the list is
// complete before it is written, and one document is what jq and most
// CI tools read most easily.
func WriteJSON(w io.Writer, l List, src Sources) error {
	data, err := json.MarshalIndent(Records(l, src), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}
