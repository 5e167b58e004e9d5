package cfn

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// toPlain converts a typed value into the plain values that encoding/json
// would write for it and Unmarshal would read back, without the round
// trip: structs follow their json tags, goformation resources get their
// Type, Properties and attributes, numbers become json.Number, and
// Str-encoded strings turn back into the values they hold. The plain
// values v holds (a Raw resource's maps; the interface fields of roles,
// state machines and outputs) are converted in place and become part of
// the result; the result shares nothing else with v, and no value twice.
// Types it does not know how to mirror (custom marshalers, embedded
// structs, non-string map keys) go through encoding/json, so the result
// is always what the round trip gives.
func toPlain(v any) (any, error) {
	return toPlainApart(v, map[unsafe.Pointer]bool{})
}

// toPlainApart is toPlain for one of several values that must share
// nothing with each other either: seen holds the objects and arrays the
// results hold so far.
func toPlainApart(v any, seen map[unsafe.Pointer]bool) (any, error) {
	switch x := v.(type) {
	case Raw:
		if x == nil {
			return nil, nil
		}
		return adopt(map[string]any(x), seen)
	case *StateMachine:
		if x == nil {
			return nil, nil
		}
		return x.plain(seen)
	case *Role:
		if x == nil {
			return nil, nil
		}
		return plainRole(x, seen)
	case Output:
		return plainOutput(x, seen)
	}
	return plainValue(reflect.ValueOf(v))
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	numberType    = reflect.TypeFor[json.Number]()
)

// plainAny is plainValue with the plain types taken without reflection.
func plainAny(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return plainString(x), nil
	case bool:
		return x, nil
	case json.Number:
		return plainNumber(string(x))
	case map[string]any:
		if x == nil {
			return nil, nil
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			p, err := plainAny(e)
			if err != nil {
				return nil, err
			}
			out[validUTF8(k)] = p
		}
		return out, nil
	case []any:
		if x == nil {
			return nil, nil
		}
		out := make([]any, len(x))
		for i, e := range x {
			p, err := plainAny(e)
			if err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	}
	return plainValue(reflect.ValueOf(v))
}

// adopt is plainAny for values the template owns (a Raw resource's): it
// converts them in place, and copies only what it meets a second time,
// so that the result still shares nothing.
func adopt(v any, seen map[unsafe.Pointer]bool) (any, error) {
	out, _, err := adoptValue(v, seen)
	return out, err
}

// adoptValue is adopt that also says whether the result replaces v; an
// object or array converted in place is v itself, so that its holder
// need not store it again.
func adoptValue(v any, seen map[unsafe.Pointer]bool) (out any, replaced bool, err error) {
	switch x := v.(type) {
	case map[string]any:
		if x == nil {
			return nil, true, nil
		}
		if !firstSight(seen, reflect.ValueOf(x).UnsafePointer()) {
			out, err = plainAny(x)
			return out, true, err
		}
		var rekey []string
		for k, e := range x {
			if !utf8.ValidString(k) {
				rekey = append(rekey, k)
			}
			if isFinal(e) {
				continue
			}
			p, replaced, err := adoptValue(e, seen)
			if err != nil {
				return nil, true, err
			}
			if replaced {
				x[k] = p
			}
		}
		for _, k := range rekey {
			e := x[k]
			delete(x, k)
			x[validUTF8(k)] = e
		}
		return v, false, nil
	case []any:
		if x == nil {
			return nil, true, nil
		}
		if len(x) > 0 && !firstSight(seen, unsafe.Pointer(unsafe.SliceData(x))) {
			out, err = plainAny(x)
			return out, true, err
		}
		for i, e := range x {
			if isFinal(e) {
				continue
			}
			p, replaced, err := adoptValue(e, seen)
			if err != nil {
				return nil, true, err
			}
			if replaced {
				x[i] = p
			}
		}
		return v, false, nil
	}
	out, err = plainAny(v)
	return out, true, err
}

// firstSight adds p to seen and reports whether it was new, with one
// lookup: seen grows by one exactly when p was not in it.
func firstSight(seen map[unsafe.Pointer]bool, p unsafe.Pointer) bool {
	n := len(seen)
	seen[p] = true
	return len(seen) > n
}

// isFinal reports whether v is a plain scalar that converts to itself, to
// spare rewriting it.
func isFinal(v any) bool {
	switch x := v.(type) {
	case nil, bool:
		return true
	case string:
		return !strings.HasPrefix(x, marker) && utf8.ValidString(x)
	case json.Number:
		return x != "" && isValidNumber(string(x))
	}
	return false
}

func plainValue(v reflect.Value) (any, error) {
	if !v.IsValid() {
		return nil, nil
	}
	t := v.Type()
	switch {
	case t == numberType:
		return plainNumber(v.String())
	case t.Kind() == reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return plainAny(v.Elem().Interface())
	case t.Kind() == reflect.Pointer:
		// encoding/json writes a nil pointer as null, marshaler or not.
		if v.IsNil() {
			return nil, nil
		}
		if isResource(t.Elem()) {
			return plainResource(v.Elem())
		}
		if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
			return viaJSON(v.Interface())
		}
		return plainValue(v.Elem())
	case isResource(t):
		return plainResource(v)
	case t.Implements(jsonMarshaler) || t.Implements(textMarshaler):
		return viaJSON(v.Interface())
	case v.CanAddr() && (reflect.PointerTo(t).Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(textMarshaler)):
		return viaJSON(v.Addr().Interface())
	}
	switch t.Kind() {
	case reflect.String:
		return plainString(v.String()), nil
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return json.Number(strconv.FormatInt(v.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return json.Number(strconv.FormatUint(v.Uint(), 10)), nil
	case reflect.Float32, reflect.Float64:
		return plainFloat(v.Float(), t.Bits())
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return viaJSON(v.Interface())
		}
		if v.IsNil() {
			return nil, nil
		}
		return plainMap(v)
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return viaJSON(v.Interface())
		}
		return plainList(v)
	case reflect.Array:
		return plainList(v)
	case reflect.Struct:
		return plainStruct(v)
	}
	return viaJSON(v.Interface())
}

