package events

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

// EmitRules compiles `cloudwatchEvent` and `eventBridge` events (one
// counter for both): an AWS::Events::Rule per event and, unless every
// event names its iamRole, one role per machine that may start it.
func EmitRules(ctx *emit.Context) {
	c := &emitter{ctx}
	for _, m := range c.Service.StepFunctions.StateMachines {
		n := 0
		for _, ev := range eventItems(m) {
			rule := ev.Get("cloudwatchEvent")
			if !rule.Truthy() {
				rule = ev.Get("eventBridge")
			}
			if !rule.Truthy() {
				for _, key := range []string{"cloudwatchEvent", "eventBridge"} {
					if p := ev.Pair(key); p != nil {
						c.Strictf(jsvalue.PosOf(p.Value, p.KeyPos), key+" is empty",
							"The plugin skips an empty %s event, so nothing starts state machine %s on it. Give it an event pattern, or remove the event.", key, m.Key)
					}
				}
				continue
			}
			n++
			c.eventRule(m, rule, n, ev)
		}
	}
}

var lineBreakEscapes = strings.NewReplacer(`\n`, "", `\r`, "")

var newlines = regexp.MustCompile(`\r?\n`)

func (c *emitter) eventRule(m *schema.StateMachine, rule *schema.Node, n int, ev *schema.Node) {
	if rule.Kind != schema.Map {
		c.Diags.Errorf(rule.Pos, "event rule must be an object",
			"Write cloudwatchEvent: {event: {source: [...], detail-type: [...]}} (eventBridge the same).")
		return
	}
	event := rule.Get("event")
	if !event.Truthy() {
		c.Diags.Errorf(jsvalue.KeyPos(rule, "event"), "event rule has no event pattern",
			"Add event: {source: [aws.ec2], detail-type: [...]} with the pattern to match in state machine %s.", m.Key)
		return
	}
	if !c.checkEventInput(rule) {
		return
	}
	c.checkEventRuleSettings(rule, event)
	key := schema.NormalizeName(m.Key)
	id := fmt.Sprintf("%sEventsRuleCloudWatchEvent%d", key, n)
	roleID := key + "EventToStepFunctionsRole"
	smID := m.LogicalID()
	state := "ENABLED"
	if e := rule.Get("enabled"); e != nil && e.Kind == schema.Bool && e.Value == "false" {
		state = "DISABLED"
	}
	input, inputPath, tr := rule.Get("input"), rule.Get("inputPath"), rule.Get("inputTransformer")
	iamRole := rule.Get("iamRole")
	var body any
	if c.Quirks.EventRuleAsJSONText {
		var t textTemplate
		t.add(`{"Type": "AWS::Events::Rule", "Properties": {`)
		if bus := rule.Get("eventBusName"); bus != nil {
			t.add(`"EventBusName": %s,`, jsvalue.Stringify(bus, ""))
		}
		t.add(`"EventPattern": %s, "State": "%s",`, lineBreakEscapes.Replace(jsvalue.Stringify(event, "")), state)
		if d := rule.Get("description"); d.Truthy() {
			t.add(`"Description": "%s",`, jsvalue.String(d))
		}
		if nm := rule.Get("name"); nm.Truthy() {
			t.add(`"Name": "%s",`, jsvalue.String(nm))
		}
		t.add(`"Targets": [{`)
		if input.Truthy() {
			if !jsvalue.IsObject(input) && input.Kind != schema.String {
				c.PluginCrash(input.Pos, "Input.replace is not a function", "input", "Quote the input; the default mode compiles it as it is.")
				return
			}
			s := input.Value
			if jsvalue.IsObject(input) {
				s = jsvalue.Stringify(input, "")
			}
			t.add(`"Input": "%s",`, lineBreakEscapes.Replace(jsvalue.EscapeQuotes(s)))
		}
		if inputPath.Truthy() {
			if inputPath.Kind != schema.String {
				c.PluginCrash(inputPath.Pos, "InputPath.replace is not a function", "inputPath", "Write the path as a string such as $.detail.")
				return
			}
			t.add(`"InputPath": "%s",`, newlines.ReplaceAllString(inputPath.Value, ""))
		}
		if tr.Truthy() {
			t.add(`"InputTransformer": {"InputPathsMap": %s, "InputTemplate": "%s"},`, textPathsMap(tr), textInputTemplate(tr))
		}
		t.add(`"Arn": {"Ref": "%s"}, "Id": "%sCloudWatchEvent",`, smID, m.Key)
		if dlc := rule.Get("deadLetterConfig"); dlc != nil {
			t.add(`"DeadLetterConfig": {"Arn": %s},`, jsvalue.Stringify(dlc, ""))
		}
		if rp := rule.Get("retryPolicy"); rp.Truthy() {
			t.add(`"RetryPolicy": %s,`, jsvalue.Stringify(retryPolicyNode(rp), ""))
		}
		if iamRole != nil {
			t.add(`"RoleArn": %s}]}}`, jsvalue.Stringify(iamRole, ""))
		} else {
			t.add(`"RoleArn": {"Fn::GetAtt": ["%s", "Arn"]}}]}}`, roleID)
		}
		v, err := jsvalue.ParseJSONText(t.String())
		if err != nil {
			c.Diags.Errorf(ev.Pairs[0].KeyPos, "the plugin cannot compile this event rule",
				"serverless-step-functions pastes the settings into JSON text and fails to parse it (%v): a \" or \\ in name, description, input or inputTransformer breaks it. The default mode compiles it.", err)
			return
		}
		body = v
	} else {
		var in *schema.Node
		if jsvalue.IsObject(input) {
			in = jsvalue.Val(jsvalue.Stringify(input, ""))
		} else if input.Truthy() {
			in = jsvalue.Val(jsvalue.String(input))
		}
		roleArn := jsvalue.GetAtt(roleID, "Arn")
		if iamRole != nil {
			roleArn = iamRole
		}
		var dlc, retry *schema.Node
		if d := rule.Get("deadLetterConfig"); d != nil {
			dlc = jsvalue.Obj("Arn", d)
		}
		if rp := rule.Get("retryPolicy"); rp.Truthy() {
			retry = retryPolicyNode(rp)
		}
		body = jsvalue.Plain(jsvalue.Obj("Type", "AWS::Events::Rule", "Properties", jsvalue.Obj(
			"EventBusName", rule.Get("eventBusName"),
			"EventPattern", event, "State", state,
			"Description", jsvalue.TruthyOrNil(rule.Get("description")), "Name", jsvalue.TruthyOrNil(rule.Get("name")),
			"Targets", jsvalue.Arr(jsvalue.Obj(
				"Input", in, "InputPath", jsvalue.StringOrNil(inputPath), "InputTransformer", c.inputTransformer(tr),
				"Arn", jsvalue.Ref(smID), "Id", m.Key+"CloudWatchEvent",
				"DeadLetterConfig", dlc, "RetryPolicy", retry, "RoleArn", roleArn)))))
	}
	c.MergeResource(id, body)
	if iamRole == nil {
		policy := fmt.Sprintf("%s-%s-%s-%s-event", c.Service.Stage, c.Service.Region, c.Service.Name, m.Key)
		c.MergeResource(roleID, jsvalue.Plain(eventRole(jsvalue.Val("events.amazonaws.com"), policy, smID, nil, c.Service.Provider.RolePath)))
	}
}
