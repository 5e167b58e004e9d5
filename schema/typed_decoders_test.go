package schema_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// loadMachine loads a service whose only state machine "m" has the given
// settings (YAML indented for the machine's level) and returns it.
func loadMachine(t *testing.T, settings string) (*schema.Service, *schema.StateMachine) {
	t.Helper()
	src := "service: svc\nprovider:\n  name: aws\nfunctions:\n  auth:\n    handler: h.h\nstepFunctions:\n  stateMachines:\n    m:\n" +
		"      definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}\n" + settings
	svc, _, diags := schema.Load(schema.LoadOptions{ConfigPath: "serverless.yml", Stage: "dev",
		ReadFile: func(string) ([]byte, error) { return []byte(src), nil }})
	if diags.HasErrors() || svc == nil || len(svc.StepFunctions.StateMachines) != 1 {
		t.Fatalf("load: %v", diags)
	}
	return svc, svc.StepFunctions.StateMachines[0]
}

// brief renders diagnostics one a line as "line:col severity: summary".
func brief(l diag.List) []string {
	l.Sort()
	var out []string
	for _, d := range l {
		out = append(out, fmt.Sprintf("%d:%d %s: %s", d.Pos.Line, d.Pos.Col, d.Severity, d.Summary))
	}
	return out
}

func checkDiags(t *testing.T, got diag.List, want ...string) {
	t.Helper()
	if g := brief(got); !reflect.DeepEqual(g, want) && !(len(g) == 0 && len(want) == 0) {
		t.Errorf("diagnostics:\n got  %q\n want %q", g, want)
	}
}

func TestDecodeAlarms(t *testing.T) {
	const valid = `      alarms:
        topics:
          alarm: arn:aws:sns:us-east-1:123456789012:alarms
        metrics:
          - executionsFailed
          - executionsFailed
          - metric: executionsTimedOut
            logicalId: Timeouts
            period: '300'
        period: 120
`
	for _, compat := range []schema.Compat{schema.CompatDefault, schema.CompatPlugin} {
		_, m := loadMachine(t, valid)
		a, d := schema.DecodeAlarms(m, compat)
		checkDiags(t, d)
		if a == nil || a.Alarm == nil || a.OK != nil || a.InsufficientData != nil {
			t.Fatalf("topics: %+v", a)
		}
		if len(a.Metrics) != 2 || a.Metrics[0].Metric != "executionsFailed" || a.Metrics[1].Metric != "executionsTimedOut" {
			t.Fatalf("metrics: %+v", a.Metrics)
		}
		if s := a.Metrics[1]; s.LogicalID.Value != "Timeouts" || s.Period.Value != "300" || s.IDPos() != s.LogicalID.Pos {
			t.Errorf("metric settings: %+v", s)
		}
		if a.Period.Value != "120" || a.TreatMissingData != nil {
			t.Errorf("defaults: %+v %+v", a.Period, a.TreatMissingData)
		}
	}

	tests := []struct {
		name     string
		settings string
		compat   schema.Compat
		decoded  bool
		want     []string
	}{
		{"unknown metric, default", "      alarms:\n        topics: {alarm: arn:a}\n        metrics: [executionsFaild, executionsFailed]\n",
			schema.CompatDefault, false, []string{"13:19 error: unknown alarm metric \"executionsFaild\""}},
		{"unknown metric, plugin", "      alarms:\n        topics: {alarm: arn:a}\n        metrics: [executionsFaild, executionsFailed]\n",
			schema.CompatPlugin, true, []string{"13:19 warning: unknown alarm metric \"executionsFaild\""}},
		{"template without variables, default", "      alarms:\n        topics: {alarm: arn:a}\n        metrics: [executionsFailed]\n        nameTemplate: fixed\n",
			schema.CompatDefault, true, nil},
		{"template without variables, plugin", "      alarms:\n        topics: {alarm: arn:a}\n        metrics: [executionsFailed]\n        nameTemplate: fixed\n",
			schema.CompatPlugin, false, []string{"14:23 error: the plugin crashes on this alarms.nameTemplate"}},
		{"template crash needs a known metric", "      alarms:\n        topics: {alarm: arn:a}\n        metrics: [nope]\n        nameTemplate: fixed\n",
			schema.CompatPlugin, true, []string{"13:19 warning: unknown alarm metric \"nope\""}},
		{"unknown variable, default", "      alarms:\n        topics: {alarm: arn:a}\n        metrics: [executionsFailed]\n        nameTemplate: $[stateMachine]-x\n",
			schema.CompatDefault, false, []string{"14:23 error: unknown variable $[stateMachine] in alarms.nameTemplate"}},
		{"malformed, plugin", "      alarms:\n        topics: {alarm: 42}\n        metrics: []\n",
			schema.CompatPlugin, false, []string{"12:25 warning: alarms.topics.alarm is not an ARN", "13:18 warning: alarms.metrics is empty"}},
		{"no topics or metrics", "      alarms:\n        period: 0\n",
			schema.CompatDefault, false, []string{"11:7 error: alarms needs metrics", "11:7 error: alarms needs topics", "12:17 error: alarms.period must be a whole number of seconds, at least 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, m := loadMachine(t, tt.settings)
			a, d := schema.DecodeAlarms(m, tt.compat)
			checkDiags(t, d, tt.want...)
			if (a != nil) != tt.decoded {
				t.Errorf("decoded = %v, want %v", a != nil, tt.decoded)
			}
		})
	}
	_, m := loadMachine(t, "      alarms:\n        topics: {alarm: arn:a}\n        metrics: [executionsFailed]\n        nameTemplate: $[nope]\n")
	if a, _ := schema.DecodeAlarms(m, schema.CompatPlugin); a == nil || a.NameTemplate != nil {
		t.Errorf("plugin mode: an unknown variable leaves the alarms unnamed, got %+v", a)
	}
	var d diag.List
	_, m = loadMachine(t, "      alarms:\n        topics: {alarm: arn:a}\n        metrics: []\n")
	_, d = schema.DecodeAlarms(m, schema.CompatPlugin)
	if len(d) != 1 || !strings.HasSuffix(d[0].Detail, "logs that the alarms config of state machine m is malformed and creates none of it.") {
		t.Errorf("plugin-mode detail: %+v", d)
	}
}

