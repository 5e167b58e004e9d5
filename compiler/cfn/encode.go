package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
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
	entries := appendOrderedEntries(nil, m, kind)
	keys := make([]string, len(entries))
	for i, en := range entries {
		keys[i] = en.key
	}
	return keys
}

// entry is one key of an object being written, with its value.
type entry struct {
	key   string
	value any
}

// appendOrderedEntries appends m's entries to entries in output order for
// an object of the kind: keyOrder's keys for the kind first, the rest
// sorted by byte value. The values come along, so that they are not
// looked up again.
func appendOrderedEntries(entries []entry, m map[string]any, kind string) []entry {
	// Room for all at once: a template's Resources alone are thousands.
	entries = slices.Grow(entries, len(m))
	first := keyOrder[kind]
	for _, k := range first {
		if v, ok := m[k]; ok {
			entries = append(entries, entry{k, v})
		}
	}
	rest := len(entries)
	for k, v := range m {
		if len(first) == 0 || !containsKey(first, k) {
			entries = append(entries, entry{k, v})
		}
	}
	sortEntries(entries[rest:])
	return entries
}

// sortEntries sorts entries by key: most objects are small, which an
// insertion sort comparing keys directly sorts fastest.
func sortEntries(entries []entry) {
	if len(entries) > 12 {
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
		return
	}
	for i := 1; i < len(entries); i++ {
		for j := i; j > 0 && entries[j].key < entries[j-1].key; j-- {
			entries[j], entries[j-1] = entries[j-1], entries[j]
		}
	}
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
	return encodeJSON(doc, false, nil).Bytes()
}

// ResourceVisitor sees a template's resources while JSONFinishing writes
// them, so that checks need no pass of their own.
type ResourceVisitor interface {
	// Resource is called before the resource id, an object, is written.
	Resource(id string, resource map[string]any)
	// Intrinsic is called for every object with one key in the
	// Properties of the resource last passed to Resource, after its
	// nulls are stripped.
	Intrinsic(key string, arg any)
}

// JSONFinishing is JSON's text, in the pieces it was written in, after
// each resource is finished as the framework finalises a template: null
// properties are deleted from doc (objects below a list in a list keep
// theirs), and so is a Properties that is no object. With consume, each
// resource is deleted from doc's Resources once written, so that a large
// template's values can be collected while its text grows. visit, if not
// nil, sees the resources as they are written.
func JSONFinishing(doc map[string]any, consume bool, visit ResourceVisitor) Text {
	return encodeJSON(doc, consume, &finisher{visit: visit})
}

func encodeJSON(doc map[string]any, consume bool, finish *finisher) Text {
	// The first piece starts small: a small template should not pay for
	// clearing a whole chunk.
	e := jsonEncoder{buf: make([]byte, 0, jsonFirstPiece), consume: consume, finish: finish}
	e.value(doc, "template", 0)
	e.buf = append(e.buf, '\n')
	return append(e.chunks, e.buf)
}

// Text is an encoded template in pieces: a large template is written
// out piece by piece, never copied into one slice.
type Text [][]byte

// Len is the text's size in bytes.
func (t Text) Len() int {
	n := 0
	for _, p := range t {
		n += len(p)
	}
	return n
}

// Bytes returns the text as one slice; it copies only a text in several
// pieces.
func (t Text) Bytes() []byte {
	switch len(t) {
	case 0:
		return nil
	case 1:
		return t[0]
	}
	// bytes.Join does not clear the memory it fills.
	return bytes.Join(t, nil)
}

