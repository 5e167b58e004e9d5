package diff

import (
	"bytes"
	"encoding/json"
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
	var n *schema.Node
	var d diag.List
	if strings.EqualFold(filepath.Ext(file), ".json") || bytes.HasPrefix(trimmed, []byte("{")) {
		n, d = schema.ParseJSON(file, data)
	} else {
		n, d = schema.ParseYAML(file, data)
	}
	diags.Append(d)
	if d.HasErrors() {
		return nil, diags
	}
	doc := plain(n)
	m, ok := doc.(map[string]any)
	if !ok {
		diags.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "not a template", "A CloudFormation template is an object with Resources.")
		return nil, diags
	}
	return m, diags
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
