package inspect

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Show writes a template value as one line of text: strings as they are,
// intrinsics in CloudFormation's short form (!Ref X, !GetAtt X.Arn), a
// Fn::Sub as its template text, a Fn::Join as the joined text with its
// references as ${...}, anything else as compact JSON with sorted keys.
func Show(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number, bool, float64, int:
		return fmt.Sprint(x)
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				switch k {
				case "Ref":
					return "!Ref " + Show(arg)
				case "Fn::GetAtt":
					return "!GetAtt " + getAttText(arg)
				case "Fn::Sub":
					if l, ok := arg.([]any); ok && len(l) == 2 {
						return substitute(Show(l[0]), mapOf(l[1]))
					}
					return Show(arg)
				case "Fn::Join":
					if l, ok := arg.([]any); ok && len(l) == 2 {
						if parts, ok := l[1].([]any); ok {
							var b strings.Builder
							for i, p := range parts {
								if i > 0 {
									b.WriteString(Show(l[0]))
								}
								b.WriteString(joinPart(p))
							}
							return b.String()
						}
					}
				case "Fn::ImportValue":
					return "!ImportValue " + Show(arg)
				}
			}
		}
	}
	return compactJSON(v)
}

// substitute replaces the ${name} variables of a Fn::Sub template whose
// values vars gives, references written ${X} and ${X.Attr}.
func substitute(text string, vars map[string]any) string {
	for _, name := range sortedKeys(vars) {
		text = strings.ReplaceAll(text, "${"+name+"}", joinPart(vars[name]))
	}
	return text
}

// joinPart is a part of a Fn::Join: a reference as ${X}, as Fn::Sub would
// write it.
func joinPart(p any) string {
	if id := refTarget(p); id != "" {
		return "${" + id + "}"
	}
	if m, ok := p.(map[string]any); ok && len(m) == 1 && m["Fn::GetAtt"] != nil {
		return "${" + getAttText(m["Fn::GetAtt"]) + "}"
	}
	return Show(p)
}

func getAttText(arg any) string {
	if l, ok := arg.([]any); ok {
		parts := make([]string, len(l))
		for i, p := range l {
			parts[i] = Show(p)
		}
		return strings.Join(parts, ".")
	}
	return Show(arg)
}

// refTarget is X of {"Ref": "X"}, or "".
func refTarget(v any) string {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return ""
	}
	s, _ := m["Ref"].(string)
	return s
}

// getAttTarget is X of {"Fn::GetAtt": ["X", attr]} or "X.attr", or "".
func getAttTarget(v any) string {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return ""
	}
	switch a := m["Fn::GetAtt"].(type) {
	case []any:
		if len(a) > 0 {
			s, _ := a[0].(string)
			return s
		}
	case string:
		id, _, _ := strings.Cut(a, ".")
		return id
	}
	return ""
}

// references calls f with the logical ID of every Ref and Fn::GetAtt in v,
// in a fixed order.
func references(v any, f func(id string)) {
	switch x := v.(type) {
	case map[string]any:
		if id := refTarget(x); id != "" {
			f(id)
			return
		}
		if id := getAttTarget(x); id != "" {
			f(id)
			return
		}
		for _, k := range sortedKeys(x) {
			references(x[k], f)
		}
	case []any:
		for _, e := range x {
			references(e, f)
		}
	}
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

// stringsOf reads a string or a list of them.
func stringsOf(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	var out []string
	for _, e := range listOf(v) {
		out = append(out, Show(e))
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
