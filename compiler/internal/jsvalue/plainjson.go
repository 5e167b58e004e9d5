package jsvalue

import (
	"encoding/json"
	"fmt"
)

// Flatten is v itself when it is a list, else the list of v.
func Flatten(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// CompactJSON encodes v compactly with sorted keys; equal values give
// equal bytes, which is all grouping needs.
func CompactJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(fmt.Sprint(v))
	}
	return b
}

// IsType reports whether v is a resource (plain values) of type typ.
func IsType(v any, typ string) bool {
	m, ok := v.(map[string]any)
	return ok && m["Type"] == typ
}
