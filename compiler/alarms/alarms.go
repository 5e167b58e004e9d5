// Package alarms compiles each state machine's alarms block into
// AWS::CloudWatch::Alarm resources, one per metric, with the plugin's
// logical IDs (<machine><Metric>Alarm, or the metric's logicalId) and
// names. A block that breaks the plugin's Joi schema gives no alarm (see
// package joi); an unknown metric is an error in the default mode.
package alarms

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/joi"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// alarmMetrics maps the metric names alarms take to CloudWatch's names and
// the plugin's alarm descriptions.
var alarmMetrics = map[string][2]string{
	"executionsTimedOut":  {"ExecutionsTimedOut", "executions timed out"},
	"executionsFailed":    {"ExecutionsFailed", "executions failed"},
	"executionsAborted":   {"ExecutionsAborted", "executions were aborted"},
	"executionThrottled":  {"ExecutionThrottled", "execution were throttled"},
	"executionsSucceeded": {"ExecutionsSucceeded", "executions succeeded"},
}

// alarmMetricNames are the metrics alarms take (schema.AlarmMetrics), sorted.
func alarmMetricNames() []string { return schema.AlarmMetricNames() }

var nameTemplateVars = []string{"stateMachineName", "cloudWatchMetricName", "metricName"}

// nameTemplateVar finds $[name] in an alarm name template.
var nameTemplateVar = regexp.MustCompile(`\$\[([^\]\[]*)\]`)

