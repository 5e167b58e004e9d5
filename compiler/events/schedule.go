package events

import (
	"fmt"
	"slices"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

const methodScheduler = "scheduler"

// EmitSchedules compiles `schedule` events: an AWS::Events::Rule (or an
// AWS::Scheduler::Schedule with method: scheduler) per schedule, numbered
// per machine, and one role per machine that may start it.
func EmitSchedules(ctx *emit.Context) {
	c := &emitter{ctx}
	for _, m := range c.Service.StepFunctions.StateMachines {
		n := 0
		var principals []string
		for _, ev := range eventItems(m) {
			s := ev.Get("schedule")
			if !s.Truthy() {
				if s != nil {
					c.Strictf(jsvalue.PosOf(s, jsvalue.KeyPos(ev, "schedule")), "schedule is empty",
						"The plugin skips an empty schedule event, so nothing starts state machine %s on it. Write schedule: rate(10 minutes), or remove the event.", m.Key)
				}
				continue
			}
			n++
			if c.Quirks.ScheduleAsJSONText {
				c.pluginSchedule(m, s, n, jsvalue.KeyPos(ev, "schedule"))
			} else {
				n, principals = c.schedule(m, s, n, principals)
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

// scheduleSettings are a schedule event's settings as the plugin reads them.
type scheduleSettings struct {
	rate, input, inputPath, transformer, name, description, timezone, retry, role *schema.Node
	method                                                                        string
	disabled                                                                      bool
}

// readSchedule reads a schedule and reports what the plugin throws on.
func (c *emitter) readSchedule(m *schema.StateMachine, s *schema.Node) (st scheduleSettings, ok bool) {
	switch s.Kind {
	case schema.String:
		st.rate = s
		c.checkScheduleExpression(s, false)
		return st, true
	case schema.Map:
	default:
		c.Diags.Errorf(s.Pos, "schedule must be a string or an object",
			"Write schedule: rate(10 minutes), or an object with a rate (and enabled, input, name, ...).")
		return st, false
	}
	st.rate = s.Get("rate")
	if !st.rate.Truthy() {
		c.Diags.Errorf(jsvalue.KeyPos(s, "rate"), "schedule has no rate",
			"A schedule object needs rate: rate(10 minutes) or cron(...) in state machine %s.", m.Key)
		return st, false
	}
	if e := s.Get("enabled"); e != nil && e.Kind == schema.Bool && e.Value == "false" {
		st.disabled = true
	}
	st.input, st.inputPath, st.transformer = s.Get("input"), s.Get("inputPath"), s.Get("inputTransformer")
	st.name, st.description, st.timezone = s.Get("name"), s.Get("description"), s.Get("timezone")
	st.retry, st.role = s.Get("retryPolicy"), s.Get("role")
	st.method = "eventBus"
	if mm := s.Get("method"); mm.Truthy() {
		st.method = jsvalue.String(mm)
	}
	ok = c.checkEventInput(s)
	c.checkScheduleSettings(s, st)
	c.checkScheduleRates(st)
	if st.transformer.Truthy() && st.method == methodScheduler {
		c.Diags.Errorf(jsvalue.KeyPos(s, "inputTransformer"), "inputTransformer does not work with method: scheduler",
			"EventBridge Scheduler has no input transformer; use input, or the default method (eventBus).")
		ok = false
	}
	if st.inputPath.Truthy() && st.method == methodScheduler {
		c.Diags.Errorf(jsvalue.KeyPos(s, "inputPath"), "inputPath does not work with method: scheduler",
			"EventBridge Scheduler has no input path; use input, or the default method (eventBus).")
		ok = false
	}
	if st.timezone.Truthy() && st.method != methodScheduler {
		c.Diags.Errorf(jsvalue.KeyPos(s, "timezone"), "timezone works only with method: scheduler",
			"EventBridge rules run in UTC; add method: scheduler to use a timezone.")
		ok = false
	}
	return st, ok
}

// checkScheduleRates checks each schedule expression of a schedule.
func (c *emitter) checkScheduleRates(st scheduleSettings) {
	scheduler := st.method == methodScheduler
	if st.rate.Kind != schema.List {
		c.checkScheduleExpression(st.rate, scheduler)
		return
	}
	if c.Quirks.ScheduleAsJSONText && len(st.rate.Items) > 1 {
		c.Diags.Warnf(st.rate.Pos, "the plugin joins a list of rates into one expression",
			"It writes %q, which EventBridge rejects. Give each rate its own schedule event; the default mode makes one rule per rate.", jsvalue.String(st.rate))
	}
	for _, r := range st.rate.Items {
		c.checkScheduleExpression(r, scheduler)
	}
}

// checkEventInput is the plugin's validateEventInput: at most one of
// input, inputPath and inputTransformer.
func (c *emitter) checkEventInput(s *schema.Node) bool {
	var set []string
	for _, k := range []string{"input", "inputPath", "inputTransformer"} {
		if s.Get(k).Truthy() {
			set = append(set, k)
		}
	}
	if len(set) > 1 {
		c.Diags.Errorf(jsvalue.KeyPos(s, set[1]), "input, inputPath and inputTransformer exclude each other",
			"This event sets %s and %s; keep one of them.", set[0], set[1])
		return false
	}
	return true
}

// pluginSchedule reproduces compileScheduledEvents: the resource is JSON
// text with the settings pasted in, then parsed.
func (c *emitter) pluginSchedule(m *schema.StateMachine, s *schema.Node, n int, pos diag.Pos) {
	st, ok := c.readSchedule(m, s)
	if !ok {
		return
	}
	smID := m.LogicalID()
	input := ""
	if jsvalue.IsObject(st.input) {
		input = jsvalue.EscapeQuotes(jsvalue.Stringify(st.input, ""))
	} else if st.input.Truthy() {
		input = jsvalue.String(st.input)
		if st.input.Kind == schema.String {
			input = jsvalue.EscapeQuotes(input)
		}
	}
	roleArn := fmt.Sprintf(`{"Fn::GetAtt": ["%s", "Arn"]}`, schema.NormalizeName(m.Key)+"ScheduleToStepFunctionsRole")
	if st.role.Truthy() {
		roleArn = jsvalue.Stringify(st.role, "")
	}
	state := "ENABLED"
	if st.disabled {
		state = "DISABLED"
	}
	var t textTemplate
	var id string
	if st.method == methodScheduler {
		id = schema.NormalizeName(m.Key) + fmt.Sprintf("StepFunctionsSchedulerSchedule%d", n)
		t.add(`{"Type": "AWS::Scheduler::Schedule", "Properties": {"ScheduleExpression": "%s", "State": "%s",`, jsvalue.String(st.rate), state)
		if st.timezone.Truthy() {
			t.add(`"ScheduleExpressionTimezone": "%s",`, jsvalue.String(st.timezone))
		}
		c.textNameDescription(&t, st.name, st.description)
		t.add(`"Target": {"Arn": {"Ref": "%s"}, "RoleArn": %s`, smID, roleArn)
		if input != "" {
			t.add(`,"Input": "%s"`, input)
		}
		t.add(`}, "FlexibleTimeWindow": {"Mode": "OFF"}}}`)
	} else {
		id = schema.NormalizeName(m.Key) + fmt.Sprintf("StepFunctionsEventsRuleSchedule%d", n)
		t.add(`{"Type": "AWS::Events::Rule", "Properties": {"ScheduleExpression": "%s", "State": "%s",`, jsvalue.String(st.rate), state)
		c.textNameDescription(&t, st.name, st.description)
		t.add(`"Targets": [{`)
		if input != "" {
			t.add(`"Input": "%s",`, input)
		}
		if st.inputPath.Truthy() {
			t.add(`"InputPath": "%s",`, jsvalue.String(st.inputPath))
		}
		if st.transformer.Truthy() {
			t.add(`"InputTransformer": {"InputPathsMap": %s, "InputTemplate": "%s"},`,
				textPathsMap(st.transformer), textInputTemplate(st.transformer))
		}
		t.add(`"Arn": {"Ref": "%s"}, "Id": "%sStepFunctionsSchedule",`, smID, m.Key)
		if st.retry.Truthy() {
			t.add(`"RetryPolicy": %s,`, jsvalue.Stringify(retryPolicyNode(st.retry), ""))
		}
		t.add(`"RoleArn": %s}]}}`, roleArn)
	}
	body, err := jsvalue.ParseJSONText(t.String())
	if err != nil {
		c.Diags.Errorf(pos, "the plugin cannot compile this schedule",
			"serverless-step-functions pastes the settings into JSON text and fails to parse it (%v): a \" or \\ in name, description, rate, input or inputTransformer breaks it. The default mode compiles it.", err)
		return
	}
	c.MergeResource(id, body)
	if !st.role.Truthy() {
		principal := "events.amazonaws.com"
		if st.method == methodScheduler {
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
	pm := tr.Get("inputPathsMap")
	if jsvalue.IsObject(pm) {
		return jsvalue.Stringify(pm, "")
	}
	return jsvalue.String(pm)
}

// textInputTemplate is how the plugin pastes inputTransformer.inputTemplate.
func textInputTemplate(tr *schema.Node) string {
	it := tr.Get("inputTemplate")
	if it != nil && it.Kind == schema.String {
		return jsvalue.EscapeQuotes(it.Value)
	}
	return jsvalue.String(it)
}

// schedule compiles a schedule in the default mode, as values rather than
// text: quotes and backslashes in the settings stay as written, a list of
// rates gives one rule per rate, and retryPolicy also applies to
// EventBridge Scheduler. It returns the updated counter and role principals.
func (c *emitter) schedule(m *schema.StateMachine, s *schema.Node, n int, principals []string) (int, []string) {
	st, ok := c.readSchedule(m, s)
	if !ok {
		return n, principals
	}
	rates := []*schema.Node{st.rate}
	if st.rate.Kind == schema.List {
		rates = st.rate.Items
		if len(rates) > 1 && st.name.Truthy() {
			c.Diags.Errorf(jsvalue.KeyPos(s, "name"), "a named schedule has several rates",
				"Each rate becomes its own rule, and rule names must be unique; remove name or give each rate its own schedule event.")
			return n, principals
		}
	}
	for _, r := range rates {
		if r.Kind != schema.String || r.Value == "" {
			c.Diags.Errorf(r.Pos, "schedule rate must be a string", "Write rate(10 minutes) or cron(0 12 * * ? *).")
			return n, principals
		}
	}
	smID := m.LogicalID()
	var input *schema.Node
	if jsvalue.IsObject(st.input) {
		input = jsvalue.Val(jsvalue.Stringify(st.input, ""))
	} else if st.input.Truthy() {
		input = jsvalue.Val(jsvalue.String(st.input))
	}
	roleArn := jsvalue.GetAtt(schema.NormalizeName(m.Key)+"ScheduleToStepFunctionsRole", "Arn")
	if st.role.Truthy() {
		roleArn = st.role
	}
	state := "ENABLED"
	if st.disabled {
		state = "DISABLED"
	}
	var retry *schema.Node
	if st.retry.Truthy() {
		retry = retryPolicyNode(st.retry)
	}
	for i, rate := range rates {
		if i > 0 {
			n++
		}
		var id string
		var body *schema.Node
		if st.method == methodScheduler {
			id = schema.NormalizeName(m.Key) + fmt.Sprintf("StepFunctionsSchedulerSchedule%d", n)
			body = jsvalue.Obj("Type", "AWS::Scheduler::Schedule", "Properties", jsvalue.Obj(
				"ScheduleExpression", rate, "State", state,
				"ScheduleExpressionTimezone", jsvalue.TruthyOrNil(st.timezone),
				"Name", jsvalue.TruthyOrNil(st.name), "Description", jsvalue.TruthyOrNil(st.description),
				"Target", jsvalue.Obj("Arn", jsvalue.Ref(smID), "RoleArn", roleArn, "Input", input, "RetryPolicy", retry),
				"FlexibleTimeWindow", jsvalue.Obj("Mode", "OFF")))
		} else {
			id = schema.NormalizeName(m.Key) + fmt.Sprintf("StepFunctionsEventsRuleSchedule%d", n)
			body = jsvalue.Obj("Type", "AWS::Events::Rule", "Properties", jsvalue.Obj(
				"ScheduleExpression", rate, "State", state,
				"Name", jsvalue.TruthyOrNil(st.name), "Description", jsvalue.TruthyOrNil(st.description),
				"Targets", jsvalue.Arr(jsvalue.Obj(
					"Input", input, "InputPath", jsvalue.StringOrNil(st.inputPath),
					"InputTransformer", c.inputTransformer(st.transformer),
					"Arn", jsvalue.Ref(smID), "Id", m.Key+"StepFunctionsSchedule",
					"RetryPolicy", retry, "RoleArn", roleArn))))
		}
		c.MergeResource(id, jsvalue.Plain(body))
	}
	if !st.role.Truthy() {
		principal := "events.amazonaws.com"
		if st.method == methodScheduler {
			principal = "scheduler.amazonaws.com"
		}
		if !slices.Contains(principals, principal) {
			principals = append(principals, principal)
		}
	}
	return n, principals
}

// inputTransformer is an event's inputTransformer as values (default mode).
func (c *emitter) inputTransformer(tr *schema.Node) *schema.Node {
	if !tr.Truthy() {
		return nil
	}
	tmpl := tr.Get("inputTemplate")
	if tr.Kind != schema.Map || tmpl == nil || tmpl.Kind != schema.String {
		c.Diags.Errorf(jsvalue.PosOf(tmpl, tr.Pos), "inputTransformer needs an inputTemplate string",
			"Write inputTransformer: {inputPathsMap: {name: $.detail.name}, inputTemplate: '{\"name\": <name>}'}.")
		return nil
	}
	return jsvalue.Obj("InputPathsMap", tr.Get("inputPathsMap"), "InputTemplate", tmpl)
}
