package events

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

// eventBridge compiles eventBridge events as the framework's native
// CloudFormation mode does: a rule per event (and a bus per bus name it
// creates), and an invoke permission.
func (c *compiler) eventBridge() {
	if eventBridgeCustomMode(c.svc) {
		c.eventBridgeCustom()
		return
	}
	for _, fn := range c.fns {
		for _, ev := range fn.EventList {
			e := ev.EventBridge
			if e == nil {
				continue
			}
			idx := ev.Index + 1
			ruleName, state, ok := c.eventBridgeRule(fn, ev)
			if !ok {
				continue
			}
			var busName any
			busExists := false
			if b := e.EventBus; b != nil {
				busName = value(b)
				if b.Kind == schema.Map {
					busExists = true
				}
				if b.Kind == schema.String && strings.HasPrefix(b.Value, "arn") {
					busExists = true
					busName = b.Value[strings.Index(b.Value, "/")+1:]
				}
			}
			name, _ := busName.(string)
			createBus := !busExists && name != "" && name != "default"
			target := map[string]any{"Arn": fn.Target, "Id": targetID(ruleName)}
			if rp := e.RetryPolicy; rp.Truthy() {
				policy := map[string]any{}
				if v := e.Retry.MaximumEventAge; v != nil {
					policy["MaximumEventAgeInSeconds"] = value(v)
				}
				if v := e.Retry.MaximumRetryAttempts; v != nil {
					policy["MaximumRetryAttempts"] = value(v)
				}
				target["RetryPolicy"] = policy
			}
			if e.DeadLetterQueueArn.Truthy() {
				target["DeadLetterConfig"] = map[string]any{"Arn": value(e.DeadLetterQueueArn)}
			}
			switch {
			case e.Input.Truthy():
				target["Input"] = jsvalue.Stringify(e.Input, "")
			case e.InputPath.Truthy():
				target["InputPath"] = value(e.InputPath)
			case e.InputTransformer.Truthy() && e.InputTransformer.Kind == schema.Map:
				target["InputTransformer"] = eventBridgeInputTransformer(e.InputTransformer)
			}
			props := map[string]any{"Name": ruleName, "State": state, "Targets": []any{target}}
			if e.Description != nil {
				props["Description"] = value(e.Description)
			}
			if busName != nil && name != "default" {
				props["EventBusName"] = busName
			}
			if e.Pattern != nil {
				props["EventPattern"] = value(e.Pattern)
			}
			if e.Schedule != nil {
				props["ScheduleExpression"] = value(e.Schedule)
			}
			rule := map[string]any{"Type": "AWS::Events::Rule", "Properties": props}
			dependsOnAlias(rule, fn)
			if createBus {
				busID := schema.NormalizeName(name) + "EventBridgeEventBus"
				c.res[busID] = map[string]any{"Type": "AWS::Events::EventBus", "Properties": map[string]any{"Name": name}}
				rule["DependsOn"] = busID
			}
			ruleID := alnum(fmt.Sprintf("%s-rule-%d", fn.Name, idx)) + "EventBridgeRule"
			c.res[ruleID] = rule
			path := []any{"rule", ruleName}
			// Rules on the default bus have ARNs without the bus's name;
			// the framework puts "default" in, so the permission matches
			// no rule and the function is never invoked. The default mode
			// leaves it out.
			if busName != nil && busName != "" && (c.in.Quirks.DefaultBusRuleArnWithBusName || name != "default") {
				path = []any{"rule", busName, ruleName}
			}
			perm := permission(fn, "events.amazonaws.com", join(":", "arn", ref("AWS::Partition"), "events", ref("AWS::Region"),
				ref("AWS::AccountId"), join("/", path...)))
			permID := norm(fn.Key) + "EventBridgeLambdaPermission" + strconv.Itoa(idx)
			c.res[permID] = perm
			c.own(fn, ruleID, permID)
		}
	}
}

