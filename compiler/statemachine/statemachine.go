// Package statemachine compiles each state machine into its
// AWS::StepFunctions::StateMachine (definition, logging, tracing, tags,
// retention) and output, and each activity into its resource and output;
// in the default mode a machine that logs without destinations also gets
// its log group.
// A definition becomes DefinitionString as the plugin writes it: JSON text,
// or a Fn::Sub template when it holds intrinsics or #{...} references,
// with local function names turned into logical IDs (and, with
// useExactVersion and --base, into version copies the orchestrator
// merges). The definition is checked by package asl first.
package statemachine

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// machine adds the AWS::StepFunctions::StateMachine resource and its
// ARN output.
func (c *emitter) machine(m *schema.StateMachine) {
	if m.Definition == nil {
		return
	}
	id := m.LogicalID()
	def := m.Definition
	if def.Kind == schema.String && !c.Quirks.StringDefinitionAsLiteral {
		def = c.parseStringDefinition(def)
	}
	c.validateDefinition(m, def)
	inject := c.Service.StepFunctions.Validate && c.Quirks.ValidateInjectsQueryLanguage
	if def.Kind == schema.Map && (inject || m.Settings.ConfigureTaskTimeouts) {
		def = def.Clone()
		if inject {
			injectQueryLanguage(def)
		}
		if m.Settings.ConfigureTaskTimeouts {
			c.configureTaskTimeouts(def)
		}
	}
	set := &m.Settings
	sm := &cfn.StateMachine{}
	sm.DefinitionStringValue = c.definitionString(m, def)
	if set.Role != nil {
		sm.RoleArn = cfn.Str(jsvalue.Plain(set.Role))
	} else {
		sm.RoleArnValue = cfn.GetAtt(id+"Role", "Arn")
		sm.AWSCloudFormationDependsOn = []string{id + "Role"}
	}
	sm.AWSCloudFormationDependsOn = append(sm.AWSCloudFormationDependsOn, set.DependsOn...)
	if set.Type != "" {
		sm.StateMachineType = &set.Type
	}
	if lc := set.Logging; lc != nil {
		sm.LoggingConfiguration = &cfn.LoggingConfiguration{
			Level:                cfn.String(lc.Level),
			IncludeExecutionData: cfn.Bool(lc.IncludeExecutionData),
		}
		for _, arn := range lc.Destinations {
			sm.LoggingConfiguration.Destinations = append(sm.LoggingConfiguration.Destinations,
				cfn.LogDestination{
					CloudWatchLogsLogGroup: &cfn.CloudWatchLogsLogGroup{LogGroupArn: cfn.StrPtr(jsvalue.Plain(arn))},
				})
		}
		if arn := c.defaultLogGroup(m); arn != nil {
			sm.LoggingConfiguration.Destinations = []cfn.LogDestination{{
				CloudWatchLogsLogGroup: &cfn.CloudWatchLogsLogGroup{LogGroupArn: cfn.StrPtr(arn)},
			}}
		}
	}
	if tc := set.Tracing; tc != nil {
		sm.TracingConfiguration = &cfn.TracingConfiguration{
			Enabled: cfn.Bool(tc.Enabled),
		}
	}
	if ec := set.Encryption; ec != nil {
		sm.EncryptionConfiguration = &cfn.EncryptionConfiguration{
			KmsDataKeyReusePeriodSeconds: json.Number(ec.KmsDataKeyReusePeriodSeconds),
			KmsKeyId:                     cfn.Sub(ec.KmsKeyID),
			Type:                         ec.Type,
		}
	}
	sm.Tags = c.tags(m)
	if set.Name != "" {
		sm.StateMachineName = &set.Name
	}
	if set.Retain {
		sm.AWSCloudFormationDeletionPolicy = cfn.Retain
		if !c.Quirks.RetainWithoutUpdateReplace {
			sm.AWSCloudFormationUpdateReplacePolicy = cfn.RetainReplace
		}
	}
	c.Template.SetResourceConverting(id, sm)
	if !c.Service.StepFunctions.NoOutput {
		c.Template.SetOutput(m.OutputID(), cfn.Output{
			Description: cfn.String("Current StateMachine Arn"),
			Value:       cfn.Ref(id),
		})
	}
}

// parseStringDefinition reads a definition given as JSON text. The plugin
// writes such a definition as a quoted string literal, which Step
// Functions rejects; stepform compiles it like an object definition.
func (c *emitter) parseStringDefinition(def *schema.Node) *schema.Node {
	parsed, diags := schema.ParseJSON(def.Pos.File, []byte(def.Value))
	if diags.HasErrors() || parsed == nil || parsed.Kind != schema.Map {
		problem := "It holds no object."
		if diags.HasErrors() {
			problem = fmt.Sprintf("At line %d, column %d of the string: %s", diags[0].Pos.Line, diags[0].Pos.Col, strings.TrimSuffix(diags[0].Detail, " Fix the JSON syntax here."))
		}
		c.Diags.Errorf(def.Pos, "definition string is not a JSON object",
			"%s A string definition must hold the state machine as JSON ({\"StartAt\": ..., \"States\": {...}}). Write it as YAML under definition: instead.", problem)
		return def
	}
	relocate(parsed, def.Pos)
	return parsed
}

