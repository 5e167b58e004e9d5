package schema_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stepform/stepform/internal/fixtureopts"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

const fixturesDir = "../fixtures"

// decodeParts runs every typed decoder of the stepFunctions block (and the
// function schedules' checks they share) over a service, as the compiler
// would, and returns their diagnostics sorted.
func decodeParts(svc *schema.Service, compat schema.Compat) diag.List {
	var all diag.List
	all.Append(schema.CheckFunctionSchedules(svc, compat))
	if svc.StepFunctions == nil {
		all.Sort()
		return all
	}
	for _, m := range svc.StepFunctions.StateMachines {
		_, d := schema.DecodeAlarms(m, compat)
		all.Append(d)
		_, d = schema.DecodeNotifications(m, compat)
		all.Append(d)
		_, d = schema.DecodeMachineEvents(svc, m, compat)
		all.Append(d)
	}
	all.Sort()
	return all
}

// fixtureLoad returns the load options of a fixture, as the golden tests
// build them (args and env files).
func fixtureLoad(t *testing.T, dir string) schema.LoadOptions {
	opts, err := fixtureopts.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return opts
}

// renderEach renders each diagnostic on its own, as a block of lines.
func renderEach(l diag.List, sources map[string][]byte) []string {
	var out []string
	for _, d := range l {
		var b bytes.Buffer
		diag.Render(&b, diag.List{d}, func(f string) []byte { return sources[f] })
		out = append(out, b.String())
	}
	return out
}

// splitRendered splits a rendered diagnostics file into its blocks.
func splitRendered(text string) []string {
	var out []string
	for _, line := range strings.SplitAfter(text, "\n") {
		if line == "" {
			continue
		}
		if len(out) == 0 || (line[0] != ' ' && line[0] != '\t') {
			out = append(out, line)
			continue
		}
		out[len(out)-1] += line
	}
	return out
}

// decoderSummaries match the summaries only the typed decoders report,
// so that every such line of an expected.txt must come from them.
var decoderSummaries = regexp.MustCompile(`^(` + strings.Join([]string{
	// alarms
	`alarms needs (topics|metrics)`, `alarms\.topics must be an object`, `alarms\.topics names no topic`,
	`alarms\.metrics (must be a list|is empty)`, `alarms\.topics\.\w+ is not an ARN`,
	`(alarms\.nameTemplate|alarms\.treatMissingData|metric \w+|alarms metric) must be a non-empty string`,
	`(alarms\.period|metric period) must be a whole number of seconds, at least 1`, `alarms metric has no metric name`,
	`unknown alarm metric ".*"`, `unknown variable \$\[.*\] in alarms\.nameTemplate`,
	`the plugin crashes on this (alarms\.nameTemplate|notification target|input|inputPath)`,
	`unknown key ".*" in (alarms|alarms\.topics|an alarms metric|notifications|a notification target|sqs|kinesis|inputTransformer)`,
	// notifications
	`notifications do not work with EXPRESS machines`, `notifications\.\w+ must be a list of targets`,
	`notification target (must be an object|has no destination)`, `(sqs|kinesis) target has no (arn|messageGroupId|partitionKeyPath)`,
	`(sns|sqs|kinesis|firehose|lambda|stepFunctions|sqs\.arn|kinesis\.arn) is not an ARN`,
	`(sqs\.messageGroupId|kinesis\.partitionKeyPath|inputPath|inputTemplate|inputPathsMap\..*) must be a non-empty string`,
	`inputTransformer must be an object`, `inputPathsMap must be an object`, `inputTransformer has no inputTemplate`,
	`sqs target needs a queue ARN string or Fn::GetAtt`,
	// schedules and event rules
	`schedule is empty`, `schedule must be a string or an object`, `schedule has no rate`,
	`(inputTransformer|inputPath) does not work with method: scheduler`, `timezone works only with method: scheduler`,
	`the plugin joins a list of rates into one expression`, `input, inputPath and inputTransformer exclude each other`,
	`a named schedule has several rates`, `schedule rate must be a string`, `inputTransformer needs an inputTemplate string`,
	`unknown schedule method .*`, `enabled must be true or false`, `invalid (schedule|rate|cron) expression ".*"`,
	`invalid rate (value|unit) ".*"`, `rate\(.*\) needs the (singular|plural) unit`, `at\(\) works only with method: scheduler`,
	`invalid at\(\) time ".*"`, `timezone must be a time zone name`, `unknown time zone ".*"`, `retryPolicy must be an object`,
	`(maximumRetryAttempts|maximumEventAgeInSeconds) must be a whole number from \d+ to \d+`,
	`(role|iamRole) must be an IAM role ARN`, `invalid eventBusName`, `(cloudwatchEvent|eventBridge) is empty`,
	`event rule (must be an object|has no event pattern)`, `event pattern must be an object`,
	`(\w+ events are|event) ignored`,
	// http events
	`malformed http shorthand`, `unknown http event key ".*"`, `invalid http event`, `missing or invalid http (path|method)`,
	`invalid http method ".*"`, `unknown Step Functions action ".*"`, `endpoint is both public and private`,
	`Cognito claims need integration: lambda`, `responses must be a map`, `request\.parameters is ignored`,
	`invalid request template`, `greedy path parameter .* is not last`, `invalid path parameter name .*`,
	`invalid character in http path ".*"`, `invalid http path ".*"`, `invalid cors`, `unknown cors key ".*"`,
	`cors\.cacheControl is ignored`, `cors has both origin and origins`, `cors headers must be a list`, `invalid cors maxAge`,
	`invalid CORS origin ".*"`, `cors\.(origins|headers|methods) must be a list`, `invalid authorizer( type)?`,
	`unknown authorizer key ".*"`, `authorizerId is ignored with type AWS_IAM`, `authorizer needs a name( or arn)?`,
	`invalid integration ".*"`, `unknown authorizer function ".*"`, `\w+ is a stepform key`, `errorStatusCodes must be a map`,
	`invalid error name ".*"`, `invalid error status code`, `errorDetails must be a list`, `invalid errorDetails entry ".*"`,
	`asyncStatusCode is 200 or 202`, `unknown envelope key ".*"`, `envelope\.headers must be a list`, `invalid header name ".*"`,
	`forwarding .* into the execution input`, `invalid envelope`, `public must be true or false`,
}, "|") + `)$`)

