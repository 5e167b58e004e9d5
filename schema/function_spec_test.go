package schema_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

func decodeYAML(t *testing.T, yml string) (*schema.Service, diag.List) {
	t.Helper()
	n, diags := schema.ParseYAML("serverless.yml", []byte(yml))
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	return schema.Decode(n, "", "")
}

// TestFunctionKeysAreTheSpec checks that the decoder warns about exactly
// the function keys the schema leaves out.
func TestFunctionKeysAreTheSpec(t *testing.T) {
	for _, key := range schema.FunctionSpec().KeyNames() {
		if key == "handler" {
			continue
		}
		_, diags := decodeYAML(t, "service: s\nfunctions:\n  f:\n    handler: h.h\n    "+key+": null\n")
		if strings.Contains(fmt.Sprint(diags), "unknown key") {
			t.Errorf("the decoder warns about %q, which the spec lists: %v", key, diags)
		}
	}
	_, diags := decodeYAML(t, "service: s\nfunctions:\n  f:\n    handler: h.h\n    memorysize: 512\n")
	if got := fmt.Sprint(diags); !strings.Contains(got, `unknown key "memorysize"`) || !strings.Contains(got, `Did you mean "memorySize"?`) {
		t.Errorf("the decoder accepts a key the spec does not list: %v", diags)
	}
}

// eventYAML is a service whose function has one event of kind with the
// given settings.
func eventYAML(kind, settings string) string {
	return "service: s\nfunctions:\n  f:\n    handler: h.h\n    events:\n      - " + kind + ":\n" + settings
}

// TestFunctionEventKeysAreTheSpecs checks, for every event kind stepform
// compiles, that the keys its spec lists are accepted and another is
// reported (eventBridge takes any key, as in the framework's schema;
// httpApi events report theirs where they are compiled).
func TestFunctionEventKeysAreTheSpecs(t *testing.T) {
	for _, kind := range []string{"sqs", "stream", "sns", "schedule", "s3", "eventBridge", "cloudwatchEvent", "cloudwatchLog", "httpApi", "http", "websocket", "cognitoUserPool", "alb"} {
		spec := schema.FunctionEventObjectSpec(kind)
		if spec == nil {
			t.Fatalf("no spec for %s events", kind)
		}
		var settings strings.Builder
		for _, key := range spec.KeyNames() {
			settings.WriteString("          " + key + ": null\n")
		}
		svc, _ := decodeYAML(t, eventYAML(kind, settings.String()))
		if diags := schema.CheckFunctionEventKeys(svc, schema.CompatDefault); len(diags) > 0 {
			t.Errorf("%s: keys of the spec are reported: %v", kind, diags)
		}
		ev := svc.Functions[0].EventList[0]
		switch {
		case ev.HTTP != nil && len(ev.HTTP.Unknown) > 0:
			t.Errorf("http: the decoder does not know %v", ev.HTTP.Unknown)
		case ev.HTTPAPI != nil && len(ev.HTTPAPI.Unknown) > 0:
			t.Errorf("httpApi: the decoder does not know %v", ev.HTTPAPI.Unknown)
		}

		svc, _ = decodeYAML(t, eventYAML(kind, settings.String()+"          bogus: 1\n"))
		diags := schema.CheckFunctionEventKeys(svc, schema.CompatDefault)
		ev = svc.Functions[0].EventList[0]
		switch kind {
		case "eventBridge":
			if len(diags) > 0 {
				t.Errorf("eventBridge: an unknown key is reported, which the framework's schema allows: %v", diags)
			}
		case "httpApi":
			if len(ev.HTTPAPI.Unknown) != 1 {
				t.Errorf("httpApi: the decoder knows bogus")
			}
		default:
			if !strings.Contains(fmt.Sprint(diags), `unknown key "bogus" in functions.f.events[0].`+kind) || !diags.HasErrors() {
				t.Errorf("%s: an unknown key is not an error: %v", kind, diags)
			}
		}
	}
}

