package schema

import (
	"fmt"

	"github.com/stepform/stepform/schema/diag"
)

// EventKinds are the events the plugin compiles: EventSpec's keys.
var EventKinds = []string{"http", "schedule", "cloudwatchEvent", "eventBridge"}

// MachineEvents are a state machine's events by kind, each list in the
// file's order. An entry may hold several kinds (the plugin tests each
// key), so it can appear in several lists.
type MachineEvents struct {
	// Schedules are the counted schedules: the plugin numbers them 1, 2,
	// ... per machine, broken ones included.
	Schedules []*Schedule
	// Rules are the counted cloudwatchEvent and eventBridge events, one
	// numbering for both.
	Rules []*EventRule
	// HTTP are the http events with a valid path and method.
	HTTP []*HTTPEvent
}

// DecodeMachineEvents decodes every event of m, and warns of each entry
// the plugin ignores (one with none of the keys it compiles).
func DecodeMachineEvents(svc *Service, m *StateMachine, compat Compat) (MachineEvents, diag.List) {
	var out MachineEvents
	var diags diag.List
	if m.Events == nil {
		return out, nil
	}
	for _, ev := range m.Events.Items {
		if p := ev.Pair("http"); p != nil {
			h, d := DecodeHTTPEvent(svc, m, p, compat)
			diags.Append(d)
			if h != nil {
				out.HTTP = append(out.HTTP, h)
			}
		}
		s, d := DecodeSchedule(m, ev, compat)
		diags.Append(d)
		if s != nil {
			out.Schedules = append(out.Schedules, s)
		}
		r, d := DecodeEventRule(m, ev, compat)
		diags.Append(d)
		if r != nil {
			out.Rules = append(out.Rules, r)
		}
		reportIgnoredEvent(&diags, ev, compat)
	}
	return out, diags
}

// IgnoredEvents warns of each event entry of m the plugin ignores (one
// with none of the keys it compiles; it tests each key, so any counts).
func IgnoredEvents(m *StateMachine, compat Compat) diag.List {
	var diags diag.List
	if m.Events == nil {
		return nil
	}
	for _, ev := range m.Events.Items {
		reportIgnoredEvent(&diags, ev, compat)
	}
	return diags
}

// reportIgnoredEvent warns about an event entry with none of the keys
// the plugin compiles. httpApi events are stepform's (default mode).
func reportIgnoredEvent(diags *diag.List, ev *Node, compat Compat) {
	name, pos := "", ev.Pos
	if ev.Kind == Map {
		for _, p := range ev.Pairs {
			if contains(EventKinds, p.Key) {
				return
			}
		}
		if len(ev.Pairs) > 0 {
			name, pos = ev.Pairs[0].Key, ev.Pairs[0].KeyPos
		}
		if p := ev.Pair("httpApi"); p != nil {
			if compat == CompatPlugin {
				diags.Warnf(p.KeyPos, "httpApi events of state machines are ignored",
					"serverless-step-functions has no httpApi event, so this route is not created. stepform's default mode compiles it (an HTTP API route with the Step Functions integration); in plugin mode, use an http event.")
			}
			return
		}
	}
	summary := "event ignored"
	if name != "" {
		summary = fmt.Sprintf("%s events are ignored", name)
	}
	diags.Warnf(pos, summary,
		"serverless-step-functions compiles only http, schedule, cloudwatchEvent and eventBridge events; this one has no effect.%s",
		diag.DidYouMean(name, EventKinds))
}