// eventBridgeCustom compiles eventBridge events in the framework's legacy
// custom-resource mode: per event a Custom::EventBridge resource, whose
// function creates the rule (and the bus, when named) and the invoke
// permission at deploy time.
func (c *compiler) eventBridgeCustom() {
	var statements []any
	busStatement := false
	used := false
	for _, fn := range c.fns {
		for _, ev := range fn.EventList {
			e := ev.EventBridge
			if e == nil {
				continue
			}
			idx := ev.Index + 1
			ruleName, state, ok := c.eventBridgeRule(fn, ev)
			if !ok {
				continue
			}
			refused := false
			for _, x := range []struct {
				n    *schema.Node
				what string
			}{{e.RetryPolicy, "retryPolicy"}, {e.DeadLetterQueueArn, "deadLetterQueueArn"}} {
				if x.n.Truthy() {
					c.diags.Errorf(x.n.Pos, fmt.Sprintf("function %q: %s needs provider.eventBridge.useCloudFormation: true", fn.Key, x.what),
						"The framework's legacy custom resource for eventBridge events (provider.eventBridge without useCloudFormation: true) cannot set it, and the framework refuses it. Set useCloudFormation: true, or remove %s.", x.what)
					refused = true
				}
			}
			if b := e.EventBus; b != nil && b.Kind == schema.Map {
				c.diags.Errorf(b.Pos, fmt.Sprintf("function %q: an eventBus given by an intrinsic function needs provider.eventBridge.useCloudFormation: true", fn.Key),
					"The framework's legacy custom resource for eventBridge events takes the bus's name or ARN as a string, and the framework refuses intrinsic functions. Set useCloudFormation: true, or give the name.")
				refused = true
			}
			if refused {
				continue
			}
			if e.Description != nil {
				c.diags.Warnf(e.Description.Pos, fmt.Sprintf("function %q: description is ignored in the eventBridge custom-resource mode", fn.Key),
					"The framework's legacy custom resource creates the rule without a description. Set provider.eventBridge.useCloudFormation: true to keep it, or remove it.")
			}
			busName := str(e.EventBus)
			if strings.HasPrefix(busName, "arn") {
				busName = busName[strings.Index(busName, "/")+1:]
			}
			config := map[string]any{"RuleName": ruleName, "State": state}
			if e.EventBus != nil {
				config["EventBus"] = value(e.EventBus)
			}
			if e.Schedule != nil {
				config["Schedule"] = value(e.Schedule)
			}
			if e.Pattern != nil {
				config["Pattern"] = value(e.Pattern)
			}
			if e.Input.Truthy() {
				config["Input"] = value(e.Input)
			}
			if e.InputPath.Truthy() {
				config["InputPath"] = value(e.InputPath)
			}
			if t := e.InputTransformer; t.Truthy() && t.Kind == schema.Map {
				config["InputTransformer"] = eventBridgeInputTransformer(t)
			}
			id := norm(fn.Key) + "CustomEventBridge" + strconv.Itoa(idx)
			c.res[id] = map[string]any{"Type": "Custom::EventBridge", "Version": json.Number("1"),
				"DependsOn": []any{fn.LogicalID, eventBridgeCustomResource.functionID()},
				"Properties": map[string]any{"ServiceToken": eventBridgeCustomResource.serviceToken(), "FunctionName": fn.Name,
					"EventBridgeConfig": config}}
			c.own(fn, id)
			used = true
			if !busStatement && busName != "" && busName != "default" {
				statements = append(statements, customResourceStatement(
					join(":", "arn", ref("AWS::Partition"), "events", ref("AWS::Region"), ref("AWS::AccountId"), "event-bus/*"),
					"events:CreateEventBus", "events:DeleteEventBus"))
				busStatement = true
			}
		}
	}
	if !used {
		return
	}
	statements = append(statements,
		customResourceStatement(join(":", "arn", ref("AWS::Partition"), "events", ref("AWS::Region"), ref("AWS::AccountId"), "rule/*"),
			"events:PutRule", "events:RemoveTargets", "events:PutTargets", "events:DeleteRule"),
		customResourceStatement(anyLambdaFunction(), "lambda:AddPermission", "lambda:RemovePermission"))
	c.addCustomResource(eventBridgeCustomResource, statements, c.svc.Provider.EventBridge.KeyPos)
}

// eventBridgeRule returns the name and state of an eventBridge event's
// rule, which both modes compute alike, and reports false, with an
// error, when the event gives more than one input or neither pattern nor
// schedule.
func (c *compiler) eventBridgeRule(fn function, ev *schema.FunctionEvent) (ruleName, state string, ok bool) {
	e := ev.EventBridge
	ruleName = str(e.Name)
	if !e.Name.Truthy() {
		ruleName = ruleNameFor(fn.Name, ev.Index+1)
	}
	state = "ENABLED"
	if e.Enabled != nil && e.Enabled.Kind == schema.Bool && e.Enabled.Value == "false" {
		state = "DISABLED"
	}
	inputs := 0
	for _, n := range []*schema.Node{e.Input, e.InputPath, e.InputTransformer} {
		if n.Truthy() {
			inputs++
		}
	}
	if inputs > 1 {
		c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: an eventBridge event has one of input, inputPath and inputTransformer", fn.Key),
			"A rule's target passes the event on in one way only. Keep one of them.")
		return "", "", false
	}
	if e.Pattern == nil && e.Schedule == nil {
		c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: the eventBridge event needs pattern or schedule", fn.Key),
			"Give pattern: (the events to match) or schedule: (a rate(...) or cron(...) expression).")
		return "", "", false
	}
	return ruleName, state, true
}