// WriteTo writes the text to w.
func (t Text) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for _, p := range t {
		k, err := w.Write(p)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// The kinds of the values inside a resource's Properties while
// finishing: stripped objects lose their null entries; kept ones, below
// a list in a list, do not.
const (
	kindStripped = "\x00stripped"
	kindKept     = "\x00kept"
)

// finisher is JSONFinishing's state.
type finisher struct {
	visit ResourceVisitor
}

// resource finishes a resource before it is written.
func (f *finisher) resource(id string, r map[string]any) {
	if _, ok := r["Properties"].(map[string]any); !ok {
		delete(r, "Properties")
	}
	if f.visit != nil {
		f.visit.Resource(id, r)
	}
}

// object finishes an object inside Properties whose entries are
// entries[start:], returning the entries left.
func (f *finisher) object(x map[string]any, kind string, entries []entry, start int) []entry {
	if kind == kindStripped {
		kept := start
		for _, en := range entries[start:] {
			if en.value == nil {
				delete(x, en.key)
				continue
			}
			entries[kept] = en
			kept++
		}
		clear(entries[kept:])
		entries = entries[:kept]
	}
	if f.visit != nil && len(entries)-start == 1 {
		f.visit.Intrinsic(entries[start].key, entries[start].value)
	}
	return entries
}

// itemKind is the kind of an item of a list of the given kind.
func itemKind(kind string, item any) string {
	switch kind {
	case kindStripped:
		if _, isObject := item.(map[string]any); isObject {
			return kindStripped
		}
		return kindKept
	case kindKept:
		return kindKept
	}
	return ""
}

// jsonChunk is the size of the pieces a large document is written in:
// growing one buffer to the document's size would copy it many times.
const jsonChunk = 1 << 20

// jsonFirstPiece is the first piece's starting capacity.
const jsonFirstPiece = 16 << 10

// jsonEncoder appends a document to buf in one pass, moving buf to chunks
// when it fills. entries is a stack of the entries of the objects being
// written, shared to save allocations.
type jsonEncoder struct {
	buf     []byte
	chunks  [][]byte
	entries []entry
	strings stringCache
	// consume says to delete each resource from Resources once written.
	consume bool
	// finish, if not nil, finishes the resources (JSONFinishing).
	finish *finisher
}

// spill moves a nearly full buf to chunks. Pieces double in size up to
// jsonChunk, so that the first piece is never regrown and copied.
func (e *jsonEncoder) spill() {
	if len(e.buf) >= min(cap(e.buf), jsonChunk)-4<<10 {
		e.chunks = append(e.chunks, e.buf)
		e.buf = make([]byte, 0, min(2*cap(e.buf), jsonChunk))
	}
}

const indentSpaces = "                                                                "

func (e *jsonEncoder) indent(depth int) {
	for n := depth * 2; n > 0; {
		k := min(n, len(indentSpaces))
		e.buf = append(e.buf, indentSpaces[:k]...)
		n -= k
	}
}

func (e *jsonEncoder) value(v any, kind string, depth int) {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case bool:
		e.buf = strconv.AppendBool(e.buf, x)
	case json.Number:
		if nonFinite(x) {
			e.buf = append(e.buf, "null"...)
		} else {
			e.buf = append(e.buf, x...)
		}
	case string:
		e.buf = e.strings.appendString(e.buf, x, appendJSString)
	case []any:
		if len(x) == 0 {
			e.buf = append(e.buf, "[]"...)
			return
		}
		e.buf = append(e.buf, "[\n"...)
		for i, item := range x {
			e.indent(depth + 1)
			e.value(item, itemKind(kind, item), depth+1)
			if i < len(x)-1 {
				e.buf = append(e.buf, ',')
			}
			e.buf = append(e.buf, '\n')
			e.spill()
		}
		e.indent(depth)
		e.buf = append(e.buf, ']')
	case map[string]any:
		start := len(e.entries)
		e.entries = appendOrderedEntries(e.entries, x, kind)
		if e.finish != nil && (kind == kindStripped || kind == kindKept) {
			e.entries = e.finish.object(x, kind, e.entries, start)
		}
		if len(e.entries) == start {
			e.buf = append(e.buf, "{}"...)
			return
		}
		e.buf = append(e.buf, "{\n"...)
		for i := start; i < len(e.entries); i++ {
			// e.entries may move while the value is written; index it
			// afresh.
			k, v := e.entries[i].key, e.entries[i].value
			e.indent(depth + 1)
			e.buf = appendJSString(e.buf, k)
			e.buf = append(e.buf, ": "...)
			child := childKind(kind, k)
			if e.finish != nil {
				switch kind {
				case "resources":
					if r, ok := v.(map[string]any); ok {
						e.finish.resource(k, r)
					}
				case "resource":
					if k == "Properties" {
						child = kindStripped
					}
				case kindStripped, kindKept:
					child = kind
				}
			}
			e.value(v, child, depth+1)
			if e.consume && kind == "resources" {
				delete(x, k)
				e.entries[i].value = nil
			}
			if i < len(e.entries)-1 {
				e.buf = append(e.buf, ',')
			}
			e.buf = append(e.buf, '\n')
			e.spill()
		}
		clear(e.entries[start:])
		e.entries = e.entries[:start]
		e.indent(depth)
		e.buf = append(e.buf, '}')
	default:
		panic(fmt.Sprintf("cfn: unexpected %T in template", v))
	}
}

// appendJSString appends s as JSON.stringify would, after replacing
// invalid UTF-8 so that the output is always valid UTF-8.
func appendJSString(buf []byte, s string) []byte {
	begin := len(buf)
	buf = append(buf, '"')
	start, high := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			high = high || c >= utf8.RuneSelf
			continue
		}
		buf = append(buf, s[start:i]...)
		start = i + 1
		switch c {
		case '"':
			buf = append(buf, '\\', '"')
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\f':
			buf = append(buf, '\\', 'f')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
	}
	if high && !utf8.ValidString(s) {
		// Replacing the invalid bytes adds nothing that needs escaping.
		return appendJSString(buf[:begin], strings.ToValidUTF8(s, "\uFFFD"))
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

const hexDigits = "0123456789abcdef"

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

// nonFinite reports whether n is NaN or ±Infinity, as a node's number
// text carries them: JSON.stringify, which writes the framework's
// template, writes them as null.
func nonFinite(n json.Number) bool {
	return n == "NaN" || n == "Infinity" || n == "-Infinity"
}

func yamlNode(v any, kind string) *yaml.Node {
	switch x := v.(type) {
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(x)}
	case json.Number:
		if nonFinite(x) {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
		}
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

// stringCache holds the escaped form of long strings a document repeats,
// such as the mapping templates every endpoint of a kind shares: a lookup
// is cheaper than escaping them again byte by byte.
type stringCache struct {
	seen    map[string]bool
	escaped map[string][]byte
}

// minCachedString is the length from which strings are cached.
const minCachedString = 256

// appendString appends s escaped by escape, from the cache when s is long
// and was written before.
func (c *stringCache) appendString(buf []byte, s string, escape func([]byte, string) []byte) []byte {
	if len(s) < minCachedString {
		return escape(buf, s)
	}
	if e, ok := c.escaped[s]; ok {
		return append(buf, e...)
	}
	if !c.seen[s] {
		// Most long strings occur once; cache only those seen again.
		if c.seen == nil {
			c.seen = map[string]bool{}
		}
		c.seen[s] = true
		return escape(buf, s)
	}
	start := len(buf)
	buf = escape(buf, s)
	if c.escaped == nil {
		c.escaped = map[string][]byte{}
	}
	c.escaped[s] = append([]byte(nil), buf[start:]...)
	return buf
}
