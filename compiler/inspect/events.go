package inspect

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// rule describes an EventBridge rule that starts a state machine: a
// schedule or an event pattern. Rules that start none are left out.
func (in *inspector) rule(id string, props map[string]any) (Rule, bool) {
	r := Rule{Kind: "event", LogicalID: id, Enabled: props["State"] == nil || props["State"] == "ENABLED"}
	for _, t := range listOf(props["Targets"]) {
		if key := in.machineOf(mapOf(t)["Arn"]); key != "" {
			r.Machine = key
			break
		}
	}
	if r.Machine == "" {
		return r, false
	}
	if s := props["ScheduleExpression"]; s != nil {
		r.Kind, r.Schedule = "schedule", Show(s)
	}
	if p := props["EventPattern"]; p != nil {
		r.Pattern = compactJSON(p)
	}
	if b := props["EventBusName"]; b != nil {
		r.EventBus = Show(b)
	}
	return r, true
}

// schedule describes an EventBridge Scheduler schedule that starts a
// state machine.
func (in *inspector) schedule(id string, props map[string]any) (Rule, bool) {
	key := in.machineOf(mapOf(props["Target"])["Arn"])
	if key == "" {
		return Rule{}, false
	}
	r := Rule{Kind: "scheduler", Machine: key, LogicalID: id, Schedule: Show(props["ScheduleExpression"]),
		Enabled: props["State"] == nil || props["State"] == "ENABLED"}
	if tz := props["ScheduleExpressionTimezone"]; tz != nil {
		r.Schedule += " (" + Show(tz) + ")"
	}
	if g := props["GroupName"]; g != nil {
		r.EventBus = Show(g)
	}
	return r, true
}

// notification describes the rule stepform makes for a machine's
// notifications of one status: <machine>Notifications<STATUS>EventRule.
func (in *inspector) notification(id string, props map[string]any) (Notification, bool) {
	for _, machineID := range sortedStrings(in.machineByID) {
		key := in.machineByID[machineID]
		status, ok := strings.CutPrefix(id, machineID+"Notifications")
		if !ok || !strings.HasSuffix(status, "EventRule") {
			continue
		}
		n := Notification{Machine: key, Status: strings.TrimSuffix(status, "EventRule"), LogicalID: id, Targets: []string{}}
		for _, t := range listOf(props["Targets"]) {
			n.Targets = append(n.Targets, Show(mapOf(t)["Arn"]))
		}
		return n, true
	}
	return Notification{}, false
}

// alarm describes a CloudWatch alarm on a state machine's metric.
func (in *inspector) alarm(id string, props map[string]any) (Alarm, bool) {
	a := Alarm{LogicalID: id, Metric: Show(props["MetricName"]), Name: Show(props["AlarmName"]), Actions: []string{}}
	for _, d := range listOf(props["Dimensions"]) {
		if key := in.machineOf(mapOf(d)["Value"]); key != "" {
			a.Machine = key
		}
	}
	if a.Machine == "" {
		return a, false
	}
	a.Threshold = Show(props["ComparisonOperator"]) + " " + Show(props["Threshold"])
	for _, kind := range []struct{ key, label string }{
		{"AlarmActions", "ALARM"}, {"OKActions", "OK"}, {"InsufficientDataActions", "INSUFFICIENT_DATA"},
	} {
		for _, act := range listOf(props[kind.key]) {
			a.Actions = append(a.Actions, kind.label+" "+Show(act))
		}
	}
	return a, true
}

// compactJSON writes a value as JSON on one line, keys sorted.
func compactJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return Show(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func sortedStrings(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
