package lambda

import (
	"encoding/json"
	"iter"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

// Value turns a Node into plain template values (numbers as json.Number).
func Value(n *schema.Node) any { return jsvalue.Plain(n) }

// value is jsvalue.Plain under the short name this package's emitters use.
func value(n *schema.Node) any { return jsvalue.Plain(n) }

// sortedJSON is JSON.stringify of the framework's deepSortObjectByKey:
// compact, object keys ordered by JavaScript's localeCompare, arrays in
// their order. The sorted objects still enumerate array-index keys first,
// and so does their text.
func sortedJSON(v any) string {
	var b strings.Builder
	writeSorted(&b, v)
	return b.String()
}

// writeSorted writes v as sortedJSON does.
func writeSorted(b *strings.Builder, v any) { WriteJSON(b, v, localeSort) }

// localeSort sorts keys by JavaScript's localeCompare.
func localeSort(keys []string) {
	sort.Slice(keys, func(i, j int) bool { return localeLess(keys[i], keys[j]) })
}

// OrderedObject is an object whose keys keep an order of their own (a
// JavaScript object's insertion order): WriteJSON writes them in it.
type OrderedObject interface {
	Fields() iter.Seq2[string, any]
}

// WriteJSON writes JSON.stringify(v), compact, for template values: nil,
// booleans, numbers (json.Number, float64), strings, []any,
// map[string]any (its keys in the order sortKeys puts them), OrderedObject,
// and *schema.Node as jsvalue.Stringify writes it; any other value as
// encoding/json writes it. As in JavaScript, an object's array-index keys
// come first, ascending, and NaN and ±Infinity are null.
func WriteJSON(b *strings.Builder, v any, sortKeys func(keys []string)) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b.WriteString("null")
		} else {
			b.WriteString(schema.FormatNumber(x))
		}
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case json.Number:
		switch x {
		case "NaN", "Infinity", "-Infinity": // as Plain carries them
			b.WriteString("null")
		default:
			b.WriteString(string(x))
		}
	case string:
		jsvalue.WriteQuoted(b, x)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			WriteJSON(b, e, sortKeys)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sortKeys(keys)
		b.WriteByte('{')
		for i, k := range indexKeysFirst(keys) {
			if i > 0 {
				b.WriteByte(',')
			}
			jsvalue.WriteQuoted(b, k)
			b.WriteByte(':')
			WriteJSON(b, x[k], sortKeys)
		}
		b.WriteByte('}')
	case OrderedObject:
		var keys []string
		values := map[string]any{}
		for k, e := range x.Fields() {
			keys = append(keys, k)
			values[k] = e
		}
		b.WriteByte('{')
		for i, k := range indexKeysFirst(keys) {
			if i > 0 {
				b.WriteByte(',')
			}
			jsvalue.WriteQuoted(b, k)
			b.WriteByte(':')
			WriteJSON(b, values[k], sortKeys)
		}
		b.WriteByte('}')
	case *schema.Node:
		jsvalue.WriteCompact(b, x)
	default:
		raw, _ := json.Marshal(x)
		b.Write(raw)
	}
}

// indexKeysFirst is the order JavaScript enumerates an object with these
// keys, inserted in this order: array-index keys ("0" to "4294967294")
// first, ascending, then the rest in their order.
func indexKeysFirst(keys []string) []string {
	if !slices.ContainsFunc(keys, schema.IsArrayIndexKey) {
		return keys
	}
	ordered := make([]string, 0, len(keys))
	for _, k := range keys {
		if schema.IsArrayIndexKey(k) {
			ordered = append(ordered, k)
		}
	}
	// Without leading zeros, a shorter index is a smaller one.
	sort.SliceStable(ordered, func(i, j int) bool {
		a, b := ordered[i], ordered[j]
		return len(a) < len(b) || len(a) == len(b) && a < b
	})
	for _, k := range keys {
		if !schema.IsArrayIndexKey(k) {
			ordered = append(ordered, k)
		}
	}
	return ordered
}

// asciiCollation is the CLDR root collation's primary order of the
// printable ASCII characters that are not letters or digits, which
// JavaScript's localeCompare uses (alternate shifted is off, so
// punctuation counts).
const asciiCollation = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789"

// primary returns a character's primary weight and, for letters, whether
// it is upper case (the tertiary difference).
func primary(r rune) (int, bool) {
	switch {
	case r >= 'a' && r <= 'z':
		return 1000 + int(r-'a')*2, false
	case r >= 'A' && r <= 'Z':
		return 1000 + int(r-'A')*2, true
	case r < 0x80:
		if i := strings.IndexRune(asciiCollation, r); i >= 0 {
			return 100 + i, false
		}
		return int(r), false // control characters sort first
	}
	return 2000 + int(r), false // beyond ASCII: code point order after letters
}

// localeLess orders strings as String.prototype.localeCompare does in
// Node's ICU root locale, for the ASCII keys templates have: first by
// primary weights (punctuation, digits, letters without case), then the
// first case difference puts lower case first.
func localeLess(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	for i := 0; i < len(ra) && i < len(rb); i++ {
		pa, _ := primary(ra[i])
		pb, _ := primary(rb[i])
		if pa != pb {
			return pa < pb
		}
	}
	if len(ra) != len(rb) {
		return len(ra) < len(rb)
	}
	for i := range ra {
		_, ua := primary(ra[i])
		_, ub := primary(rb[i])
		if ua != ub {
			return !ua
		}
	}
	return a < b
}

// unionWith is lodash's _.unionWith(list, [item], _.isEqual): the list's
// distinct values in order, then item unless it is already there.
func unionWith(list []any, item any) []any {
	var out []any
	for _, v := range append(list, item) {
		dup := false
		for _, o := range out {
			if reflect.DeepEqual(o, v) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}
