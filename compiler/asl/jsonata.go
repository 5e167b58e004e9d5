package asl

import (
	"fmt"
	"strings"

	"github.com/xiatechs/jsonata-go/jparse"

	"github.com/stepform/stepform/schema"
)

// JSONata expressions are checked with xiatechs/jsonata-go's parser, a
// maintained fork of blues/jsonata-go. Its grammar is JSONata 1.x: it
// does not know the 2.x operators ?: and ?? nor the parent operator %, so
// an expression using them that it cannot parse is not reported (Step
// Functions runs JSONata 2.x).

func isJSONataString(n *schema.Node) bool {
	if n.Kind != schema.String {
		return false
	}
	t := strings.TrimSpace(n.Value)
	return strings.HasPrefix(t, "{%") || strings.HasSuffix(t, "%}")
}

// jsonataString checks a field that must be a "{% expression %}" string.
func (v *validator) jsonataString(n *schema.Node, field string) {
	if n.Kind != schema.String {
		if n.IsIntrinsic() {
			v.report(lint, n.Pos, field+" must be a JSONata expression", "Got an intrinsic function; asl-validator checks the definition before CloudFormation resolves it.")
			return
		}
		v.report(both, n.Pos, field+" must be a JSONata expression", "Got %s. Write \"{%% expression %%}\".", kindOf(n))
		return
	}
	t := strings.TrimSpace(n.Value)
	if !strings.HasPrefix(t, "{%") || !strings.HasSuffix(t, "%}") || len(t) < 4 {
		v.report(both, n.Pos, field+" must be a JSONata expression", "Got %q. Write \"{%% expression %%}\".", shorten(n.Value))
		return
	}
	expr := strings.TrimSuffix(strings.TrimPrefix(t, "{%"), "%}")
	if strings.TrimSpace(expr) == "" {
		v.report(both, n.Pos, "empty JSONata expression", "Write an expression between {%% and %%}.")
		return
	}
	if msg := jsonataError(expr); msg != "" {
		v.report(both, n.Pos, "invalid JSONata expression in "+field, "%s", msg)
		return
	}
	if !strings.HasPrefix(n.Value, "{% ") || !strings.HasSuffix(n.Value, " %}") || strings.ContainsAny(n.Value, "\n\r\u2028\u2029") {
		v.report(lint, n.Pos, "JSONata expression not in the form asl-validator accepts", "asl-validator wants \"{%% expression %%}\" on one line, with a space inside each delimiter.")
	}
}

// maxJSONataNesting bounds the bracket depth handed to the parser.
const maxJSONataNesting = 200

// nestingDepth is the deepest nesting of (), [] and {} in s.
func nestingDepth(s string) int {
	depth, deepest := 0, 0
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			depth++
			deepest = max(deepest, depth)
		case ')', ']', '}':
			depth--
		}
	}
	return deepest
}

// jsonataError parses expr and returns why it is invalid, or "".
func jsonataError(expr string) string {
	if nestingDepth(expr) > maxJSONataNesting {
		// The parser recurses per bracket; a pathological expression would
		// overflow the stack, which no recover can catch.
		return fmt.Sprintf("The expression nests brackets more than %d deep.", maxJSONataNesting)
	}
	_, err := jparse.Parse(expr)
	if err == nil {
		return ""
	}
	if strings.Contains(expr, "??") || strings.Contains(expr, "?:") || strings.Contains(expr, "%") {
		return ""
	}
	return fmt.Sprintf("%s.", err)
}

// maybeJSONata checks a string that is either a JSONata expression or a
// literal (asl-validator: a non-empty one-line string).
func (v *validator) maybeJSONata(n *schema.Node, field string, top bool) {
	if n.Kind != schema.String {
		if top {
			v.wantString(both, n, field)
		}
		return
	}
	if isJSONataString(n) {
		v.jsonataString(n, field)
		return
	}
	if n.Value == "" || strings.ContainsAny(n.Value, "\n\r\u2028\u2029") {
		v.report(lint, n.Pos, "empty or multi-line string in a JSONata state", "asl-validator rejects empty and multi-line strings in %s of a JSONata state.", field)
	}
}

// jsonataOutput checks Output or Arguments: an expression or an object.
func (v *validator) jsonataOutput(n *schema.Node, field string) {
	switch {
	case n.Kind == schema.String:
		v.jsonataString(n, field)
	case n.Kind == schema.Map:
		v.jsonataObject(n, field)
	default:
		v.report(lint, n.Pos, field+" must be a JSONata expression or an object", "Got %s.", kindOf(n))
	}
}

// jsonataObject checks an object whose strings may be JSONata
// expressions (Assign, Output, Arguments).
func (v *validator) jsonataObject(n *schema.Node, field string) {
	if n.Kind != schema.Map {
		v.report(both, n.Pos, field+" must be an object", "Got %s.", kindOf(n))
		return
	}
	for _, p := range n.Pairs {
		switch p.Value.Kind {
		case schema.String:
			v.maybeJSONata(p.Value, field, false)
		case schema.Map:
			v.jsonataObject(p.Value, field)
		case schema.List:
			for _, it := range p.Value.Items {
				v.jsonataTemplate(it, field)
			}
		}
	}
}

// jsonataTemplate checks a value that may be an object, a list of
// objects, a scalar or a string that may be an expression.
func (v *validator) jsonataTemplate(n *schema.Node, field string) {
	switch n.Kind {
	case schema.String:
		v.maybeJSONata(n, field, false)
	case schema.Map:
		v.jsonataObject(n, field)
	case schema.List:
		for _, it := range n.Items {
			if it.Kind != schema.Map {
				v.report(lint, it.Pos, "nested list item must be an object", "asl-validator accepts only objects in a list nested in %s of a JSONata state.", field)
				continue
			}
			v.jsonataObject(it, field)
		}
	}
}
