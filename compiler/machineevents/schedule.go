package machineevents

import (
	"fmt"
	"slices"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

// EmitSchedules compiles `schedule` events: an AWS::Events::Rule (or an
// AWS::Scheduler::Schedule with method: scheduler) per schedule, numbered
// per machine, and one role per machine that may start it.
func EmitSchedules(ctx *emit.Context) {
	c := &emitter{ctx}
	for _, m := range c.Service.StepFunctions.StateMachines {
		n := 0
		var principals []string
		for _, ev := range eventItems(m) {
			st, diags := schema.DecodeSchedule(m, ev, c.Compat())
			c.Diags.Append(diags)
			if st == nil {
				continue
			}
			n++
			if st.Broken {
				continue
			}
			if c.Quirks.ScheduleAsJSONText {
				c.pluginSchedule(m, st, n)
			} else {
				n, principals = c.schedule(m, st, n, principals)
			}
		}
		if len(principals) > 0 {
			var p any = principals[0]
			if len(principals) > 1 {
				p = jsvalue.Arr("events.amazonaws.com", "scheduler.amazonaws.com")
			}
			c.MergeResource(schema.NormalizeName(m.Key)+"ScheduleToStepFunctionsRole", jsvalue.Plain(c.scheduleRole(m, jsvalue.Val(p))))
		}
	}
}

func (c *emitter) scheduleRole(m *schema.StateMachine, principal *schema.Node) *schema.Node {
	policy := fmt.Sprintf("%s-%s-%s-%s-schedule", c.Service.Stage, c.Service.Region, c.Service.Name, m.Key)
	return eventRole(principal, policy, m.LogicalID(), c.Service.Provider.RolePermissionsBoundary, c.Service.Provider.RolePath)
}

// pluginSchedule reproduces compileScheduledEvents: the resource is JSON
// text with the settings pasted in, then parsed.
func (c *emitter) pluginSchedule(m *schema.StateMachine, st *schema.Schedule, n int) {
	smID := m.LogicalID()
	input := ""
	if jsvalue.IsObject(st.Input) {
		input = jsvalue.EscapeQuotes(jsvalue.Stringify(st.Input, ""))
	} else if st.Input.Truthy() {
		input = jsvalue.String(st.Input)
		if st.Input.Kind == schema.String {
			input = jsvalue.EscapeQuotes(input)
		}
	}
	roleArn := fmt.Sprintf(`{"Fn::GetAtt": ["%s", "Arn"]}`, schema.NormalizeName(m.Key)+"ScheduleToStepFunctionsRole")
	if st.Role.Truthy() {
		roleArn = jsvalue.Stringify(st.Role, "")
	}
	state := "ENABLED"
	if st.Disabled {
		state = "DISABLED"
	}
	var t textTemplate
	var id string
	if st.Scheduler() {
		id = schema.NormalizeName(m.Key) + fmt.Sprintf("StepFunctionsSchedulerSchedule%d", n)
		t.add(`{"Type": "AWS::Scheduler::Schedule", "Properties": {"ScheduleExpression": "%s", "State": "%s",`, jsvalue.String(st.Rate), state)
		if st.Timezone.Truthy() {
			t.add(`"ScheduleExpressionTimezone": "%s",`, jsvalue.String(st.Timezone))
		}
		c.textNameDescription(&t, st.Name, st.Description)
		t.add(`"Target": {"Arn": {"Ref": "%s"}, "RoleArn": %s`, smID, roleArn)
		if input != "" {
			t.add(`,"Input": "%s"`, input)
		}
		t.add(`}, "FlexibleTimeWindow": {"Mode": "OFF"}}}`)
	} else {
		id = schema.NormalizeName(m.Key) + fmt.Sprintf("StepFunctionsEventsRuleSchedule%d", n)
		t.add(`{"Type": "AWS::Events::Rule", "Properties": {"ScheduleExpression": "%s", "State": "%s",`, jsvalue.String(st.Rate), state)
		c.textNameDescription(&t, st.Name, st.Description)
		t.add(`"Targets": [{`)
		if input != "" {
			t.add(`"Input": "%s",`, input)
		}
		if st.InputPath.Truthy() {
			t.add(`"InputPath": "%s",`, jsvalue.String(st.InputPath))
		}
		if st.InputTransformer.Truthy() {
			t.add(`"InputTransformer": {"InputPathsMap": %s, "InputTemplate": "%s"},`,
				textPathsMap(st.InputTransformer), textInputTemplate(st.InputTransformer))
		}
		t.add(`"Arn": {"Ref": "%s"}, "Id": "%sStepFunctionsSchedule",`, smID, m.Key)
		if st.RetryPolicy.Truthy() {
			t.add(`"RetryPolicy": %s,`, jsvalue.Stringify(retryPolicyNode(st.RetryPolicy), ""))
		}
		t.add(`"RoleArn": %s}]}}`, roleArn)
	}
	body, err := jsvalue.ParseJSONText(t.String())
	if err != nil {
		c.Diags.Errorf(st.Pos, "the plugin cannot compile this schedule",
			"serverless-step-functions pastes the settings into JSON text and fails to parse it (%v): a \" or \\ in name, description, rate, input or inputTransformer breaks it. The default mode compiles it.", err)
		return
	}
	c.MergeResource(id, body)
	if !st.Role.Truthy() {
		principal := "events.amazonaws.com"
		if st.Scheduler() {
			principal = "scheduler.amazonaws.com"
		}
		c.MergeResource(schema.NormalizeName(m.Key)+"ScheduleToStepFunctionsRole", jsvalue.Plain(c.scheduleRole(m, jsvalue.Val(principal))))
	}
}

func (c *emitter) textNameDescription(t *textTemplate, name, description *schema.Node) {
	if name.Truthy() {
		t.add(`"Name": "%s",`, jsvalue.String(name))
	}
	if description.Truthy() {
		t.add(`"Description": "%s",`, jsvalue.String(description))
	}
}

// textPathsMap is how the plugin pastes inputTransformer.inputPathsMap.
func textPathsMap(tr *schema.Node) string {
	var pm *schema.Node
	if t := schema.DecodeInputTransformer(tr); t != nil {
		pm = t.InputPathsMap
	}
	if jsvalue.IsObject(pm) {
		return jsvalue.Stringify(pm, "")
	}
	return jsvalue.String(pm)
}

// textInputTemplate is how the plugin pastes inputTransformer.inputTemplate.
func textInputTemplate(tr *schema.Node) string {
	var it *schema.Node
	if t := schema.DecodeInputTransformer(tr); t != nil {
		it = t.InputTemplate
	}
	if it != nil && it.Kind == schema.String {
		return jsvalue.EscapeQuotes(it.Value)
	}
	return jsvalue.String(it)
}

// schedule compiles a schedule in the default mode, as values rather than
// text: quotes and backslashes in the settings stay as written, a list of
// rates gives one rule per rate, and retryPolicy also applies to
// EventBridge Scheduler. It returns the updated counter and role principals.
func (c *emitter) schedule(m *schema.StateMachine, st *schema.Schedule, n int, principals []string) (int, []string) {
	smID := m.LogicalID()
	var input *schema.Node
	if jsvalue.IsObject(st.Input) {
		input = jsvalue.Val(jsvalue.Stringify(st.Input, ""))
	} else if st.Input.Truthy() {
		input = jsvalue.Val(jsvalue.String(st.Input))
	}
	roleArn := jsvalue.GetAtt(schema.NormalizeName(m.Key)+"ScheduleToStepFunctionsRole", "Arn")
	if st.Role.Truthy() {
		roleArn = st.Role
	}
	state := "ENABLED"
	if st.Disabled {
		state = "DISABLED"
	}
	var retry *schema.Node
	if st.RetryPolicy.Truthy() {
		retry = retryPolicyNode(st.RetryPolicy)
	}
	for i, rate := range st.Rates {
		if i > 0 {
			n++
		}
		var id string
		var body *schema.Node
		if st.Scheduler() {
			id = schema.NormalizeName(m.Key) + fmt.Sprintf("StepFunctionsSchedulerSchedule%d", n)
			body = jsvalue.Obj("Type", "AWS::Scheduler::Schedule", "Properties", jsvalue.Obj(
				"ScheduleExpression", rate, "State", state,
				"ScheduleExpressionTimezone", jsvalue.TruthyOrNil(st.Timezone),
				"Name", jsvalue.TruthyOrNil(st.Name), "Description", jsvalue.TruthyOrNil(st.Description),
				"Target", jsvalue.Obj("Arn", jsvalue.Ref(smID), "RoleArn", roleArn, "Input", input, "RetryPolicy", retry),
				"FlexibleTimeWindow", jsvalue.Obj("Mode", "OFF")))
		} else {
			id = schema.NormalizeName(m.Key) + fmt.Sprintf("StepFunctionsEventsRuleSchedule%d", n)
			body = jsvalue.Obj("Type", "AWS::Events::Rule", "Properties", jsvalue.Obj(
				"ScheduleExpression", rate, "State", state,
				"Name", jsvalue.TruthyOrNil(st.Name), "Description", jsvalue.TruthyOrNil(st.Description),
				"Targets", jsvalue.Arr(jsvalue.Obj(
					"Input", input, "InputPath", jsvalue.StringOrNil(st.InputPath),
					"InputTransformer", inputTransformer(st.InputTransformer),
					"Arn", jsvalue.Ref(smID), "Id", m.Key+"StepFunctionsSchedule",
					"RetryPolicy", retry, "RoleArn", roleArn))))
		}
		c.MergeResource(id, jsvalue.Plain(body))
	}
	if !st.Role.Truthy() {
		principal := "events.amazonaws.com"
		if st.Scheduler() {
			principal = "scheduler.amazonaws.com"
		}
		if !slices.Contains(principals, principal) {
			principals = append(principals, principal)
		}
	}
	return n, principals
}

// inputTransformer is an event's inputTransformer as values (default
// mode; schema has checked it has an inputTemplate string).
func inputTransformer(tr *schema.Node) *schema.Node {
	if tr == nil {
		return nil
	}
	t := schema.DecodeInputTransformer(tr)
	return jsvalue.Obj("InputPathsMap", t.InputPathsMap, "InputTemplate", t.InputTemplate)
}