// Emit adds the AWS::CloudWatch::Alarm resources of every machine.
func Emit(ctx *emit.Context) {
	c := &emitter{ctx}
	out := map[string]any{}
	var order []string
	for _, m := range c.Service.StepFunctions.StateMachines {
		a := m.Alarms
		if a == nil || !c.checkAlarms(m, a) {
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

func (c *emitter) checkAlarms(m *schema.StateMachine, a *schema.Node) bool {
	k := &joi.Checker{What: "alarms"}
	k.Keys(a, "alarms", schema.AlarmsSpec.KeyNames())
	topics := a.Get("topics")
	switch {
	case topics == nil:
		k.Add(jsvalue.KeyPos(m.Node, "alarms"), "alarms needs topics", "Add topics: {alarm: <SNS topic ARN>} (ok and insufficientData are optional).")
	case topics.Kind != schema.Map:
		k.Add(topics.Pos, "alarms.topics must be an object", "Write topics: {ok: ..., alarm: ..., insufficientData: ...}; got %s.", jsvalue.Describe(topics))
	default:
		allowed := schema.AlarmTopicsSpec.KeyNames()
		k.Keys(topics, "alarms.topics", allowed)
		any := false
		for _, t := range allowed {
			if v := topics.Get(t); v != nil {
				any = true
				k.Arn(v, "alarms.topics."+t, true)
			}
		}
		if !any {
			k.Add(topics.Pos, "alarms.topics names no topic", "Set at least one of ok, alarm and insufficientData.")
		}
	}
	metrics := a.Get("metrics")
	switch {
	case metrics == nil:
		k.Add(jsvalue.KeyPos(m.Node, "alarms"), "alarms needs metrics", "Add metrics: [executionsFailed, executionsTimedOut, ...].")
	case metrics.Kind != schema.List:
		k.Add(metrics.Pos, "alarms.metrics must be a list", "Write metrics: [executionsFailed, ...]; got %s.", jsvalue.Describe(metrics))
	case len(metrics.Items) == 0:
		k.Add(metrics.Pos, "alarms.metrics is empty", "List at least one metric: %s.", strings.Join(alarmMetricNames(), ", "))
	default:
		for _, it := range metrics.Items {
			c.checkMetric(k, it)
		}
	}
	if v := a.Get("nameTemplate"); v != nil && k.Str(v, "alarms.nameTemplate") && !c.Quirks.AlarmNameVariablesUnchecked {
		for _, mm := range nameTemplateVar.FindAllStringSubmatch(v.Value, -1) {
			if !slices.Contains(nameTemplateVars, mm[1]) {
				k.Add(v.Pos, fmt.Sprintf("unknown variable $[%s] in alarms.nameTemplate", mm[1]),
					"The template takes $[stateMachineName], $[metricName] and $[cloudWatchMetricName].%s",
					diag.DidYouMean(mm[1], nameTemplateVars))
			}
		}
	}
	if v := a.Get("treatMissingData"); v != nil {
		k.Str(v, "alarms.treatMissingData")
	}
	if v := a.Get("period"); v != nil {
		k.PositiveInt(v, "alarms.period")
	}
	return k.Report(c.Context, m)
}

func (c *emitter) checkMetric(k *joi.Checker, it *schema.Node) {
	name := it
	if it.Kind == schema.Map {
		k.Keys(it, "an alarms metric", schema.AlarmMetricSpec.KeyNames())
		name = it.Get("metric")
		if name == nil {
			k.Add(it.Pos, "alarms metric has no metric name", "Write {metric: executionsFailed, ...}.")
		}
		for _, s := range []string{"logicalId", "alarmName", "treatMissingData"} {
			if v := it.Get(s); v != nil {
				k.Str(v, "metric "+s)
			}
		}
		if v := it.Get("period"); v != nil {
			k.PositiveInt(v, "metric period")
		}
	}
	if name == nil || !k.Str(name, "alarms metric") || c.Quirks.UnknownAlarmMetricsDropped {
		return
	}
	// The plugin drops unknown metric names with a log line, which hides
	// typos; the default mode rejects them.
	if _, ok := alarmMetrics[name.Value]; !ok {
		k.Add(name.Pos, fmt.Sprintf("unknown alarm metric %q", name.Value),
			"Metrics are %s.%s", strings.Join(alarmMetricNames(), ", "), diag.DidYouMean(name.Value, alarmMetricNames()))
	}
}

type alarmResource struct {
	id     string
	metric string
	pos    diag.Pos
	body   any
}

// machineAlarms builds one alarm per known metric of a machine.
func (c *emitter) machineAlarms(m *schema.StateMachine, a *schema.Node) []alarmResource {
	smID := m.LogicalID()
	name := m.DisplayName()
	actions := func(key string) *schema.Node {
		if t := a.Get("topics").Get(key); t.Truthy() {
			return jsvalue.Arr(t)
		}
		return jsvalue.Arr()
	}
	defaultMissing := a.Get("treatMissingData")
	if defaultMissing == nil {
		defaultMissing = jsvalue.Val("missing")
	}
	defaultPeriod := a.Get("period")
	if defaultPeriod == nil {
		defaultPeriod = jsvalue.Val(60)
	}
	template := a.Get("nameTemplate")
	var out []alarmResource
	var seen []string
	for _, metric := range a.Get("metrics").Items {
		var metricName string
		var opts *schema.Node
		if metric.Kind == schema.Map {
			opts = metric
			metricName = metric.Get("metric").Value
		} else {
			// _.uniq drops repeated names (objects are never equal).
			if slices.Contains(seen, metric.Value) {
				continue
			}
			seen = append(seen, metric.Value)
			metricName = metric.Value
		}
		names, ok := alarmMetrics[metricName]
		if !ok {
			c.Diags.Warnf(jsvalue.PosOf(opts.Get("metric"), metric.Pos), fmt.Sprintf("unknown alarm metric %q", metricName),
				"serverless-step-functions creates no alarm for it. Metrics are %s.%s",
				strings.Join(alarmMetricNames(), ", "), diag.DidYouMean(metricName, alarmMetricNames()))
			continue
		}
		id := smID + names[0] + "Alarm"
		if v := opts.Get("logicalId"); v != nil {
			id = v.Value
		}
		missing, period := defaultMissing, defaultPeriod
		if v := opts.Get("treatMissingData"); v != nil {
			missing = v
		}
		if v := opts.Get("period"); v != nil {
			period = v
		}
		// The plugin fills the template even for a metric with its own
		// alarmName, so its crash on a template without variables happens
		// there too.
		var alarmName *schema.Node
		if template != nil {
			s, ok := c.alarmName(template, map[string]string{
				"stateMachineName": name, "metricName": metricName, "cloudWatchMetricName": names[0]})
			if !ok {
				return nil
			}
			if s != "" {
				alarmName = jsvalue.Val(s)
			}
		}
		if v := opts.Get("alarmName"); v != nil {
			alarmName = v
		}
		props := jsvalue.Obj(
			"Namespace", "AWS/States",
			"MetricName", names[0],
			"AlarmDescription", fmt.Sprintf("%s[%s][%s]: %s", name, c.Service.Stage, c.Service.Region, names[1]),
			"Threshold", 1,
			"Period", period,
			"EvaluationPeriods", 1,
			"ComparisonOperator", "GreaterThanOrEqualToThreshold",
			"Statistic", "Sum",
			"OKActions", actions("ok"),
			"AlarmActions", actions("alarm"),
			"InsufficientDataActions", actions("insufficientData"),
			"TreatMissingData", missing,
			"Dimensions", jsvalue.Arr(jsvalue.Obj("Name", "StateMachineArn", "Value", jsvalue.Ref(smID))),
			"AlarmName", jsvalue.TruthyOrNil(alarmName),
		)
		out = append(out, alarmResource{id, metricName, jsvalue.PosOf(opts.Get("logicalId"), metric.Pos), jsvalue.Plain(jsvalue.Obj("Type", "AWS::CloudWatch::Alarm", "Properties", props))})
	}
	return out
}

// alarmName fills an alarm name template. The plugin crashes on a template
// without any $[...] and gives no name for one with an unknown variable.
func (c *emitter) alarmName(tpl *schema.Node, vars map[string]string) (string, bool) {
	matches := nameTemplateVar.FindAllStringSubmatch(tpl.Value, -1)
	if len(matches) == 0 {
		if c.Quirks.AlarmNameWithoutVariableCrashes {
			c.PluginCrash(tpl.Pos, "matches is not iterable", "alarms.nameTemplate", "Add a variable such as $[metricName] (several alarms cannot share one name); the default mode takes the text as the name.")
			return "", false
		}
		return tpl.Value, true
	}
	for _, mm := range matches {
		if !slices.Contains(nameTemplateVars, mm[1]) {
			c.Diags.Warnf(tpl.Pos, fmt.Sprintf("unknown variable $[%s] in alarms.nameTemplate", mm[1]),
				"serverless-step-functions gives the alarms no name. The template takes $[stateMachineName], $[metricName] and $[cloudWatchMetricName].%s",
				diag.DidYouMean(mm[1], nameTemplateVars))
			return "", true
		}
	}
	s := tpl.Value
	for _, mm := range matches {
		s = jsvalue.ReplaceFirst(s, "$["+mm[1]+"]", vars[mm[1]])
	}
	return s, true
}

// emitter is the compilation's context as this concern uses it.
type emitter struct{ *emit.Context }
