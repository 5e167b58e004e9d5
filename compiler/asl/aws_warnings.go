package asl

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/schema"
)

// Step Functions' ValidateStateMachineDefinition API answers with warnings
// besides errors: definitions it accepts but that most likely do not do
// what was meant. Its documented warning codes can all be decided from the
// definition alone, so stepform reports them offline, at their YAML
// positions, with the code at the start of the summary:
//
//   - NO_DOLLAR: a payload-template field (Parameters, ResultSelector,
//     ItemSelector, Assign, Credentials, ...) whose value looks like a
//     path or an intrinsic function, but whose key lacks .$: the text is
//     passed on literally.
//   - NO_PATH: a field that has a Path variant (Error, Cause, the String
//     comparisons of a Choice rule) holds a path: it is compared or used
//     as literal text.
//   - PASS_RESULT_IS_STATIC: a Pass state's Result uses a path: Result is
//     output as written.
//
// JSONata states get the limits Step Functions documents for its JSONata
// (the 2.0.6 language): no $eval, and none of JSONata 2.1's ?? and ?:
// operators. The API has no code of its own for these.

// awsWarnings walks def as Validate does and reports the warnings above.
func (v *validator) awsWarnings(def *schema.Node) {
	v.awsMachine(def)
}

func (v *validator) awsMachine(n *schema.Node) {
	if n == nil || n.Kind != schema.Map || n.IsIntrinsic() {
		return
	}
	states := n.Get("States")
	if states == nil || states.Kind != schema.Map {
		return
	}
	for _, p := range states.Pairs {
		v.awsState(p.Key, p.Value)
	}
}

func (v *validator) awsState(name string, st *schema.Node) {
	if st.Kind != schema.Map {
		return
	}
	lang := v.defaultLang
	if ql := st.Get("QueryLanguage"); ql != nil && ql.Kind == schema.String && ql.Value != "" {
		lang = ql.Value
	}
	typ := stringValue(st.Get("Type"))
	if lang == "JSONata" {
		for _, p := range st.Pairs {
			if p.Key != "Branches" && p.Key != "ItemProcessor" && p.Key != "Iterator" {
				v.jsonataLimits(p.Value)
			}
		}
	} else {
		for _, field := range []string{"Parameters", "ResultSelector", "ItemSelector", "Assign", "Credentials"} {
			v.noDollar(st.Get(field), field)
		}
		if r := st.Get("ItemReader"); r != nil && r.Kind == schema.Map {
			v.noDollar(r.Get("Parameters"), "ItemReader.Parameters")
		}
		if w := st.Get("ResultWriter"); w != nil && w.Kind == schema.Map {
			v.noDollar(w.Get("Parameters"), "ResultWriter.Parameters")
		}
		if b := st.Get("ItemBatcher"); b != nil && b.Kind == schema.Map {
			v.noDollar(b.Get("BatchInput"), "ItemBatcher.BatchInput")
		}
		if c := st.Get("Catch"); c != nil && c.Kind == schema.List {
			for _, catcher := range c.Items {
				if catcher.Kind == schema.Map {
					v.noDollar(catcher.Get("Assign"), "Assign")
				}
			}
		}
		switch typ {
		case "Pass":
			if r := st.Get("Result"); r != nil {
				v.passResultIsStatic(name, r)
			}
		case "Fail":
			for _, field := range []string{"Error", "Cause"} {
				v.noPath(st.Get(field), field)
			}
		case "Choice":
			if c := st.Get("Choices"); c != nil && c.Kind == schema.List {
				for _, rule := range c.Items {
					v.noPathInRule(rule)
					if rule.Kind == schema.Map {
						v.noDollar(rule.Get("Assign"), "Assign")
					}
				}
			}
		}
	}
	if b := st.Get("Branches"); b != nil && b.Kind == schema.List {
		for _, branch := range b.Items {
			v.awsMachine(branch)
		}
	}
	v.awsMachine(st.Get("ItemProcessor"))
	v.awsMachine(st.Get("Iterator"))
}

// looksLikePath reports whether a literal string would be read as a path
// or an intrinsic function call if its key ended in .$: $, $.x, $$.x,
// $[0], States.Format(...), and valid as such. $name (a variable, or text
// such as $USD) is left alone.
func looksLikePath(s string) bool {
	switch {
	case s == "$" || s == "$$":
	case strings.HasPrefix(s, "$.") || strings.HasPrefix(s, "$$.") || strings.HasPrefix(s, "$[") || strings.HasPrefix(s, "$$["):
	case strings.HasPrefix(s, "States.") && strings.HasSuffix(s, ")"):
		if _, known := intrinsics[s[:max(strings.IndexByte(s, '('), 0)]]; !known {
			return false
		}
	default:
		return false
	}
	msg, _ := checkPath(s, payloadKind)
	return msg == ""
}

// noDollar reports the fields of a payload template whose literal value
// looks like a path.
func (v *validator) noDollar(n *schema.Node, field string) {
	if n == nil || n.IsIntrinsic() {
		return
	}
	switch n.Kind {
	case schema.List:
		for _, it := range n.Items {
			if it.Kind == schema.Map {
				v.noDollar(it, field)
			}
		}
	case schema.Map:
		for _, p := range n.Pairs {
			if strings.HasSuffix(p.Key, ".$") {
				continue
			}
			val := p.Value
			if val.Kind == schema.String && looksLikePath(val.Value) {
				v.report(advice, p.KeyPos, fmt.Sprintf("NO_DOLLAR: %s field %q holds a path but has no .$", field, p.Key),
					"Step Functions passes %q on as literal text (ValidateStateMachineDefinition warns NO_DOLLAR). Name the field %q to read the value, or keep it if the text is meant.",
					shorten(val.Value), p.Key+".$")
				continue
			}
			v.noDollar(val, field)
		}
	}
}

