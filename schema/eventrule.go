package schema

import (
	"github.com/stepform/stepform/schema/diag"
)

// EventRule is a `cloudwatchEvent` or `eventBridge` event (the plugin
// compiles both the same way, with one counter).
type EventRule struct {
	// Key is "cloudwatchEvent" or "eventBridge"; Pos is the position of
	// the event entry's first key, where the plugin-mode failure to parse
	// its JSON text is reported.
	Key string
	Pos diag.Pos
	// Node is the raw rule object.
	Node *Node
	// Event is the event pattern, which passes through (the plugin
	// stringifies it into its JSON text, line-break escapes removed).
	Event *Node
	// Disabled is true only for enabled: false (the boolean).
	Disabled bool
	// Input, InputPath and InputTransformer stay raw: the plugin pastes
	// them into JSON text, where a string and an object differ.
	// In the default mode InputTransformer is nil unless it is an object
	// with an inputTemplate string (anything else is reported).
	Input, InputPath, InputTransformer *Node
	// Description and Name are written as text when truthy.
	Description, Name *Node
	// EventBusName, DeadLetterConfig (the target's DeadLetterConfig.Arn),
	// RetryPolicy and IAMRole pass through; nil when absent.
	EventBusName, DeadLetterConfig, RetryPolicy, IAMRole *Node
	// Broken is set when the rule counts in the machine's numbering but
	// compiles to nothing.
	Broken bool
}

// DecodeEventRule decodes the cloudwatchEvent or eventBridge of one event
// entry of m (cloudwatchEvent first, when truthy). It returns nil when the
// entry has neither, or only empty ones (which the plugin skips without
// counting them).
//
// The plugin-mode failure to parse the JSON text it pastes together (a
// quote or backslash in name, description, input or inputTransformer)
// depends on the text the compiler builds, so the compiler reports it.
func DecodeEventRule(m *StateMachine, ev *Node, compat Compat) (*EventRule, diag.List) {
	f := &findings{compat: compat}
	key := "cloudwatchEvent"
	rule := ev.Get(key)
	if !rule.Truthy() {
		key = "eventBridge"
		rule = ev.Get(key)
	}
	if !rule.Truthy() {
		for _, k := range []string{"cloudwatchEvent", "eventBridge"} {
			if p := ev.Pair(k); p != nil {
				f.strictf(posOr(p.Value, p.KeyPos), k+" is empty",
					"The plugin skips an empty %s event, so nothing starts state machine %s on it. Give it an event pattern, or remove the event.", k, m.Key)
			}
		}
		return nil, f.diags
	}
	r := &EventRule{Key: key, Pos: ev.Pairs[0].KeyPos, Node: rule}
	r.Broken = !f.readEventRule(m, rule, r)
	return r, f.diags
}

func (f *findings) readEventRule(m *StateMachine, rule *Node, r *EventRule) bool {
	if rule.Kind != Map {
		f.diags.Errorf(rule.Pos, "event rule must be an object",
			"Write cloudwatchEvent: {event: {source: [...], detail-type: [...]}} (eventBridge the same).")
		return false
	}
	r.Event = rule.Get("event")
	if !r.Event.Truthy() {
		f.diags.Errorf(keyPosIn(rule, "event"), "event rule has no event pattern",
			"Add event: {source: [aws.ec2], detail-type: [...]} with the pattern to match in state machine %s.", m.Key)
		return false
	}
	if !f.checkEventInput(rule) {
		return false
	}
	f.checkEventRuleSettings(rule, r.Event)
	if e := rule.Get("enabled"); e != nil && e.Kind == Bool && e.Value == "false" {
		r.Disabled = true
	}
	r.Input, r.InputPath, r.InputTransformer = rule.Get("input"), rule.Get("inputPath"), rule.Get("inputTransformer")
	r.Description, r.Name = rule.Get("description"), rule.Get("name")
	r.EventBusName, r.DeadLetterConfig = rule.Get("eventBusName"), rule.Get("deadLetterConfig")
	r.RetryPolicy, r.IAMRole = rule.Get("retryPolicy"), rule.Get("iamRole")
	if f.plugin() {
		// The plugin calls .replace on these, which only strings have
		// (input may also be an object, which it stringifies first).
		if r.Input.Truthy() && !isObject(r.Input) && r.Input.Kind != String {
			f.pluginCrash(r.Input.Pos, "Input.replace is not a function", "input", "Quote the input; the default mode compiles it as it is.")
			return false
		}
		if r.InputPath.Truthy() && r.InputPath.Kind != String {
			f.pluginCrash(r.InputPath.Pos, "InputPath.replace is not a function", "inputPath", "Write the path as a string such as $.detail.")
			return false
		}
		return true
	}
	r.InputTransformer = f.defaultInputTransformer(r.InputTransformer)
	return true
}
