package vtl

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// pluginRequestTemplate is serverless-step-functions' default request
// template with the Fn::Sub variable filled in.
const pluginRequestTemplate = `
#set( $body = $util.escapeJavaScript($input.json('$')).replaceAll("\\'", "'") )
{"input": "$body", "name": "$context.requestId", "stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m"}`

// TestEngineRoundTripsBodies checks the harness with a template whose
// behaviour is known: the execution input must equal the request body.
func TestEngineRoundTripsBodies(t *testing.T) {
	bodies := []string{
		`{"a":1}`, `{"name":"it's"}`, `{"q":"say \"hi\""}`, `{"path":"C:\\dir\\file"}`,
		`{"lines":"a\nb\tc"}`, `{"u":"é ü 中 😀"}`, `{"at":"@@x@@"}`, `[1,"two",null,true]`, `"bare"`, `42`,
		`{"slash":"</script>"}`, `{"nested":{"deep":[{"k":"v"}]}}`,
	}
	var cases []Case
	for _, b := range bodies {
		cases = append(cases, Case{Template: pluginRequestTemplate, Body: b, Context: map[string]any{"requestId": "req-1"}})
	}
	results, err := Render(cases)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		if r.Error != "" {
			t.Errorf("body %s: %s", bodies[i], r.Error)
			continue
		}
		var req struct{ Input, Name, StateMachineArn string }
		if err := json.Unmarshal([]byte(r.Output), &req); err != nil {
			t.Errorf("body %s: request is not JSON (%v):\n%s", bodies[i], err, r.Output)
			continue
		}
		var got, want any
		json.Unmarshal([]byte(req.Input), &got)
		json.Unmarshal([]byte(bodies[i]), &want)
		if !reflect.DeepEqual(got, want) || req.Name != "req-1" {
			t.Errorf("body %s: input %q, name %q", bodies[i], req.Input, req.Name)
		}
	}
}

func TestEngineEmulation(t *testing.T) {
	results, err := Render([]Case{
		{Template: `#set($context.responseOverride.status = 504)$input.path('$.output')`, Body: `{"output":"{\"x\":1}"}`},
		{Template: `$input.json('$')`, Body: `{not json`},
		{Template: `$input.params('id')|$input.params('q')|$input.params('X-Trace')|$input.params('none')`,
			Path: map[string]string{"id": "7"}, Query: map[string]string{"q": "s"}, Headers: map[string]string{"X-Trace": "t"}},
		{Template: `$util.escapeJavaScript("it's é")`},
		{Template: `$input.json('$')`, Body: ``},
		{Template: `[$input.body]`, Body: ``},
		{Template: `#set($context.responseOverride.header.Access-Control-Allow-Origin = 'https://a.example')ok`},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := results[0]; r.Status != 504 || r.Output != `{"x":1}` {
		t.Errorf("responseOverride/path: %+v", r)
	}
	if r := results[1]; !strings.Contains(r.Error, "Could not parse request body into json") {
		t.Errorf("malformed body: %+v", r)
	}
	if r := results[2]; r.Output != "7|s|t|" {
		t.Errorf("params: %+v", r)
	}
	if r := results[3]; r.Output != `it\'s \u00E9` {
		t.Errorf("escapeJavaScript: %+v", r)
	}
	if r := results[4]; r.Output != `{}` {
		t.Errorf("empty body: %+v", r)
	}
	// API Gateway gives a template {} as the text of an empty body.
	if r := results[5]; r.Output != `[{}]` {
		t.Errorf("empty $input.body: %+v", r)
	}
	if r := results[6]; r.Output != "ok" || r.Headers["Access-Control-Allow-Origin"] != "https://a.example" {
		t.Errorf("responseOverride.header: %+v", r)
	}
}
