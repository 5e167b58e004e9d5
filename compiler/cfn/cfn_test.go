package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/iam"
)

func TestJSONEscapesLikeJavaScript(t *testing.T) {
	got := string(JSON(map[string]any{"Description": "a<b>&c \u2028 é \"q\" \\ \n\t\x01"}))
	want := `"Description": "a<b>&c ` + "\u2028" + ` é \"q\" \\ \n\t\u0001"`
	if !strings.Contains(got, want) {
		t.Errorf("got %s\nwant it to contain %s", got, want)
	}
}

func TestJSONKeyOrder(t *testing.T) {
	doc := map[string]any{
		"Outputs":                  map[string]any{"O": map[string]any{"Value": "v", "Export": map[string]any{"Name": "n"}, "Description": "d"}},
		"Resources":                map[string]any{"B": map[string]any{"Properties": map[string]any{"Z": json.Number("1"), "A": json.Number("2")}, "DependsOn": []any{"A"}, "Type": "T"}, "A": map[string]any{"Type": "T"}},
		"Description":              "x",
		"AWSTemplateFormatVersion": "2010-09-09",
	}
	got := string(JSON(doc))
	order := []string{`"AWSTemplateFormatVersion"`, `"Description"`, `"Resources"`, `"A"`, `"B"`, `"Type"`, `"DependsOn"`, `"Properties"`, `"A": 2`, `"Z": 1`, `"Outputs"`, `"Description": "d"`, `"Value"`, `"Export"`}
	last := -1
	for _, key := range order {
		i := strings.Index(got[last+1:], key)
		if i < 0 {
			t.Fatalf("%s missing or out of order in:\n%s", key, got)
		}
		last += i + 1
	}
}