// relocate gives every node of a tree parsed from a string the position
// of that string, so diagnostics point into serverless.yml.
func relocate(n *schema.Node, pos diag.Pos) {
	n.Pos = pos
	for i := range n.Pairs {
		n.Pairs[i].KeyPos = pos
		relocate(n.Pairs[i].Value, pos)
	}
	for _, it := range n.Items {
		relocate(it, pos)
	}
}

// tags builds the machine's Tags: provider tags (unless inheritGlobalTags
// is false), then the machine's own.
func (c *emitter) tags(m *schema.StateMachine) []cfn.StateMachineTag {
	var tags []schema.Tag
	if m.Settings.InheritGlobalTags && c.Service.Provider.Tags != nil {
		for _, p := range jsvalue.Pairs(c.Service.Provider.Tags) {
			tags = append(tags, schema.Tag{Key: p.Key, KeyPos: p.KeyPos, Value: p.Value})
		}
	}
	tags = append(tags, m.Settings.Tags...)
	var out []cfn.StateMachineTag
	index := map[string]int{}
	for _, t := range tags {
		value := c.tagValue(t.Value)
		if value == "" && t.Value.Kind != schema.Map && t.Value.Kind != schema.List {
			c.emptyTagValue(t)
		}
		if i, dup := index[t.Key]; dup && !c.Quirks.DuplicateTagKeys {
			out[i].Value = value // the machine's tag overrides the provider's
			continue
		}
		index[t.Key] = len(out)
		out = append(out, cfn.StateMachineTag{Key: t.Key, Value: value})
	}
	return out
}

// tagValue is (value || ”).toString() in plugin mode. The default mode
// keeps false and 0 as "false" and "0" instead of dropping them.
func (c *emitter) tagValue(v *schema.Node) string {
	if c.Quirks.TagValuesAsJSStrings {
		if !v.Truthy() {
			return ""
		}
		return jsvalue.String(v)
	}
	switch v.Kind {
	case schema.Null:
		return ""
	case schema.Map, schema.List:
		c.Diags.Errorf(v.Pos, "tag value must be a string", "Got %s. Tag values are strings; quote the value.", jsvalue.KindPhrase(v))
		return ""
	}
	return v.Value
}

// activities adds one AWS::StepFunctions::Activity per name, and its output.
func (c *emitter) activities() {
	for _, a := range c.Service.StepFunctions.Activities {
		id := schema.NormalizeName(a.Name) + "StepFunctionsActivity"
		c.Add(id, &cfn.Activity{Name: a.Name})
		// The plugin writes activity outputs even with noOutput: true.
		if c.Quirks.ActivityOutputsIgnoreNoOutput || !c.Service.StepFunctions.NoOutput {
			c.Template.SetOutput(id+"Arn", cfn.Output{
				Description: cfn.String("Current StateMachine Arn"),
				Value:       cfn.Ref(id),
			})
		}
	}
}

// emptyTagValue reports a tag whose value is empty: the Step Functions API
// takes it, but CloudFormation's schema for state machine tags requires a
// value of at least one character. A provider tag is reported once, not
// per machine.
func (c *emitter) emptyTagValue(p schema.Tag) {
	if c.reportedTags[p.Value.Pos] {
		return
	}
	c.reportedTags[p.Value.Pos] = true
	got := jsvalue.Describe(p.Value)
	switch p.Value.Kind {
	case schema.Null:
		got = "null, which becomes an empty string"
	case schema.Bool, schema.Number:
		got = fmt.Sprintf("%s, which the plugin writes as an empty string", jsvalue.String(p.Value))
	}
	c.DeployFailure(p.Value.Pos, fmt.Sprintf("tag %q has an empty value", p.Key),
		"Got %s. CloudFormation requires state machine tag values of 1 to 256 characters; give it a value or remove the tag.", got)
}

// Emit adds every state machine and activity of the service, and returns
// the Lambda version copies the definitions refer to.
func Emit(ctx *emit.Context) []LayerVersion {
	c := &emitter{Context: ctx, reportedTags: map[diag.Pos]bool{}}
	for _, m := range ctx.Service.StepFunctions.StateMachines {
		c.machine(m)
	}
	c.activities()
	return c.layerVersions
}

// emitter is the compilation's context as this concern uses it.
type emitter struct {
	*emit.Context
	// layerVersions are Lambda version copies useExactVersion adds.
	layerVersions []LayerVersion
	// reportedTags are the tag values already reported as empty.
	reportedTags map[diag.Pos]bool
}
