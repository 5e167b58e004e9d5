package jsvalue

import (
	"math"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// TestWriteQuotedWritesEveryRune: the byte-wise quoting of valid UTF-8
// writes what quoting rune by rune writes.
func TestWriteQuotedWritesEveryRune(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 0x80; c++ {
		all.WriteByte(byte(c))
	}
	for _, s := range []string{"", "plain", all.String(), "é\u2028\U0001F600\"\\\x7f\x00end", "\x1f\x1e\b\f\n\r\t", "\xff invalid \xfe"} {
		var got, want strings.Builder
		WriteQuoted(&got, s)
		writeQuotedRunes(&want, s)
		if got.String() != want.String() {
			t.Errorf("WriteQuoted(%q) = %s, want %s", s, got.String(), want.String())
		}
	}
}

// edgeCaseNode is an object with the keys and numbers whose JSON.stringify
// text differs from a naive writer's: numbers JSON cannot write, and keys
// around the ends of JavaScript's array-index range ("0" to "4294967294"),
// which objects enumerate first, in ascending order.
func edgeCaseNode() *schema.Node {
	num := func(f float64) *schema.Node { return schema.NewNumber(f, diag.Pos{}) }
	return Obj(
		"b", num(math.NaN()), "a", num(math.Inf(1)), "c", num(math.Inf(-1)),
		"x", Arr(num(math.NaN()), num(math.Inf(1)), num(math.Inf(-1)), &schema.Node{Kind: schema.Null}),
		"-1", 1, "01", 2, "4294967295", 3, "4294967294", 4, "1234567890", 5, "123456789", 6, "0", 7,
		"n", Obj("z", 1, "10", 2, "9", 3, "4294967296", 4, "1e3", 5),
	)
}

// edgeCaseJSON is Node's (v20) output for edgeCaseNode, from
// node -e 'console.log(JSON.stringify({b:NaN,a:Infinity,c:-Infinity,
// x:[NaN,Infinity,-Infinity,null],"-1":1,"01":2,"4294967295":3,
// "4294967294":4,"1234567890":5,"123456789":6,"0":7,
// n:{z:1,"10":2,"9":3,"4294967296":4,"1e3":5}}))'.
const edgeCaseJSON = `{"0":7,"123456789":6,"1234567890":5,"4294967294":4,"b":null,"a":null,"c":null,"x":[null,null,null,null],"-1":1,"01":2,"4294967295":3,"n":{"9":3,"10":2,"z":1,"4294967296":4,"1e3":5}}`

func TestStringifyAsJavaScript(t *testing.T) {
	if got := Stringify(edgeCaseNode(), ""); got != edgeCaseJSON {
		t.Errorf("Stringify =\n%s\nwant (Node's JSON.stringify)\n%s", got, edgeCaseJSON)
	}
	// node -e 'console.log(JSON.stringify({b:NaN,"10":[Infinity]},null,2))'
	indented := "{\n  \"10\": [\n    null\n  ],\n  \"b\": null\n}"
	n := Obj("b", schema.NewNumber(math.NaN(), diag.Pos{}), "10", Arr(schema.NewNumber(math.Inf(1), diag.Pos{})))
	if got := Stringify(n, "  "); got != indented {
		t.Errorf("Stringify indented =\n%s\nwant\n%s", got, indented)
	}
}

// TestStringifyNilIsNull: a missing node is written as null, inside
// lists and objects too, rather than crashing the compiler.
func TestStringifyNilIsNull(t *testing.T) {
	if got := Stringify(nil, ""); got != "null" {
		t.Errorf("Stringify(nil) = %s, want null", got)
	}
	n := &schema.Node{Kind: schema.Map, Pairs: []schema.Pair{{Key: "a", Value: nil}, {Key: "l", Value: &schema.Node{Kind: schema.List, Items: []*schema.Node{nil}}}}}
	if got, want := Stringify(n, "  "), "{\n  \"a\": null,\n  \"l\": [\n    null\n  ]\n}"; got != want {
		t.Errorf("Stringify = %s, want %s", got, want)
	}
}
