package events

import (
	"iter"
	"sort"
	"strings"

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
		return mergeByIndex(d, s, mergeJS)
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

// stringifyJS is JSON.stringify of v: compact, keys in insertion order
// (array-index keys first, as JavaScript enumerates them).
// Its only unordered objects (template maps) are intrinsics, whose one
// key needs no order.
func stringifyJS(v any) string {
	var b strings.Builder
	lambda.WriteJSON(&b, v, sort.Strings)
	return b.String()
}

// Fields yields the object's keys and values in insertion order.
func (o jsObject) Fields() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		for _, f := range o {
			if !yield(f.key, f.value) {
				return
			}
		}
	}
}
