package cfn

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"
	"github.com/awslabs/goformation/v7/cloudformation/tags"
)

// TestToPlainIsTheRoundTrip pins toPlain to what marshalling to JSON and
// decoding back gives, for every kind of value templates hold.
func TestToPlainIsTheRoundTrip(t *testing.T) {
	type custom struct {
		A     string `json:"a,omitempty"`
		B     *int   `json:"b"`
		Inner struct{ X []string }
		skip  int
	}
	type embedded struct {
		custom
		C float64
	}
	one, half := 1, 0.5
	values := map[string]any{
		"role": &iam.Role{
			AssumeRolePolicyDocument:   map[string]any{"Statement": []any{map[string]any{"Effect": "Allow"}}},
			PermissionsBoundary:        StrPtr(Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/b")),
			Path:                       StrPtr("/plain/"),
			MaxSessionDuration:         &one,
			Policies:                   []iam.Role_Policy{{PolicyName: Str(GetAtt("X", "Arn")), PolicyDocument: Raw{"a": []string{"x"}}}},
			Tags:                       []tags.Tag{{Key: "k", Value: "v"}, {}},
			AWSCloudFormationDependsOn: []string{"A", "B"},
			AWSCloudFormationCondition: "IsProd",
			AWSCloudFormationMetadata:  map[string]any{"m": json.Number("1.50")},
		},
		"role by value": iam.Role{RoleName: cloudformation.String("r")},
		"empty role":    &iam.Role{},
		"state machine": &StateMachine{
			StateMachine: stepfunctions.StateMachine{
				Definition:       map[string]any{"StartAt": "A", "States": map[string]any{"A": map[string]any{"Type": "Pass", "End": true}}},
				RoleArn:          Str(GetAtt("R", "Arn")),
				StateMachineName: cloudformation.String("n"),
				LoggingConfiguration: &stepfunctions.StateMachine_LoggingConfiguration{
					Level: cloudformation.String("ALL"), IncludeExecutionData: cloudformation.Bool(false),
					Destinations: []stepfunctions.StateMachine_LogDestination{{CloudWatchLogsLogGroup: &stepfunctions.StateMachine_CloudWatchLogsLogGroup{LogGroupArn: StrPtr(Ref("L"))}}},
				},
				Tags:                                 []stepfunctions.StateMachine_TagsEntry{{Key: "k", Value: "v"}},
				AWSCloudFormationDeletionPolicy:      policies.DeletionPolicy("Retain"),
				AWSCloudFormationUpdateReplacePolicy: RetainReplace,
			},
			EncryptionConfiguration: &EncryptionConfiguration{KmsDataKeyReusePeriodSeconds: json.Number("300"), KmsKeyId: Ref("K"), Type: "CUSTOMER_MANAGED_KMS_KEY"},
		},
		"full role": &iam.Role{
			Description: cloudformation.String("d"), ManagedPolicyArns: []string{"arn:a", Str(Ref("P"))},
			RoleName: StrPtr(Ref("N")), Policies: []iam.Role_Policy{{}, {PolicyName: "p", PolicyDocument: map[string]any(nil)}},
			AWSCloudFormationDeletionPolicy: Retain, AWSCloudFormationUpdateReplacePolicy: RetainReplace,
			AWSCloudFormationMetadata: map[string]any{}, AWSCloudFormationDependsOn: []string{},
		},
		"nil role":          (*iam.Role)(nil),
		"nil state machine": (*StateMachine)(nil),
		"other state machine": &StateMachine{StateMachine: stepfunctions.StateMachine{
			Definition:       map[string]any(nil),
			DefinitionString: StrPtr(SubVars("{}", map[string]any{"a": GetAtt("B", "Arn")})),
			StateMachineType: cloudformation.String("EXPRESS"), TracingConfiguration: &stepfunctions.StateMachine_TracingConfiguration{Enabled: cloudformation.Bool(true)},
			AWSCloudFormationDependsOn: []string{"R", "\xffS"}, AWSCloudFormationCondition: "C",
		}},
		"state machine with values": &StateMachine{
			DefinitionStringValue: SubVars("{\"a\": \"${x}\"}", map[string]any{"x": Ref("Y"), "n": json.Number("1")}),
			RoleArnValue:          GetAtt("R", "Arn"),
		},
		"empty state machine": &StateMachine{},
		"bare output":         Output{},
		"output with export":  Output{Value: Str(Ref("X")), Export: &Export{}, Condition: cloudformation.String("C")},
		"activity":            &stepfunctions.Activity{Name: "a"},
		"output":              Output{Value: GetAtt("A", "Arn"), Description: cloudformation.String("d"), Export: &Export{Name: "e"}},
		"raw": Raw{"Type": "T", "Properties": map[string]any{
			"n": json.Number("-1.5e3"), "i": 3, "u": uint8(4), "f": half, "f32": float32(0.1), "big": 1e21, "small": 1e-7,
			"s": []string{"a", "\xffb\xfe\xfd"}, "bad\xff": "x", "nil": nil, "nilmap": map[string]string(nil),
			"nilslice": []int(nil), "empty": []any{}, "arr": [2]bool{true}, "bytes": []byte("hi"),
			"intkeys": map[int]string{2: "b", 1: "a"}, "struct": custom{B: &one}, "embedded": embedded{C: 2},
			"num": json.Number(""), "ptr": &half, "long1": strings.Repeat("<é\u2028", 200), "long2": strings.Repeat("<é\u2028", 200), "long3": strings.Repeat("<é\u2028", 200), "marked": Str(map[string]any{"Fn::Join": []any{"", []any{Ref("A"), "b"}}}),
		}},
		"nil raw": Raw(nil),
	}
	for name, v := range values {
		got, err := toPlain(v)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want, err := viaJSON(v)
		if err != nil {
			t.Fatalf("%s: round trip: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			t.Errorf("%s:\n got %s\nwant %s", name, g, w)
		}
	}
	for _, bad := range []any{Raw{"n": json.Number("1e")}, Raw{"n": math.Inf(1)}, Raw{"n": json.Number("0x10")}} {
		if _, err := toPlain(bad); err == nil {
			t.Errorf("toPlain(%v) succeeded; encoding/json fails", bad)
		}
	}
}

// TestWriteGoJSONIsMarshal pins WriteGoJSON to json.Marshal's bytes.
func TestWriteGoJSONIsMarshal(t *testing.T) {
	long := make([]any, 3000)
	for i := range long {
		long[i] = map[string]any{"i": json.Number(strconv.Itoa(i)), "s": strings.Repeat("x<", i%7)}
	}
	values := []any{
		nil, true, "plain", "<a&b> \"q\" \\ \n\r\t\b\f\x01\x1f\x7f é \u2028\u2029 \xff\xfe end",
		json.Number("1.50"), json.Number(""), []any(nil), []any{}, map[string]any(nil), map[string]any{},
		map[string]any{"b": []any{json.Number("1"), false, nil}, "a": map[string]any{"\xffk": "v", "z<": []string{"x"}}, "": 3},
		long,
		[]any{strings.Repeat("<é\u2028\xff", 100), strings.Repeat("<é\u2028\xff", 100), strings.Repeat("<é\u2028\xff", 100)},
	}
	for _, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := WriteGoJSON(&got, v); err != nil {
			t.Errorf("%v: %v", v, err)
			continue
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("WriteGoJSON(%v):\n got %s\nwant %s", v, got.Bytes(), want)
		}
	}
	if err := WriteGoJSON(io.Discard, json.Number("1e")); err == nil {
		t.Error("an invalid number was written")
	}
	// WriteGoJSONAdopting writes the values as they were and adopts
	// them as adopt does.
	object := map[string]any{"list": long, "twice": []any{values[10], values[10]}, "\xffk": values[3],
		"str": Str(map[string]any{"Ref": "X"}), "slice": []string{"<a>"}}
	want, _ := json.Marshal(object)
	adoptedWant := map[string]any{}
	for k, v := range Clone(object).(map[string]any) {
		a, err := adopt(v, map[unsafe.Pointer]bool{})
		if err != nil {
			t.Fatal(err)
		}
		adoptedWant[k] = a
	}
	var got bytes.Buffer
	adopted := map[string]any{}
	keys := slices.Collect(maps.Keys(object))
	if err := WriteGoJSONAdopting(&got, keys, func(k string) any { return object[k] }, func(k string, v any) { adopted[k] = v }); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("WriteGoJSONAdopting:\n got %s\nwant %s", got.Bytes(), want)
	}
	if !reflect.DeepEqual(adopted, adoptedWant) {
		t.Errorf("WriteGoJSONAdopting adopted\n%v\nwant\n%v", adopted, adoptedWant)
	}
	twice := adopted["twice"].([]any)
	if reflect.ValueOf(twice[0]).UnsafePointer() == reflect.ValueOf(twice[1]).UnsafePointer() {
		t.Error("a value held twice is still shared")
	}
}

// TestRawResourcesShareNothing: a value a Raw resource holds twice comes
// out as two values, as the round trip makes them.
func TestRawResourcesShareNothing(t *testing.T) {
	shared := map[string]any{"Ref": "X"}
	list := []any{"a", shared}
	v, err := toPlain(Raw{"Type": "T", "Properties": map[string]any{"A": shared, "B": shared, "L1": list, "L2": list}})
	if err != nil {
		t.Fatal(err)
	}
	props := v.(map[string]any)["Properties"].(map[string]any)
	props["A"].(map[string]any)["Ref"] = "changed"
	props["L1"].([]any)[0] = "changed"
	if props["B"].(map[string]any)["Ref"] != "X" || props["L2"].([]any)[0] != "a" || props["L2"].([]any)[1].(map[string]any)["Ref"] != "X" {
		t.Errorf("values are shared: %v", props)
	}
}
