package apigateway

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/tools/vtl"
)

// The default mode's mapping templates rendered by Apache Velocity 1.7
// (tools/vtl) with API Gateway's $input, $util and $context emulated.

const testMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:orders-dev"

var subVarRe = regexp.MustCompile(`\$\{(!?)([^}]*)\}`)

// resolveSub is what CloudFormation does to an Fn::Sub template before API
// Gateway sees it: each ${Var} is replaced by its value (a Ref is looked up
// in refs), ${!x} becomes ${x}. A plain string passes through. Any other
// ${...} is an error: it would be a pseudo parameter or attribute Fn::Sub
// replaces, never VTL.
func resolveSub(v any, refs map[string]string) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	m, ok := v.(map[string]any)
	if !ok || m["Fn::Sub"] == nil {
		return "", fmt.Errorf("not a string or Fn::Sub: %v", v)
	}
	var text string
	vars := map[string]any{}
	switch sub := m["Fn::Sub"].(type) {
	case string:
		text = sub
	case []any:
		text, _ = sub[0].(string)
		if len(sub) > 1 {
			vars, _ = sub[1].(map[string]any)
		}
	}
	var err error
	out := subVarRe.ReplaceAllStringFunc(text, func(ref string) string {
		g := subVarRe.FindStringSubmatch(ref)
		if g[1] == "!" {
			return "${" + g[2] + "}"
		}
		val, ok := vars[g[2]]
		if !ok {
			err = fmt.Errorf("unresolved %s", ref)
			return ref
		}
		switch x := val.(type) {
		case string:
			return x
		case map[string]any:
			if id, ok := x["Ref"].(string); ok {
				if r, ok := refs[id]; ok {
					return r
				}
			}
		}
		err = fmt.Errorf("cannot resolve %s = %v", ref, val)
		return ref
	})
	return out, err
}

