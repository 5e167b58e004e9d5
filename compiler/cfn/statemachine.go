package cfn

import (
	"encoding/json"

	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"
)

// StateMachine is AWS::StepFunctions::StateMachine with the
// EncryptionConfiguration property that goformation v7 lacks.
type StateMachine struct {
	stepfunctions.StateMachine
	EncryptionConfiguration *EncryptionConfiguration
	// DefinitionStringValue and RoleArnValue, when not nil, are written
	// as DefinitionString and RoleArn: any plain value, such as a Fn::Sub
	// or a Fn::GetAtt, which goformation's string fields hold only
	// through Str's encoding.
	DefinitionStringValue any
	RoleArnValue          any
}

// EncryptionConfiguration is a state machine's encryption settings.
// KmsDataKeyReusePeriodSeconds is a json.Number or nil; KmsKeyId any value.
type EncryptionConfiguration struct {
	KmsDataKeyReusePeriodSeconds any `json:"KmsDataKeyReusePeriodSeconds,omitempty"`
	KmsKeyId                     any `json:"KmsKeyId,omitempty"`
	Type                         string
}

// AWSCloudFormationType returns AWS::StepFunctions::StateMachine.
func (r *StateMachine) AWSCloudFormationType() string { return "AWS::StepFunctions::StateMachine" }

// MarshalJSON writes Type, Properties and the resource attributes. Embedding
// goformation's type alone would drop EncryptionConfiguration, because its
// own MarshalJSON would be promoted.
func (r *StateMachine) MarshalJSON() ([]byte, error) { return json.Marshal(r.wire()) }

// wire is the resource as it is written: a struct whose json tags give
// the keys.
func (r *StateMachine) wire() any {
	type props struct {
		Definition              any                                              `json:"Definition,omitempty"`
		DefinitionString        any                                              `json:"DefinitionString,omitempty"`
		EncryptionConfiguration *EncryptionConfiguration                         `json:"EncryptionConfiguration,omitempty"`
		LoggingConfiguration    *stepfunctions.StateMachine_LoggingConfiguration `json:"LoggingConfiguration,omitempty"`
		RoleArn                 any                                              `json:"RoleArn"`
		StateMachineName        *string                                          `json:"StateMachineName,omitempty"`
		StateMachineType        *string                                          `json:"StateMachineType,omitempty"`
		Tags                    []stepfunctions.StateMachine_TagsEntry           `json:"Tags,omitempty"`
		TracingConfiguration    *stepfunctions.StateMachine_TracingConfiguration `json:"TracingConfiguration,omitempty"`
	}
	sm := r.StateMachine
	var definitionString, roleArn any = r.DefinitionStringValue, r.RoleArnValue
	if definitionString == nil && sm.DefinitionString != nil {
		definitionString = sm.DefinitionString
	}
	if roleArn == nil {
		roleArn = sm.RoleArn
	}
	return struct {
		Type                string
		Properties          props
		DependsOn           []string                     `json:"DependsOn,omitempty"`
		DeletionPolicy      policies.DeletionPolicy      `json:"DeletionPolicy,omitempty"`
		UpdateReplacePolicy policies.UpdateReplacePolicy `json:"UpdateReplacePolicy,omitempty"`
		Condition           string                       `json:"Condition,omitempty"`
	}{
		Type: r.AWSCloudFormationType(),
		Properties: props{
			Definition: sm.Definition, DefinitionString: definitionString,
			EncryptionConfiguration: r.EncryptionConfiguration,
			LoggingConfiguration:    sm.LoggingConfiguration, RoleArn: roleArn,
			StateMachineName: sm.StateMachineName, StateMachineType: sm.StateMachineType,
			Tags: sm.Tags, TracingConfiguration: sm.TracingConfiguration,
		},
		DependsOn:           sm.AWSCloudFormationDependsOn,
		DeletionPolicy:      sm.AWSCloudFormationDeletionPolicy,
		UpdateReplacePolicy: sm.AWSCloudFormationUpdateReplacePolicy,
		Condition:           sm.AWSCloudFormationCondition,
	}
}