// TestFunctionEventKeysModes pins the severity: an error in the default
// mode, a warning in plugin mode, an error there too when the framework
// fails (configValidationMode: error); and the nested keys and booleans.
func TestFunctionEventKeysModes(t *testing.T) {
	const settings = "          arn: arn:aws:kinesis:us-east-1:123456789012:stream/s\n" +
		"          enabled: maybe\n" +
		"          destinations:\n            onFailure:\n              arn: arn:aws:sqs:us-east-1:123456789012:q\n              typ: sqs\n"
	cases := []struct {
		mode    string
		compat  schema.Compat
		errors  bool
		message string
	}{
		{"", schema.CompatDefault, true, "warns about it and ignores it"},
		{"", schema.CompatPlugin, false, "warns about it and ignores it"},
		{"configValidationMode: error\n", schema.CompatPlugin, true, "rejects it (configValidationMode: error)"},
		{"configValidationMode: off\n", schema.CompatDefault, true, "ignores it without a word"},
		{"configValidationMode: off\n", schema.CompatPlugin, false, "ignores it without a word"},
	}
	for _, c := range cases {
		svc, _ := decodeYAML(t, c.mode+eventYAML("stream", settings))
		diags := schema.CheckFunctionEventKeys(svc, c.compat)
		got := fmt.Sprint(diags)
		if len(diags) != 2 || diags.HasErrors() != c.errors || !strings.Contains(got, c.message) ||
			!strings.Contains(got, `unknown key "typ" in functions.f.events[0].stream.destinations.onFailure`) ||
			!strings.Contains(got, `Did you mean "type"?`) ||
			!strings.Contains(got, "functions.f.events[0].stream.enabled must be true or false") {
			t.Errorf("%q compat %d: got %v", c.mode, c.compat, diags)
		}
	}
	svc, _ := decodeYAML(t, eventYAML("sqs", "          arn: arn:aws:sqs:us-east-1:123456789012:q\n          enabled: 'false'\n"))
	if diags := schema.CheckFunctionEventKeys(svc, schema.CompatDefault); len(diags) > 0 {
		t.Errorf("\"false\" is a boolean to the framework: %v", diags)
	}
}

// TestFunctionEventsNotAList pins the error for events written as a map.
func TestFunctionEventsNotAList(t *testing.T) {
	_, diags := decodeYAML(t, "service: s\nfunctions:\n  f:\n    handler: h.h\n    events:\n      sqs: arn:aws:sqs:us-east-1:123456789012:q\n")
	if !diags.HasErrors() || !strings.Contains(fmt.Sprint(diags), "functions.f.events must be a list") {
		t.Errorf("got %v", diags)
	}
}

// TestJSONSchemaFunctionValues pins what the schema takes in functions:
// variables anywhere, intrinsics where the framework takes them, numeric
// strings for whole numbers, other event kinds left to --base; and what
// it flags.
func TestJSONSchemaFunctionValues(t *testing.T) {
	sch := compiledJSONSchema(t)
	validate := func(yml string) error {
		n, diags := schema.ParseYAML("serverless.yml", []byte("service: s\nfunctions:\n  f:\n    handler: h.h\n"+yml))
		if diags.HasErrors() {
			t.Fatal(diags.Err())
		}
		return sch.Validate(jsonValue(n))
	}
	for _, ok := range []string{
		"    timeout: ${self:custom.timeout}\n",
		"    timeout: '30'\n",
		"    provisionedConcurrency: !Ref Concurrency\n",
		"    role: !GetAtt [Role, Arn]\n",
		"    environment: {TABLE: !Ref Table, DEBUG: true, PORT: 8080}\n",
		"    runtime: nodejs22.x\n",
		"    events:\n      - sqs: !GetAtt [Queue, Arn]\n      - stream: {arn: !GetAtt [Table, StreamArn], type: dynamodb}\n",
		"    events:\n      - s3: {bucket: !Ref Bucket, existing: true, rules: [{prefix: !Sub '${AWS::Region}/'}]}\n",
		"    events:\n      - eventBridge: {eventBus: !GetAtt [Bus, Name], pattern: {source: [a]}, anyOtherKey: 1}\n",
		"    events:\n      - websocket: $connect\n      - alb: {listenerArn: x, priority: 1}\n",
		"    events:\n      - ${file(./events.yml)}\n",
		"    events:\n      - sqs: {arn: x, enabled: 'false'}\n",
	} {
		if err := validate(ok); err != nil {
			t.Errorf("the schema rejects\n%s: %v", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"    timout: 30\n":                                                                  "additional properties 'timout' not allowed",
		"    timeout: !Ref Timeout\n":                                                       "/functions/f/timeout'",
		"    architecture: arm\n":                                                           "value must be one of 'x86_64', 'arm64'",
		"    url: {invokeMode: STREAM}\n":                                                   "value must be one of 'BUFFERED', 'RESPONSE_STREAM'",
		"    events:\n      - sqs: {arn: x, batchsize: 5}\n":                                "additional properties 'batchsize' not allowed",
		"    events:\n      - stream: {arn: x, startingPosition: NOW}\n":                    "value must be one of 'LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'",
		"    events:\n      - http: {path: x, method: get, cros: true}\n":                   "additional properties 'cros' not allowed",
		"    events:\n      - httpApi: {path: /x, method: get, cors: true}\n":               "additional properties 'cors' not allowed",
		"    events:\n      - websocket: {route: x, rout: y}\n":                             "additional properties 'rout' not allowed",
		"    events:\n      - cognitoUserPool: {pool: p, trigger: PreSignup}\n":             "value must be one of",
		"    events:\n      - alb: {listenerArn: x, priority: 1, conditions: {paths: /}}\n": "additional properties 'paths' not allowed",
	} {
		err := validate(bad)
		if err == nil {
			t.Errorf("the schema accepts\n%s", bad)
		} else if !strings.Contains(err.Error(), want) {
			t.Errorf("the schema's errors on\n%sdo not say %q:\n%v", bad, want, err)
		}
	}
}