func TestDecodeNotifications(t *testing.T) {
	_, m := loadMachine(t, `      notifications:
        FAILED:
          - sqs: {arn: arn:aws:sqs:us-east-1:123456789012:q.fifo, messageGroupId: g}
            inputPath: $.detail
        ABORTED:
          - sns: arn:aws:sns:us-east-1:123456789012:t
          - kinesis: {arn: arn:aws:kinesis:us-east-1:123456789012:stream/s, partitionKeyPath: $.id}
`)
	n, d := schema.DecodeNotifications(m, schema.CompatDefault)
	checkDiags(t, d)
	if n == nil || len(n.Statuses) != 2 || n.Statuses[0].Status != "ABORTED" || n.Statuses[1].Status != "FAILED" {
		t.Fatalf("statuses in the plugin's order: %+v", n)
	}
	sqs := n.Statuses[1].Targets[0]
	if sqs.Kind != "sqs" || !sqs.Parameters || sqs.ARN.Value != "arn:aws:sqs:us-east-1:123456789012:q.fifo" || sqs.MessageGroupID.Value != "g" || sqs.InputPath.Value != "$.detail" {
		t.Errorf("sqs target: %+v", sqs)
	}
	if k := n.Statuses[0].Targets[1]; k.Kind != "kinesis" || k.PartitionKeyPath.Value != "$.id" {
		t.Errorf("kinesis target: %+v", k)
	}

	tests := []struct {
		name     string
		settings string
		compat   schema.Compat
		decoded  bool
		want     []string
	}{
		{"express", "      type: EXPRESS\n      notifications:\n        FAILED: [{sns: arn:t}]\n", schema.CompatDefault, false,
			[]string{"12:7 warning: notifications do not work with EXPRESS machines"}},
		{"no destination, default", "      notifications:\n        FAILED: [{inputPath: $.x}]\n", schema.CompatDefault, false,
			[]string{"12:18 error: notification target has no destination"}},
		{"no destination, plugin", "      notifications:\n        FAILED: [{inputPath: $.x}]\n", schema.CompatPlugin, false,
			[]string{"12:18 error: the plugin crashes on this notification target"}},
		{"sqs Ref", "      notifications:\n        FAILED: [{sqs: {Ref: Queue}}]\n", schema.CompatPlugin, false,
			[]string{"12:24 error: sqs target needs a queue ARN string or Fn::GetAtt"}},
		{"sqs GetAtt", "      notifications:\n        FAILED: [{sqs: {Fn::GetAtt: [Queue, Arn]}}]\n", schema.CompatDefault, true, nil},
		{"kinesis without partition key, plugin", "      notifications:\n        FAILED: [{kinesis: {arn: arn:k}}]\n", schema.CompatPlugin, true,
			[]string{"12:19 warning: kinesis target has no partitionKeyPath"}},
		{"not a list, plugin", "      notifications:\n        FAILED: {sns: arn:t}\n", schema.CompatPlugin, false,
			[]string{"12:17 warning: notifications.FAILED must be a list of targets"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, m := loadMachine(t, tt.settings)
			n, d := schema.DecodeNotifications(m, tt.compat)
			checkDiags(t, d, tt.want...)
			if (n != nil) != tt.decoded {
				t.Errorf("decoded = %v, want %v", n != nil, tt.decoded)
			}
		})
	}
}

