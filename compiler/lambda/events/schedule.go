package events

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

// schedules compiles schedule events: an EventBridge rule and permission
// per expression, or with method: scheduler an EventBridge Scheduler
// schedule that assumes the function's role (which then may invoke the
// function).
func (c *compiler) schedules() {
	var invokable []any
	for _, fn := range c.fns {
		n := 0
		hasScheduler := false
		for _, ev := range fn.EventList {
			e := ev.Schedule
			if e == nil {
				continue
			}
			method := "eventBus"
			state := "ENABLED"
			var input, inputPath, transformer any
			if e.Object {
				if len(e.Rates) == 0 {
					c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: the schedule event needs rate", fn.Key),
						"Add rate: with a rate(...) or cron(...) expression, or a list of them.")
					continue
				}
				if e.Enabled != nil && e.Enabled.Kind == schema.Bool && e.Enabled.Value == "false" {
					state = "DISABLED"
				}
				if m := str(e.Method); m != "" {
					method = m
				}
				if len(e.Rates) > 1 && e.Name.Truthy() {
					c.diags.Errorf(e.Name.Pos, fmt.Sprintf("function %q: a schedule with several rates cannot have a name", fn.Key),
						"Each expression becomes its own rule, and rule names are unique. Remove name:, or give each expression its own schedule event.")
					continue
				}
				if in := e.Input; in.Truthy() {
					text := ""
					if in.Kind == schema.Map {
						text = jsvalue.Stringify(withParsedBody(in), "")
					} else {
						text = str(in)
					}
					input = text
					if method != "scheduler" {
						s, ok := readJSONText(strings.ReplaceAll(text, `"`, `\"`))
						if !ok {
							c.diags.Errorf(in.Pos, fmt.Sprintf("function %q: the framework cannot read this schedule input", fn.Key),
								"The framework pastes the input into JSON text, reading its backslash escapes once more (also those JSON gives quotes inside its strings), and fails on the result with a SyntaxError. Remove quotes and backslashes from the input's strings.")
							continue
						}
						input = s
					}
				}
				if t := e.InputTransformer; t.Truthy() {
					if method == "scheduler" {
						c.diags.Errorf(t.Pos, fmt.Sprintf("function %q: inputTransformer is not supported with method: scheduler", fn.Key),
							"EventBridge Scheduler passes a fixed input only. Use input:, or the default method (an EventBridge rule).")
						continue
					}
					transformer = inputTransformer(t)
				}
				if p := e.InputPath; p.Truthy() {
					if method == "scheduler" {
						c.diags.Errorf(p.Pos, fmt.Sprintf("function %q: inputPath is not supported with method: scheduler", fn.Key),
							"EventBridge Scheduler passes a fixed input only. Use input:, or the default method (an EventBridge rule).")
						continue
					}
					inputPath = c.jsonText(p, fn, "inputPath")
				}
				if e.Timezone.Truthy() && method != "scheduler" {
					c.diags.Errorf(e.Timezone.Pos, fmt.Sprintf("function %q: timezone needs method: scheduler", fn.Key),
						"Only EventBridge Scheduler schedules have a time zone; EventBridge rules run in UTC. Add method: scheduler.")
					continue
				}
			}
			for _, expr := range e.Rates {
				n++
				if method == "scheduler" {
					hasScheduler = true
					target := map[string]any{"Arn": fn.Target, "RoleArn": fn.Role}
					if input != nil {
						target["Input"] = input
					}
					props := map[string]any{"ScheduleExpression": value(expr), "State": state, "Target": target,
						"FlexibleTimeWindow": map[string]any{"Mode": "OFF"}}
					if e.Name != nil {
						props["Name"] = value(e.Name)
					}
					if e.Description != nil {
						props["Description"] = value(e.Description)
					}
					if e.Timezone != nil {
						props["ScheduleExpressionTimezone"] = value(e.Timezone)
					}
					r := map[string]any{"Type": "AWS::Scheduler::Schedule", "Properties": props}
					dependsOnAlias(r, fn)
					id := norm(fn.Key) + "SchedulerSchedule" + strconv.Itoa(n)
					c.res[id] = r
					c.own(fn, id)
					continue
				}
				ruleID := norm(fn.Key) + "EventsRuleSchedule" + strconv.Itoa(n)
				var expression any = value(expr)
				if expr.Kind == schema.String {
					expression = c.jsonText(expr, fn, "rate")
				}
				target := map[string]any{"Arn": fn.Target, "Id": fn.Key + "Schedule"}
				if input != nil && input != "" {
					target["Input"] = input
				}
				if inputPath != nil && inputPath != "" {
					target["InputPath"] = inputPath
				}
				if transformer != nil {
					target["InputTransformer"] = transformer
				}
				props := map[string]any{"ScheduleExpression": expression, "State": state, "Targets": []any{target}}
				if e.Name.Truthy() {
					props["Name"] = c.jsonText(e.Name, fn, "name")
				}
				if e.Description.Truthy() {
					props["Description"] = c.jsonText(e.Description, fn, "description")
				}
				rule := map[string]any{"Type": "AWS::Events::Rule", "Properties": props}
				dependsOnAlias(rule, fn)
				c.res[ruleID] = rule
				permID := norm(fn.Key) + "LambdaPermissionEventsRuleSchedule" + strconv.Itoa(n)
				c.res[permID] = permission(fn, "events.amazonaws.com", getAtt(ruleID, "Arn"))
				c.own(fn, ruleID, permID)
			}
		}
		if hasScheduler {
			arn := "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:" + fn.Name
			invokable = append(invokable, map[string]any{"Fn::Sub": arn}, map[string]any{"Fn::Sub": arn + ":*"})
		}
	}
	if invokable != nil && c.tpl.HasDefaultRole() {
		c.tpl.AddRoleTrustService("scheduler.amazonaws.com")
		c.tpl.AddRoleStatement(map[string]any{"Effect": "Allow", "Action": []any{"lambda:InvokeFunction"}, "Resource": invokable})
	}
}

// jsonText is a string the framework pastes between quotes into JSON
// text: its escapes are read once more.
func (c *compiler) jsonText(n *schema.Node, fn function, what string) any {
	s, ok := readJSONText(str(n))
	if !ok {
		c.diags.Errorf(n.Pos, fmt.Sprintf("function %q: the framework cannot read this %s", fn.Key, what),
			"The framework pastes %s into JSON text, so quotes and backslashes in it break that text. Remove them, or escape them for JSON.", what)
		return str(n)
	}
	return s
}

// withParsedBody is a schedule's input object with a string body parsed
// as JSON, as the framework does before it stringifies the input.
func withParsedBody(in *schema.Node) *schema.Node {
	body := in.Get("body")
	if body == nil || body.Kind != schema.String {
		return in
	}
	parsed, diags := schema.ParseJSON("input.body", []byte(body.Value))
	if diags.HasErrors() || parsed == nil {
		return in
	}
	out := &schema.Node{Kind: schema.Map, Pos: in.Pos}
	for _, p := range in.Pairs {
		if p.Key == "body" {
			p.Value = parsed
		}
		out.Pairs = append(out.Pairs, p)
	}
	return out
}

// inputTransformer is the target's InputTransformer.
func inputTransformer(n *schema.Node) any {
	t := schema.DecodeInputTransformer(n)
	out := map[string]any{"InputTemplate": value(t.InputTemplate)}
	if m := t.InputPathsMap; m.Truthy() {
		out["InputPathsMap"] = value(m)
	}
	return out
}