// eventBridgeInputTransformer is an eventBridge event's inputTransformer
// with its keys capitalized, as the rule's target (and the custom
// resource) take it.
func eventBridgeInputTransformer(t *schema.Node) map[string]any {
	out := map[string]any{}
	for _, p := range t.Pairs {
		out[upperFirst(p.Key)] = value(p.Value)
	}
	return out
}

// ruleNameFor is makeAndHashRuleName: <name>-rule-<idx>, shortened with
// an MD5 hash beyond 64 characters.
func ruleNameFor(functionName string, idx int) string {
	suffix := fmt.Sprintf("rule-%d", idx)
	name := functionName + "-" + suffix
	if len(name) > 64 {
		return hashName(name, suffix)
	}
	return name
}

// targetID is makeEventBusTargetId.
func targetID(ruleName string) string {
	id := ruleName + "-target"
	if len(id) > 64 {
		return hashName(id, "target")
	}
	return id
}

func hashName(name, suffix string) string {
	sum := md5.Sum([]byte(name))
	keep := 31 - len(suffix)
	if keep > len(name) {
		keep = len(name)
	}
	return name[:keep] + hex.EncodeToString(sum[:]) + "-" + suffix
}

// cloudWatchEvents compiles cloudwatchEvent events: a rule and a
// permission each.
func (c *compiler) cloudWatchEvents() {
	for _, fn := range c.fns {
		n := 0
		for _, ev := range fn.EventList {
			e := ev.CloudWatchEvent
			if e == nil {
				continue
			}
			n++
			if e.Event == nil {
				c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: the cloudwatchEvent event needs event", fn.Key),
					"Give event: with the pattern of the events to match.")
				continue
			}
			inputs := 0
			for _, x := range []*schema.Node{e.Input, e.InputPath, e.InputTransformer} {
				if x.Truthy() {
					inputs++
				}
			}
			if inputs > 1 {
				c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: a cloudwatchEvent event has one of input, inputPath and inputTransformer", fn.Key),
					"A rule's target passes the event on in one way only. Keep one of them.")
				continue
			}
			state := "ENABLED"
			if e.Enabled != nil && e.Enabled.Kind == schema.Bool && e.Enabled.Value == "false" {
				state = "DISABLED"
			}
			pattern, ok := parseJSONValue(dropEscapedNewlines(jsvalue.Stringify(e.Event, "")))
			if !ok {
				c.diags.Errorf(e.Event.Pos, fmt.Sprintf("function %q: the framework cannot read this event pattern", fn.Key),
					"The framework drops the \\n and \\r escapes from the pattern's JSON text, which leaves this one invalid. Remove backslashes before n or r from its strings.")
				continue
			}
			target := map[string]any{"Arn": fn.Target, "Id": fn.Key + "CloudWatchEvent"}
			if in := e.Input; in.Truthy() {
				text := str(in)
				if in.Kind == schema.Map {
					text = jsvalue.Stringify(in, "")
				}
				s, ok := readJSONText(dropEscapedNewlines(strings.ReplaceAll(text, `"`, `\"`)))
				if !ok {
					c.diags.Errorf(in.Pos, fmt.Sprintf("function %q: the framework cannot read this input", fn.Key),
						"The framework pastes the input into JSON text, reading its backslash escapes once more (also those JSON gives quotes inside its strings), and fails on the result with a SyntaxError. Remove quotes and backslashes from the input's strings.")
					continue
				}
				target["Input"] = s
			}
			if p := e.InputPath; p.Truthy() {
				target["InputPath"] = c.jsonText(schema.NewString(strings.NewReplacer("\r\n", "", "\n", "").Replace(str(p)), p.Pos), fn, "inputPath")
			}
			if t := e.InputTransformer; t.Truthy() {
				target["InputTransformer"] = inputTransformer(t)
			}
			props := map[string]any{"EventPattern": pattern, "State": state, "Targets": []any{target}}
			if e.Description.Truthy() {
				props["Description"] = c.jsonText(e.Description, fn, "description")
			}
			if e.Name.Truthy() {
				props["Name"] = c.jsonText(e.Name, fn, "name")
			}
			ruleID := norm(fn.Key) + "EventsRuleCloudWatchEvent" + strconv.Itoa(n)
			rule := map[string]any{"Type": "AWS::Events::Rule", "Properties": props}
			dependsOnAlias(rule, fn)
			permID := norm(fn.Key) + "LambdaPermissionEventsRuleCloudWatchEvent" + strconv.Itoa(n)
			c.merge(ruleID, rule)
			c.merge(permID, permission(fn, "events.amazonaws.com", getAtt(ruleID, "Arn")))
			c.own(fn, ruleID, permID)
		}
	}
}