// noPath reports a field with a Path variant whose literal value looks
// like a path.
func (v *validator) noPath(n *schema.Node, field string) {
	if n == nil || n.Kind != schema.String || !looksLikePath(n.Value) {
		return
	}
	v.report(advice, n.Pos, fmt.Sprintf("NO_PATH: %s holds a path but is not %sPath", field, field),
		"Step Functions uses %q as literal text (ValidateStateMachineDefinition warns NO_PATH). Write %sPath: %q to use the value it points at.",
		shorten(n.Value), field, n.Value)
}

// stringComparisons are the Choice operators that take a literal string
// and have a Path variant.
var stringComparisons = []string{"StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals"}

func (v *validator) noPathInRule(r *schema.Node) {
	if r == nil || r.Kind != schema.Map {
		return
	}
	for _, p := range r.Pairs {
		switch {
		case contains(stringComparisons, p.Key):
			v.noPath(p.Value, p.Key)
		case p.Key == "Not":
			v.noPathInRule(p.Value)
		case p.Key == "And" || p.Key == "Or":
			if p.Value.Kind == schema.List {
				for _, it := range p.Value.Items {
					v.noPathInRule(it)
				}
			}
		}
	}
}

// passResultIsStatic reports keys ending in .$ in a Pass state's Result,
// and a Result that is itself a path.
func (v *validator) passResultIsStatic(state string, n *schema.Node) {
	if n.Kind == schema.String && looksLikePath(n.Value) {
		v.report(advice, n.Pos, fmt.Sprintf("PASS_RESULT_IS_STATIC: Result of Pass state %q is a path", state),
			"Result is output as written, so %q stays text (ValidateStateMachineDefinition warns PASS_RESULT_IS_STATIC). Use Parameters with a key ending in .$, or OutputPath, to pass on part of the input.",
			shorten(n.Value))
		return
	}
	var walk func(n *schema.Node)
	walk = func(n *schema.Node) {
		switch n.Kind {
		case schema.List:
			for _, it := range n.Items {
				walk(it)
			}
		case schema.Map:
			if n.IsIntrinsic() {
				return
			}
			for _, p := range n.Pairs {
				if strings.HasSuffix(p.Key, ".$") {
					v.report(advice, p.KeyPos, fmt.Sprintf("PASS_RESULT_IS_STATIC: Result of Pass state %q uses a path", state),
						"Result is output as written: the key keeps its .$ and its value is not evaluated (ValidateStateMachineDefinition warns PASS_RESULT_IS_STATIC). Move it to Parameters to build the output from the input.")
					continue
				}
				walk(p.Value)
			}
		}
	}
	walk(n)
}

// jsonataLimits reports, in every JSONata expression of n, what Step
// Functions' JSONata does not have.
func (v *validator) jsonataLimits(n *schema.Node) {
	switch n.Kind {
	case schema.String:
		if !isJSONataString(n) {
			return
		}
		expr := strings.TrimSpace(n.Value)
		expr = strings.TrimSuffix(strings.TrimPrefix(expr, "{%"), "%}")
		code := jsonataCode(expr)
		if containsCall(code, "$eval") {
			v.report(advice, n.Pos, "$eval is not available in Step Functions' JSONata",
				"Step Functions implements JSONata 2.0.6 without $eval; the state fails when it runs. Use $parse to turn a JSON string into a value.")
		}
		for _, op := range []string{"??", "?:"} {
			if strings.Contains(code, op) {
				v.report(advice, n.Pos, fmt.Sprintf("JSONata operator %s is not available in Step Functions", op),
					"Step Functions implements JSONata 2.0.6; %s came with JSONata 2.1. Write $exists(a) ? a : b instead.", op)
			}
		}
	case schema.List:
		for _, it := range n.Items {
			v.jsonataLimits(it)
		}
	case schema.Map:
		for _, p := range n.Pairs {
			v.jsonataLimits(p.Value)
		}
	}
}

// jsonataCode blanks out the string literals and comments of a JSONata
// expression, so that what remains is code.
func jsonataCode(expr string) string {
	b := []byte(expr)
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '"' || b[i] == '\'' || b[i] == '`':
			quote := b[i]
			for i++; i < len(b) && b[i] != quote; i++ {
				if b[i] == '\\' && i+1 < len(b) {
					b[i] = ' '
					i++
				}
				b[i] = ' '
			}
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '*':
			for ; i < len(b) && !(b[i] == '*' && i+1 < len(b) && b[i+1] == '/'); i++ {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

// containsCall reports whether code calls the function name.
func containsCall(code, name string) bool {
	for i := 0; ; {
		j := strings.Index(code[i:], name)
		if j < 0 {
			return false
		}
		end := i + j + len(name)
		rest := strings.TrimLeft(code[end:], " \t\r\n")
		nextIsName := end < len(code) && (isNameByte(code[end]))
		if !nextIsName && strings.HasPrefix(rest, "(") {
			return true
		}
		i = end
	}
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
