package diff

import (
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/stepform/stepform/internal/lazyre"
)

// equal reports whether two plain values are the same.
func equal(a, b any) bool { return reflect.DeepEqual(a, b) }

// render writes a plain value on one line: JSON, except that intrinsic
// functions are written as CloudFormation's short forms (!Ref X,
// !GetAtt X.Arn, !Sub "...").
func render(v any) string {
	var b strings.Builder
	writeValue(&b, v)
	return b.String()
}

func writeValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case json.Number:
		b.WriteString(string(v))
	case string:
		b.WriteString(quote(v))
	case []any:
		b.WriteByte('[')
		for i, it := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, it)
		}
		b.WriteByte(']')
	case map[string]any:
		if name, arg, ok := intrinsic(v); ok {
			switch {
			case name == "Ref":
				b.WriteString("!Ref ")
				if s, ok := arg.(string); ok {
					b.WriteString(s)
					return
				}
			case name == "GetAtt":
				b.WriteString("!GetAtt ")
				if l, ok := arg.([]any); ok && len(l) == 2 {
					if x, ok := l[0].(string); ok {
						if y, ok := l[1].(string); ok {
							b.WriteString(x + "." + y)
							return
						}
					}
				}
				if s, ok := arg.(string); ok {
					b.WriteString(s)
					return
				}
			default:
				b.WriteString("!" + name + " ")
			}
			writeValue(b, arg)
			return
		}
		b.WriteByte('{')
		for i, k := range sortedKeys(v) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quote(k))
			b.WriteString(": ")
			writeValue(b, v[k])
		}
		b.WriteByte('}')
	default:
		b.WriteString("?")
	}
}

// intrinsic reports whether m is an intrinsic function (one key, Ref or
// Fn::Name) and returns its short name and argument.
func intrinsic(m map[string]any) (string, any, bool) {
	if len(m) != 1 {
		return "", nil, false
	}
	for k, v := range m {
		if k == "Ref" {
			return "Ref", v, true
		}
		if name, ok := strings.CutPrefix(k, "Fn::"); ok && name != "" {
			return name, v, true
		}
	}
	return "", nil, false
}

// quote writes s as a JSON string, with <, > and & as they are.
func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// toJSON writes a plain value as JSON.
func toJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sortedKeysOfBoth is the sorted union of a's and b's keys.
func sortedKeysOfBoth[V any](a, b map[string]V) []string {
	keys := make(map[string]bool, len(a)+len(b))
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return sortedKeys(keys)
}

var plainKey = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// join adds a key to a JSON-path-like path: .Key, or ["a.b"] for keys
// that are not plain names.
func join(path, key string) string {
	if plainKey.MatchString(key) {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	return path + "[" + quote(key) + "]"
}

// maxLineDiff bounds the work of a line diff (lines × lines).
const maxLineDiff = 1 << 20

// diffValue appends the differences between a and b at path, one line
// each: "~ path: old → new", "+ path: new", "- path: old". Objects are
// compared key by key, lists of scalars as sets, other lists item by item,
// multi-line strings line by line.
func diffValue(path string, a, b any, out *[]string) {
	if equal(a, b) {
		return
	}
	am, aMap := a.(map[string]any)
	bm, bMap := b.(map[string]any)
	if aMap && bMap {
		aName, aArg, aIntr := intrinsic(am)
		bName, bArg, bIntr := intrinsic(bm)
		// A Fn::Sub holds text worth comparing line by line; other
		// intrinsics read best whole.
		if aIntr && bIntr && aName == bName && aName == "Sub" {
			diffValue(path+"(!"+aName+")", aArg, bArg, out)
			return
		}
		if !aIntr && !bIntr {
			for _, k := range sortedKeysOfBoth(am, bm) {
				av, inA := am[k]
				bv, inB := bm[k]
				switch {
				case !inA:
					*out = append(*out, whole("+", join(path, k), bv)...)
				case !inB:
					*out = append(*out, whole("-", join(path, k), av)...)
				default:
					diffValue(join(path, k), av, bv, out)
				}
			}
			return
		}
	}
	al, aList := a.([]any)
	bl, bList := b.([]any)
	if aList && bList {
		if scalars(al) && scalars(bl) {
			added, removed := setDiff(al, bl)
			if len(added) == 0 && len(removed) == 0 {
				*out = append(*out, "~ "+path+": same items, new order "+render(b))
			}
			for _, v := range removed {
				*out = append(*out, "- "+path+"[]: "+v)
			}
			for _, v := range added {
				*out = append(*out, "+ "+path+"[]: "+v)
			}
			return
		}
		for i := 0; i < len(al) || i < len(bl); i++ {
			p := path + "[" + strconv.Itoa(i) + "]"
			switch {
			case i >= len(al):
				*out = append(*out, whole("+", p, bl[i])...)
			case i >= len(bl):
				*out = append(*out, whole("-", p, al[i])...)
			default:
				diffValue(p, al[i], bl[i], out)
			}
		}
		return
	}
	as, aStr := a.(string)
	bs, bStr := b.(string)
	if aStr && bStr && (strings.Contains(as, "\n") || strings.Contains(bs, "\n")) {
		oldLines, newLines := strings.Split(as, "\n"), strings.Split(bs, "\n")
		if len(oldLines)*len(newLines) <= maxLineDiff {
			*out = append(*out, "~ "+path+": lines")
			*out = append(*out, lineDiff(oldLines, newLines)...)
			return
		}
	}
	*out = append(*out, "~ "+path+": "+render(a)+" → "+render(b))
}

// whole describes a value added ("+") or removed ("-") at path: one line,
// or a multi-line string line by line.
func whole(sign, path string, v any) []string {
	s, isString := v.(string)
	if !isString || !strings.Contains(s, "\n") {
		return []string{sign + " " + path + ": " + render(v)}
	}
	out := []string{sign + " " + path + ": lines"}
	for _, line := range strings.Split(s, "\n") {
		out = append(out, "    "+sign+" "+line)
	}
	return out
}

func scalars(l []any) bool {
	for _, v := range l {
		switch v.(type) {
		case []any:
			return false
		case map[string]any:
			if _, _, ok := intrinsic(v.(map[string]any)); !ok {
				return false
			}
		}
	}
	return true
}

// setDiff returns the rendered items only in b (added) and only in a
// (removed), counting repeats, sorted.
func setDiff(a, b []any) (added, removed []string) {
	count := map[string]int{}
	for _, v := range a {
		count[render(v)]++
	}
	for _, v := range b {
		count[render(v)]--
	}
	for _, k := range sortedKeys(count) {
		for n := count[k]; n > 0; n-- {
			removed = append(removed, k)
		}
		for n := count[k]; n < 0; n++ {
			added = append(added, k)
		}
	}
	return added, removed
}

// lineDiff writes the lines removed and added between a and b (longest
// common subsequence), with "…" where unchanged lines are left out.
func lineDiff(a, b []string) []string {
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	skipped := false
	flush := func() {
		if skipped {
			out = append(out, "    …")
			skipped = false
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			skipped = true
			i++
			j++
		case j < len(b) && (i >= len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			flush()
			out = append(out, "    + "+b[j])
			j++
		default:
			flush()
			out = append(out, "    - "+a[i])
			i++
		}
	}
	flush()
	return out
}
