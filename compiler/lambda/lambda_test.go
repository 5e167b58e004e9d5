package lambda

import (
	"encoding/json"
	"iter"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// TestLocaleLess pins the orders Node's localeCompare gives (observed
// with node -e "console.log(keys.sort((a, b) => a.localeCompare(b)))").
func TestLocaleLess(t *testing.T) {
	for _, want := range [][]string{
		{"_u", "a", "B"},
		{"FOO_X", "FOO1", "foox", "FOOX"},
		{"lib_x", "lib-x", "lib.x", "libx"},
		{"a", "A", "ab", "Ab", "b"},
		{"Zeta", "ZETA_1", "zeta_2"},
	} {
		got := append([]string(nil), want...)
		sort.Slice(got, func(i, j int) bool { return strings.Compare(got[i], got[j]) > 0 }) // scramble
		sort.Slice(got, func(i, j int) bool { return localeLess(got[i], got[j]) })
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("sorted %v, want %v", got, want)
		}
	}
}

func TestSortedJSON(t *testing.T) {
	v := map[string]any{"b": []any{map[string]any{"y": json.Number("1"), "X": true}}, "A": "<\"é\">\n"}
	if got, want := sortedJSON(v), `{"A":"<\"é\">\n","b":[{"X":true,"y":1}]}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestAssignKeepsJavaScriptOrder: Object.assign keeps a replaced key in
// place and enumerates integer-like keys first.
func TestAssignKeepsJavaScriptOrder(t *testing.T) {
	m := func(kv ...string) *schema.Node {
		n := &schema.Node{Kind: schema.Map}
		for i := 0; i < len(kv); i += 2 {
			n.Pairs = append(n.Pairs, schema.Pair{Key: kv[i], Value: schema.NewString(kv[i+1], n.Pos)})
		}
		return n
	}
	var keys []string
	for _, p := range assign(m("team", "a", "cost", "1", "10", "x"), m("cost", "2", "2", "y", "extra", "z")) {
		keys = append(keys, p.Key+"="+p.Value.Value)
	}
	if got, want := strings.Join(keys, " "), "2=y 10=x team=a cost=2 extra=z"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestUnionWithDropsRepeats(t *testing.T) {
	a := map[string]any{"Action": []any{"kms:Decrypt"}}
	got := unionWith([]any{a, "x", "x"}, map[string]any{"Action": []any{"kms:Decrypt"}})
	if len(got) != 2 {
		t.Errorf("got %v", got)
	}
}

// TestWriteJSONAsJavaScript: nodes, template values and ordered objects
// are written as JSON.stringify writes them: NaN and ±Infinity as null,
// and array-index keys ("0" to "4294967294") first, ascending.
// Expectations are Node's (v20) output for the same values.
func TestWriteJSONAsJavaScript(t *testing.T) {
	num := func(f float64) *schema.Node { return schema.NewNumber(f, diag.Pos{}) }
	obj := func(kv ...any) *schema.Node {
		n := &schema.Node{Kind: schema.Map}
		for i := 0; i < len(kv); i += 2 {
			v, ok := kv[i+1].(*schema.Node)
			if !ok {
				v = num(float64(kv[i+1].(int)))
			}
			n.Pairs = append(n.Pairs, schema.Pair{Key: kv[i].(string), Value: v})
		}
		return n
	}
	node := obj("b", num(math.NaN()), "a", num(math.Inf(1)), "c", num(math.Inf(-1)),
		"x", &schema.Node{Kind: schema.List, Items: []*schema.Node{num(math.NaN()), num(math.Inf(1)), num(math.Inf(-1)), nil}},
		"-1", 1, "01", 2, "4294967295", 3, "4294967294", 4, "1234567890", 5, "123456789", 6, "0", 7,
		"n", obj("z", 1, "10", 2, "9", 3, "4294967296", 4, "1e3", 5))
	// node -e 'console.log(JSON.stringify({b:NaN,a:Infinity,c:-Infinity,
	// x:[NaN,Infinity,-Infinity,null],"-1":1,"01":2,"4294967295":3,
	// "4294967294":4,"1234567890":5,"123456789":6,"0":7,
	// n:{z:1,"10":2,"9":3,"4294967296":4,"1e3":5}}))'
	const nodeJSON = `{"0":7,"123456789":6,"1234567890":5,"4294967294":4,"b":null,"a":null,"c":null,"x":[null,null,null,null],"-1":1,"01":2,"4294967295":3,"n":{"9":3,"10":2,"z":1,"4294967296":4,"1e3":5}}`
	var b strings.Builder
	WriteJSON(&b, node, sort.Strings)
	if got := b.String(); got != nodeJSON {
		t.Errorf("WriteJSON(node) =\n%s\nwant\n%s", got, nodeJSON)
	}
	b.Reset()
	WriteJSON(&b, []any{nil, (*schema.Node)(nil)}, sort.Strings)
	if got, want := b.String(), "[null,null]"; got != want {
		t.Errorf("WriteJSON(nils) = %s, want %s", got, want)
	}

	// The same keys in an ordered object (insertion order) and a template
	// map, with numbers as template values carry them.
	ordered := orderedFields{
		{"b", json.Number("NaN")}, {"a", json.Number("Infinity")}, {"c", json.Number("-Infinity")},
		{"f", []any{math.NaN(), math.Inf(1), math.Inf(-1), 1.5}},
		{"-1", 1}, {"01", 2}, {"4294967295", 3}, {"4294967294", 4}, {"1234567890", 5}, {"123456789", 6}, {"0", 7},
	}
	// node -e 'console.log(JSON.stringify({b:NaN,a:Infinity,c:-Infinity,
	// f:[NaN,Infinity,-Infinity,1.5],"-1":1,"01":2,"4294967295":3,
	// "4294967294":4,"1234567890":5,"123456789":6,"0":7}))'
	const orderedJSON = `{"0":7,"123456789":6,"1234567890":5,"4294967294":4,"b":null,"a":null,"c":null,"f":[null,null,null,1.5],"-1":1,"01":2,"4294967295":3}`
	b.Reset()
	WriteJSON(&b, ordered, sort.Strings)
	if got := b.String(); got != orderedJSON {
		t.Errorf("WriteJSON(ordered) =\n%s\nwant\n%s", got, orderedJSON)
	}
}

// orderedFields is an OrderedObject for tests.
type orderedFields []struct {
	key   string
	value any
}

func (o orderedFields) Fields() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		for _, f := range o {
			if !yield(f.key, f.value) {
				return
			}
		}
	}
}

// TestSortedJSONAsJavaScript: sortedJSON is JSON.stringify of the
// framework's deepSortObjectByKey, whose result still enumerates
// array-index keys first; NaN and ±Infinity are null.
func TestSortedJSONAsJavaScript(t *testing.T) {
	v := map[string]any{
		"b": json.Number("NaN"), "a": json.Number("Infinity"), "c": json.Number("-Infinity"),
		"x":  []any{json.Number("NaN"), math.Inf(-1)},
		"10": 1, "9": 2, "4294967295": 3, "4294967294": 4, "1234567890": 5, "123456789": 6, "01": 7, "-1": 8,
		"n": map[string]any{"z": 1, "2": 2, "A": 3},
	}
	// Node's output for the framework's own function:
	// node -e 'const d = require("serverless/lib/utils/deep-sort-object-by-key");
	// console.log(JSON.stringify(d({b:NaN,a:Infinity,c:-Infinity,x:[NaN,-Infinity],
	// "10":1,"9":2,"4294967295":3,"4294967294":4,"1234567890":5,"123456789":6,
	// "01":7,"-1":8,n:{z:1,"2":2,A:3}})))'
	const want = `{"9":2,"10":1,"123456789":6,"1234567890":5,"4294967294":4,"-1":8,"01":7,"4294967295":3,"a":null,"b":null,"c":null,"n":{"2":2,"A":3,"z":1},"x":[null,null]}`
	if got := sortedJSON(v); got != want {
		t.Errorf("sortedJSON =\n%s\nwant\n%s", got, want)
	}
}