// ownedByDecoders reports whether a rendered diagnostic's summary is one
// only the typed decoders report.
func ownedByDecoders(block string) bool {
	first, _, _ := strings.Cut(block, "\n")
	for _, sev := range []string{": error: ", ": warning: "} {
		if _, summary, ok := strings.Cut(first, sev); ok {
			return decoderSummaries.MatchString(summary)
		}
	}
	return false
}

// completeFixtures are fixtures with an expected.txt every diagnostic of
// which comes from the typed decoders: it must equal the decoders' output.
var completeFixtures = []string{
	"alarms_malformed",
	"alarms_name_template_unknown_variable",
	"alarms_unknown_metric",
	"error_alarms_malformed",
	"error_alarms_name_template_no_variables",
	"error_event_rule_input_conflict",
	"error_event_rule_missing_event",
	"error_event_rule_not_object",
	"error_http_bad_method",
	"error_http_cognito_claims_plugin",
	"error_http_event_not_object",
	"error_http_missing_method",
	"error_http_missing_path",
	"error_http_stepform_keys_plugin_mode",
	"error_http_unknown_action",
	"error_http_unknown_keys",
	"error_notifications_malformed",
	"error_notifications_no_destination",
	"error_notifications_sqs_arn_form",
	"error_schedule_input_conflict",
	"error_schedule_missing_rate",
	"error_schedule_not_string_or_object",
	"error_schedule_scheduler_options",
	"eventbridge_settings_invalid",
	"http_responses_list",
	"notifications_kinesis_no_partition_key",
	"notifications_malformed",
	"schedule_expressions_invalid",
	"schedule_settings_invalid",
}

