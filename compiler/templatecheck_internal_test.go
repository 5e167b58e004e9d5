package compiler

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stepform/stepform/compiler/cfn"
)

// TestResourceGraphStripsNulls: the checks' pass over the resources
// finishes them exactly as stripNullProperties does, and reads an object
// that is an intrinsic once its nulls are gone as that intrinsic.
func TestResourceGraphStripsNulls(t *testing.T) {
	resources := map[string]any{
		"A": map[string]any{"Type": "T", "Properties": map[string]any{
			"x": nil,
			"l": []any{nil, map[string]any{"y": nil, "z": json.Number("1")}, []any{nil, map[string]any{"w": nil}}},
			"m": map[string]any{"Ref": "B", "n": nil},
			"s": []any{map[string]any{"Fn::Sub": "${C.Arn}", "q": nil}},
		}},
		"B": map[string]any{"Type": "T", "Properties": "not an object"},
		"C": map[string]any{"Type": "T", "Properties": nil},
		"D": map[string]any{"Type": "T", "DependsOn": "A"},
	}
	want := map[string]any{"Resources": cfn.Clone(resources)}
	stripNullProperties(want)
	g := newResourceGraph(resources)
	if !reflect.DeepEqual(resources, want["Resources"]) {
		got, _ := json.Marshal(resources)
		w, _ := json.Marshal(want["Resources"])
		t.Errorf("resources after the graph:\n got %s\nwant %s", got, w)
	}
	wantEdges := [][]int{{1, 2}, nil, nil, {0}}
	if !reflect.DeepEqual(g.edges, wantEdges) {
		t.Errorf("edges %v, want %v (ids %v)", g.edges, wantEdges, g.ids)
	}
}
