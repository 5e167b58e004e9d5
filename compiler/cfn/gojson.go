package cfn

import (
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"
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

// WriteGoJSONObject is WriteGoJSON of the object whose keys are keys
// (distinct) and whose values value returns, without building it.
func WriteGoJSONObject(w io.Writer, keys []string, value func(key string) any) error {
	e := goJSONEncoder{w: w, buf: make([]byte, 0, 2<<10)}
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	e.buf = append(e.buf, '{')
	for i, k := range sorted {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendGoString(e.buf, k)
		e.buf = append(e.buf, ':')
		if err := e.value(value(k)); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	_, err := w.Write(e.buf)
	return err
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
		e.buf = append(e.buf, '{')
		start := len(e.entries)
		for k, v := range x {
			e.entries = append(e.entries, entry{k, v})
		}
		sortEntries(e.entries[start:])
		for i := start; i < len(e.entries); i++ {
			if i > start {
				e.buf = append(e.buf, ',')
			}
			k, v := e.entries[i].key, e.entries[i].value
			e.buf = appendGoString(e.buf, k)
			e.buf = append(e.buf, ':')
			if err := e.value(v); err != nil {
				return err
			}
		}
		clear(e.entries[start:])
		e.entries = e.entries[:start]
		e.buf = append(e.buf, '}')
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		e.buf = append(e.buf, b...)
	}
	return e.flush()
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
