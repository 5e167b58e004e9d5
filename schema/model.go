package schema

import "github.com/stepform/stepform/schema/diag"

// Service is the part of a serverless.yml that stepform reads, after
// variables are resolved. Values that the compiler passes through to
// CloudFormation stay Nodes, so they keep their type and position.
type Service struct {
	// Name is the service name (`service:`); NamePos is the value's
	// position when the key is written.
	Name    string
	NamePos diag.Pos
	// Stage and Region are the resolved deployment stage and region:
	// the command line, then provider.stage/region, then dev/us-east-1.
	Stage  string
	Region string
	// Provider holds the provider settings stepform reads.
	Provider Provider
	// Functions are the service's Lambda functions in source order.
	Functions []*Function
	// StepFunctions is the `stepFunctions:` block; nil when absent.
	StepFunctions *StepFunctions
	// Resources is the raw `resources:` block, or nil.
	Resources *Node
	// Root is the whole resolved configuration.
	Root *Node
	// ServiceSettings are plugins, layers and package (schema/function.go).
	ServiceSettings
}

// Provider holds the `provider:` settings that affect the compiled template.
type Provider struct {
	// Tags are provider.tags (a Map node), or nil.
	Tags *Node
	// Timeout is provider.timeout when it is a number.
	Timeout *float64
	// RolePermissionsBoundary is provider.rolePermissionsBoundary, or nil.
	RolePermissionsBoundary *Node
	// RolePath is provider.iam.role.path, or nil.
	RolePath *Node
	// APIGateway are the REST API settings (schema/apigateway_settings.go).
	APIGateway APIGatewaySettings
	// ProviderSettings are the function settings (schema/function.go).
	ProviderSettings
}

// Function is one entry of `functions:`.
type Function struct {
	Key string
	Pos diag.Pos
	// Name is the deployed function name: `name:` or <service>-<stage>-<key>.
	Name string
	// Timeout is `timeout:` when it is a number.
	Timeout *float64
	// Layers is the raw `layers:` list, or nil.
	Layers *Node
	// FunctionSettings are the Lambda settings (schema/function.go).
	FunctionSettings
}

// LogicalID is the function's CloudFormation logical ID, as the framework names it.
func (f *Function) LogicalID() string { return NormalizeName(f.Key) + "LambdaFunction" }

// StepFunctions is the top-level `stepFunctions:` block.
type StepFunctions struct {
	Validate      bool
	NoOutput      bool
	StateMachines []*StateMachine
	Activities    []Activity
}

// Activity is one entry of stepFunctions.activities.
type Activity struct {
	Name string
	Pos  diag.Pos
}

// StateMachine is one entry of stepFunctions.stateMachines. Optional
// values are nil when the key is absent.
type StateMachine struct {
	// Key is the machine's key under stateMachines.
	Key    string
	KeyPos diag.Pos
	// Node is the machine's whole (resolved) configuration.
	Node *Node

	Definition *Node
	// IAMRoleStatements is appended verbatim to the generated role.
	IAMRoleStatements *Node
	// Settings are the machine's other settings, typed.
	Settings MachineSettings
	// Events is the raw events list: DecodeMachineEvents and the
	// per-kind decoders read it.
	Events *Node
}

// DisplayName is the name the plugin uses in names and ARNs: `name` or the key.
func (m *StateMachine) DisplayName() string {
	if m.Settings.Name != "" {
		return m.Settings.Name
	}
	return m.Key
}

// LogicalID is the state machine's CloudFormation logical ID.
func (m *StateMachine) LogicalID() string {
	if c := m.customID(); c != "" {
		return NormalizeName(c)
	}
	return NormalizeName(m.Key) + "StepFunctionsStateMachine"
}

// OutputID is the logical ID of the machine's ARN output.
func (m *StateMachine) OutputID() string {
	if c := m.customID(); c != "" {
		return NormalizeName(c) + "Arn"
	}
	return NormalizeName(m.Key) + "StepFunctionsStateMachineArn"
}

func (m *StateMachine) customID() string {
	if m.Settings.ID != "" {
		return m.Settings.ID
	}
	return m.Settings.Name
}

// LogicalIDPos is where diagnostics about the machine's logical ID
// point: its id, its name, or its key.
func (m *StateMachine) LogicalIDPos() diag.Pos {
	switch {
	case m.Settings.HasID:
		return m.Settings.IDPos
	case m.Settings.HasName:
		return m.Settings.NamePos
	}
	return m.KeyPos
}

// Function returns the function with the given key, or nil.
func (s *Service) Function(key string) *Function {
	for _, f := range s.Functions {
		if f.Key == key {
			return f
		}
	}
	return nil
}

// FunctionByLogicalID returns the function whose logical ID is id, or nil.
func (s *Service) FunctionByLogicalID(id string) *Function {
	for _, f := range s.Functions {
		if f.LogicalID() == id {
			return f
		}
	}
	return nil
}
