package cfn

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"
)

// The goformation types the concerns build, under this package's names:
// goformation is imported by this package only, so that its quirks (and
// a replacement of it) stay in one place.
type (
	// Role is AWS::IAM::Role.
	Role = iam.Role
	// RolePolicy is an inline policy of a Role.
	RolePolicy = iam.Role_Policy
	// LogGroup is AWS::Logs::LogGroup.
	LogGroup = logs.LogGroup
	// Activity is AWS::StepFunctions::Activity.
	Activity = stepfunctions.Activity
	// LoggingConfiguration is a state machine's LoggingConfiguration.
	LoggingConfiguration = stepfunctions.StateMachine_LoggingConfiguration
	// LogDestination is one of a LoggingConfiguration's Destinations.
	LogDestination = stepfunctions.StateMachine_LogDestination
	// CloudWatchLogsLogGroup is a LogDestination's log group.
	CloudWatchLogsLogGroup = stepfunctions.StateMachine_CloudWatchLogsLogGroup
	// TracingConfiguration is a state machine's TracingConfiguration.
	TracingConfiguration = stepfunctions.StateMachine_TracingConfiguration
	// StateMachineTag is one of a state machine's Tags.
	StateMachineTag = stepfunctions.StateMachine_TagsEntry
)

// String returns a pointer to s, for an optional string property.
func String(s string) *string { return cloudformation.String(s) }

// Bool returns a pointer to b, for an optional boolean property.
func Bool(b bool) *bool { return cloudformation.Bool(b) }

// Int returns a pointer to i, for an optional integer property.
func Int(i int) *int { return cloudformation.Int(i) }
