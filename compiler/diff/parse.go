package diff

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strings"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// Parse reads a CloudFormation template: JSON (a .json file, or text that
// starts with "{"), else YAML with CloudFormation's short tags. Values are
// plain: map[string]any, []any, string, json.Number, bool and nil.
func Parse(file string, data []byte) (map[string]any, diag.List) {
	var diags diag.List
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	var doc any
	if strings.EqualFold(filepath.Ext(file), ".json") || bytes.HasPrefix(trimmed, []byte("{")) {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		err := dec.Decode(&doc)
		if err == nil {
			end := dec.InputOffset()
			if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 {
				return nil, jsonError(file, data, int64(len(data)-len(rest))+1, errors.New("text after the end of the template"))
			}
		}
		if err != nil {
			return nil, jsonError(file, data, offsetOf(err, data), err)
		}
	} else {
		n, d := schema.ParseYAML(file, data)
		diags.Append(d)
		if d.HasErrors() {
			return nil, diags
		}
		doc = plain(n)
	}
	m, ok := doc.(map[string]any)
	if !ok {
		diags.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "not a template", "A CloudFormation template is an object with Resources.")
		return nil, diags
	}
	return m, diags
}

// offsetOf is where encoding/json stopped.
func offsetOf(err error, data []byte) int64 {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return syntax.Offset
	case errors.As(err, &typ):
		return typ.Offset
	}
	return int64(len(data))
}

// jsonError is a diagnostic at the line and column of a byte offset.
func jsonError(file string, data []byte, offset int64, err error) diag.List {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	line, col := 1, 1
	for _, r := range string(data[:offset]) {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	// encoding/json reports the offset after the offending character.
	if col > 1 && offset > 0 && data[offset-1] != '\n' {
		col--
	}
	msg := err.Error()
	if errors.Is(err, io.ErrUnexpectedEOF) || msg == "EOF" {
		msg = "the JSON ends early"
	}
	var diags diag.List
	diags.Errorf(diag.Pos{File: file, Line: line, Col: col}, "not valid JSON", "%s.", strings.TrimPrefix(msg, "json: "))
	return diags
}

// plain turns a YAML tree into plain values.
func plain(n *schema.Node) any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case schema.Map:
		m := make(map[string]any, len(n.Pairs))
		for _, p := range n.Pairs {
			m[p.Key] = plain(p.Value)
		}
		return m
	case schema.List:
		l := make([]any, len(n.Items))
		for i, it := range n.Items {
			l[i] = plain(it)
		}
		return l
	case schema.String:
		return n.Value
	case schema.Number:
		return json.Number(n.Value)
	case schema.Bool:
		return n.Value == "true"
	}
	return nil
}
