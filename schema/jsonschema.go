package schema

import (
	"bytes"
	"encoding/json"
)

// JSONSchemaDialect is the JSON Schema version JSONSchema writes.
const JSONSchemaDialect = "https://json-schema.org/draft/2020-12/schema"

// JSONSchema writes the spec tables (TopLevelSpec and everything under
// it) as a JSON Schema, for editors and the YAML language server. Where a
// value of another type is expected, a string holding a Serverless
// variable (${...}) is accepted too, since variables are resolved after
// the editor sees the file, and so is null, which stepform reads as an
// absent key.
func JSONSchema() []byte {
	g := &schemaWriter{defs: map[string]any{}}
	doc := g.body(TopLevelSpec())
	doc["description"] = TopLevelSpec().Description
	doc["$schema"] = JSONSchemaDialect
	doc["title"] = "serverless.yml for stepform"
	defs := map[string]any{
		"variable": map[string]any{
			"description": "A Serverless variable such as ${self:custom.x} or ${file(./x.yml)}, resolved when the service is loaded.",
			"type":        "string",
			"pattern":     `\$\{`,
		},
		"intrinsic": map[string]any{
			"description":   "A CloudFormation intrinsic function, such as Ref or Fn::GetAtt (!Ref, !GetAtt in YAML).",
			"type":          "object",
			"minProperties": 1,
			"maxProperties": 1,
			"propertyNames": map[string]any{"pattern": "^(Ref|Condition|Fn::[A-Za-z0-9]+)$"},
		},
		"arn": map[string]any{
			"description": "An ARN, or an intrinsic function that gives one.",
			"anyOf":       []any{map[string]any{"type": "string"}, map[string]any{"$ref": "#/$defs/intrinsic"}},
		},
	}
	for name, def := range g.defs {
		defs[name] = def
	}
	doc["$defs"] = defs
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		// Only strings, numbers, booleans, maps and slices of them.
		return nil
	}
	return b.Bytes()
}

// schemaWriter writes specs as JSON Schema; a spec with a Def name is
// written once under $defs and referenced.
type schemaWriter struct {
	defs map[string]any
}

// node is the schema of a value: its body (or a reference to it), which
// a Serverless variable or null may replace.
func (g *schemaWriter) node(s *Spec) map[string]any {
	out := g.bodyOrRef(s)
	switch {
	case isAny(s):
	case !acceptsAnyString(s):
		// A key left empty (null) counts as absent.
		out = map[string]any{"anyOf": []any{out, map[string]any{"$ref": "#/$defs/variable"}, map[string]any{"type": "null"}}}
	default:
		out = map[string]any{"anyOf": []any{out, map[string]any{"type": "null"}}}
	}
	if s.Description != "" {
		out["description"] = s.Description
	}
	return out
}

// bodyOrRef is the body of a spec, or for a named spec a reference to
// it, written under $defs once.
func (g *schemaWriter) bodyOrRef(s *Spec) map[string]any {
	if s.Def == "" {
		return g.body(s)
	}
	if _, done := g.defs[s.Def]; !done {
		g.defs[s.Def] = nil // a spec that contains itself refers to itself
		g.defs[s.Def] = g.body(s)
	}
	return map[string]any{"$ref": "#/$defs/" + s.Def}
}

// body is the schema of the value itself.
func (g *schemaWriter) body(s *Spec) map[string]any {
	out := map[string]any{}
	if s.Ref != "" {
		out["$ref"] = "#/$defs/" + s.Ref
	}
	switch len(s.Types) {
	case 0:
	case 1:
		out["type"] = s.Types[0]
	default:
		out["type"] = s.Types
	}
	if len(s.Enum) > 0 {
		out["enum"] = s.Enum
	}
	if s.Pattern != "" {
		out["pattern"] = s.Pattern
	}
	if len(s.Keys) > 0 {
		props := map[string]any{}
		for _, k := range s.Keys {
			props[k.Name] = g.node(k.Spec)
		}
		out["properties"] = props
	}
	if hasType(s, "object") {
		switch {
		case s.Values != nil:
			out["additionalProperties"] = g.node(s.Values)
		case !s.Open:
			out["additionalProperties"] = false
		}
	}
	if s.Items != nil {
		out["items"] = g.node(s.Items)
	}
	if len(s.AnyOf) > 0 {
		var alts []any
		for _, alt := range s.AnyOf {
			alts = append(alts, g.bodyOrRef(alt))
		}
		out["anyOf"] = alts
	}
	return out
}

// acceptsAnyString reports whether every string is a valid value.
func acceptsAnyString(s *Spec) bool {
	if s.Ref == "arn" || (hasType(s, "string") && len(s.Enum) == 0 && s.Pattern == "") {
		return true
	}
	for _, alt := range s.AnyOf {
		if acceptsAnyString(alt) {
			return true
		}
	}
	return false
}

// isAny reports a spec that takes every value.
func isAny(s *Spec) bool {
	return len(s.Types) == 0 && len(s.Enum) == 0 && len(s.AnyOf) == 0 && s.Ref == "" && s.Pattern == ""
}

func hasType(s *Spec, t string) bool {
	for _, x := range s.Types {
		if x == t {
			return true
		}
	}
	return false
}
