package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/stepform/stepform/schema/diag"
)

// ParseJSON parses a JSON text into a Node tree as JavaScript's JSON.parse
// reads it (the framework reads *.json files and the plugin JSON strings
// that way): every escape JSON allows, numbers as doubles, and for a key
// given twice the last value at the first key's place. Positions name file
// as given; a syntax error names its line and column. It never panics, and
// a nil Node comes back when the text is not JSON.
func ParseJSON(file string, data []byte) (*Node, diag.List) {
	var diags diag.List
	if len(data) > MaxFileSize {
		diags.Errorf(diag.Pos{File: file}, "file too large",
			"%s is %d bytes; stepform reads files up to %d bytes.", file, len(data), MaxFileSize)
		return nil, diags
	}
	p := &jsonParser{file: file, data: data, dec: json.NewDecoder(bytes.NewReader(data)), line: 1, col: 1, budget: MaxNodes}
	p.dec.UseNumber()
	n, err := p.value(0)
	if err == nil {
		start := p.tokenStart()
		if _, extraErr := p.dec.Token(); extraErr != io.EOF {
			err = p.errorAt(start, "unexpected text after the JSON value", "A JSON file holds one value; remove what follows it.")
		}
	}
	if err != nil {
		var perr *jsonError
		if !errors.As(err, &perr) {
			perr = p.syntaxError(err)
		}
		diags.Errorf(perr.pos, perr.summary, "%s", perr.detail)
		return nil, diags
	}
	return n, nil
}

type jsonParser struct {
	file string
	data []byte
	dec  *json.Decoder
	// A position cursor: offsets only grow, so converting them to line and
	// column resumes where the last conversion stopped.
	off, line, col int
	budget         int
}

// jsonError is a problem found while building the tree.
type jsonError struct {
	pos             diag.Pos
	summary, detail string
}

func (e *jsonError) Error() string { return e.summary }

func (p *jsonParser) errorAt(off int, summary, detail string) error {
	return &jsonError{pos: p.pos(off), summary: summary, detail: detail}
}

// syntaxError positions an error of encoding/json.
func (p *jsonParser) syntaxError(err error) *jsonError {
	off := len(p.data)
	// The decoder's offsets are those of whole tokens; the validating
	// scanner behind Unmarshal names the offending byte.
	var discard struct{}
	var verr *json.SyntaxError
	if errors.As(json.Unmarshal(p.data, &discard), &verr) {
		err = verr
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// The offset is just past the offending byte.
		off = int(se.Offset) - 1
		if off < 0 {
			off = 0
		}
	}
	msg := err.Error()
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || msg == "unexpected end of JSON input" {
		msg = "unexpected end of JSON input"
		off = len(bytes.TrimRight(p.data, " \t\r\n"))
	}
	return &jsonError{pos: p.pos(off), summary: "JSON syntax error", detail: fmt.Sprintf("%s. Fix the JSON syntax here.", msg)}
}

// pos converts a byte offset at or after the previous one into a position;
// columns count characters, as YAML positions do.
func (p *jsonParser) pos(off int) diag.Pos {
	if off > len(p.data) {
		off = len(p.data)
	}
	if off < p.off { // only after an error; restart
		p.off, p.line, p.col = 0, 1, 1
	}
	for p.off < off {
		r, size := utf8.DecodeRune(p.data[p.off:])
		if r == '\n' {
			p.line, p.col = p.line+1, 1
		} else {
			p.col++
		}
		p.off += size
	}
	return diag.Pos{File: p.file, Line: p.line, Col: p.col}
}

// tokenStart is the offset of the next token: the decoder's offset is the
// end of the last token, before any white space and separators.
func (p *jsonParser) tokenStart() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func (p *jsonParser) value(depth int) (*Node, error) {
	start := p.tokenStart()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	pos := p.pos(start)
	p.budget--
	if p.budget < 0 {
		return nil, p.errorAt(start, "too many values", fmt.Sprintf("The file holds more than %d values, the most stepform reads from one file. Split the file or shorten it.", MaxNodes))
	}
	if depth > maxDepth {
		return nil, p.errorAt(start, "document nested too deeply", fmt.Sprintf("Values may nest at most %d levels.", maxDepth))
	}
	switch t := tok.(type) {
	case nil:
		return &Node{Kind: Null, Pos: pos}, nil
	case bool:
		return NewBool(t, pos), nil
	case string:
		return NewString(t, pos), nil
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, p.errorAt(start, "JSON syntax error", fmt.Sprintf("%s is not a number. Fix the JSON syntax here.", t))
		}
		if math.IsInf(f, 0) {
			// JSON.parse reads 1e400 as Infinity, which JSON.stringify
			// writes as null.
			return &Node{Kind: Null, Pos: pos}, nil
		}
		return NewNumber(f, pos), nil
	case json.Delim:
		if t == '[' {
			out := &Node{Kind: List, Pos: pos}
			for p.dec.More() {
				it, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				out.Items = append(out.Items, it)
			}
			_, err := p.dec.Token() // ]
			return out, err
		}
		out := &Node{Kind: Map, Pos: pos}
		index := map[string]int{}
		for p.dec.More() {
			keyStart := p.tokenStart()
			tok, err := p.dec.Token()
			if err != nil {
				return nil, err
			}
			key, _ := tok.(string)
			keyPos := p.pos(keyStart)
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			if at, dup := index[key]; dup {
				out.Pairs[at].Value = v
				continue
			}
			index[key] = len(out.Pairs)
			out.Pairs = append(out.Pairs, Pair{Key: key, KeyPos: keyPos, Value: v})
		}
		_, err := p.dec.Token() // }
		return out, err
	}
	return nil, p.errorAt(start, "JSON syntax error", "Unexpected token. Fix the JSON syntax here.")
}
