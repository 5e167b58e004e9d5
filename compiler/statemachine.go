package compiler

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// stateMachine adds the AWS::StepFunctions::StateMachine resource and its
// ARN output.
func (c *compiler) stateMachine(m *schema.StateMachine) {
	if m.Definition == nil {
		return
	}
	id := m.LogicalID()
	def := m.Definition
	if def.Kind == schema.String && !c.q.StringDefinitionAsLiteral {
		def = c.parseStringDefinition(def)
	}
	c.validateDefinition(m, def)
	inject := c.svc.StepFunctions.Validate && c.q.ValidateInjectsQueryLanguage
	if def.Kind == schema.Map && (inject || m.ConfigureTaskTimeouts) {
		def = def.Clone()
		if inject {
			injectQueryLanguage(def)
		}
		if m.ConfigureTaskTimeouts {
			c.configureTaskTimeouts(def)
		}
	}
	sm := &cfn.StateMachine{}
	sm.DefinitionString = cfn.StrPtr(c.definitionString(m, def))
	if m.Role != nil {
		sm.RoleArn = cfn.Str(jsvalue.Plain(m.Role))
	} else {
		sm.RoleArn = cfn.Str(cfn.GetAtt(id+"Role", "Arn"))
		sm.AWSCloudFormationDependsOn = []string{id + "Role"}
	}
	if dep := m.DependsOn; dep != nil {
		if dep.Kind == schema.String {
			sm.AWSCloudFormationDependsOn = append(sm.AWSCloudFormationDependsOn, dep.Value)
		}
		for _, it := range dep.Items {
			sm.AWSCloudFormationDependsOn = append(sm.AWSCloudFormationDependsOn, it.Value)
		}
	}
	if m.Type != nil {
		sm.StateMachineType = &m.Type.Value
	}
	if lc := m.LoggingConfig; lc != nil {
		sm.LoggingConfiguration = &stepfunctions.StateMachine_LoggingConfiguration{
			Level:                cloudformation.String(stringOr(lc.Get("level"), "OFF")),
			IncludeExecutionData: cloudformation.Bool(lc.Get("includeExecutionData").Truthy()),
		}
		if d := lc.Get("destinations"); d != nil && len(d.Items) > 0 {
			for _, arn := range d.Items {
				sm.LoggingConfiguration.Destinations = append(sm.LoggingConfiguration.Destinations,
					stepfunctions.StateMachine_LogDestination{
						CloudWatchLogsLogGroup: &stepfunctions.StateMachine_CloudWatchLogsLogGroup{LogGroupArn: cfn.StrPtr(jsvalue.Plain(arn))},
					})
			}
		}
		if arn := c.defaultLogGroup(m); arn != nil {
			sm.LoggingConfiguration.Destinations = []stepfunctions.StateMachine_LogDestination{{
				CloudWatchLogsLogGroup: &stepfunctions.StateMachine_CloudWatchLogsLogGroup{LogGroupArn: cfn.StrPtr(arn)},
			}}
		}
	}
	if tc := m.TracingConfig; tc != nil {
		sm.TracingConfiguration = &stepfunctions.StateMachine_TracingConfiguration{
			Enabled: cloudformation.Bool(tc.Get("enabled").Truthy()),
		}
	}
	if ec := m.EncryptionConfig; ec != nil {
		period := any(json.Number("900"))
		if p := ec.Get("KmsDataKeyReusePeriodSeconds"); p != nil && p.Kind == schema.Number {
			period = json.Number(p.Value)
		}
		sm.EncryptionConfiguration = &cfn.EncryptionConfiguration{
			KmsDataKeyReusePeriodSeconds: period,
			KmsKeyId:                     cfn.Sub(stringOr(ec.Get("KmsKeyId"), "")),
			Type:                         stringOr(ec.Get("Type"), "AWS_OWNED_KEY"),
		}
	}
	sm.Tags = c.tags(m)
	if m.Name != nil && m.Name.Value != "" {
		sm.StateMachineName = &m.Name.Value
	}
	if m.Retain {
		sm.AWSCloudFormationDeletionPolicy = cfn.Retain
		if !c.q.RetainWithoutUpdateReplace {
			sm.AWSCloudFormationUpdateReplacePolicy = cfn.RetainReplace
		}
	}
	c.add(id, sm)
	if !c.svc.StepFunctions.NoOutput {
		c.tpl.SetOutput(m.OutputID(), cfn.Output{
			Description: cloudformation.String("Current StateMachine Arn"),
			Value:       cfn.Ref(id),
		})
	}
}

func stringOr(n *schema.Node, dflt string) string {
	if n == nil || n.Kind == schema.Null {
		return dflt
	}
	return jsvalue.String(n)
}