// dropEscapedNewlines is the framework's replace(/\\n|\\r/g, ”): it
// removes the two-character escapes \n and \r from JSON text.
func dropEscapedNewlines(s string) string {
	return strings.NewReplacer(`\n`, "", `\r`, "").Replace(s)
}

// cloudWatchLogs compiles cloudwatchLog events: a subscription filter
// each, and one permission per function over its log groups.
func (c *compiler) cloudWatchLogs() {
	perGroup := map[string]int{}
	for _, fn := range c.fns {
		n := 0
		var groups []string
		for _, ev := range fn.EventList {
			e := ev.CloudWatchLog
			if e == nil {
				continue
			}
			n++
			if e.LogGroup == nil || e.LogGroup.Kind != schema.String {
				c.diags.Errorf(posOf(e.LogGroup, ev.KeyPos), fmt.Sprintf("function %q: the cloudwatchLog event needs a log group name", fn.Key),
					"Give the log group's name, as a string or as logGroup:.")
				continue
			}
			newlines := strings.NewReplacer("\r\n", "", "\n", "")
			group := newlines.Replace(e.LogGroup.Value)
			filter := newlines.Replace(str(e.Filter))
			perGroup[group]++
			if perGroup[group] > 2 {
				c.diags.Errorf(e.LogGroup.Pos, fmt.Sprintf("more than 2 subscription filters on log group %q", group),
					"CloudWatch Logs allows 2 subscription filters per log group, and the framework refuses a third. Combine the events' filters.")
				continue
			}
			groups = append(groups, group)
			// The framework unescapes \" \\ \' once when a backslash comes
			// before the first quote.
			if slash, quote := strings.Index(filter, `\`), strings.Index(filter, `"`); slash >= 0 && quote >= 0 && quote > slash {
				filter = unescapeOnce(filter)
			}
			permID := norm(fn.Key) + "LambdaPermissionLogsSubscriptionFilterCloudWatchLog"
			deps := []any{permID}
			if fn.AliasID != "" {
				deps = append(deps, fn.AliasID)
			}
			filterID := norm(fn.Key) + "LogsSubscriptionFilterCloudWatchLog" + strconv.Itoa(n)
			c.own(fn, filterID, permID)
			c.merge(filterID, map[string]any{
				"Type": "AWS::Logs::SubscriptionFilter", "DependsOn": deps,
				"Properties": map[string]any{"LogGroupName": c.jsonText(schema.NewString(group, e.LogGroup.Pos), fn, "logGroup"),
					"FilterPattern": filter, "DestinationArn": fn.Target}})
			prefix := commonPrefix(groups)
			perm := map[string]any{"Type": "AWS::Lambda::Permission", "Properties": map[string]any{
				"FunctionName": fn.Target, "Action": "lambda:InvokeFunction",
				"Principal": join("", "logs.", ref("AWS::Region"), ".amazonaws.com"),
				"SourceArn": join("", "arn:", ref("AWS::Partition"), ":logs:", ref("AWS::Region"), ":", ref("AWS::AccountId"), ":log-group:",
					c.jsonText(schema.NewString(prefix, e.LogGroup.Pos), fn, "logGroup"), ":*")}}
			if fn.AliasID != "" {
				perm["DependsOn"] = []any{fn.AliasID}
			}
			c.merge(permID, perm)
		}
	}
}

// commonPrefix is the framework's longestCommonSuffix (a prefix, in
// fact), with "*" appended when there are several groups.
func commonPrefix(groups []string) string {
	common := groups[0]
	for _, g := range groups[1:] {
		i := 0
		for i < len(common) && i < len(g) && common[i] == g[i] {
			i++
		}
		if i < len(common) {
			common = common[:i]
		}
	}
	if len(groups) > 1 && !strings.HasSuffix(common, "*") {
		common += "*"
	}
	return common
}

func unescapeOnce(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`"\'`, s[i+1]) >= 0 {
			b.WriteByte(s[i+1])
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
