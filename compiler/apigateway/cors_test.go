package apigateway

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stepform/stepform/tools/vtl"
)

// corsFixture is the default-mode template of the fixture with several
// CORS origins (one a pattern) and credentials.
func corsFixture(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(mustRead(t, "../../fixtures/http_sync_cors_origins/stepform.json"), &doc); err != nil {
		t.Fatal(err)
	}
	return doc["Resources"].(map[string]any)
}

// TestCORSOriginEcho renders every response template of the fixture's
// methods (sync, async, errors, preflights) with Velocity: each must set
// Access-Control-Allow-Origin to the request's Origin when it is listed,
// under any spelling of the header name, and to nothing otherwise.
func TestCORSOriginEcho(t *testing.T) {
	res := corsFixture(t)
	type origin struct {
		header, value string
		allowed       map[string]bool // by path
	}
	origins := []origin{
		{"Origin", "https://app.example.com", map[string]bool{"search": true, "orders": true, "status": true}},
		{"origin", "https://admin.example.com", map[string]bool{"orders": true, "status": true}},
		{"ORIGIN", "https://pr-7.preview.example.com", map[string]bool{"search": true}},
		{"Origin", "https://preview.example.com", nil},
		{"Origin", "https://app.example.com.evil.net", nil},
		{"Origin", "https://appXexample.com", nil},
		{"Origin", "null", nil},
		{"", "", nil},
	}
	var cases []vtl.Case
	var names []string
	var allowed []bool
	templates := 0
	for _, id := range slices.Sorted(maps.Keys(res)) {
		r := res[id].(map[string]any)
		if r["Type"] != "AWS::ApiGateway::Method" {
			continue
		}
		path := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(id, "ApiGatewayMethod"), "Post"), "Options"))
		in := r["Properties"].(map[string]any)["Integration"].(map[string]any)
		for i, ir := range in["IntegrationResponses"].([]any) {
			params := ir.(map[string]any)["ResponseParameters"].(map[string]any)
			if _, static := params["method.response.header.Access-Control-Allow-Origin"]; static {
				t.Errorf("%s response %d: a static Access-Control-Allow-Origin with several origins", id, i)
			}
			tpl, _ := ir.(map[string]any)["ResponseTemplates"].(map[string]any)["application/json"].(string)
			if !strings.Contains(tpl, "echo the request's Origin") {
				t.Errorf("%s response %d: no origin echo in %q", id, i, tpl)
				continue
			}
			templates++
			if strings.HasSuffix(tpl, "$input.body") && !strings.Contains(id, "Status") {
				t.Errorf("%s response %d: stepform's template replaced by a pass-through", id, i)
			}
			for _, o := range origins {
				headers := map[string]string{}
				if o.header != "" {
					headers[o.header] = o.value
				}
				cases = append(cases, vtl.Case{Template: tpl, Body: `{"status":"SUCCEEDED","output":"{}"}`, Headers: headers})
				names = append(names, fmt.Sprintf("%s response %d, %s: %s", id, i, o.header, o.value))
				allowed = append(allowed, o.allowed[path])
			}
		}
	}
	if templates < 8 {
		t.Fatalf("only %d response templates found", templates)
	}
	results, err := vtl.Render(cases)
	if err != nil {
		t.Fatalf("Velocity: %v", err)
	}
	for i, r := range results {
		if r.Error != "" {
			t.Errorf("%s: %s", names[i], r.Error)
			continue
		}
		if out := strings.TrimSpace(r.Output); out != "" && !json.Valid([]byte(out)) {
			t.Errorf("%s: the echo broke the body: %q", names[i], r.Output)
		}
		if strings.HasSuffix(cases[i].Template, "$input.body") && strings.TrimSpace(r.Output) != cases[i].Body {
			t.Errorf("%s: the pass-through changed the body: %q", names[i], r.Output)
		}
		got, set := r.Headers["Access-Control-Allow-Origin"]
		want := cases[i].Headers["Origin"] + cases[i].Headers["origin"] + cases[i].Headers["ORIGIN"]
		if allowed[i] && got != want {
			t.Errorf("%s: Access-Control-Allow-Origin %q, want the request's origin", names[i], got)
		}
		if !allowed[i] && set {
			t.Errorf("%s: Access-Control-Allow-Origin %q for an origin that is not allowed", names[i], got)
		}
	}
}

