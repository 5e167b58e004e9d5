package jsvalue

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// Describe names a value in a diagnostic: a quoted string, or its kind.
func Describe(n *schema.Node) string {
	if n.Kind == schema.String {
		if n.Value == "" {
			return "an empty string"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return KindPhrase(n)
}

// Obj builds an ordered map node from key, value pairs. A value is a
// *schema.Node, a string or an int; a nil node is skipped, as JavaScript
// drops undefined properties.
func Obj(kv ...any) *schema.Node {
	n := &schema.Node{Kind: schema.Map}
	for i := 0; i+1 < len(kv); i += 2 {
		v := Val(kv[i+1])
		if v == nil {
			continue
		}
		n.Pairs = append(n.Pairs, schema.Pair{Key: kv[i].(string), Value: v})
	}
	return n
}

// Arr builds a list node.
func Arr(items ...any) *schema.Node {
	n := &schema.Node{Kind: schema.List, Items: []*schema.Node{}}
	for _, it := range items {
		n.Items = append(n.Items, Val(it))
	}
	return n
}

// Val is a node for a value Obj and Arr take: a *schema.Node as it is, a
// string, an int or a bool as a scalar node; nil for anything else.
func Val(v any) *schema.Node {
	switch x := v.(type) {
	case *schema.Node:
		return x
	case string:
		return schema.NewString(x, diag.Pos{})
	case int:
		return schema.NewNumber(float64(x), diag.Pos{})
	case bool:
		return schema.NewBool(x, diag.Pos{})
	}
	return nil
}

// Ref is {Ref: id}.
func Ref(id string) *schema.Node { return Obj("Ref", id) }

// GetAtt is {Fn::GetAtt: [id, attr]}.
func GetAtt(id, attr string) *schema.Node { return Obj("Fn::GetAtt", Arr(id, attr)) }

// ParseJSONText is JSON.parse for the plugin's text templates: one JSON
// value and nothing after it.
func ParseJSONText(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected text after the JSON value")
	}
	return v, nil
}

// EscapeQuotes is the plugin's s.replace(/"/g, '\\"').
func EscapeQuotes(s string) string { return strings.ReplaceAll(s, `"`, `\"`) }

// IsObject is JavaScript's `v && typeof v === 'object'`.
func IsObject(n *schema.Node) bool {
	return n != nil && (n.Kind == schema.Map || n.Kind == schema.List)
}

// PosOf returns the position of n, or of fallback when n is nil.
func PosOf(n *schema.Node, fallback diag.Pos) diag.Pos {
	if n != nil && n.Pos.IsValid() {
		return n.Pos
	}
	return fallback
}

// KindPhrase is "an object", "a list", "a string"...: the kind of n in a
// diagnostic.
func KindPhrase(n *schema.Node) string {
	if n.Kind == schema.Map {
		return "an object"
	}
	return fmt.Sprintf("a %s", n.Kind)
}