// firstEvent returns the machine's first event entry.
func firstEvent(t *testing.T, settings string) (*schema.Service, *schema.StateMachine, *schema.Node) {
	t.Helper()
	svc, m := loadMachine(t, "      events:\n"+settings)
	return svc, m, m.Events.Items[0]
}

func TestDecodeSchedule(t *testing.T) {
	_, m, ev := firstEvent(t, "        - schedule: rate(5 minutes)\n")
	s, d := schema.DecodeSchedule(m, ev, schema.CompatDefault)
	checkDiags(t, d)
	if s == nil || s.Broken || s.Rate.Value != "rate(5 minutes)" || len(s.Rates) != 1 || s.Method != "eventBus" || s.Scheduler() {
		t.Fatalf("string form: %+v", s)
	}
	_, m, ev = firstEvent(t, "        - schedule:\n            rate: cron(0 12 * * ? *)\n            method: scheduler\n            timezone: Europe/Paris\n            enabled: false\n            input: {a: 1}\n")
	s, d = schema.DecodeSchedule(m, ev, schema.CompatDefault)
	checkDiags(t, d)
	if s == nil || s.Broken || !s.Scheduler() || !s.Disabled || s.Timezone.Value != "Europe/Paris" || s.Input.Kind != schema.Map {
		t.Fatalf("object form: %+v", s)
	}

	tests := []struct {
		name   string
		event  string
		compat schema.Compat
		// state: "nil" (not counted), "broken" or "ok"
		state string
		want  []string
	}{
		{"empty", "        - schedule: ''\n", schema.CompatPlugin, "nil", []string{"12:21 warning: schedule is empty"}},
		{"no rate", "        - schedule: {enabled: true}\n", schema.CompatDefault, "broken", []string{"12:21 error: schedule has no rate"}},
		{"not a string or object", "        - schedule: 5\n", schema.CompatDefault, "broken", []string{"12:21 error: schedule must be a string or an object"}},
		{"rate list, plugin", "        - schedule: {rate: [rate(1 hour), rate(2 hours)]}\n", schema.CompatPlugin, "ok",
			[]string{"12:28 warning: the plugin joins a list of rates into one expression"}},
		{"named rate list, default", "        - schedule: {rate: [rate(1 hour), rate(2 hours)], name: n}\n", schema.CompatDefault, "broken",
			[]string{"12:59 error: a named schedule has several rates"}},
		{"rate not a string, default", "        - schedule: {rate: [rate(1 hour), 5]}\n", schema.CompatDefault, "broken",
			[]string{"12:43 error: schedule rate must be a string"}},
		{"transformer without template, default", "        - schedule: {rate: rate(1 hour), inputTransformer: {inputPathsMap: {a: $.a}}}\n", schema.CompatDefault, "ok",
			[]string{"12:60 error: inputTransformer needs an inputTemplate string"}},
		{"transformer without template, plugin", "        - schedule: {rate: rate(1 hour), inputTransformer: {inputPathsMap: {a: $.a}}}\n", schema.CompatPlugin, "ok", nil},
		{"bad rate unit", "        - schedule: rate(1 minutes)\n", schema.CompatPlugin, "ok", []string{"12:21 warning: rate(1 minutes) needs the singular unit"}},
		{"two inputs", "        - schedule: {rate: rate(1 hour), input: x, inputPath: $.y}\n", schema.CompatDefault, "broken",
			[]string{"12:52 error: input, inputPath and inputTransformer exclude each other"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, m, ev := firstEvent(t, tt.event)
			s, d := schema.DecodeSchedule(m, ev, tt.compat)
			checkDiags(t, d, tt.want...)
			state := "nil"
			if s != nil {
				state = map[bool]string{true: "broken", false: "ok"}[s.Broken]
			}
			if state != tt.state {
				t.Errorf("state = %s, want %s", state, tt.state)
			}
		})
	}
}

