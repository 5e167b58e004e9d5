package schema_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/stepform/stepform/schema"
)

func compiledJSONSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.JSONSchema()))
	if err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("serverless.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("serverless.schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile as draft 2020-12: %v", err)
	}
	return sch
}

// instance reads a fixture's serverless.yml as the editor sees it:
// parsed YAML with short tags as intrinsics and variables unresolved.
func instance(t *testing.T, dir string) any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "serverless.yml"))
	if err != nil {
		t.Fatal(err)
	}
	n, diags := schema.ParseYAML("serverless.yml", data)
	if diags.HasErrors() {
		return nil
	}
	return jsonValue(n)
}

func jsonValue(n *schema.Node) any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case schema.Map:
		m := map[string]any{}
		for _, p := range n.Pairs {
			m[p.Key] = jsonValue(p.Value)
		}
		return m
	case schema.List:
		l := make([]any, len(n.Items))
		for i, it := range n.Items {
			l[i] = jsonValue(it)
		}
		return l
	case schema.Number:
		return n.Num
	case schema.Bool:
		return n.Value == "true"
	case schema.Null:
		return nil
	}
	return n.Value
}

func fixtureDirs(t *testing.T) (ok, errs []string) {
	entries, err := os.ReadDir("../fixtures")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		dir := filepath.Join("../fixtures", e.Name())
		if _, err := os.Stat(filepath.Join(dir, "serverless.yml")); err != nil {
			continue
		}
		_, rejected := os.Stat(filepath.Join(dir, "expected.txt"))
		switch {
		case strings.HasPrefix(e.Name(), "error_"):
			errs = append(errs, e.Name())
		case rejected == nil:
			// The plugin compiles it; stepform's default mode rejects it.
		default:
			ok = append(ok, e.Name())
		}
	}
	sort.Strings(ok)
	return ok, errs
}

// TestJSONSchemaAcceptsFixtures validates every fixture that compiles in
// the default mode, and the examples, with the schema.
func TestJSONSchemaAcceptsFixtures(t *testing.T) {
	sch := compiledJSONSchema(t)
	ok, _ := fixtureDirs(t)
	dirs, err := filepath.Glob("../examples/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ok {
		dirs = append(dirs, filepath.Join("../fixtures", name))
	}
	for _, dir := range dirs {
		inst := instance(t, dir)
		if inst == nil {
			continue
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: %v", dir, err)
		}
	}
}

// schemaErrorFixtures are fixtures stepform's default mode rejects whose
// errors are of the kind a schema decides (unknown keys, wrong types, values outside an enum), with
// a piece of the validator's message that shows the right problem found.
var schemaErrorFixtures = map[string]string{
	"error_unknown_key":                   "additional properties 'defintion' not allowed",
	"error_wrong_type":                    "/stateMachines/m/retain': got string, want boolean",
	"error_alarms_malformed":              "additional properties 'topic' not allowed",
	"error_role_rules":                    "/Effect': value must be one of 'Allow', 'Deny'",
	"error_logging_retention_invalid":     "/retentionInDays': value must be one of 1, 3, 5",
	"error_notifications_malformed":       "/notifications/ABORTED': got string, want array",
	"error_not_objects":                   "/stepFunctions/stateMachines': got array, want object",
	"error_event_rule_not_object":         "/eventBridge': got string, want object",
	"error_schedule_not_string_or_object": "/schedule': got number, want object",
	"error_http_event_not_object":         "/http': got array, want object",
	"error_http_unknown_keys":             "additional properties 'resultTTLInSeconds' not allowed",
	"error_http_bad_cors":                 "/cors': got string, want boolean",
	"error_http_stepform_keys_invalid":    "/errorDetails/1': value must be one of 'error', 'cause'",
	"error_asl_states_not_object":         "/definition/States': got array, want object",
	"error_asl_query_language_typo":       "/QueryLanguage': value must be one of 'JSONPath', 'JSONata'",
	"error_function_settings":             "/functions/big': additional properties 'memorysize' not allowed",
	"error_function_wrong_types":          "/functions/worker/timeout': 'thirty' does not match pattern",
	"error_function_events_not_list":      "/functions/listener/events': got object, want array",
	"function_events_unknown_keys":        "/events/0/sqs': additional properties 'batchsize' not allowed",
}

func TestJSONSchemaRejectsSchemaErrors(t *testing.T) {
	sch := compiledJSONSchema(t)
	for name, want := range schemaErrorFixtures {
		err := sch.Validate(instance(t, filepath.Join("../fixtures", name)))
		if err == nil {
			t.Errorf("%s: the schema accepts it", name)
		} else if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: the schema's errors do not say %q:\n%v", name, want, err)
		}
	}
}

// TestJSONSchemaIsCommitted keeps docs/serverless.schema.json, the file
// editors can point at, the schema stepform prints.
func TestJSONSchemaIsCommitted(t *testing.T) {
	committed, err := os.ReadFile("../docs/serverless.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, schema.JSONSchema()) {
		t.Error("docs/serverless.schema.json is out of date: go run ./cmd/stepform schema > docs/serverless.schema.json")
	}
}

// TestDecoderKeysAreTheSpecs checks that the keys the decoder reports as
// unknown are exactly those the schema leaves out.
func TestDecoderKeysAreTheSpecs(t *testing.T) {
	for _, key := range schema.StateMachineSpec().KeyNames() {
		yml := "service: s\nstepFunctions:\n  stateMachines:\n    m:\n      definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}\n      " + key + ": null\n"
		if key == "definition" {
			continue
		}
		n, diags := schema.ParseYAML("serverless.yml", []byte(yml))
		if diags.HasErrors() {
			t.Fatal(diags.Err())
		}
		if _, diags := schema.Decode(n, "", ""); strings.Contains(fmt.Sprint(diags), "unknown key") {
			t.Errorf("the decoder rejects %q, which the spec lists: %v", key, diags)
		}
	}
	n, _ := schema.ParseYAML("serverless.yml", []byte("service: s\nstepFunctions:\n  stateMachines:\n    m:\n      definition: {}\n      bogus: 1\n"))
	if _, diags := schema.Decode(n, "", ""); !strings.Contains(fmt.Sprint(diags), `unknown key "bogus"`) {
		t.Errorf("the decoder accepts a key the spec does not list: %v", diags)
	}
}
