package graph

import (
	"encoding/json"
	"strings"

	"github.com/stepform/stepform/schema"
)

// comparisons maps a Choice comparison's name, without its String,
// Numeric, Boolean or Timestamp prefix and Path suffix, to its operator.
var comparisons = map[string]string{
	"Equals":            "==",
	"GreaterThan":       ">",
	"GreaterThanEquals": ">=",
	"LessThan":          "<",
	"LessThanEquals":    "<=",
}

// typeTests are the comparisons that test a variable's type or presence.
var typeTests = map[string]string{
	"IsNull":      "null",
	"IsPresent":   "present",
	"IsBoolean":   "a boolean",
	"IsNumeric":   "numeric",
	"IsString":    "a string",
	"IsTimestamp": "a timestamp",
}

// maxRuleDepth bounds how deep And/Or/Not are written out.
const maxRuleDepth = 20

// ruleText writes a Choice rule as a readable condition: `$.x == 1`,
// `And($.a > 1, Not($.b is null))`, or a JSONata Condition as written.
func ruleText(r *schema.Node, depth int) string {
	if r == nil || r.Kind != schema.Map {
		return "?"
	}
	if depth > maxRuleDepth {
		return "…"
	}
	if c := r.Get("Condition"); c != nil {
		return scalarText(c)
	}
	for _, combinator := range []string{"And", "Or"} {
		if list := r.Get(combinator); list != nil {
			var parts []string
			for _, it := range items(list) {
				parts = append(parts, ruleText(it, depth+1))
			}
			return combinator + "(" + strings.Join(parts, ", ") + ")"
		}
	}
	if not := r.Get("Not"); not != nil {
		return "Not(" + ruleText(not, depth+1) + ")"
	}
	variable := scalarText(r.Get("Variable"))
	for _, p := range r.Pairs {
		if test, ok := typeTests[p.Key]; ok {
			if p.Value.Kind == schema.Bool && p.Value.Value == "false" {
				return variable + " is not " + test
			}
			return variable + " is " + test
		}
		if p.Key == "StringMatches" {
			return variable + " matches " + valueText(p.Value)
		}
		name, isPath := strings.CutSuffix(p.Key, "Path")
		for _, kind := range []string{"String", "Numeric", "Boolean", "Timestamp"} {
			op, ok := strings.CutPrefix(name, kind)
			if !ok || comparisons[op] == "" {
				continue
			}
			operand := valueText(p.Value)
			if isPath {
				operand = scalarText(p.Value)
			} else if kind == "Timestamp" {
				operand = "timestamp " + operand
			}
			return variable + " " + comparisons[op] + " " + operand
		}
	}
	return variable + " ?"
}

// scalarText is a string as it is, anything else as JSON.
func scalarText(n *schema.Node) string {
	if n != nil && n.Kind == schema.String {
		return n.Value
	}
	return valueText(n)
}

// valueText writes a value as JSON (strings quoted).
func valueText(n *schema.Node) string {
	if n == nil {
		return "?"
	}
	switch n.Kind {
	case schema.Null, schema.Bool, schema.Number:
		if n.Kind == schema.Null {
			return "null"
		}
		return n.Value
	case schema.String:
		return quote(n.Value)
	}
	var b strings.Builder
	writeJSON(&b, n)
	return b.String()
}

// quote writes s as a JSON string, with <, > and & as they are.
func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

func writeJSON(b *strings.Builder, n *schema.Node) {
	switch n.Kind {
	case schema.Map:
		b.WriteByte('{')
		for i, p := range n.Pairs {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(quote(p.Key))
			b.WriteByte(':')
			writeJSON(b, p.Value)
		}
		b.WriteByte('}')
	case schema.List:
		b.WriteByte('[')
		for i, it := range n.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, it)
		}
		b.WriteByte(']')
	default:
		b.WriteString(valueText(n))
	}
}
