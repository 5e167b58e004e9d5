package cfn

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// Ref returns {"Ref": id}.
func Ref(id string) map[string]any { return map[string]any{"Ref": id} }

// GetAtt returns {"Fn::GetAtt": [id, attr]}.
func GetAtt(id, attr string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{id, attr}}
}

// Sub returns {"Fn::Sub": s}.
func Sub(s string) map[string]any { return map[string]any{"Fn::Sub": s} }

// SubVars returns {"Fn::Sub": [s, vars]}.
func SubVars(s string, vars map[string]any) map[string]any {
	return map[string]any{"Fn::Sub": []any{s, vars}}
}

// marker starts a string that Str encoded; no template text starts so.
const marker = "\x00cfn:"

// Str returns v for a goformation string field: v itself when it is a
// string, otherwise an encoding of v that Render turns back into v.
func Str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return marker + base64.StdEncoding.EncodeToString(marshal(v))
}

// StrPtr is Str for optional (*string) fields.
func StrPtr(v any) *string {
	s := Str(v)
	return &s
}

// decodeStr reverses Str; ok is false for an ordinary string.
func decodeStr(s string) (any, bool) {
	if !strings.HasPrefix(s, marker) {
		return nil, false
	}
	raw, err := base64.StdEncoding.DecodeString(s[len(marker):])
	if err != nil {
		return nil, false
	}
	v, err := Unmarshal(raw)
	if err != nil {
		return nil, false
	}
	return v, true
}

// marshal encodes v as compact JSON without HTML escaping.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Values here are built by the compiler from JSON values; a failure
		// is a programming error that tests catch.
		panic("cfn: cannot encode value: " + err.Error())
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// Unmarshal decodes JSON into plain values, keeping numbers as json.Number.
func Unmarshal(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
