package cfn

import (
	"encoding/json"
	"reflect"
	"strconv"
	"unsafe"
)

// The types a template holds thousands of (a role, a state machine and an
// output per machine) convert field by field here instead of through
// reflection; each function writes what plainValue writes for the type
// (TestToPlainIsTheRoundTrip pins both to the JSON round trip). Fields
// the compiler rarely sets still go through plainValue.

// plainFields collects a struct's fields as plain values, stopping at the
// first error. The plain values its interface fields hold become part of
// the result (adopt), as a Raw resource's do.
type plainFields struct {
	out  map[string]any
	err  error
	seen map[unsafe.Pointer]bool
}

// setAny sets an interface field: encoding/json omits it, with omitempty,
// only when it is nil.
func (f *plainFields) setAny(name string, v any, omitEmpty bool) {
	if f.err != nil || omitEmpty && v == nil {
		return
	}
	f.out[name], f.err = adopt(v, f.seen)
}

// setString sets a string field.
func (f *plainFields) setString(name, s string, omitEmpty bool) {
	if omitEmpty && s == "" {
		return
	}
	f.out[name] = plainString(s)
}

// setStringPtr sets an optional string field.
func (f *plainFields) setStringPtr(name string, p *string) {
	if p != nil {
		f.out[name] = plainString(*p)
	}
}

// setStrings sets a []string field with omitempty.
func (f *plainFields) setStrings(name string, list []string) {
	if len(list) == 0 {
		return
	}
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = plainString(s)
	}
	f.out[name] = out
}

// setIntPtr sets an optional integer field.
func (f *plainFields) setIntPtr(name string, p *int) {
	if p != nil {
		f.out[name] = json.Number(strconv.Itoa(*p))
	}
}

// setReflected sets a field of any other type with omitempty, by reflection.
func (f *plainFields) setReflected(name string, v any) {
	if f.err != nil {
		return
	}
	rv := reflect.ValueOf(v)
	if isEmpty(rv) {
		return
	}
	f.out[name], f.err = plainValue(rv)
}

// plainRole is plainValue of an AWS::IAM::Role: goformation's MarshalJSON.
func plainRole(r *Role, seen map[unsafe.Pointer]bool) (any, error) {
	props := plainFields{out: make(map[string]any, 4), seen: seen}
	props.setAny("AssumeRolePolicyDocument", r.AssumeRolePolicyDocument, false)
	props.setStringPtr("Description", r.Description)
	props.setStrings("ManagedPolicyArns", r.ManagedPolicyArns)
	props.setIntPtr("MaxSessionDuration", r.MaxSessionDuration)
	props.setStringPtr("Path", r.Path)
	props.setStringPtr("PermissionsBoundary", r.PermissionsBoundary)
	if len(r.Policies) > 0 {
		policies := make([]any, len(r.Policies))
		for i, p := range r.Policies {
			policy := plainFields{out: make(map[string]any, 2), seen: seen}
			policy.setAny("PolicyDocument", p.PolicyDocument, false)
			policy.setString("PolicyName", p.PolicyName, false)
			if policy.err != nil {
				return nil, policy.err
			}
			policies[i] = policy.out
		}
		props.out["Policies"] = policies
	}
	props.setStringPtr("RoleName", r.RoleName)
	props.setReflected("Tags", r.Tags)
	if props.err != nil {
		return nil, props.err
	}
	res := plainFields{out: map[string]any{"Type": r.AWSCloudFormationType(), "Properties": props.out}, seen: seen}
	res.setStrings("DependsOn", r.AWSCloudFormationDependsOn)
	if len(r.AWSCloudFormationMetadata) > 0 {
		res.setAny("Metadata", r.AWSCloudFormationMetadata, false)
	}
	res.setString("DeletionPolicy", string(r.AWSCloudFormationDeletionPolicy), true)
	res.setString("UpdateReplacePolicy", string(r.AWSCloudFormationUpdateReplacePolicy), true)
	res.setString("Condition", r.AWSCloudFormationCondition, true)
	return res.out, res.err
}

// plain is plainValue of the state machine's wire form (MarshalJSON).
func (r *StateMachine) plain(seen map[unsafe.Pointer]bool) (any, error) {
	sm := &r.StateMachine
	props := plainFields{out: make(map[string]any, 4), seen: seen}
	props.setAny("Definition", sm.Definition, true)
	if r.DefinitionStringValue != nil {
		props.setAny("DefinitionString", r.DefinitionStringValue, false)
	} else {
		props.setStringPtr("DefinitionString", sm.DefinitionString)
	}
	if r.EncryptionConfiguration != nil {
		props.setReflected("EncryptionConfiguration", r.EncryptionConfiguration)
	}
	if sm.LoggingConfiguration != nil {
		props.setReflected("LoggingConfiguration", sm.LoggingConfiguration)
	}
	if r.RoleArnValue != nil {
		props.setAny("RoleArn", r.RoleArnValue, false)
	} else {
		props.setString("RoleArn", sm.RoleArn, false)
	}
	props.setStringPtr("StateMachineName", sm.StateMachineName)
	props.setStringPtr("StateMachineType", sm.StateMachineType)
	props.setReflected("Tags", sm.Tags)
	if sm.TracingConfiguration != nil {
		props.setReflected("TracingConfiguration", sm.TracingConfiguration)
	}
	if props.err != nil {
		return nil, props.err
	}
	res := plainFields{out: map[string]any{"Type": r.AWSCloudFormationType(), "Properties": props.out}, seen: seen}
	res.setStrings("DependsOn", sm.AWSCloudFormationDependsOn)
	res.setString("DeletionPolicy", string(sm.AWSCloudFormationDeletionPolicy), true)
	res.setString("UpdateReplacePolicy", string(sm.AWSCloudFormationUpdateReplacePolicy), true)
	res.setString("Condition", sm.AWSCloudFormationCondition, true)
	return res.out, nil
}

// plainOutput is plainValue of an Output.
func plainOutput(o Output, seen map[unsafe.Pointer]bool) (any, error) {
	out := plainFields{out: make(map[string]any, 3), seen: seen}
	out.setAny("Value", o.Value, false)
	out.setStringPtr("Description", o.Description)
	if o.Export != nil {
		export := plainFields{out: make(map[string]any, 1)}
		export.setString("Name", o.Export.Name, true)
		out.out["Export"] = export.out
	}
	out.setStringPtr("Condition", o.Condition)
	return out.out, out.err
}