func TestDecodeEventRule(t *testing.T) {
	_, m, ev := firstEvent(t, "        - eventBridge:\n            event: {source: [aws.ec2]}\n            enabled: false\n            eventBusName: bus\n          cloudwatchEvent: ''\n")
	r, d := schema.DecodeEventRule(m, ev, schema.CompatDefault)
	checkDiags(t, d)
	if r == nil || r.Broken || r.Key != "eventBridge" || !r.Disabled || r.EventBusName.Value != "bus" || r.Event.Kind != schema.Map {
		t.Fatalf("decoded: %+v", r)
	}
	tests := []struct {
		name   string
		event  string
		compat schema.Compat
		state  string
		want   []string
	}{
		// {} is truthy: a rule without a pattern, and no empty cloudwatchEvent.
		{"empty object", "        - eventBridge: {}\n          cloudwatchEvent: ''\n", schema.CompatDefault, "broken",
			[]string{"12:24 error: event rule has no event pattern"}},
		{"empty", "        - cloudwatchEvent: ''\n", schema.CompatDefault, "nil", []string{"12:28 error: cloudwatchEvent is empty"}},
		{"no pattern", "        - eventBridge: {enabled: true}\n", schema.CompatPlugin, "broken", []string{"12:24 error: event rule has no event pattern"}},
		{"not an object", "        - eventBridge: text\n", schema.CompatDefault, "broken", []string{"12:24 error: event rule must be an object"}},
		{"number input, plugin", "        - eventBridge: {event: {source: [a]}, input: 42}\n", schema.CompatPlugin, "broken",
			[]string{"12:54 error: the plugin crashes on this input"}},
		{"number input, default", "        - eventBridge: {event: {source: [a]}, input: 42}\n", schema.CompatDefault, "ok", nil},
		{"bad settings, plugin", "        - eventBridge: {event: [a], enabled: 'no', iamRole: r}\n", schema.CompatPlugin, "ok",
			[]string{"12:32 warning: event pattern must be an object", "12:46 warning: enabled must be true or false", "12:61 warning: iamRole must be an IAM role ARN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, m, ev := firstEvent(t, tt.event)
			r, d := schema.DecodeEventRule(m, ev, tt.compat)
			checkDiags(t, d, tt.want...)
			state := "nil"
			if r != nil {
				state = map[bool]string{true: "broken", false: "ok"}[r.Broken]
			}
			if state != tt.state {
				t.Errorf("state = %s, want %s", state, tt.state)
			}
		})
	}
}

