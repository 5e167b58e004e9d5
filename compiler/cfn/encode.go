package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// keyOrder lists, per kind of object, the keys that come first and in
// which order; the rest follow sorted by byte value.
var keyOrder = map[string][]string{
	"template": {"AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules",
		"Mappings", "Conditions", "Transform", "Resources", "Outputs"},
	"resource": {"Type", "Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy",
		"CreationPolicy", "UpdatePolicy", "Metadata", "Properties"},
	"output": {"Description", "Condition", "Value", "Export"},
}

// orderedKeys returns m's keys in output order for an object of the kind.
func orderedKeys(m map[string]any, kind string) []string {
	keys := make([]string, 0, len(m))
	first := keyOrder[kind]
	for k := range m {
		if !containsKey(first, k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []string
	for _, k := range first {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	return append(out, keys...)
}

func containsKey(list []string, k string) bool {
	for _, x := range list {
		if x == k {
			return true
		}
	}
	return false
}

// childKind says what kind of object the value under key is, given the
// parent's kind: entries of Resources are resources, and so on.
func childKind(parent, key string) string {
	switch parent {
	case "template":
		switch key {
		case "Resources":
			return "resources"
		case "Outputs":
			return "outputs"
		}
	case "resources":
		return "resource"
	case "outputs":
		return "output"
	}
	return ""
}

// JSON renders a template document as JSON with two-space indentation and
// a final newline. Strings are escaped as JavaScript's JSON.stringify
// escapes them: only quotes, backslashes and control characters.
func JSON(doc map[string]any) []byte {
	var buf bytes.Buffer
	writeJSON(&buf, doc, "template", "")
	buf.WriteByte('\n')
	return buf.Bytes()
}

func writeJSON(buf *bytes.Buffer, v any, kind, indent string) {
	switch x := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		fmt.Fprint(buf, x)
	case json.Number:
		buf.WriteString(x.String())
	case string:
		writeJSONString(buf, x)
	case []any:
		if len(x) == 0 {
			buf.WriteString("[]")
			return
		}
		buf.WriteString("[\n")
		inner := indent + "  "
		for i, e := range x {
			buf.WriteString(inner)
			writeJSON(buf, e, "", inner)
			if i < len(x)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "]")
	case map[string]any:
		if len(x) == 0 {
			buf.WriteString("{}")
			return
		}
		buf.WriteString("{\n")
		inner := indent + "  "
		keys := orderedKeys(x, kind)
		for i, k := range keys {
			buf.WriteString(inner)
			writeJSONString(buf, k)
			buf.WriteString(": ")
			writeJSON(buf, x[k], childKind(kind, k), inner)
			if i < len(keys)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "}")
	default:
		panic(fmt.Sprintf("cfn: unexpected %T in template", v))
	}
}

// writeJSONString writes s as JSON.stringify would, after replacing
// invalid UTF-8 so that the output is always valid UTF-8.
func writeJSONString(buf *bytes.Buffer, s string) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	buf.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			buf.WriteString(`\"`)
		case c == '\\':
			buf.WriteString(`\\`)
		case c == '\n':
			buf.WriteString(`\n`)
		case c == '\r':
			buf.WriteString(`\r`)
		case c == '\t':
			buf.WriteString(`\t`)
		case c == '\b':
			buf.WriteString(`\b`)
		case c == '\f':
			buf.WriteString(`\f`)
		case c < 0x20:
			fmt.Fprintf(buf, `\u%04x`, c)
		default:
			buf.WriteByte(c)
		}
	}
	buf.WriteByte('"')
}

// YAML renders a template document as YAML with two-space indentation,
// long-form intrinsic functions, and multi-line strings as literal blocks.
func YAML(doc map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(yamlNode(doc, "template")); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func yamlNode(v any, kind string) *yaml.Node {
	switch x := v.(type) {
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(x)}
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(x.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: x.String()}
	case string:
		if !utf8.ValidString(x) {
			x = strings.ToValidUTF8(x, "\uFFFD")
		}
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: x}
		switch {
		// A literal block cannot start with a line break or spaces without
		// an indentation indicator, which readers then get wrong.
		case strings.Contains(x, "\n") && !strings.ContainsAny(x, "\r\t") && !hasTrailingSpace(x) &&
			!strings.HasPrefix(x, "\n") && !strings.HasPrefix(x, " "):
			n.Style = yaml.LiteralStyle
		case strings.Contains(x, "\n"):
			n.Style = yaml.DoubleQuotedStyle
		case yaml11Bools[x]:
			// YAML 1.1 readers (CloudFormation's among them) take these for booleans.
			n.Style = yaml.DoubleQuotedStyle
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range x {
			n.Content = append(n.Content, yamlNode(e, ""))
		}
		if len(x) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range orderedKeys(x, kind) {
			n.Content = append(n.Content,
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k},
				yamlNode(x[k], childKind(kind, k)))
		}
		if len(x) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n
	}
	panic(fmt.Sprintf("cfn: unexpected %T in template", v))
}

var yaml11Bools = map[string]bool{}

func init() {
	for _, w := range []string{"y", "yes", "n", "no", "on", "off"} {
		yaml11Bools[w] = true
		yaml11Bools[strings.ToUpper(w)] = true
		yaml11Bools[strings.ToUpper(w[:1])+w[1:]] = true
	}
}

func hasTrailingSpace(s string) bool {
	for _, line := range strings.Split(s, "\n") {
		if strings.HasSuffix(line, " ") {
			return true
		}
	}
	return false
}