func TestStrRoundTripsIntrinsics(t *testing.T) {
	role := &iam.Role{
		AssumeRolePolicyDocument: map[string]any{"Statement": []any{}},
		PermissionsBoundary:      StrPtr(Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/b")),
		Path:                     StrPtr("/plain/"),
	}
	tpl := New()
	tpl.SetResource("R", role)
	doc, err := tpl.Doc()
	if err != nil {
		t.Fatal(err)
	}
	props := doc["Resources"].(map[string]any)["R"].(map[string]any)["Properties"].(map[string]any)
	if b, _ := json.Marshal(props["PermissionsBoundary"]); string(b) != `{"Fn::Sub":"arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/b"}` {
		t.Errorf("PermissionsBoundary = %s", b)
	}
	if props["Path"] != "/plain/" {
		t.Errorf("Path = %v", props["Path"])
	}
}

func TestMergeIsLodashMerge(t *testing.T) {
	dst := map[string]any{"a": map[string]any{"x": json.Number("1"), "l": []any{"p", "q"}}, "b": "keep"}
	src := map[string]any{"a": map[string]any{"y": json.Number("2"), "l": []any{"r"}}, "c": nil}
	got, _ := json.Marshal(Merge(dst, src))
	if string(got) != `{"a":{"l":["r","q"],"x":1,"y":2},"b":"keep","c":null}` {
		t.Errorf("got %s", got)
	}
}

func TestYAMLQuotesWhatWouldChangeType(t *testing.T) {
	out, err := YAML(map[string]any{"AWSTemplateFormatVersion": "2010-09-09", "Description": "yes", "Outputs": map[string]any{"O": map[string]any{"Value": "line1\nline2"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`AWSTemplateFormatVersion: "2010-09-09"`, `Description: "yes"`, "Value: |-\n      line1\n      line2"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("YAML lacks %q:\n%s", want, out)
		}
	}
}

func TestMergeOwnedIsMerge(t *testing.T) {
	fresh := func() (dst, src map[string]any) {
		dst = map[string]any{"a": map[string]any{"x": json.Number("1"), "l": []any{"p", "q"}}, "b": "keep", "s": "old"}
		src = map[string]any{"a": map[string]any{"y": map[string]any{"deep": []any{}}, "l": []any{"r", nil, map[string]any{}}},
			"c": nil, "s": map[string]any{"k": []any{"v"}}, "n": []any(nil), "m": map[string]any(nil)}
		return dst, src
	}
	d1, s1 := fresh()
	d2, s2 := fresh()
	want, _ := json.Marshal(Merge(d1, s1))
	got, _ := json.Marshal(MergeOwned(d2, s2))
	if string(got) != string(want) {
		t.Errorf("MergeOwned: %s\n     Merge: %s", got, want)
	}
}

// TestOwnIsMerge: Own gives what Merge into nothing gives, nil objects
// and arrays as empty ones, without copying.
func TestOwnIsMerge(t *testing.T) {
	fresh := func() map[string]any {
		return map[string]any{"a": map[string]any{"m": map[string]any(nil), "l": []any{nil, []any(nil), map[string]any(nil), []any{map[string]any(nil)}}},
			"n": []any(nil), "c": nil, "typed": []string(nil), "s": "x"}
	}
	want := Merge(nil, fresh())
	v := fresh()
	got := Own(v)
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("Own: %s\nMerge: %s", g, w)
	}
	if reflect.ValueOf(got).UnsafePointer() != reflect.ValueOf(v).UnsafePointer() {
		t.Error("Own copied its value")
	}
	if m := Own(nil); m == nil || len(m) != 0 {
		t.Errorf("Own(nil) = %#v", m)
	}
}

// TestDocSeparatesSharedValues: what one resource or output holds twice
// comes out of Doc as two values. (Values the concerns share between
// resources are not looked for: TestTemplatesShareNoValues keeps them
// from sharing any.)
func TestDocSeparatesSharedValues(t *testing.T) {
	tpl := New()
	shared := map[string]any{"Ref": "Api"}
	tpl.SetResource("A", Raw(Own(map[string]any{"Type": "T", "Properties": map[string]any{"X": shared, "Y": shared}})))
	list := []any{map[string]any{"Ref": "Api"}}
	tpl.SetResource("R", &Role{AssumeRolePolicyDocument: list, Policies: []RolePolicy{{PolicyName: "p", PolicyDocument: list}}})
	value := map[string]any{"Ref": "Api"}
	tpl.SetOutput("O", Output{Value: []any{value, value}})
	doc, err := tpl.Doc()
	if err != nil {
		t.Fatal(err)
	}
	res := doc["Resources"].(map[string]any)
	a := res["A"].(map[string]any)["Properties"].(map[string]any)
	a["X"].(map[string]any)["Ref"] = "changed"
	role := res["R"].(map[string]any)["Properties"].(map[string]any)
	role["AssumeRolePolicyDocument"].([]any)[0] = "changed"
	output := doc["Outputs"].(map[string]any)["O"].(map[string]any)["Value"].([]any)
	output[0].(map[string]any)["Ref"] = "changed"
	policy := role["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].([]any)
	if a["Y"].(map[string]any)["Ref"] != "Api" || policy[0].(map[string]any)["Ref"] != "Api" || output[1].(map[string]any)["Ref"] != "Api" {
		t.Errorf("values are shared: %v, %v, %v", a, role, output)
	}
}

// TestDocTakesAdoptedResources: Doc takes a resource set with
// SetAdoptedResource as it is, and adopts one that SetResource replaced;
// SetResourceConverting converts at once. Resource gives an adopted one as
// a Raw, a converted one not.
func TestDocTakesAdoptedResources(t *testing.T) {
	tpl := New()
	adopted := Raw{"Type": "T", "Properties": map[string]any{"A": "x"}}
	tpl.SetAdoptedResource("A", adopted)
	tpl.SetAdoptedResource("B", Raw{"Type": "T"})
	tpl.SetResource("B", Raw{"Type": "T", "Properties": map[string]any{"S": Str(map[string]any{"Ref": "X"})}})
	tpl.SetResourceConverting("C", Raw{"Type": "T", "Properties": map[string]any{"S": Str(map[string]any{"Ref": "X"})}})
	// An adopted Raw is still merged into as a Raw; a converted resource
	// stands for the typed one it was, which is not.
	if _, ok := tpl.Resource("A").(Raw); !ok {
		t.Errorf("Resource(A) = %T, want Raw", tpl.Resource("A"))
	}
	if _, ok := tpl.Resource("C").(Raw); ok || tpl.Resource("C").AWSCloudFormationType() != "T" {
		t.Errorf("Resource(C) = %T of type %q", tpl.Resource("C"), tpl.Resource("C").AWSCloudFormationType())
	}
	doc, err := tpl.Doc()
	if err != nil {
		t.Fatal(err)
	}
	res := doc["Resources"].(map[string]any)
	if a := res["A"].(map[string]any); reflect.ValueOf(a).UnsafePointer() != reflect.ValueOf(map[string]any(adopted)).UnsafePointer() {
		t.Errorf("A was copied: %v", a)
	}
	if s := res["B"].(map[string]any)["Properties"].(map[string]any)["S"]; !reflect.DeepEqual(s, map[string]any{"Ref": "X"}) {
		t.Errorf("B was not adopted: S = %#v", s)
	}
	if s := res["C"].(map[string]any)["Properties"].(map[string]any)["S"]; !reflect.DeepEqual(s, map[string]any{"Ref": "X"}) {
		t.Errorf("C was not adopted: S = %#v", s)
	}
}

func TestJSONReplacesInvalidUTF8(t *testing.T) {
	got := string(JSON(map[string]any{"Description": "a\xffb\xfe\xfd\"c\" é"}))
	if want := `"Description": "a` + "\uFFFD" + `b` + "\uFFFD" + `\"c\" é"`; !strings.Contains(got, want) {
		t.Errorf("got %s\nwant it to contain %s", got, want)
	}
}

func TestJSONWritesLargeDocumentsWhole(t *testing.T) {
	resources := map[string]any{}
	for i := 0; i < 8000; i++ {
		resources[fmt.Sprintf("R%04d", i)] = map[string]any{"Type": "T", "Properties": map[string]any{"Text": strings.Repeat("x", 500)}}
	}
	got := JSON(map[string]any{"Resources": resources})
	if len(got) < 3*jsonChunk {
		t.Fatalf("document of %d bytes is too small to need chunks", len(got))
	}
	var back map[string]any
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if n := len(back["Resources"].(map[string]any)); n != 8000 || !strings.HasSuffix(string(got), "}\n}\n") {
		t.Errorf("%d resources, ends %q", n, got[len(got)-10:])
	}
}

func TestJSONRepeatsLongStringsExactly(t *testing.T) {
	long := strings.Repeat("<\"line\"\n\t", 100)
	other := long + "!"
	doc := map[string]any{"Outputs": map[string]any{"A": long, "B": long, "C": other, "D": long, "E": other, "F": other}}
	var back map[string]map[string]string
	if err := json.Unmarshal(JSON(doc), &back); err != nil {
		t.Fatal(err)
	}
	for k, v := range back["Outputs"] {
		if want := doc["Outputs"].(map[string]any)[k]; v != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
	}
}

// TestNonFiniteNumbersAreNull: the framework JSON.stringifies the
// template, which writes NaN and ±Infinity (a variable like
// ${env:X, Infinity} gives one) as null; written as they are, they would
// make the template invalid JSON.
func TestNonFiniteNumbersAreNull(t *testing.T) {
	doc := map[string]any{"Outputs": map[string]any{"O": map[string]any{
		"Value": []any{json.Number("NaN"), json.Number("Infinity"), json.Number("-Infinity"), json.Number("1.5")},
	}}}
	got := JSON(doc)
	var back map[string]any
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, got)
	}
	if v := fmt.Sprint(back["Outputs"]); v != "map[O:map[Value:[<nil> <nil> <nil> 1.5]]]" {
		t.Errorf("JSON wrote %s", got)
	}
	out, err := YAML(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "Value:\n      - null\n      - null\n      - null\n      - 1.5\n") {
		t.Errorf("YAML wrote\n%s", out)
	}
	// The text hashed for a deployment follows the template.
	var hashed bytes.Buffer
	if err := WriteGoJSON(&hashed, doc); err != nil {
		t.Fatalf("WriteGoJSON: %v", err)
	}
	if want := `{"Outputs":{"O":{"Value":[null,null,null,1.5]}}}`; hashed.String() != want {
		t.Errorf("WriteGoJSON wrote %s, want %s", hashed.String(), want)
	}
}

// TestNonFiniteNumbersSurviveConversion: a generated resource holding a
// YAML .nan or .inf (a request template given as .inf, say) is converted
// like any number, not refused as an invalid JSON literal, so that the
// encoders can write null where JSON.stringify does.
func TestNonFiniteNumbersSurviveConversion(t *testing.T) {
	for _, n := range []string{"NaN", "Infinity", "-Infinity"} {
		v, err := plainNumber(n)
		if err != nil || v != json.Number(n) {
			t.Errorf("plainNumber(%q) = %v, %v; want the number kept", n, v, err)
		}
	}
	if _, err := plainNumber("Inf"); err == nil {
		t.Error(`plainNumber("Inf") accepted a literal that is no number`)
	}
}
