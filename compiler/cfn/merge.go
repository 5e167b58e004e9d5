package cfn

// Merge deep-merges src into dst the way lodash's _.merge does, which is
// how the framework and the plugin combine template fragments: objects
// merge key by key, arrays merge index by index, and any other src value
// replaces dst's. It returns the merged value; dst may be modified.
func Merge(dst, src any) any {
	switch s := src.(type) {
	case map[string]any:
		d, ok := dst.(map[string]any)
		if !ok {
			d = map[string]any{}
		}
		for k, v := range s {
			d[k] = Merge(d[k], v)
		}
		return d
	case []any:
		d, ok := dst.([]any)
		if !ok {
			d = nil
		}
		for i, v := range s {
			if i < len(d) {
				d[i] = Merge(d[i], v)
			} else {
				d = append(d, Merge(nil, v))
			}
		}
		if d == nil {
			d = []any{}
		}
		return d
	}
	return src
}

// Own is Merge(nil, v) without the copy, for a v that becomes a
// resource: it returns v with the nil objects and arrays that Merge would
// write as empty ones replaced in place. v's values become the
// resource's, so the caller must give each resource values of its own
// (TestTemplatesShareNoValues), and merge into one through a Clone.
func Own(v map[string]any) map[string]any {
	if v == nil {
		return map[string]any{}
	}
	ownEntries(v)
	return v
}

// ownEntries is Own for the objects and arrays inside v.
func ownEntries(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if empty, isNil := emptyForNil(e); isNil {
				x[k] = empty
			} else {
				ownEntries(e)
			}
		}
	case []any:
		for i, e := range x {
			if empty, isNil := emptyForNil(e); isNil {
				x[i] = empty
			} else {
				ownEntries(e)
			}
		}
	}
}

// emptyForNil returns the empty value Merge gives for a nil object or
// array.
func emptyForNil(v any) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		if x == nil {
			return map[string]any{}, true
		}
	case []any:
		if x == nil {
			return []any{}, true
		}
	}
	return nil, false
}

// MergeOwned is Merge for a src that nothing uses afterwards: where dst
// has nothing to merge with, src's objects and arrays become part of the
// result as they are instead of being copied.
func MergeOwned(dst, src any) any {
	switch s := src.(type) {
	case map[string]any:
		d, ok := dst.(map[string]any)
		if !ok {
			if s == nil {
				return map[string]any{}
			}
			return s
		}
		for k, v := range s {
			d[k] = MergeOwned(d[k], v)
		}
		return d
	case []any:
		d, ok := dst.([]any)
		if !ok {
			if s == nil {
				return []any{}
			}
			return s
		}
		for i, v := range s {
			if i < len(d) {
				d[i] = MergeOwned(d[i], v)
			} else {
				d = append(d, v)
			}
		}
		if d == nil {
			d = []any{}
		}
		return d
	}
	return src
}

// Clone returns a deep copy of a plain value.
func Clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(x))
		for k, e := range x {
			c[k] = Clone(e)
		}
		return c
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = Clone(e)
		}
		return c
	}
	return v
}
