package machineevents

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/internal/lazyre"
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
			r, diags := schema.DecodeEventRule(m, ev, c.Compat())
			c.Diags.Append(diags)
			if r == nil {
				continue
			}
			n++
			if !r.Broken {
				c.eventRule(m, r, n)
			}
		}
	}
}

var lineBreakEscapes = strings.NewReplacer(`\n`, "", `\r`, "")

var newlines = lazyre.New(`\r?\n`)

func (c *emitter) eventRule(m *schema.StateMachine, r *schema.EventRule, n int) {
	key := schema.NormalizeName(m.Key)
	id := fmt.Sprintf("%sEventsRuleCloudWatchEvent%d", key, n)
	roleID := key + "EventToStepFunctionsRole"
	smID := m.LogicalID()
	state := "ENABLED"
	if r.Disabled {
		state = "DISABLED"
	}
	input, inputPath, tr, iamRole := r.Input, r.InputPath, r.InputTransformer, r.IAMRole
	var body any
	if c.Quirks.EventRuleAsJSONText {
		var t textTemplate
		t.add(`{"Type": "AWS::Events::Rule", "Properties": {`)
		if bus := r.EventBusName; bus != nil {
			t.add(`"EventBusName": %s,`, jsvalue.Stringify(bus, ""))
		}
		t.add(`"EventPattern": %s, "State": "%s",`, lineBreakEscapes.Replace(jsvalue.Stringify(r.Event, "")), state)
		if d := r.Description; d.Truthy() {
			t.add(`"Description": "%s",`, jsvalue.String(d))
		}
		if nm := r.Name; nm.Truthy() {
			t.add(`"Name": "%s",`, jsvalue.String(nm))
		}
		t.add(`"Targets": [{`)
		if input.Truthy() {
			s := input.Value
			if jsvalue.IsObject(input) {
				s = jsvalue.Stringify(input, "")
			}
			t.add(`"Input": "%s",`, lineBreakEscapes.Replace(jsvalue.EscapeQuotes(s)))
		}
		if inputPath.Truthy() {
			t.add(`"InputPath": "%s",`, newlines.ReplaceAllString(inputPath.Value, ""))
		}
		if tr.Truthy() {
			t.add(`"InputTransformer": {"InputPathsMap": %s, "InputTemplate": "%s"},`, textPathsMap(tr), textInputTemplate(tr))
		}
		t.add(`"Arn": {"Ref": "%s"}, "Id": "%sCloudWatchEvent",`, smID, m.Key)
		if dlc := r.DeadLetterConfig; dlc != nil {
			t.add(`"DeadLetterConfig": {"Arn": %s},`, jsvalue.Stringify(dlc, ""))
		}
		if rp := r.RetryPolicy; rp.Truthy() {
			t.add(`"RetryPolicy": %s,`, jsvalue.Stringify(retryPolicyNode(rp), ""))
		}
		if iamRole != nil {
			t.add(`"RoleArn": %s}]}}`, jsvalue.Stringify(iamRole, ""))
		} else {
			t.add(`"RoleArn": {"Fn::GetAtt": ["%s", "Arn"]}}]}}`, roleID)
		}
		v, err := jsvalue.ParseJSONText(t.String())
		if err != nil {
			c.Diags.Errorf(r.Pos, "the plugin cannot compile this event rule",
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
		if d := r.DeadLetterConfig; d != nil {
			dlc = jsvalue.Obj("Arn", d)
		}
		if rp := r.RetryPolicy; rp.Truthy() {
			retry = retryPolicyNode(rp)
		}
		body = jsvalue.Plain(jsvalue.Obj("Type", "AWS::Events::Rule", "Properties", jsvalue.Obj(
			"EventBusName", r.EventBusName,
			"EventPattern", r.Event, "State", state,
			"Description", jsvalue.TruthyOrNil(r.Description), "Name", jsvalue.TruthyOrNil(r.Name),
			"Targets", jsvalue.Arr(jsvalue.Obj(
				"Input", in, "InputPath", jsvalue.StringOrNil(inputPath), "InputTransformer", inputTransformer(tr),
				"Arn", jsvalue.Ref(smID), "Id", m.Key+"CloudWatchEvent",
				"DeadLetterConfig", dlc, "RetryPolicy", retry, "RoleArn", roleArn)))))
	}
	c.MergeResource(id, body)
	if iamRole == nil {
		policy := fmt.Sprintf("%s-%s-%s-%s-event", c.Service.Stage, c.Service.Region, c.Service.Name, m.Key)
		c.MergeResource(roleID, jsvalue.Plain(eventRole(jsvalue.Val("events.amazonaws.com"), policy, smID, nil, c.Service.Provider.RolePath)))
	}
}
