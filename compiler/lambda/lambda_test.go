package lambda

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema"
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
