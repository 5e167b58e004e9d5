// Package alarms compiles each state machine's alarms block into
// AWS::CloudWatch::Alarm resources, one per metric, with the plugin's
// logical IDs (<machine><Metric>Alarm, or the metric's logicalId) and
// names. A block that breaks the plugin's Joi schema gives no alarm (see
// package joi); an unknown metric is an error in the default mode.
package alarms

import (
	"fmt"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// nameTemplateVar finds $[name] in an alarm name template.
var nameTemplateVar = lazyre.New(`\$\[([^\]\[]*)\]`)

// Emit adds the AWS::CloudWatch::Alarm resources of every machine.
func Emit(ctx *emit.Context) {
	c := &emitter{ctx}
	out := map[string]any{}
	var order []string
	for _, m := range c.Service.StepFunctions.StateMachines {
		a, diags := schema.DecodeAlarms(m, c.Compat())
		c.Diags.Append(diags)
		if a == nil {
			continue
		}
		for _, r := range c.machineAlarms(m, a) {
			if !c.Collided[m] {
				c.ClaimID(r.id, r.pos, fmt.Sprintf("the %s alarm of state machine %q", r.metric, m.Key),
					"Give each alarm a logicalId of its own.")
			}
			if _, seen := out[r.id]; !seen {
				order = append(order, r.id)
			}
			out[r.id] = r.body
		}
	}
	for _, id := range order {
		c.MergeResource(id, out[id])
	}
}

type alarmResource struct {
	id     string
	metric string
	pos    diag.Pos
	body   any
}

// machineAlarms builds one alarm per metric of a machine.
func (c *emitter) machineAlarms(m *schema.StateMachine, a *schema.Alarms) []alarmResource {
	smID := m.LogicalID()
	name := m.DisplayName()
	actions := func(topic *schema.Node) *schema.Node {
		if topic != nil {
			return jsvalue.Arr(topic)
		}
		return jsvalue.Arr()
	}
	defaultMissing := a.TreatMissingData
	if defaultMissing == nil {
		defaultMissing = jsvalue.Val("missing")
	}
	defaultPeriod := a.Period
	if defaultPeriod == nil {
		defaultPeriod = jsvalue.Val(60)
	}
	var out []alarmResource
	for _, metric := range a.Metrics {
		names := schema.AlarmMetrics[metric.Metric]
		id := smID + names.CloudWatch + "Alarm"
		if metric.LogicalID != nil {
			id = metric.LogicalID.Value
		}
		missing, period := defaultMissing, defaultPeriod
		if metric.TreatMissingData != nil {
			missing = metric.TreatMissingData
		}
		if metric.Period != nil {
			period = metric.Period
		}
		var alarmName *schema.Node
		if a.NameTemplate != nil {
			if s := fillNameTemplate(a.NameTemplate.Value, map[string]string{
				"stateMachineName": name, "metricName": metric.Metric, "cloudWatchMetricName": names.CloudWatch}); s != "" {
				alarmName = jsvalue.Val(s)
			}
		}
		if metric.AlarmName != nil {
			alarmName = metric.AlarmName
		}
		props := jsvalue.Obj(
			"Namespace", "AWS/States",
			"MetricName", names.CloudWatch,
			"AlarmDescription", fmt.Sprintf("%s[%s][%s]: %s", name, c.Service.Stage, c.Service.Region, names.Description),
			"Threshold", 1,
			"Period", period,
			"EvaluationPeriods", 1,
			"ComparisonOperator", "GreaterThanOrEqualToThreshold",
			"Statistic", "Sum",
			"OKActions", actions(a.OK),
			"AlarmActions", actions(a.Alarm),
			"InsufficientDataActions", actions(a.InsufficientData),
			"TreatMissingData", missing,
			"Dimensions", jsvalue.Arr(jsvalue.Obj("Name", "StateMachineArn", "Value", jsvalue.Ref(smID))),
			"AlarmName", jsvalue.TruthyOrNil(alarmName),
		)
		out = append(out, alarmResource{id, metric.Metric, metric.IDPos(), jsvalue.Plain(jsvalue.Obj("Type", "AWS::CloudWatch::Alarm", "Properties", props))})
	}
	return out
}

// fillNameTemplate replaces each $[variable] of an alarm name template
// (schema.DecodeAlarms has checked them); a template without variables is
// the name itself (the default mode; the plugin crashes on it).
func fillNameTemplate(tpl string, vars map[string]string) string {
	s := tpl
	for _, mm := range nameTemplateVar.FindAllStringSubmatch(tpl, -1) {
		s = jsvalue.ReplaceFirst(s, "$["+mm[1]+"]", vars[mm[1]])
	}
	return s
}

// emitter is the compilation's context as this concern uses it.
type emitter struct{ *emit.Context }
