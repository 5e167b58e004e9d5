package events

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler/artifact"
	"github.com/stepform/stepform/compiler/lambda"
	"github.com/stepform/stepform/schema"
)

func TestHTTPAPIRouteIDs(t *testing.T) {
	for key, want := range map[string]string{
		"GET /items/{id}":        "GetItemsIdVar",
		"ANY /any/{proxy+}":      "AnyAnyProxyVar",
		"DELETE /by-arn":         "DeleteByDasharn",
		"POST /edge/{id}/sub-it": "PostEdgeIdVarSubDashit",
	} {
		if got := normalizePath(key); got != want {
			t.Errorf("normalizePath(%q) = %q, want %q", key, got, want)
		}
	}
	if got := HTTPAPIRouteMethods("*"); !reflect.DeepEqual(got, []string{"GET", "POST", "PUT", "PATCH", "OPTIONS", "HEAD", "DELETE"}) {
		t.Errorf("methods of the catch-all route: %v", got)
	}
	if got := HTTPAPIRouteMethods("PUT /x"); !reflect.DeepEqual(got, []string{"PUT"}) {
		t.Errorf("methods of PUT /x: %v", got)
	}
}

// TestHTTPAPISettingsWithoutRoutes pins that provider.httpApi settings
// AWS would reject are reported only when an API is created: without
// routes the framework creates none, so nothing reaches AWS. What the
// framework itself refuses is reported either way.
func TestHTTPAPISettingsWithoutRoutes(t *testing.T) {
	compile := func(yml string) (map[string]any, string) {
		svc, _, diags := schema.Load(schema.LoadOptions{ConfigPath: "serverless.yml",
			ReadFile: func(string) ([]byte, error) { return []byte(yml), nil }})
		if svc == nil {
			t.Fatalf("load: %v", diags)
		}
		tpl := lambda.Build(lambda.Input{Service: svc, Artifacts: artifact.Set{}, Diags: &diags})
		Compile(Input{Service: svc, Template: tpl, Diags: &diags})
		var summaries []string
		for _, d := range diags {
			summaries = append(summaries, d.Summary)
		}
		return tpl.Resources(), strings.Join(summaries, "\n")
	}
	res, got := compile(`service: s
provider:
  name: aws
  httpApi:
    payload: "3.0"
    authorizers:
      jwt:
        issuerUrl: https://issuer.example.com
`)
	if strings.Contains(got, "payload") || strings.Contains(got, "JWT") {
		t.Errorf("settings of an API that is not created were reported:\n%s", got)
	}
	if res["HttpApi"] != nil {
		t.Errorf("HttpApi created without routes")
	}
	_, got = compile(`service: s
provider:
  name: aws
  httpApi:
    authorizers:
      custom:
        type: request
`)
	if !strings.Contains(got, `HTTP API authorizer "custom" needs functionArn or functionName`) {
		t.Errorf("the framework's refusal was not reported without routes:\n%s", got)
	}
}