// TestTypedDecodersOnFixtures decodes every fixture's stepFunctions block
// in both modes and holds the decoders' diagnostics to what the compiler
// renders for the fixture: each one is in expected.txt (or, for plugin
// mode, plugin-warnings.txt), a fixture that compiles gets no error from
// them, and the fixtures in completeFixtures get exactly their
// expected.txt.
func TestTypedDecodersOnFixtures(t *testing.T) {
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range entries {
		dir := filepath.Join(fixturesDir, e.Name())
		if _, err := os.Stat(filepath.Join(dir, "serverless.yml")); err != nil {
			continue
		}
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			svc, sources, loadDiags := schema.Load(fixtureLoad(t, dir))
			if svc == nil {
				return
			}
			byMode := map[schema.Compat]diag.List{}
			for _, compat := range []schema.Compat{schema.CompatDefault, schema.CompatPlugin} {
				byMode[compat] = decodeParts(svc, compat)
			}
			if loadDiags.HasErrors() {
				return // the compiler does not run
			}
			_, hasPluginJSON := os.Stat(filepath.Join(dir, "plugin.json"))
			expected, expErr := os.ReadFile(filepath.Join(dir, "expected.txt"))
			mode := schema.CompatDefault
			if _, err := os.Stat(filepath.Join(dir, "plugin-mode")); err == nil {
				mode = schema.CompatPlugin
			}
			if expErr == nil {
				got := renderEach(byMode[mode], sources)
				want := splitRendered(string(expected))
				for _, g := range got {
					if !containsString(want, g) {
						t.Errorf("decoder diagnostic not in expected.txt:\n%s", g)
					}
				}
				for _, w := range want {
					if ownedByDecoders(w) && !containsString(got, w) {
						t.Errorf("expected.txt has a diagnostic of the decoders' that they do not report:\n%s", w)
					}
				}
				if containsString(completeFixtures, name) {
					checked++
					if strings.Join(got, "") != string(expected) {
						t.Errorf("decoders' diagnostics differ from expected.txt:\n--- got:\n%s--- want:\n%s", strings.Join(got, ""), expected)
					}
				}
			} else if byMode[schema.CompatDefault].HasErrors() {
				t.Errorf("the fixture compiles in the default mode, but the decoders report:\n%s", strings.Join(renderEach(byMode[schema.CompatDefault], sources), ""))
			}
			if hasPluginJSON == nil && !strings.HasPrefix(name, "error_") && byMode[schema.CompatPlugin].HasErrors() {
				t.Errorf("the plugin compiles the fixture, but the decoders report in plugin mode:\n%s", strings.Join(renderEach(byMode[schema.CompatPlugin], sources), ""))
			}
			if warnings, err := os.ReadFile(filepath.Join(dir, "plugin-warnings.txt")); err == nil {
				want := splitRendered(string(warnings))
				got := renderEach(byMode[schema.CompatPlugin], sources)
				for _, g := range got {
					if !containsString(want, g) {
						t.Errorf("decoder warning not in plugin-warnings.txt:\n%s", g)
					}
				}
				for _, w := range want {
					if ownedByDecoders(w) && !containsString(got, w) {
						t.Errorf("plugin-warnings.txt has a warning of the decoders' that they do not report:\n%s", w)
					}
				}
			}
		})
	}
	if want := len(completeFixtures); checked != want && !t.Failed() {
		t.Errorf("checked %d of the %d complete fixtures; is one renamed?", checked, want)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// FuzzTypedDecoders decodes arbitrary serverless.yml text with every
// typed decoder in both modes. Nothing may panic, and a part the decoders
// return without an error in the default mode holds what it promises.
func FuzzTypedDecoders(f *testing.F) {
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if data, err := os.ReadFile(filepath.Join(fixturesDir, e.Name(), "serverless.yml")); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		svc, _, _ := schema.Load(schema.LoadOptions{ConfigPath: "serverless.yml", Stage: "dev",
			ReadFile: func(string) ([]byte, error) { return data, nil }})
		if svc == nil || svc.StepFunctions == nil {
			return
		}
		for _, compat := range []schema.Compat{schema.CompatDefault, schema.CompatPlugin} {
			decodeParts(svc, compat)
		}
		for _, m := range svc.StepFunctions.StateMachines {
			ev, d := schema.DecodeMachineEvents(svc, m, schema.CompatDefault)
			if d.HasErrors() {
				continue
			}
			for _, h := range ev.HTTP {
				if h.Method == "" || strings.HasPrefix(h.Path, "/") {
					t.Errorf("http event without a method or with a leading slash: %+v", h)
				}
			}
			for _, s := range ev.Schedules {
				for _, r := range s.Rates {
					if r.Kind != schema.String || r.Value == "" {
						t.Errorf("schedule rate %+v is not a string", r)
					}
				}
			}
		}
	})
}
