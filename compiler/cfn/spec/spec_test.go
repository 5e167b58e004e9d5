package spec

import (
	"reflect"
	"testing"

	"github.com/stepform/stepform/compiler/cfn"
)

func mustDoc(t *testing.T, text string) map[string]any {
	t.Helper()
	v, err := cfn.Unmarshal([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return v.(map[string]any)
}

// TestCheckFindsSeededProblems: one problem of each kind, planted in an
// otherwise valid template, is found at its path.
func TestCheckFindsSeededProblems(t *testing.T) {
	doc := mustDoc(t, `{
	  "Parameters": {"Stage": {"Type": "String"}},
	  "Resources": {
	    "Queue": {"Type": "AWS::SQS::Queue", "DependsOn": ["Missing"],
	      "Properties": {"QueueNmae": "q", "DelaySeconds": "soon", "FifoQueue": "yes",
	        "Tags": {"a": "b"}}},
	    "Role": {"Type": "AWS::IAM::Role", "Properties": {"Path": {"Ref": "Stage"}}},
	    "Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
	      "RoleArn": {"Fn::GetAtt": ["Role", "Arnn"]},
	      "DefinitionString": {"Fn::Sub": "${Queue.Arn} ${Nowhere} ${!Literal} ${AWS::Region}"},
	      "EncryptionConfiguration": {"KmsKeyId": "k"},
	      "TracingConfiguration": {"Enabled": true}}},
	    "Thing": {"Type": "AWS::No::Such"},
	    "Custom": {"Type": "Custom::Mine", "Properties": {"Anything": 1}}
	  },
	  "Outputs": {"Arn": {"Value": {"Ref": "Gone"}}}
	}`)
	want := []string{
		`Outputs.Arn.Value.Ref: "Gone" is not defined in the template`,
		`Resources.Machine.Properties.DefinitionString.Fn::Sub: "Nowhere" is not defined in the template`,
		`Resources.Machine.Properties.EncryptionConfiguration: required property Type is missing`,
		`Resources.Machine.Properties.RoleArn.Fn::GetAtt: Role (AWS::IAM::Role) has no attribute "Arnn"`,
		`Resources.Queue.DependsOn[0]: "Missing" is not defined in the template`,
		`Resources.Queue.Properties.DelaySeconds: must be a number, got "soon"`,
		`Resources.Queue.Properties.FifoQueue: must be a boolean, got "yes"`,
		`Resources.Queue.Properties.QueueNmae: unknown property`,
		`Resources.Queue.Properties.Tags: must be a list, got an object`,
		`Resources.Role.Properties: required property AssumeRolePolicyDocument is missing`,
		`Resources.Thing: unknown resource type "AWS::No::Such"`,
	}
	if got := Check(doc, Options{}); !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
}

// TestCheckAcceptsValidTemplate: intrinsics stand for any type, external
// IDs may be named, and pseudo parameters are defined.
func TestCheckAcceptsValidTemplate(t *testing.T) {
	doc := mustDoc(t, `{
	  "Resources": {
	    "Queue": {"Type": "AWS::SQS::Queue", "DependsOn": "HelloLambdaFunction",
	      "Properties": {"DelaySeconds": {"Ref": "AWS::NoValue"}, "FifoQueue": "true",
	        "Tags": [{"Key": "a", "Value": {"Fn::Sub": "${AWS::Region}"}}]}},
	    "Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
	      "RoleArn": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
	      "DefinitionString": {"Fn::Sub": ["${Queue.QueueUrl} ${x}", {"x": {"Fn::GetAtt": "Queue.Arn"}}]}}}
	  }
	}`)
	if got := Check(doc, Options{External: map[string]bool{"HelloLambdaFunction": true}}); len(got) != 0 {
		t.Errorf("unexpected problems: %q", got)
	}
}
