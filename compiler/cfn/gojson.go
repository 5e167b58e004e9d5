package cfn

import (
	"encoding/json"
	"io"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// WriteGoJSON writes to w exactly what json.Marshal(v) returns, without
// building it whole: for hashing large values. Plain values are written
// here; any other type goes through encoding/json.
func WriteGoJSON(w io.Writer, v any) error {
	// The buffer grows to the flush size only for a large value: most
	// values hashed are small.
	e := goJSONEncoder{w: w, buf: make([]byte, 0, 2<<10)}
	if err := e.value(v); err != nil {
		return err
	}
	_, err := w.Write(e.buf)
	return err
}

// WriteGoJSONAdopting writes what json.Marshal returns for the object
// whose keys are keys (distinct) and whose values value returns, without
// building it, for values that become a template's resources: in the
// same walk it adopts each value as Doc would (see adopt) and gives the
// result to set, so that a large template's values are walked once for
// both (see Template.SetAdoptedResource). The text is that of the values
// as they were: the changes adopting makes are applied once all is
// written, and not at all on an error.
func WriteGoJSONAdopting(w io.Writer, keys []string, value func(key string) any, set func(key string, v any)) error {
	e := goJSONEncoder{w: w, buf: make([]byte, 0, 2<<10)}
	seen := map[unsafe.Pointer]bool{}
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	adopted := make([]any, len(sorted))
	var changes []adoptChange
	e.buf = append(e.buf, '{')
	for i, k := range sorted {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendGoString(e.buf, k)
		e.buf = append(e.buf, ':')
		clear(seen)
		v, _, err := e.adopting(value(k), seen, &changes)
		if err != nil {
			return err
		}
		adopted[i] = v
	}
	e.buf = append(e.buf, '}')
	if _, err := w.Write(e.buf); err != nil {
		return err
	}
	for _, c := range changes {
		c.apply()
	}
	for i, k := range sorted {
		set(k, adopted[i])
	}
	return nil
}

// adoptChange is one change adopting makes to an object or array: a
// value replaced, or a key that is not UTF-8 replaced by its valid form.
type adoptChange struct {
	object map[string]any
	key    string
	rekey  bool
	array  []any
	index  int
	value  any
}

func (c adoptChange) apply() {
	switch {
	case c.array != nil:
		c.array[c.index] = c.value
	case c.rekey:
		v := c.object[c.key]
		delete(c.object, c.key)
		c.object[validUTF8(c.key)] = v
	default:
		c.object[c.key] = c.value
	}
}

// adopting writes v as value does and adopts it as adoptValue does,
// adding the changes to objects and arrays to changes instead of making
// them.
func (e *goJSONEncoder) adopting(v any, seen map[unsafe.Pointer]bool, changes *[]adoptChange) (out any, replaced bool, err error) {
	switch x := v.(type) {
	case map[string]any:
		if x == nil || !firstSight(seen, reflect.ValueOf(x).UnsafePointer()) {
			break
		}
		start := e.openObject(x)
		for i := start; i < len(e.entries); i++ {
			k, v := e.entryKey(i, start)
			if isFinal(v) {
				if err := e.value(v); err != nil {
					return nil, true, err
				}
				continue
			}
			p, replaced, err := e.adopting(v, seen, changes)
			if err != nil {
				return nil, true, err
			}
			if replaced {
				*changes = append(*changes, adoptChange{object: x, key: k, value: p})
			}
		}
		// Keys are renamed after the values are replaced, as adoptValue
		// does.
		for i := start; i < len(e.entries); i++ {
			if k := e.entries[i].key; !utf8.ValidString(k) {
				*changes = append(*changes, adoptChange{object: x, key: k, rekey: true})
			}
		}
		e.closeObject(start)
		return v, false, e.flush()
	case []any:
		if x == nil || len(x) > 0 && !firstSight(seen, unsafe.Pointer(unsafe.SliceData(x))) {
			break
		}
		e.buf = append(e.buf, '[')
		for i, item := range x {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if isFinal(item) {
				if err := e.value(item); err != nil {
					return nil, true, err
				}
				continue
			}
			p, replaced, err := e.adopting(item, seen, changes)
			if err != nil {
				return nil, true, err
			}
			if replaced {
				*changes = append(*changes, adoptChange{array: x, index: i, value: p})
			}
		}
		e.buf = append(e.buf, ']')
		return v, false, e.flush()
	}
	if err := e.value(v); err != nil {
		return nil, true, err
	}
	out, err = plainAny(v)
	return out, true, err
}

type goJSONEncoder struct {
	w       io.Writer
	buf     []byte
	entries []entry
	strings stringCache
}

func (e *goJSONEncoder) flush() error {
	if len(e.buf) < 16<<10 {
		return nil
	}
	_, err := e.w.Write(e.buf)
	e.buf = e.buf[:0]
	return err
}

func (e *goJSONEncoder) value(v any) error {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case bool:
		e.buf = strconv.AppendBool(e.buf, x)
	case string:
		e.buf = e.strings.appendString(e.buf, x, appendGoString)
	case json.Number:
		if nonFinite(x) {
			// The template holds null there (see nonFinite), so the
			// text hashed for it does too.
			e.buf = append(e.buf, "null"...)
			return nil
		}
		n, err := plainNumber(string(x))
		if err != nil {
			return err
		}
		e.buf = append(e.buf, n.(json.Number)...)
	case []any:
		if x == nil {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		e.buf = append(e.buf, '[')
		for i, item := range x {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.value(item); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
	case map[string]any:
		if x == nil {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		start := e.openObject(x)
		for i := start; i < len(e.entries); i++ {
			_, v := e.entryKey(i, start)
			if err := e.value(v); err != nil {
				return err
			}
		}
		e.closeObject(start)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		e.buf = append(e.buf, b...)
	}
	return e.flush()
}

// openObject writes the '{' of x and stacks its entries, sorted by key,
// on e.entries (nested objects stack theirs above): it returns where they
// start, for entryKey and closeObject.
func (e *goJSONEncoder) openObject(x map[string]any) (start int) {
	e.buf = append(e.buf, '{')
	start = len(e.entries)
	e.entries = slices.Grow(e.entries, len(x))
	for k, v := range x {
		e.entries = append(e.entries, entry{k, v})
	}
	sortEntries(e.entries[start:])
	return start
}

// entryKey writes the key of the entry at i of the object whose entries
// start at start, after a comma when it is not the first, and returns
// the entry.
func (e *goJSONEncoder) entryKey(i, start int) (string, any) {
	if i > start {
		e.buf = append(e.buf, ',')
	}
	k := e.entries[i].key
	e.buf = appendGoString(e.buf, k)
	e.buf = append(e.buf, ':')
	return k, e.entries[i].value
}

// closeObject unstacks the entries openObject stacked at start and
// writes the '}'.
func (e *goJSONEncoder) closeObject(start int) {
	clear(e.entries[start:])
	e.entries = e.entries[:start]
	e.buf = append(e.buf, '}')
}

// appendGoString appends s as encoding/json writes it: HTML characters,
// U+2028 and U+2029 escaped, invalid UTF-8 bytes as \ufffd.
func appendGoString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '\\', '"':
				buf = append(buf, '\\', c)
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