func TestResolveSub(t *testing.T) {
	refs := map[string]string{"M": "arn:m"}
	got, err := resolveSub(cfn.SubVars(`a ${X} $input.body ${!y} b`, map[string]any{"X": cfn.Ref("M")}), refs)
	if err != nil || got != `a arn:m $input.body ${y} b` {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := resolveSub(cfn.Sub(`${AWS::Region}`), refs); err == nil {
		t.Error("an unresolved variable must be an error")
	}
	if _, err := resolveSub(cfn.SubVars(`${X}`, map[string]any{"X": cfn.Ref("Other")}), refs); err == nil {
		t.Error("an unknown Ref must be an error")
	}
	if got, _ := resolveSub("plain", refs); got != "plain" {
		t.Errorf("plain string: %q", got)
	}
}

// requestTemplate is one of our request templates as API Gateway gets it.
func requestTemplate(t *testing.T, kind string, sync, envelope bool, headers []string) string {
	t.Helper()
	v := cfn.SubVars(sfnRequestTemplate(kind, sync, envelope, headers), map[string]any{"StateMachineArn": cfn.Ref("OrdersStepFunctionsStateMachine")})
	s, err := resolveSub(v, map[string]string{"OrdersStepFunctionsStateMachine": testMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// requestCase is one row of the table: a request and what must reach the
// execution input.
type requestCase struct {
	body                  string
	query, headers, path  map[string]string
	wantHeaders           map[string]string // envelope, allow-listed
	malformedBodyRejected bool
}

var requestTable = []requestCase{
	{body: `{"a":1}`},
	{body: ``},
	{body: `{}`},
	{body: `{"name":"it's"}`, query: map[string]string{"q": "o'brien"}},
	{body: `{"q":"say \"hi\""}`, query: map[string]string{"x": `a"b`}},
	{body: `{"path":"C:\\dir\\file"}`, path: map[string]string{"id": `a\b`}},
	{body: `{"lines":"a\nb\tc\r"}`, headers: map[string]string{"X-Correlation-Id": "c-1"}, wantHeaders: map[string]string{"x-correlation-id": "c-1"}},
	{body: `{"u":"é ü 中 😀"}`, query: map[string]string{"city": "Zürich"}},
	{body: `{"at":"a@@b"}`, query: map[string]string{"x": `@@}, @@requestContext@@: {@@a@@: @@1`}},
	{body: `[1,"two",null,true]`},
	{body: `"bare"`},
	{body: `42`},
	{body: `null`},
	{body: `{"slash":"</script>"}`},
	{body: `{"nested":{"deep":[{"k":"v"}]},"n":-1.5e3}`},
	{body: `{"vtl":"$input.body #set($x = 1) ${StateMachineArn} $context.requestId"}`},
	{body: `{"ctl":"\u0001\u001f"}`, headers: map[string]string{"Authorization": "Bearer secret", "Cookie": "s=1"}, wantHeaders: map[string]string{}},
	{body: `{"a":1}, "isAdmin": true`, malformedBodyRejected: true},
	{body: `{"key with space":"v","":"empty key"}`, path: map[string]string{"id": "42", "sub": "x y"}},
	{body: `{"apos'key":"'"}`, headers: map[string]string{"X-Correlation-Id": `it's "quoted"`, "Accept-Language": "de-CH", "it's": "v"},
		wantHeaders: map[string]string{"x-correlation-id": `it's "quoted"`, "accept-language": "de-CH"}},
	{body: `{"big":"` + strings.Repeat("x", 5000) + `"}`},
	{body: ` {"padded": true} `},
	{body: `{"emoji":"\ud83d\ude00","bs":"\\\\"}`, query: map[string]string{"b": `\`}},
	{body: `{"dollar":"$","hash":"#","brace":"}{"}`, query: map[string]string{"$x": "#y"}},
	// One header sent under two spellings: one key, the first value.
	{body: `{}`, headers: map[string]string{"X-Correlation-Id": "first", "x-correlation-id": "second", "ACCEPT-LANGUAGE": "fr"},
		wantHeaders: map[string]string{"x-correlation-id": "first", "accept-language": "fr"}},
}

type startRequest struct {
	StateMachineArn string `json:"stateMachineArn"`
	Name            string `json:"name"`
	Input           string `json:"input"`
}

func decode(t *testing.T, text string) any {
	t.Helper()
	var v any
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("not JSON (%v): %s", err, text)
	}
	return numbersAsFloats(v)
}

// numbersAsFloats compares numbers by value: the harness writes
// -1.5e3 as -1.5E+3, as API Gateway's Java JSON writer may.
func numbersAsFloats(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = numbersAsFloats(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbersAsFloats(e)
		}
	}
	return v
}

func stringMap(m map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// The request IDs of the round-trip cases: $context.requestId is what a
// client may set (X-Amzn-RequestId style forging), extendedRequestId is
// API Gateway's own.
const (
	forgeableRequestID = "0f1e2d3c-aaaa-bbbb-cccc-111122223333"
	extendedRequestID  = "KvF9sGGvIAMFhOg="
)

func TestRequestTemplatesRoundTrip(t *testing.T) {
	if len(requestTable) < 20 {
		t.Fatalf("the table must have at least 20 rows, has %d", len(requestTable))
	}
	allow := []string{"X-Correlation-Id", "accept-language"}
	type variant struct{ sync, envelope bool }
	variants := []variant{{false, false}, {false, true}, {true, false}, {true, true}}
	var templates []string
	for _, v := range variants {
		templates = append(templates, requestTemplate(t, "json", v.sync, v.envelope, allow))
	}
	var cases []vtl.Case
	for _, r := range requestTable {
		ctx := map[string]any{"requestId": forgeableRequestID, "extendedRequestId": extendedRequestID, "identity": map[string]any{"sourceIp": "203.0.113.9"}}
		for _, tpl := range templates {
			cases = append(cases, vtl.Case{Template: tpl, Body: r.body, Query: r.query, Headers: r.headers, Path: r.path, Context: ctx})
		}
	}
	results, err := vtl.Render(cases)
	if err != nil {
		t.Fatalf("Velocity: %v", err)
	}
	for i, res := range results {
		r := requestTable[i/len(variants)]
		v := variants[i%len(variants)]
		envelope := v.envelope
		name := fmt.Sprintf("row %d (sync %t, envelope %t) body %.60q", i/len(variants), v.sync, envelope, r.body)
		if r.malformedBodyRejected {
			if !strings.Contains(res.Error, "Could not parse request body") {
				t.Errorf("%s: a body that is not one JSON value must be refused, got %+v", name, res)
			}
			continue
		}
		if res.Error != "" {
			t.Errorf("%s: %s", name, res.Error)
			continue
		}
		var req startRequest
		if err := json.Unmarshal([]byte(res.Output), &req); err != nil {
			t.Errorf("%s: request is not JSON (%v):\n%s", name, err, res.Output)
			continue
		}
		// A synchronous execution has no name; an asynchronous one is
		// named after the request ID the client cannot set.
		wantName := extendedRequestID
		if v.sync {
			wantName = ""
		}
		if req.StateMachineArn != testMachineArn || req.Name != wantName || strings.Contains(res.Output, `"name"`) != !v.sync {
			t.Errorf("%s: stateMachineArn %q name %q, want %q", name, req.StateMachineArn, req.Name, wantName)
		}
		want := any(map[string]any{})
		if strings.TrimSpace(r.body) != "" {
			want = decode(t, r.body)
		}
		got := decode(t, req.Input)
		if !envelope {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: input %s, want the body", name, req.Input)
			}
			continue
		}
		wantHeaders := r.wantHeaders
		if wantHeaders == nil {
			wantHeaders = map[string]string{}
		}
		wantEnv := map[string]any{
			"body": want, "path": stringMap(r.path), "querystring": stringMap(r.query), "headers": stringMap(wantHeaders),
			"context": map[string]any{"requestId": extendedRequestID, "sourceIp": "203.0.113.9"},
		}
		if !reflect.DeepEqual(got, wantEnv) {
			t.Errorf("%s: envelope\n got %s\nwant %v", name, req.Input, wantEnv)
		}
		for h := range wantHeaders {
			// Decoding keeps the last of duplicate keys; count them.
			if n := strings.Count(req.Input, `"`+h+`":`); n != 1 {
				t.Errorf("%s: header %s appears %d times: %s", name, h, n, req.Input)
			}
		}
	}
}

func TestFormTemplate(t *testing.T) {
	rows := []struct {
		body string
		want map[string]string
	}{
		{"a=1&b=2", map[string]string{"a": "1", "b": "2"}},
		{"", map[string]string{}},
		{"name=it%27s&q=say+%22hi%22", map[string]string{"name": "it's", "q": `say "hi"`}},
		{"eq=x%3Dy=z&a=1&a=2", map[string]string{"eq": "x=y=z", "a": "1"}},
		{"flag&empty=&u=%E2%82%AC%20%F0%9F%98%80", map[string]string{"flag": "", "empty": "", "u": "€ 😀"}},
		{"bs=%5C&nl=a%0Ab&at=%40%40", map[string]string{"bs": `\`, "nl": "a\nb", "at": "@@"}},
		{"k%27=v&&x=%7B%7D", map[string]string{"k'": "v", "x": "{}"}},
	}
	for _, envelope := range []bool{false, true} {
		tpl := requestTemplate(t, "form", false, envelope, []string{"x-a"})
		var cases []vtl.Case
		for _, r := range rows {
			cases = append(cases, vtl.Case{Template: tpl, Body: r.body, Context: map[string]any{"requestId": "r", "identity": map[string]any{"sourceIp": "1"}}})
		}
		results, err := vtl.Render(cases)
		if err != nil {
			t.Fatalf("Velocity: %v", err)
		}
		for i, res := range results {
			if res.Error != "" {
				t.Errorf("form %q: %s", rows[i].body, res.Error)
				continue
			}
			var req startRequest
			if err := json.Unmarshal([]byte(res.Output), &req); err != nil || req.StateMachineArn != testMachineArn {
				t.Errorf("form %q: bad request %v:\n%s", rows[i].body, err, res.Output)
				continue
			}
			got := decode(t, req.Input)
			if envelope {
				got = got.(map[string]any)["body"]
			}
			if !reflect.DeepEqual(got, stringMap(rows[i].want)) {
				t.Errorf("form %q (envelope %t): input %s", rows[i].body, envelope, req.Input)
			}
		}
	}
}

// TestFormTemplateMalformedEscape: a form body with a malformed %-escape
// would make $util.urlDecode throw (API Gateway answers 500). The template
// instead sends Step Functions a well-formed request whose input is not
// JSON, which Step Functions refuses with InvalidExecutionInput: a 400
// through serviceErrorTemplate.
func TestFormTemplateMalformedEscape(t *testing.T) {
	bodies := []string{"a=%zz", "a=1&b=%", "%4=1", "ok=1&bad=%E2%8", "x=100%"}
	for _, envelope := range []bool{false, true} {
		tpl := requestTemplate(t, "form", true, envelope, nil)
		var cases []vtl.Case
		for _, b := range bodies {
			cases = append(cases, vtl.Case{Template: tpl, Body: b, Context: map[string]any{"extendedRequestId": "r", "identity": map[string]any{"sourceIp": "1"}}})
		}
		results, err := vtl.Render(cases)
		if err != nil {
			t.Fatalf("Velocity: %v", err)
		}
		for i, res := range results {
			if res.Error != "" {
				t.Errorf("form %q (envelope %t): the template failed (a 500): %s", bodies[i], envelope, res.Error)
				continue
			}
			var req startRequest
			if err := json.Unmarshal([]byte(res.Output), &req); err != nil || req.StateMachineArn != testMachineArn {
				t.Errorf("form %q: the request must stay JSON (%v):\n%s", bodies[i], err, res.Output)
				continue
			}
			if json.Valid([]byte(req.Input)) {
				t.Errorf("form %q (envelope %t): input %s is JSON; Step Functions would start the execution", bodies[i], envelope, req.Input)
			}
		}
	}
	failed, _ := json.Marshal(map[string]any{"__type": "com.amazonaws.swf.service.v2.model#InvalidExecutionInput", "message": "Invalid State Machine Execution Input: 'Unrecognized token'"})
	runResponses(t, serviceErrorTemplate, []syncOutcome{{"InvalidExecutionInput", string(failed), 400,
		map[string]any{"error": "BadRequest", "message": "The request could not be turned into a valid execution input."}}})
}

// syncOutcome is StartSyncExecution's answer and the response we expect.
type syncOutcome struct {
	name     string
	body     string
	status   int // 0: the integration response's own status (200)
	wantBody any
}

func TestSyncResponseTemplate(t *testing.T) {
	mapped := []schema.ErrorStatusCode{{Error: "NotFound", Status: 404}, {Error: "Order.Invalid", Status: 422}}
	cause := `{"errorMessage":"boom \"x\"\nline2","trace":["a'b"]}`
	failed := func(errName string) string {
		b, _ := json.Marshal(map[string]any{"executionArn": "arn:aws:states:us-east-1:1:express:m:e:1", "status": "FAILED",
			"error": errName, "cause": cause, "startDate": 1.7e9, "stopDate": 1.7e9})
		return string(b)
	}
	succeeded := func(output any) string {
		m := map[string]any{"executionArn": "arn:x", "status": "SUCCEEDED", "startDate": 1, "stopDate": 2}
		if output != nil {
			m["output"] = output
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	plainCases := []syncOutcome{
		{"object output", succeeded(`{"total":3,"note":"it's \"ok\""}`), 0, map[string]any{"total": json.Number("3"), "note": `it's "ok"`}},
		{"string output", succeeded(`"done"`), 0, "done"},
		{"array output", succeeded(`[1,2]`), 0, []any{json.Number("1"), json.Number("2")}},
		{"no output", succeeded(nil), 0, nil},
		{"mapped failure", failed("NotFound"), 404, map[string]any{"error": "NotFound"}},
		{"mapped dotted", failed("Order.Invalid"), 422, map[string]any{"error": "Order.Invalid"}},
		{"unmapped failure", failed("Lambda.Unknown"), 500, map[string]any{"error": "ExecutionFailed"}},
		{"quote in error", failed(`Bad"Name'`), 500, map[string]any{"error": "ExecutionFailed"}},
		{"timed out", `{"executionArn":"arn:x","status":"TIMED_OUT","error":"States.Timeout","startDate":1,"stopDate":2}`, 504, map[string]any{"error": "States.Timeout"}},
		{"unknown status", `{"executionArn":"arn:x","status":"ABORTED"}`, 500, map[string]any{"error": "UnexpectedExecutionStatus"}},
	}
	detailCases := []syncOutcome{
		{"mapped failure, details", failed("NotFound"), 404, map[string]any{"error": "NotFound", "cause": cause}},
		{"unmapped failure, details", failed(`Bad"Name'`), 500, map[string]any{"error": `Bad"Name'`, "cause": cause}},
		{"timed out, details", `{"status":"TIMED_OUT"}`, 504, map[string]any{"error": "States.Timeout"}},
		{"success, details", succeeded(`{"a":1}`), 0, map[string]any{"a": json.Number("1")}},
	}
	errorOnly := []syncOutcome{
		{"unmapped failure, error only", failed("Lambda.Unknown"), 500, map[string]any{"error": "Lambda.Unknown"}},
	}
	runResponses(t, syncResponseTemplate(mapped, schema.ErrorDetails{}), plainCases)
	runResponses(t, syncResponseTemplate(mapped, schema.ErrorDetails{Error: true, Cause: true}), detailCases)
	runResponses(t, syncResponseTemplate(nil, schema.ErrorDetails{Error: true}), errorOnly)
	runResponses(t, syncResponseTemplate(nil, schema.ErrorDetails{}), []syncOutcome{
		{"no map", failed("NotFound"), 500, map[string]any{"error": "ExecutionFailed"}}})
}

func TestServiceErrorTemplate(t *testing.T) {
	want := map[string]int{
		"InvalidExecutionInput": 400, "ValidationException": 400, "InvalidName": 400, "SerializationException": 500,
		"ExecutionAlreadyExists": 409, "ThrottlingException": 429, "KmsThrottlingException": 429, "ExecutionLimitExceeded": 429,
		"StateMachineDoesNotExist": 500, "StateMachineDeleting": 500, "InvalidArn": 500, "StateMachineTypeNotSupported": 500,
		"AccessDeniedException": 500, "KmsAccessDeniedException": 500, "KmsInvalidStateException": 500,
		"InternalFailure": 500, "ServiceUnavailable": 500, "SomethingNew": 500,
	}
	bodies := map[int]any{
		400: map[string]any{"error": "BadRequest", "message": "The request could not be turned into a valid execution input."},
		409: map[string]any{"error": "Conflict"}, 429: map[string]any{"error": "TooManyRequests"},
		500: map[string]any{"error": "InternalServerError"},
	}
	var cases []syncOutcome
	for _, typ := range slices.Sorted(maps.Keys(intMapAny(want))) {
		for _, prefix := range []string{"com.amazonaws.swf.service.v2.model#", ""} {
			b, _ := json.Marshal(map[string]any{"__type": prefix + typ, "message": "arn:aws:states:...:stateMachine:secret is not allowed for role x"})
			cases = append(cases, syncOutcome{typ, string(b), want[typ], bodies[want[typ]]})
		}
	}
	cases = append(cases, syncOutcome{"no __type", `{"message":"x"}`, 500, bodies[500]})
	runResponses(t, serviceErrorTemplate, cases)
}

func TestAsyncResponseTemplate(t *testing.T) {
	runResponses(t, asyncResponseTemplate, []syncOutcome{
		{"started", `{"executionArn":"arn:aws:states:us-east-1:1:execution:m:0f1e","startDate":1.700000000123E9}`, 0,
			map[string]any{"executionArn": "arn:aws:states:us-east-1:1:execution:m:0f1e", "startDate": json.Number("1.700000000123E9")}},
		{"quote in name", `{"executionArn":"arn:x:execution:m:it's\"","startDate":1}`, 0,
			map[string]any{"executionArn": `arn:x:execution:m:it's"`, "startDate": json.Number("1")}},
	})
}

func intMapAny(m map[string]int) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func runResponses(t *testing.T, tpl string, cases []syncOutcome) {
	t.Helper()
	if strings.Contains(tpl, "${") {
		t.Fatalf("response template has a VTL formal reference:\n%s", tpl)
	}
	var in []vtl.Case
	for _, c := range cases {
		in = append(in, vtl.Case{Template: tpl, Body: c.body})
	}
	results, err := vtl.Render(in)
	if err != nil {
		t.Fatalf("Velocity: %v", err)
	}
	for i, res := range results {
		c := cases[i]
		if res.Error != "" {
			t.Errorf("%s: %s", c.name, res.Error)
			continue
		}
		if res.Status != c.status {
			t.Errorf("%s: status %d, want %d", c.name, res.Status, c.status)
		}
		got := decode(t, res.Output)
		if !reflect.DeepEqual(got, numbersAsFloats(c.wantBody)) {
			t.Errorf("%s: body %s, want %#v", c.name, strings.TrimSpace(res.Output), c.wantBody)
		}
		if strings.Contains(res.Output, "arn:") && !strings.Contains(c.name, "started") && !strings.Contains(c.name, "quote in name") {
			t.Errorf("%s: the body leaks an ARN: %s", c.name, res.Output)
		}
	}
}

// TestFixtureTemplatesRender takes every request and response template
// stepform generated in the fixtures' default output (stepform.json),
// resolves its Fn::Sub as CloudFormation would, and renders it: requests
// must carry the machine the method targets and the body as input.
func TestFixtureTemplatesRender(t *testing.T) {
	files, _ := filepathGlob("../../fixtures/*/stepform.json")
	var cases []vtl.Case
	var names []string
	var arns []string
	for _, f := range files {
		var doc map[string]any
		if err := json.Unmarshal(mustRead(t, f), &doc); err != nil {
			t.Fatal(err)
		}
		res, _ := doc["Resources"].(map[string]any)
		for _, id := range slices.Sorted(maps.Keys(res)) {
			r, _ := res[id].(map[string]any)
			if r["Type"] != "AWS::ApiGateway::Method" {
				continue
			}
			in, _ := r["Properties"].(map[string]any)["Integration"].(map[string]any)
			tpls, _ := in["RequestTemplates"].(map[string]any)
			for _, ct := range slices.Sorted(maps.Keys(tpls)) {
				sub, _ := tpls[ct].(map[string]any)
				raw, _ := json.Marshal(sub)
				if !strings.Contains(string(raw), "## stepform") {
					continue
				}
				vars := sub["Fn::Sub"].([]any)[1].(map[string]any)
				machine := vars["StateMachineArn"].(map[string]any)["Ref"].(string)
				arn := "arn:aws:states:us-east-1:123456789012:stateMachine:" + machine
				text, err := resolveSub(sub, map[string]string{machine: arn})
				if err != nil {
					t.Errorf("%s %s %s: %v", f, id, ct, err)
					continue
				}
				body := `{"it's":"a \"quoted\" @@ value"}`
				if ct == "application/x-www-form-urlencoded" {
					body = "it%27s=a+%22quoted%22+%40%40"
				}
				cases = append(cases, vtl.Case{Template: text, Body: body, Context: map[string]any{"requestId": "r-1", "identity": map[string]any{"sourceIp": "1"}}})
				names = append(names, f+" "+id+" "+ct)
				arns = append(arns, arn)
			}
		}
	}
	if len(cases) < 20 {
		t.Fatalf("only %d generated request templates found in the fixtures", len(cases))
	}
	t.Logf("%d generated request templates rendered", len(cases))
	results, err := vtl.Render(cases)
	if err != nil {
		t.Fatalf("Velocity: %v", err)
	}
	for i, r := range results {
		if r.Error != "" {
			t.Errorf("%s: %s", names[i], r.Error)
			continue
		}
		var req startRequest
		if err := json.Unmarshal([]byte(r.Output), &req); err != nil || req.StateMachineArn != arns[i] {
			t.Errorf("%s: bad request (%v): %s", names[i], err, r.Output)
			continue
		}
		var input map[string]any
		if err := json.Unmarshal([]byte(req.Input), &input); err != nil {
			t.Errorf("%s: input is not JSON: %s", names[i], req.Input)
			continue
		}
		if b, ok := input["body"].(map[string]any); ok && input["context"] != nil {
			input = b // the envelope
		}
		if _, ok := input["it's"]; !ok {
			t.Errorf("%s: the body did not arrive: %s", names[i], req.Input)
		}
	}
}

func filepathGlob(p string) ([]string, error) { return filepath.Glob(p) }

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lambdaProxyTemplate is a lambda_proxy request template as API Gateway
// gets it.
func lambdaProxyTemplate(t *testing.T, text string) string {
	t.Helper()
	v := cfn.SubVars(text, map[string]any{"StateMachineArn": cfn.Ref("OrdersStepFunctionsStateMachine"), "AccountId": cfn.Ref("AWS::AccountId")})
	s, err := resolveSub(v, map[string]string{"OrdersStepFunctionsStateMachine": testMachineArn, "AWS::AccountId": "123456789012"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLambdaProxyTemplates renders the default mode's lambda_proxy
// templates over the request table: every request reaches the machine as
// JSON with its headers, names holding an apostrophe included (the
// plugin's template escapes them without the apostrophe fix).
func TestLambdaProxyTemplates(t *testing.T) {
	ours := lambdaProxyTemplate(t, sfnLambdaProxyJSONTemplate)
	plugins := lambdaProxyTemplate(t, lambdaProxyJSONTemplate)
	ctx := map[string]any{"requestId": "r-1", "requestTimeEpoch": 1, "identity": map[string]any{"sourceIp": "203.0.113.9", "userAgent": "it's"}}
	var cases []vtl.Case
	var rows []requestCase
	for _, r := range requestTable {
		if r.malformedBodyRejected {
			continue
		}
		cases = append(cases, vtl.Case{Template: ours, Body: r.body, Query: r.query, Headers: r.headers, Path: r.path, Context: ctx})
		rows = append(rows, r)
	}
	apos := vtl.Case{Template: plugins, Body: `{}`, Headers: map[string]string{"it's": "v"}, Context: ctx}
	results, err := vtl.Render(append(cases, apos))
	if err != nil {
		t.Fatalf("Velocity: %v", err)
	}
	input := func(name string, r vtl.Result) map[string]any {
		var req startRequest
		if r.Error != "" {
			t.Errorf("%s: %s", name, r.Error)
			return nil
		}
		if err := json.Unmarshal([]byte(r.Output), &req); err != nil || req.StateMachineArn != testMachineArn {
			t.Errorf("%s: bad request (%v): %s", name, err, r.Output)
			return nil
		}
		var in map[string]any
		if err := json.Unmarshal([]byte(req.Input), &in); err != nil {
			t.Errorf("%s: input is not JSON (%v): %s", name, err, req.Input)
			return nil
		}
		return in
	}
	for i, r := range rows {
		name := fmt.Sprintf("row %d body %.60q", i, r.body)
		in := input(name, results[i])
		if in == nil {
			continue
		}
		headers, _ := in["headers"].(map[string]any)
		for k, v := range r.headers {
			if headers[k] != v {
				t.Errorf("%s: header %q = %v, want %q", name, k, headers[k], v)
			}
		}
	}
	var req startRequest
	if json.Unmarshal([]byte(results[len(rows)].Output), &req) == nil && json.Valid([]byte(req.Input)) {
		t.Errorf("the plugin's template now handles a header named it's; drop the default mode's copy: %s", req.Input)
	}

}

// TestLambdaProxyExecutionName: the default mode's lambda_proxy requests
// name no synchronous execution, and name an asynchronous one after
// $context.extendedRequestId, not the client-settable $context.requestId.
func TestLambdaProxyExecutionName(t *testing.T) {
	syncJSON, syncForm := sfnLambdaProxyTemplates(true)
	asyncJSON, asyncForm := sfnLambdaProxyTemplates(false)
	ctx := map[string]any{"requestId": forgeableRequestID, "extendedRequestId": extendedRequestID, "requestTimeEpoch": 1}
	templates := []string{syncJSON, syncForm, asyncJSON, asyncForm}
	var cases []vtl.Case
	for i, tpl := range templates {
		body := `{"a":1}`
		if i%2 == 1 {
			// The plugin's form template reads $input.path('$'), which
			// parses a JSON string; a raw form body fails there.
			body = `"a=1"`
		}
		cases = append(cases, vtl.Case{Template: lambdaProxyTemplate(t, tpl), Body: body, Context: ctx})
	}
	results, err := vtl.Render(cases)
	if err != nil {
		t.Fatalf("Velocity: %v", err)
	}
	for i, r := range results {
		sync := i < 2
		var req map[string]any
		if r.Error != "" || json.Unmarshal([]byte(r.Output), &req) != nil {
			t.Errorf("template %d: bad request %q: %s", i, r.Error, r.Output)
			continue
		}
		name, has := req["name"]
		if sync && has {
			t.Errorf("template %d (sync): name %v", i, name)
		}
		if !sync && name != extendedRequestID {
			t.Errorf("template %d (async): name %v, want the extended request ID", i, name)
		}
	}
}