// TestCORSCredentialsEverywhere: with allowCredentials every response a
// browser can get says Access-Control-Allow-Credentials: true (integration
// responses, the method responses declaring it, gateway responses), and
// the deployment depends on every method, preflights included.
func TestCORSCredentialsEverywhere(t *testing.T) {
	res := corsFixture(t)
	var methods []string
	var deps []any
	for _, id := range slices.Sorted(maps.Keys(res)) {
		r := res[id].(map[string]any)
		props, _ := r["Properties"].(map[string]any)
		switch r["Type"] {
		case "AWS::ApiGateway::Method":
			methods = append(methods, id)
			in := props["Integration"].(map[string]any)
			for i, ir := range in["IntegrationResponses"].([]any) {
				params := ir.(map[string]any)["ResponseParameters"].(map[string]any)
				if params["method.response.header.Access-Control-Allow-Credentials"] != "'true'" {
					t.Errorf("%s integration response %d: no Access-Control-Allow-Credentials: %v", id, i, params)
				}
				if params["method.response.header.Vary"] != "'Origin'" {
					t.Errorf("%s integration response %d: no Vary: Origin: %v", id, i, params)
				}
			}
			for _, mr := range props["MethodResponses"].([]any) {
				params := mr.(map[string]any)["ResponseParameters"].(map[string]any)
				for _, h := range []string{"Access-Control-Allow-Credentials", "Access-Control-Allow-Origin", "Vary"} {
					if params["method.response.header."+h] != true {
						t.Errorf("%s method response %v does not declare %s", id, mr.(map[string]any)["StatusCode"], h)
					}
				}
			}
		case "AWS::ApiGateway::GatewayResponse":
			params := props["ResponseParameters"].(map[string]any)
			if params["gatewayresponse.header.Access-Control-Allow-Credentials"] != "'true'" ||
				params["gatewayresponse.header.Access-Control-Allow-Origin"] != "method.request.header.Origin" {
				t.Errorf("%s: %v", id, params)
			}
		case "AWS::ApiGateway::Deployment":
			deps, _ = r["DependsOn"].([]any)
		}
	}
	if len(methods) != 6 {
		t.Fatalf("methods %v, want three POST and three OPTIONS", methods)
	}
	for _, m := range methods {
		found := false
		for _, d := range deps {
			found = found || d == m
		}
		if !found {
			t.Errorf("the deployment does not depend on %s: %v", m, deps)
		}
	}
}

func TestAllowedOrigins(t *testing.T) {
	for _, c := range []struct {
		origins []string
		origin  string
		want    []string
		echo    bool
		static  string
	}{
		{nil, "*", []string{"*"}, false, "*"},
		{nil, "https://a.example.com", []string{"https://a.example.com"}, false, "https://a.example.com"},
		{nil, "https://a.example.com, https://b.example.com", []string{"https://a.example.com", "https://b.example.com"}, true, ""},
		{nil, "https://*.example.com", []string{"https://*.example.com"}, true, ""},
		{[]string{"https://a.example.com", "https://a.example.com"}, "", []string{"https://a.example.com"}, false, "https://a.example.com"},
		{[]string{"*", "https://a.example.com"}, "", []string{"*", "https://a.example.com"}, false, "*"},
	} {
		got := allowedOrigins(c.origins, c.origin)
		if strings.Join(got, " ") != strings.Join(c.want, " ") || echoesOrigin(got) != c.echo || (!c.echo && staticOrigin(got) != c.static) {
			t.Errorf("%v %q: %v echo %t static %q", c.origins, c.origin, got, echoesOrigin(got), staticOrigin(got))
		}
	}
	if got := originPattern(`https://*.ex-ample.com:8443`); got != `https[:][/][/].+[.]ex[-]ample[.]com[:]8443` {
		t.Errorf("pattern %s", got)
	}
	if got := originPattern(`http://[::1]`); got != `http[:][/][/]\[[:][:]1\]` {
		t.Errorf("pattern %s", got)
	}
}
