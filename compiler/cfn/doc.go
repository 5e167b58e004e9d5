// Package cfn is the one place stepform touches goformation. The compiler
// builds typed goformation resources through it; Render turns the result
// into JSON or YAML with stepform's own encoder, because goformation's
// Template.JSON evaluates intrinsic functions instead of writing them.
//
// # Values
//
// Values in a template are plain Go JSON values: map[string]any, []any,
// string, json.Number, bool and nil. Intrinsic functions are maps such as
// {"Ref": "X"}. A goformation field of type string cannot hold a map, so
// Str encodes an intrinsic into a marked string that Render decodes again.
//
// # Key order
//
// Output is deterministic: the top-level sections follow CloudFormation's
// usual order (AWSTemplateFormatVersion, Description, Metadata, Parameters,
// Rules, Mappings, Conditions, Transform, Resources, Outputs); inside a
// resource, Type, Condition, DependsOn, DeletionPolicy, UpdateReplacePolicy,
// Metadata, Properties; inside an output, Description, Condition, Value,
// Export; every other object's keys sort by byte value, logical IDs included.
package cfn
