package events

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/compiler/lambda"
	"github.com/stepform/stepform/schema"
)

// jsObject is a JavaScript object whose keys keep their insertion order,
// for resources whose JSON text the framework hashes into a logical ID.
// Values are jsObject, []any, strings, booleans, json.Number, template
// maps with one key (intrinsics) and *schema.Node (values as written).
type jsObject []jsField

type jsField struct {
	key   string
	value any
}

// set replaces the key's value in place, or appends the key.
func (o *jsObject) set(key string, v any) {
	for i := range *o {
		if (*o)[i].key == key {
			(*o)[i].value = v
			return
		}
	}
	*o = append(*o, jsField{key, v})
}

func (o jsObject) get(key string) any {
	for _, f := range o {
		if f.key == key {
			return f.value
		}
	}
	return nil
}

// mergeJS is lodash's _.merge on ordered objects: existing keys keep
// their place, arrays merge index by index.
func mergeJS(dst, src any) any {
	switch s := src.(type) {
	case jsObject:
		d, ok := dst.(jsObject)
		if !ok {
			return s
		}
		for _, f := range s {
			d.set(f.key, mergeJS(d.get(f.key), f.value))
		}
		return d
	case []any:
		d, ok := dst.([]any)
		if !ok {
			return s
		}
		for i, v := range s {
			if i < len(d) {
				d[i] = mergeJS(d[i], v)
			} else {
				d = append(d, v)
			}
		}
		return d
	}
	return src
}

// plain turns ordered objects and nodes into template values.
func plain(v any) any {
	switch x := v.(type) {
	case jsObject:
		m := make(map[string]any, len(x))
		for _, f := range x {
			m[f.key] = plain(f.value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = plain(e)
		}
		return m
	case *schema.Node:
		return value(x)
	}
	return v
}

// stringifyJS is JSON.stringify of v: compact, keys in insertion order.
func stringifyJS(v any) string {
	var b strings.Builder
	writeJS(&b, v)
	return b.String()
}

func writeJS(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case jsObject:
		b.WriteByte('{')
		for i, f := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			jsvalue.WriteQuoted(b, f.key)
			b.WriteByte(':')
			writeJS(b, f.value)
		}
		b.WriteByte('}')
	case map[string]any:
		// Only intrinsics, whose one key has no order.
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			jsvalue.WriteQuoted(b, k)
			b.WriteByte(':')
			writeJS(b, x[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJS(b, e)
		}
		b.WriteByte(']')
	case string:
		jsvalue.WriteQuoted(b, x)
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case json.Number:
		b.WriteString(string(x))
	case *schema.Node:
		b.WriteString(lambda.Stringify(x))
	default:
		raw, _ := json.Marshal(x)
		b.Write(raw)
	}
}
