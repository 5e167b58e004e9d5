package compiler

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stepform/stepform/compiler/cfn"
)

// TestEncodingFinishesResources: the checks' encoding of the template
// finishes the resources exactly as stripNullProperties does, writes what
// cfn.JSON writes for the finished template, and reads an object that is
// an intrinsic once its nulls are gone as that intrinsic.
func TestEncodingFinishesResources(t *testing.T) {
	resources := map[string]any{
		"A": map[string]any{"Type": "T", "Properties": map[string]any{
			"x": nil,
			"l": []any{nil, map[string]any{"y": nil, "z": json.Number("1")}, []any{nil, map[string]any{"w": nil}}},
			"m": map[string]any{"Ref": "B", "n": nil},
			"s": []any{map[string]any{"Fn::Sub": "${C.Arn}", "q": nil}},
			"e": map[string]any{"only": nil},
		}},
		"B": map[string]any{"Type": "T", "Properties": "not an object"},
		"C": map[string]any{"Type": "T", "Properties": nil},
		"D": map[string]any{"Type": "T", "DependsOn": "A", "Metadata": map[string]any{"kept": nil}},
		"E": "no object",
	}
	doc := map[string]any{"Resources": resources, "Outputs": map[string]any{"O": map[string]any{"Value": nil}}}
	want := cfn.Clone(doc).(map[string]any)
	stripNullProperties(want)
	deps := newDependencyFinder(resources)
	text := cfn.JSONFinishing(doc, false, deps).Bytes()
	if !reflect.DeepEqual(doc, want) {
		got, _ := json.Marshal(doc)
		w, _ := json.Marshal(want)
		t.Errorf("template after the encoding:\n got %s\nwant %s", got, w)
	}
	if w := cfn.JSON(want); string(text) != string(w) {
		t.Errorf("encoding:\n%s\nwant\n%s", text, w)
	}
	g := deps.graph()
	wantEdges := [][]int{{1, 2}, nil, nil, {0}, nil}
	if !reflect.DeepEqual(g.edges, wantEdges) {
		t.Errorf("edges %v, want %v (ids %v)", g.edges, wantEdges, g.ids)
	}
}