func TestDecodeHTTPEvent(t *testing.T) {
	decode := func(t *testing.T, event string, compat schema.Compat) (*schema.HTTPEvent, diag.List) {
		t.Helper()
		svc, m, ev := firstEvent(t, event)
		return schema.DecodeHTTPEvent(svc, m, ev.Pair("http"), compat)
	}
	h, d := decode(t, "        - http: POST /orders/\n", schema.CompatDefault)
	checkDiags(t, d)
	if h == nil || h.Node != nil || h.Path != "orders" || h.Method != "post" || h.StartAction() != "StartExecution" || h.Integration != "AWS_PROXY" {
		t.Fatalf("shorthand: %+v", h)
	}
	h, d = decode(t, `        - http:
            path: /a/{id}
            method: GET
            action: StartSyncExecution
            cors: true
            authorizer: auth
            envelope: {headers: [X-Id]}
            errorStatusCodes: {NotFound: 404}
            errorDetails: [cause]
            asyncStatusCode: 200
`, schema.CompatDefault)
	checkDiags(t, d)
	if h == nil || h.Path != "a/{id}" || h.Method != "get" || h.StartAction() != "StartSyncExecution" {
		t.Fatalf("object form: %+v", h)
	}
	if c := h.CORS; c == nil || *c.Origin != "*" || !reflect.DeepEqual(c.Methods, []string{"OPTIONS", "GET"}) || len(c.Headers) != 6 {
		t.Errorf("cors true: %+v", h.CORS)
	}
	if a := h.Authorizer; a == nil || a.FunctionKey != "auth" || a.Name != "auth" || a.ARN != nil || a.TTL != nil {
		t.Errorf("function authorizer: %+v", h.Authorizer)
	}
	o := h.Stepform
	if !o.Envelope || !reflect.DeepEqual(o.EnvelopeHeaders, []string{"X-Id"}) || !o.ErrorDetails.Error || !o.ErrorDetails.Cause ||
		o.AsyncStatusCode != 200 || !reflect.DeepEqual(o.ErrorStatusCodes, []schema.ErrorStatusCode{{"NotFound", 404}}) {
		t.Errorf("stepform keys: %+v", o)
	}
	h, d = decode(t, "        - http:\n            path: a\n            method: post\n            authorizer: {arn: 'arn:aws:lambda:us-east-1:1:function:my-auth', resultTtlInSeconds: '30s'}\n", schema.CompatDefault)
	checkDiags(t, d)
	if a := h.Authorizer; a == nil || a.Name != "auth" || a.ARN == nil || a.TTL == nil || *a.TTL != 30 {
		t.Errorf("ARN authorizer: %+v", h.Authorizer)
	}
	h, d = decode(t, "        - http:\n            path: a\n            method: post\n            request: {template: lambda_proxy, schemas: {application/json: m}}\n            response: {headers: x, template: {Fn::Sub: t}}\n", schema.CompatDefault)
	checkDiags(t, d)
	if r := h.Request; r.Template == nil || r.Template.Value != "lambda_proxy" || r.Schemas.Get("application/json") == nil {
		t.Errorf("request: %+v", h.Request)
	}
	if r := h.Response; r.Headers != nil || r.Template == nil || !r.Template.IsIntrinsic() {
		t.Errorf("response (headers that are not a map are dropped): %+v", h.Response)
	}
	h, _ = decode(t, "        - http:\n            path: a\n            method: post\n            responses: {x: {statusCode: 400}, '2': {selectionPattern: ''}, '1': 5}\n", schema.CompatDefault)
	var keys []string
	for _, r := range h.IntegrationResponses {
		keys = append(keys, r.Key)
	}
	if ir := h.IntegrationResponses; !reflect.DeepEqual(keys, []string{"1", "2", "x"}) || ir[0].StatusCode != nil || ir[1].SelectionPattern.Value != "" || ir[2].StatusCode.Value != "400" {
		t.Errorf("responses in JavaScript's key order: %+v", h.IntegrationResponses)
	}

	tests := []struct {
		name    string
		event   string
		compat  schema.Compat
		decoded bool
		want    []string
	}{
		{"bad method", "        - http: {path: a, method: fetch}\n", schema.CompatDefault, false, []string{"12:35 error: invalid http method \"fetch\""}},
		{"no path", "        - http: {method: get}\n", schema.CompatPlugin, false, []string{"12:17 error: missing or invalid http path"}},
		{"not an event", "        - http: 5\n", schema.CompatDefault, false, []string{"12:17 error: invalid http event"}},
		{"unknown key, plugin", "        - http: {path: a, method: get, pth: b}\n", schema.CompatPlugin, true, []string{"12:40 warning: unknown http event key \"pth\""}},
		{"stepform key, plugin", "        - http: {path: a, method: get, public: true}\n", schema.CompatPlugin, true, []string{"12:40 error: public is a stepform key"}},
		{"public and private", "        - http: {path: a, method: get, public: true, private: true}\n", schema.CompatDefault, true, []string{"12:40 error: endpoint is both public and private"}},
		{"unknown authorizer", "        - http: {path: a, method: get, authorizer: nope}\n", schema.CompatDefault, true, []string{"12:52 error: unknown authorizer function \"nope\""}},
		{"cors headers not a list", "        - http: {path: a, method: get, cors: {headers: X}}\n", schema.CompatDefault, true, []string{"12:56 error: cors headers must be a list"}},
		{"greedy not last", "        - http: {path: '{proxy+}/a', method: get}\n", schema.CompatPlugin, true, []string{"12:24 warning: greedy path parameter {proxy+} is not last"}},
		{"bad integration", "        - http: {path: a, method: get, integration: grpc}\n", schema.CompatDefault, true, []string{"12:53 error: invalid integration \"grpc\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, d := decode(t, tt.event, tt.compat)
			checkDiags(t, d, tt.want...)
			if (h != nil) != tt.decoded {
				t.Errorf("decoded = %v, want %v", h != nil, tt.decoded)
			}
		})
	}
}

