package schema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema/diag"
)

// AlarmMetric describes one metric the `alarms` block takes.
type AlarmMetric struct {
	// CloudWatch is CloudWatch's metric name (AWS/States namespace).
	CloudWatch string
	// Description ends the plugin's AlarmDescription.
	Description string
}

// AlarmMetrics maps the metric names alarms take to CloudWatch's names and
// the plugin's alarm descriptions.
var AlarmMetrics = map[string]AlarmMetric{
	"executionsTimedOut":  {"ExecutionsTimedOut", "executions timed out"},
	"executionsFailed":    {"ExecutionsFailed", "executions failed"},
	"executionsAborted":   {"ExecutionsAborted", "executions were aborted"},
	"executionThrottled":  {"ExecutionThrottled", "execution were throttled"},
	"executionsSucceeded": {"ExecutionsSucceeded", "executions succeeded"},
}

// AlarmMetricNames are the keys of AlarmMetrics, sorted.
func AlarmMetricNames() []string {
	names := make([]string, 0, len(AlarmMetrics))
	for k := range AlarmMetrics {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// AlarmNameVars are the variables an alarms.nameTemplate takes.
var AlarmNameVars = []string{"stateMachineName", "cloudWatchMetricName", "metricName"}

// alarmNameVar finds $[name] in an alarm name template.
var alarmNameVar = lazyre.New(`\$\[([^\]\[]*)\]`)

// Alarms is a state machine's `alarms` block, decoded and checked.
type Alarms struct {
	// Pos is the position of the `alarms` key.
	Pos diag.Pos
	// OK, Alarm and InsufficientData are the topics' ARNs (strings or
	// intrinsics, passed through), nil when absent or falsy.
	OK, Alarm, InsufficientData *Node
	// Metrics are the known metrics in order, a name repeated as a string
	// dropped (the plugin's _.uniq; objects are never equal). In plugin
	// mode the unknown names the plugin skips are left out (and warned of).
	Metrics []AlarmSetting
	// NameTemplate is alarms.nameTemplate, nil when absent or when the
	// plugin gives the alarms no name (plugin mode, an unknown variable).
	// In the default mode a template without variables is the name itself.
	NameTemplate *Node
	// TreatMissingData and Period are the block's defaults as written
	// (CloudFormation takes a numeric string for Period, so it passes
	// through unconverted); nil when absent.
	TreatMissingData, Period *Node
}

// AlarmSetting is one entry of alarms.metrics.
type AlarmSetting struct {
	// Metric is the metric name, a key of AlarmMetrics.
	Metric string
	// Pos is the entry's position (the list item).
	Pos diag.Pos
	// LogicalID, AlarmName, TreatMissingData and Period are the object
	// form's settings as written, nil when absent (or for a bare name).
	LogicalID, AlarmName, TreatMissingData, Period *Node
}

// IDPos is where diagnostics about the alarm's logical ID point: its
// logicalId, or the entry.
func (s AlarmSetting) IDPos() diag.Pos { return posOr(s.LogicalID, s.Pos) }

// DecodeAlarms decodes and checks m's alarms block. It returns nil when
// the machine has none, or when the block is dropped: malformed (the
// plugin logs it and creates no alarm; an error in the default mode), or
// a name template the plugin crashes on.
func DecodeAlarms(m *StateMachine, compat Compat) (*Alarms, diag.List) {
	f := &findings{compat: compat}
	a := nonNull(m.Node.Get("alarms"))
	if a == nil || a.Kind != Map {
		return nil, nil // schema.Decode reports a non-object
	}
	if !checkAlarms(f, m, a) {
		return nil, f.diags
	}
	out := &Alarms{Pos: keyPosIn(m.Node, "alarms"), TreatMissingData: a.Get("treatMissingData"), Period: a.Get("period"), NameTemplate: a.Get("nameTemplate")}
	topics := a.Get("topics")
	truthy := func(n *Node) *Node {
		if n.Truthy() {
			return n
		}
		return nil
	}
	out.OK, out.Alarm, out.InsufficientData = truthy(topics.Get("ok")), truthy(topics.Get("alarm")), truthy(topics.Get("insufficientData"))
	var seen []string
	nameChecked := false
	for _, metric := range a.Get("metrics").Items {
		s := AlarmSetting{Pos: metric.Pos}
		nameNode := metric
		if metric.Kind == Map {
			nameNode = metric.Get("metric")
			s.LogicalID, s.AlarmName = metric.Get("logicalId"), metric.Get("alarmName")
			s.TreatMissingData, s.Period = metric.Get("treatMissingData"), metric.Get("period")
		} else {
			if contains(seen, metric.Value) {
				continue
			}
			seen = append(seen, metric.Value)
		}
		s.Metric = nameNode.Value
		if _, ok := AlarmMetrics[s.Metric]; !ok {
			// Only plugin mode gets here: the default mode's check rejects it.
			f.diags.Warnf(nameNode.Pos, fmt.Sprintf("unknown alarm metric %q", s.Metric),
				"serverless-step-functions creates no alarm for it. Metrics are %s.%s",
				strings.Join(AlarmMetricNames(), ", "), diag.DidYouMean(s.Metric, AlarmMetricNames()))
			continue
		}
		// The plugin fills the template for the first alarm it builds, so
		// its crash on a template without variables, and its warning on
		// an unknown variable, need a known metric.
		if out.NameTemplate != nil && !nameChecked {
			nameChecked = true
			if !alarmNameTemplate(f, out) {
				return nil, f.diags
			}
		}
		out.Metrics = append(out.Metrics, s)
	}
	return out, f.diags
}

// alarmNameTemplate reports what the plugin does with a name template:
// it crashes on one without any $[...] and gives no name for one with an
// unknown variable (plugin mode; the default mode's check covers both).
func alarmNameTemplate(f *findings, out *Alarms) bool {
	tpl := out.NameTemplate
	matches := alarmNameVar.FindAllStringSubmatch(tpl.Value, -1)
	if len(matches) == 0 {
		if f.plugin() {
			f.pluginCrash(tpl.Pos, "matches is not iterable", "alarms.nameTemplate", "Add a variable such as $[metricName] (several alarms cannot share one name); the default mode takes the text as the name.")
			return false
		}
		return true
	}
	for _, mm := range matches {
		if !contains(AlarmNameVars, mm[1]) {
			f.diags.Warnf(tpl.Pos, fmt.Sprintf("unknown variable $[%s] in alarms.nameTemplate", mm[1]),
				"serverless-step-functions gives the alarms no name. The template takes $[stateMachineName], $[metricName] and $[cloudWatchMetricName].%s",
				diag.DidYouMean(mm[1], AlarmNameVars))
			out.NameTemplate = nil
			return true
		}
	}
	return true
}

// checkAlarms applies the plugin's Joi schema for alarms, and the default
// mode's checks of metric names and template variables.
func checkAlarms(f *findings, m *StateMachine, a *Node) bool {
	k := &blockCheck{what: "alarms"}
	k.keys(a, "alarms", AlarmsSpec().KeyNames())
	topics := a.Get("topics")
	switch {
	case topics == nil:
		k.add(keyPosIn(m.Node, "alarms"), "alarms needs topics", "Add topics: {alarm: <SNS topic ARN>} (ok and insufficientData are optional).")
	case topics.Kind != Map:
		k.add(topics.Pos, "alarms.topics must be an object", "Write topics: {ok: ..., alarm: ..., insufficientData: ...}; got %s.", describeBrief(topics))
	default:
		allowed := AlarmTopicsSpec().KeyNames()
		k.keys(topics, "alarms.topics", allowed)
		any := false
		for _, t := range allowed {
			if v := topics.Get(t); v != nil {
				any = true
				k.arn(v, "alarms.topics."+t, true)
			}
		}
		if !any {
			k.add(topics.Pos, "alarms.topics names no topic", "Set at least one of ok, alarm and insufficientData.")
		}
	}
	metrics := a.Get("metrics")
	switch {
	case metrics == nil:
		k.add(keyPosIn(m.Node, "alarms"), "alarms needs metrics", "Add metrics: [executionsFailed, executionsTimedOut, ...].")
	case metrics.Kind != List:
		k.add(metrics.Pos, "alarms.metrics must be a list", "Write metrics: [executionsFailed, ...]; got %s.", describeBrief(metrics))
	case len(metrics.Items) == 0:
		k.add(metrics.Pos, "alarms.metrics is empty", "List at least one metric: %s.", strings.Join(AlarmMetricNames(), ", "))
	default:
		for _, it := range metrics.Items {
			checkAlarmMetric(f, k, it)
		}
	}
	if v := a.Get("nameTemplate"); v != nil && k.str(v, "alarms.nameTemplate") && !f.plugin() {
		for _, mm := range alarmNameVar.FindAllStringSubmatch(v.Value, -1) {
			if !contains(AlarmNameVars, mm[1]) {
				k.add(v.Pos, fmt.Sprintf("unknown variable $[%s] in alarms.nameTemplate", mm[1]),
					"The template takes $[stateMachineName], $[metricName] and $[cloudWatchMetricName].%s",
					diag.DidYouMean(mm[1], AlarmNameVars))
			}
		}
	}
	if v := a.Get("treatMissingData"); v != nil {
		k.str(v, "alarms.treatMissingData")
	}
	if v := a.Get("period"); v != nil {
		k.positiveInt(v, "alarms.period")
	}
	return k.report(f, m.Key)
}

func checkAlarmMetric(f *findings, k *blockCheck, it *Node) {
	name := it
	if it.Kind == Map {
		k.keys(it, "an alarms metric", AlarmMetricSpec().KeyNames())
		name = it.Get("metric")
		if name == nil {
			k.add(it.Pos, "alarms metric has no metric name", "Write {metric: executionsFailed, ...}.")
		}
		for _, s := range []string{"logicalId", "alarmName", "treatMissingData"} {
			if v := it.Get(s); v != nil {
				k.str(v, "metric "+s)
			}
		}
		if v := it.Get("period"); v != nil {
			k.positiveInt(v, "metric period")
		}
	}
	if name == nil || !k.str(name, "alarms metric") || f.plugin() {
		return
	}
	// The plugin drops unknown metric names with a log line, which hides
	// typos; the default mode rejects them.
	if _, ok := AlarmMetrics[name.Value]; !ok {
		k.add(name.Pos, fmt.Sprintf("unknown alarm metric %q", name.Value),
			"Metrics are %s.%s", strings.Join(AlarmMetricNames(), ", "), diag.DidYouMean(name.Value, AlarmMetricNames()))
	}
}
