package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// stateMachineDetails compares two state machine resources: the
// definition state by state when both can be read, every other property
// as paths.
func stateMachineDetails(or, nr map[string]any) []string {
	var out []string
	oldDef, oldOK := definitionOf(propsOf(or))
	newDef, newOK := definitionOf(propsOf(nr))
	if !oldOK || !newOK || typeOf(or) != "AWS::StepFunctions::StateMachine" {
		diffValue("", withoutType(or), withoutType(nr), &out)
		return out
	}
	diffValue("", withoutDefinition(or), withoutDefinition(nr), &out)
	if lines := definitionDiff(oldDef, newDef); len(lines) > 0 {
		out = append(out, "~ definition:")
		for _, l := range lines {
			out = append(out, "    "+l)
		}
	}
	return out
}

func withoutDefinition(r map[string]any) map[string]any {
	out := withoutType(r)
	if props := propsOf(r); props != nil {
		copied := map[string]any{}
		for k, v := range props {
			if k != "DefinitionString" && k != "Definition" {
				copied[k] = v
			}
		}
		out["Properties"] = copied
	}
	return out
}

// definitionOf reads a machine's definition: the Definition object, or
// DefinitionString as JSON text, a Fn::Sub of it, or a Fn::Sub with
// variables, whose ${name} placeholders are put back as the values they
// stand for. ok is false when it cannot be read (for example Fn::Join).
func definitionOf(props map[string]any) (def map[string]any, ok bool) {
	if d, isMap := props["Definition"].(map[string]any); isMap {
		return d, true
	}
	var text string
	vars := map[string]any{}
	switch v := props["DefinitionString"].(type) {
	case string:
		text = v
	case map[string]any:
		name, arg, isIntrinsic := intrinsic(v)
		if !isIntrinsic || name != "Sub" {
			return nil, false
		}
		switch a := arg.(type) {
		case string:
			text = a
		case []any:
			if len(a) != 2 {
				return nil, false
			}
			s, isString := a[0].(string)
			m, isMap := a[1].(map[string]any)
			if !isString || !isMap {
				return nil, false
			}
			text, vars = s, m
		default:
			return nil, false
		}
		text = undoPlaceholders(text, vars)
	default:
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	var parsed any
	if err := dec.Decode(&parsed); err != nil {
		return nil, false
	}
	d, isMap := parsed.(map[string]any)
	return d, isMap
}

// undoPlaceholders puts the Fn::Sub variables back into a definition's
// JSON text: "${name}" (a whole string) and an unquoted ${name} (a Wait
// state's Seconds) become the variable's value as JSON; ${name} inside a
// longer string becomes the value's text (a string as it is, an
// intrinsic in short form). ${AWS::Region} and other names that are not
// variables, and ${!literal}, are left as they are.
func undoPlaceholders(text string, vars map[string]any) string {
	var b strings.Builder
	inString := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\\' && inString && i+1 < len(text) {
			b.WriteByte(c)
			b.WriteByte(text[i+1])
			i++
			continue
		}
		if c == '"' {
			// A whole-string placeholder: "${name}".
			if !inString && strings.HasPrefix(text[i+1:], "${") {
				if end := strings.Index(text[i+3:], "}"); end >= 0 && i+3+end+1 < len(text) && text[i+3+end+1] == '"' {
					if v, ok := vars[text[i+3:i+3+end]]; ok {
						b.WriteString(toJSON(v))
						i = i + 3 + end + 1
						continue
					}
				}
			}
			inString = !inString
			b.WriteByte(c)
			continue
		}
		if c == '$' && strings.HasPrefix(text[i:], "${") {
			if end := strings.Index(text[i+2:], "}"); end >= 0 {
				if v, ok := vars[text[i+2:i+2+end]]; ok {
					switch {
					case !inString:
						b.WriteString(toJSON(v))
					default:
						s, isString := v.(string)
						if !isString {
							s = "${" + render(v) + "}"
						}
						q := quote(s)
						b.WriteString(q[1 : len(q)-1])
					}
					i = i + 2 + end
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// definitionDiff compares two definitions: their top-level fields, then
// their states (nested ones under their Parallel or Map state's name).
func definitionDiff(a, b map[string]any) []string {
	var out []string
	diffValue("", withoutKey(a, "States"), withoutKey(b, "States"), &out)
	oldStates, newStates := map[string]state{}, map[string]state{}
	collectStates(a, "", oldStates)
	collectStates(b, "", newStates)
	for _, name := range sortedKeysOfBoth(oldStates, newStates) {
		os, inOld := oldStates[name]
		ns, inNew := newStates[name]
		switch {
		case !inOld:
			out = append(out, fmt.Sprintf("+ state %s (%s)", quoteName(name), ns.typ))
		case !inNew:
			out = append(out, fmt.Sprintf("- state %s (%s)", quoteName(name), os.typ))
		case !equal(os.body, ns.body):
			out = append(out, fmt.Sprintf("~ state %s (%s)", quoteName(name), ns.typ))
			var lines []string
			diffValue("", os.body, ns.body, &lines)
			for _, l := range lines {
				out = append(out, "    "+l)
			}
		}
	}
	return out
}

// quoteName writes a state name as it is unless it needs quotes to be
// read: spaces at its ends, or characters used in this output.
func quoteName(name string) string {
	if name == "" || strings.TrimSpace(name) != name || strings.ContainsAny(name, "\"()\n") {
		return quote(name)
	}
	return name
}

type state struct {
	typ  string
	body map[string]any
}

// collectStates records each state of def under its path: its name, or
// "Parent/branch N/Name" and "Parent/Name" inside a Parallel branch or a
// Map. A Parallel or Map state's body leaves out the nested States.
func collectStates(def map[string]any, prefix string, out map[string]state) {
	states, _ := def["States"].(map[string]any)
	for name, v := range states {
		body, ok := v.(map[string]any)
		if !ok {
			out[prefix+name] = state{typ: "?", body: map[string]any{"": v}}
			continue
		}
		typ, _ := body["Type"].(string)
		copied := map[string]any{}
		for k, v := range body {
			copied[k] = v
		}
		if branches, ok := body["Branches"].([]any); ok {
			var outer []any
			for i, br := range branches {
				if bm, ok := br.(map[string]any); ok {
					collectStates(bm, fmt.Sprintf("%s%s/branch %d/", prefix, name, i+1), out)
					outer = append(outer, withoutKey(bm, "States"))
				} else {
					outer = append(outer, br)
				}
			}
			copied["Branches"] = outer
		}
		for _, field := range []string{"ItemProcessor", "Iterator"} {
			if p, ok := body[field].(map[string]any); ok {
				collectStates(p, prefix+name+"/", out)
				copied[field] = withoutKey(p, "States")
			}
		}
		out[prefix+name] = state{typ: typ, body: copied}
	}
}

func withoutKey(m map[string]any, key string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}