func TestMachineSettings(t *testing.T) {
	_, m := loadMachine(t, `      name: my-machine
      type: EXPRESS
      dependsOn: [A, B]
      retain: true
      inheritGlobalTags: false
      tags: {b: x, "10": y, "2": z}
      loggingConfig:
        destinations: [arn:aws:logs:us-east-1:1:log-group:g]
      encryptionConfig: {Type: CUSTOMER_MANAGED_KMS_KEY, KmsKeyId: k}
      tracingConfig: {enabled: true}
`)
	s := m.Settings
	if s.Name != "my-machine" || s.Type != "EXPRESS" || !reflect.DeepEqual(s.DependsOn, []string{"A", "B"}) || !s.Retain || s.InheritGlobalTags {
		t.Errorf("settings: %+v", s)
	}
	var keys []string
	for _, tag := range s.Tags {
		keys = append(keys, tag.Key)
	}
	if !reflect.DeepEqual(keys, []string{"2", "10", "b"}) {
		t.Errorf("tags in JavaScript's order: %v", keys)
	}
	if l := s.Logging; l == nil || l.Level != "OFF" || l.IncludeExecutionData || len(l.Destinations) != 1 {
		t.Errorf("logging: %+v", s.Logging)
	}
	if e := s.Encryption; e == nil || e.KmsDataKeyReusePeriodSeconds != "900" || e.KmsKeyID != "k" || e.Type != "CUSTOMER_MANAGED_KMS_KEY" {
		t.Errorf("encryption: %+v", s.Encryption)
	}
	if s.Tracing == nil || !s.Tracing.Enabled {
		t.Errorf("tracing: %+v", s.Tracing)
	}
	_, m = loadMachine(t, "")
	if s := m.Settings; !s.InheritGlobalTags || s.Logging != nil || s.Type != "" {
		t.Errorf("defaults: %+v", s)
	}
}

func TestDecodeMachineEvents(t *testing.T) {
	svc, m := loadMachine(t, `      events:
        - schedule: rate(1 hour)
        - schedule: ''
        - schedule: {enabled: true}
        - eventBridge: {event: {source: [a]}}
          http: GET /a
        - cloudwatchEvent: {event: {source: [b]}}
        - sqs: arn:q
        - http: {path: b}
`)
	ev, d := schema.DecodeMachineEvents(svc, m, schema.CompatPlugin)
	checkDiags(t, d,
		"13:21 warning: schedule is empty",
		"14:21 error: schedule has no rate",
		"18:11 warning: sqs events are ignored",
		"19:17 error: missing or invalid http method")
	// The empty schedule is not counted; the broken one is.
	if len(ev.Schedules) != 2 || ev.Schedules[0].Broken || !ev.Schedules[1].Broken {
		t.Errorf("schedules: %+v", ev.Schedules)
	}
	if len(ev.Rules) != 2 || ev.Rules[0].Key != "eventBridge" || ev.Rules[1].Key != "cloudwatchEvent" {
		t.Errorf("rules: %+v", ev.Rules)
	}
	if len(ev.HTTP) != 1 || ev.HTTP[0].Path != "a" {
		t.Errorf("http: %+v", ev.HTTP)
	}
}