func plainMap(v reflect.Value) (any, error) {
	out := make(map[string]any, v.Len())
	iter := v.MapRange()
	for iter.Next() {
		e, err := plainValue(iter.Value())
		if err != nil {
			return nil, err
		}
		out[validUTF8(iter.Key().String())] = e
	}
	return out, nil
}

func plainList(v reflect.Value) (any, error) {
	out := make([]any, v.Len())
	for i := range out {
		e, err := plainValue(v.Index(i))
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// plainString is a string as the round trip returns it: a Str encoding
// becomes its value.
func plainString(s string) any {
	if d, ok := decodeStr(s); ok {
		return expand(d)
	}
	return validUTF8(s)
}

// validUTF8 replaces each byte of invalid UTF-8 with U+FFFD, as
// encoding/json does.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// plainNumber checks a json.Number as encoding/json does (an empty one
// is 0).
func plainNumber(n string) (any, error) {
	if n == "" {
		return json.Number("0"), nil
	}
	if nonFinite(json.Number(n)) {
		// A YAML .nan or .inf: kept as a number, as JavaScript keeps it,
		// until the encoders write it as null.
		return json.Number(n), nil
	}
	if !isValidNumber(n) {
		return nil, fmt.Errorf("json: invalid number literal %q", n)
	}
	return json.Number(n), nil
}

// isValidNumber is JSON's number grammar.
func isValidNumber(s string) bool {
	digits := func(s string) string {
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
		return s
	}
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	switch {
	case s == "":
		return false
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = digits(s[1:])
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && '0' <= s[1] && s[1] <= '9' {
		s = digits(s[2:])
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			s = s[1:]
			if s == "" {
				return false
			}
		}
		s = digits(s)
	}
	return s == ""
}

// plainFloat formats f as encoding/json does.
func plainFloat(f float64, bits int) (any, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, bits))
	}
	b, err := json.Marshal(f)
	if bits == 32 {
		b, err = json.Marshal(float32(f))
	}
	if err != nil {
		return nil, err
	}
	return json.Number(b), nil
}

// viaJSON is the round trip itself, for the types toPlain does not mirror.
func viaJSON(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out, err := Unmarshal(raw)
	if err != nil {
		return nil, err
	}
	return expand(out), nil
}

// field is a struct field as encoding/json sees it.
type field struct {
	index     int
	name      string
	omitEmpty bool
}

// structInfo is how a struct type converts: its fields, or mirror false
// when encoding/json must do it (embedded structs, ",string" options).
type structInfo struct {
	fields []field
	mirror bool
	// attributes are a goformation resource's AWSCloudFormation* fields,
	// named by the resource attribute they set.
	attributes []field
	// resource is true for goformation resource types.
	resource bool
}

var structInfos sync.Map // reflect.Type → *structInfo

func infoOf(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{mirror: true}
	// Property types have the same fields, but no MarshalJSON.
	if reflect.PointerTo(t).Implements(resourceType) && t.Implements(jsonMarshaler) && strings.HasPrefix(t.PkgPath(), "github.com/awslabs/goformation/") {
		_, si.resource = t.FieldByName("AWSCloudFormationDependsOn")
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			si.mirror = false
			break
		}
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			if attr, ok := strings.CutPrefix(f.Name, "AWSCloudFormation"); ok {
				si.attributes = append(si.attributes, field{index: i, name: attr, omitEmpty: true})
			}
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		fd := field{index: i, name: name}
		for opts != "" {
			var opt string
			opt, opts, _ = strings.Cut(opts, ",")
			switch opt {
			case "omitempty":
				fd.omitEmpty = true
			case "":
			default:
				si.mirror = false
			}
		}
		si.fields = append(si.fields, fd)
	}
	structInfos.Store(t, si)
	return si
}

// isResource reports whether t is a goformation resource type, whose
// MarshalJSON wraps its fields in Type and Properties.
func isResource(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && infoOf(t).resource
}

var resourceType = reflect.TypeFor[Resource]()

func plainStruct(v reflect.Value) (any, error) {
	si := infoOf(v.Type())
	if !si.mirror {
		return viaJSON(v.Interface())
	}
	out := make(map[string]any, len(si.fields))
	for _, f := range si.fields {
		fv := v.Field(f.index)
		if f.omitEmpty && isEmpty(fv) {
			continue
		}
		e, err := plainValue(fv)
		if err != nil {
			return nil, err
		}
		out[f.name] = e
	}
	return out, nil
}

// plainResource is what goformation's MarshalJSON of a resource writes:
// Type, Properties (every field but the attributes), and the attributes
// that are set.
func plainResource(v reflect.Value) (any, error) {
	si := infoOf(v.Type())
	if !si.mirror {
		return viaJSON(v.Interface())
	}
	props, err := plainStruct(v)
	if err != nil {
		return nil, err
	}
	addr := v
	if !v.CanAddr() {
		addr = reflect.New(v.Type()).Elem()
		addr.Set(v)
	}
	out := map[string]any{
		"Type":       addr.Addr().Interface().(Resource).AWSCloudFormationType(),
		"Properties": props,
	}
	for _, a := range si.attributes {
		fv := v.Field(a.index)
		if isEmpty(fv) {
			continue
		}
		e, err := plainValue(fv)
		if err != nil {
			return nil, err
		}
		out[a.name] = e
	}
	return out, nil
}

// isEmpty is encoding/json's test for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
