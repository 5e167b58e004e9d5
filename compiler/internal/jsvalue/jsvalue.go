package jsvalue

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/stepform/stepform/schema"
)

// Pairs returns a map node's pairs in the order JavaScript enumerates an
// object's keys: integer-like keys first in ascending order, then the rest
// in insertion order. The plugin iterates objects, and JSON.stringify
// writes them, in this order.
func Pairs(n *schema.Node) []schema.Pair { return schema.JSOrderedPairs(n) }

// Stringify is JSON.stringify(n, undefined, indent) ("" for compact). A
// nil node, anywhere in n, is written as null.
func Stringify(n *schema.Node, indent string) string {
	var b strings.Builder
	// Sized up front, the text is allocated once instead of at every
	// doubling: definitions run to kilobytes, one per state machine.
	size := textSize(n, len(indent), 0)
	b.Grow(size + size/16)
	writeJS(&b, n, indent, "")
	return b.String()
}

// WriteCompact writes JSON.stringify(n) to b, as Stringify(n, "") does.
func WriteCompact(b *strings.Builder, n *schema.Node) { writeJS(b, n, "", "") }

// textSize is the length of writeJS's text for n at depth, escapes left
// out.
func textSize(n *schema.Node, indent, depth int) int {
	if n == nil {
		return 4
	}
	switch n.Kind {
	case schema.String:
		return len(n.Value) + 2
	case schema.List:
		size := 2 + depth*indent
		for _, it := range n.Items {
			size += 2 + (depth+1)*indent + textSize(it, indent, depth+1)
		}
		return size
	case schema.Map:
		size := 2 + depth*indent
		for _, p := range n.Pairs {
			size += 6 + (depth+1)*indent + len(p.Key) + textSize(p.Value, indent, depth+1)
		}
		return size
	}
	return len(n.Value) + 4
}

func writeJS(b *strings.Builder, n *schema.Node, indent, cur string) {
	if n == nil {
		b.WriteString("null")
		return
	}
	switch n.Kind {
	case schema.Null:
		b.WriteString("null")
	case schema.Bool:
		b.WriteString(n.Value)
	case schema.Number:
		if math.IsNaN(n.Num) || math.IsInf(n.Num, 0) {
			b.WriteString("null") // as JSON.stringify writes them
		} else {
			b.WriteString(n.Value)
		}
	case schema.String:
		WriteQuoted(b, n.Value)
	case schema.List:
		if len(n.Items) == 0 {
			b.WriteString("[]")
			return
		}
		inner := cur + indent
		b.WriteByte('[')
		for i, it := range n.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			if indent != "" {
				b.WriteByte('\n')
				b.WriteString(inner)
			}
			writeJS(b, it, indent, inner)
		}
		if indent != "" {
			b.WriteByte('\n')
			b.WriteString(cur)
		}
		b.WriteByte(']')
	case schema.Map:
		if len(n.Pairs) == 0 {
			b.WriteString("{}")
			return
		}
		inner := cur + indent
		b.WriteByte('{')
		for i, p := range Pairs(n) {
			if i > 0 {
				b.WriteByte(',')
			}
			if indent != "" {
				b.WriteByte('\n')
				b.WriteString(inner)
			}
			WriteQuoted(b, p.Key)
			b.WriteByte(':')
			if indent != "" {
				b.WriteByte(' ')
			}
			writeJS(b, p.Value, indent, inner)
		}
		if indent != "" {
			b.WriteByte('\n')
			b.WriteString(cur)
		}
		b.WriteByte('}')
	}
}

// WriteQuoted quotes s as JSON.stringify does: only the quote, the
// backslash and control characters are escaped.
func WriteQuoted(b *strings.Builder, s string) {
	if !utf8.ValidString(s) {
		writeQuotedRunes(b, s)
		return
	}
	// Valid UTF-8 is written as it is, but for the escapes, which are
	// all ASCII.
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b.WriteString(s[start:i])
		start = i + 1
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xF])
		}
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

const hexDigits = "0123456789abcdef"

// writeQuotedRunes is WriteQuoted rune by rune, which writes each byte of
// invalid UTF-8 as U+FFFD.
func writeQuotedRunes(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteString(hex.EncodeToString([]byte{byte(r)}))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// MD5Hex is the hex MD5 of s.
func MD5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Plain converts a node into a template value.
func Plain(n *schema.Node) any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case schema.Bool:
		return n.Value == "true"
	case schema.Number:
		return json.Number(n.Value)
	case schema.String:
		return n.Value
	case schema.List:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = Plain(it)
		}
		return out
	case schema.Map:
		out := make(map[string]any, len(n.Pairs))
		for _, p := range n.Pairs {
			out[p.Key] = Plain(p.Value)
		}
		return out
	}
	return nil
}

// String is String(v) in JavaScript, for values that end up in a string.
func String(n *schema.Node) string {
	if n == nil {
		return "undefined"
	}
	switch n.Kind {
	case schema.Null:
		return "null"
	case schema.Map:
		return "[object Object]"
	case schema.List:
		parts := make([]string, len(n.Items))
		for i, it := range n.Items {
			if it.Kind != schema.Null {
				parts[i] = String(it)
			}
		}
		return strings.Join(parts, ",")
	}
	return n.Value
}