// parseStringDefinition reads a definition given as JSON text. The plugin
// writes such a definition as a quoted string literal, which Step
// Functions rejects; stepform compiles it like an object definition.
func (c *compiler) parseStringDefinition(def *schema.Node) *schema.Node {
	parsed, diags := schema.ParseJSON(def.Pos.File, []byte(def.Value))
	if diags.HasErrors() || parsed == nil || parsed.Kind != schema.Map {
		problem := "It holds no object."
		if diags.HasErrors() {
			problem = fmt.Sprintf("At line %d, column %d of the string: %s", diags[0].Pos.Line, diags[0].Pos.Col, strings.TrimSuffix(diags[0].Detail, " Fix the JSON syntax here."))
		}
		c.diags.Errorf(def.Pos, "definition string is not a JSON object",
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
func (c *compiler) tags(m *schema.StateMachine) []stepfunctions.StateMachine_TagsEntry {
	var sources []*schema.Node
	if m.InheritGlobalTags == nil || m.InheritGlobalTags.Value != "false" {
		sources = append(sources, c.svc.Provider.Tags)
	}
	sources = append(sources, m.Tags)
	var out []stepfunctions.StateMachine_TagsEntry
	index := map[string]int{}
	for _, src := range sources {
		if src == nil {
			continue
		}
		for _, p := range jsvalue.Pairs(src) {
			value := c.tagValue(p.Value)
			if value == "" && p.Value.Kind != schema.Map && p.Value.Kind != schema.List {
				c.emptyTagValue(p)
			}
			if i, dup := index[p.Key]; dup && !c.q.DuplicateTagKeys {
				out[i].Value = value // the machine's tag overrides the provider's
				continue
			}
			index[p.Key] = len(out)
			out = append(out, stepfunctions.StateMachine_TagsEntry{Key: p.Key, Value: value})
		}
	}
	return out
}

// tagValue is (value || ”).toString() in plugin mode. The default mode
// keeps false and 0 as "false" and "0" instead of dropping them.
func (c *compiler) tagValue(v *schema.Node) string {
	if c.q.TagValuesAsJSStrings {
		if !v.Truthy() {
			return ""
		}
		return jsvalue.String(v)
	}
	switch v.Kind {
	case schema.Null:
		return ""
	case schema.Map, schema.List:
		c.diags.Errorf(v.Pos, "tag value must be a string", "Got %s. Tag values are strings; quote the value.", jsvalue.KindPhrase(v))
		return ""
	}
	return v.Value
}

// activities adds one AWS::StepFunctions::Activity per name, and its output.
func (c *compiler) activities() {
	for _, a := range c.svc.StepFunctions.Activities {
		id := schema.NormalizeName(a.Name) + "StepFunctionsActivity"
		c.add(id, &stepfunctions.Activity{Name: a.Name})
		// The plugin writes activity outputs even with noOutput: true.
		if c.q.ActivityOutputsIgnoreNoOutput || !c.svc.StepFunctions.NoOutput {
			c.tpl.SetOutput(id+"Arn", cfn.Output{
				Description: cloudformation.String("Current StateMachine Arn"),
				Value:       cfn.Ref(id),
			})
		}
	}
}

// eventKinds are the events the plugin compiles.
var eventKinds = schema.EventSpec.KeyNames()

// reportEvents warns about every event entry the plugin ignores: one with
// none of the keys it compiles (it tests each key, so any of them counts).
func (c *compiler) reportEvents() {
	for _, m := range c.svc.StepFunctions.StateMachines {
		if m.Events == nil {
			continue
		}
	entries:
		for _, ev := range m.Events.Items {
			name, pos := "", ev.Pos
			if ev.Kind == schema.Map {
				for _, p := range ev.Pairs {
					if contains(eventKinds, p.Key) {
						continue entries
					}
				}
				if len(ev.Pairs) > 0 {
					name, pos = ev.Pairs[0].Key, ev.Pairs[0].KeyPos
				}
				if p := ev.Pair("httpApi"); p != nil {
					if c.plugin() {
						c.diags.Warnf(p.KeyPos, "httpApi events of state machines are ignored",
							"serverless-step-functions has no httpApi event, so this route is not created. stepform's default mode compiles it (an HTTP API route with the Step Functions integration); in plugin mode, use an http event.")
					}
					continue
				}
			}
			summary := "event ignored"
			if name != "" {
				summary = fmt.Sprintf("%s events are ignored", name)
			}
			c.diags.Warnf(pos, summary,
				"serverless-step-functions compiles only http, schedule, cloudwatchEvent and eventBridge events; this one has no effect.%s",
				diag.DidYouMean(name, eventKinds))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
