package schema

import (
	"strings"
	"testing"
)

// TestDecodeFunctionHTTPEvent: a function's http event decodes into its
// typed parts as written, with parameters, request schemas and status
// codes in JavaScript's key order, and the shorthand sets nothing else.
func TestDecodeFunctionHTTPEvent(t *testing.T) {
	svc, diags := decodeText(t, `service: s
provider:
  name: aws
  logs: {restApi: {accessLogging: false}}
  apiGateway: {request: {schemas: {post-model: {schema: {type: object}, name: PostModel}}}}
functions:
  f:
    handler: h.f
    events:
      - http: GET users
      - http:
          path: users/{id}
          method: post
          private: true
          conection: x
          connectionType: vpc-link
          cors: {origins: [a], maxAge: 5}
          authorizer: {arn: 'arn:aws:cognito-idp:x', claims: [email]}
          request:
            parameters: {headers: {b: true}, querystrings: {'2': {required: false, mappedValue: v}, '1': true}}
            schemas: {application/json: post-model}
            uri: http://x
          response: {statusCodes: {x: {pattern: ''}, '201': {headers: {h: v}}}, contentHandling: null}
      - http: null
`)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	evs := svc.Functions[0].EventList
	short, full := evs[0].HTTP, evs[1].HTTP
	if short == nil || short.Object || short.Path != nil || short.CORS != nil || short.Request.Node != nil || evs[2].HTTP != nil {
		t.Errorf("shorthand %+v, null event %+v", short, evs[2].HTTP)
	}
	if !full.Object || full.Path.Value != "users/{id}" || full.Method.Value != "post" || !full.Private || full.Async {
		t.Errorf("event %+v", full)
	}
	if len(full.Unknown) != 1 || full.Unknown[0].Key != "conection" || full.ConnectionType.Value.Value != "vpc-link" || full.ConnectionID != nil {
		t.Errorf("unknown %+v, connection %+v %+v", full.Unknown, full.ConnectionType, full.ConnectionID)
	}
	if full.CORS == nil || full.CORS.Origins.Kind != List || full.CORS.MaxAge.Value != "5" || full.CORS.Origin != nil {
		t.Errorf("cors %+v", full.CORS)
	}
	if a := full.Authorizer; a == nil || a.ARN.Value != "arn:aws:cognito-idp:x" || a.Claims.Kind != List || a.Name != nil {
		t.Errorf("authorizer %+v", a)
	}
	var params []string
	for _, p := range full.Request.Parameters {
		params = append(params, p.In+"."+p.Name)
	}
	if got := strings.Join(params, " "); got != "querystring.1 querystring.2 header.b" {
		t.Errorf("parameters %s", got)
	}
	if p := full.Request.Parameters[1]; p.Required.Value != "false" || p.MappedValue.Value != "v" {
		t.Errorf("parameter %+v", p)
	}
	if s := full.Request.SchemaList; len(s) != 1 || s[0].Key != "application/json" || s[0].Value.Value != "post-model" || full.Request.URI.Value != "http://x" {
		t.Errorf("schemas %+v", s)
	}
	if m := svc.Provider.APIGateway.RequestSchema("post-model"); m.Name.Value != "PostModel" || m.Schema.Kind != Map {
		t.Errorf("provider schema %+v", m)
	}
	if m := svc.Provider.APIGateway.RequestSchema("other"); m.Value != nil {
		t.Errorf("missing provider schema %+v", m)
	}
	r := full.Response
	if r.Node == nil || !r.KeyPos.IsValid() || r.ContentHandling == nil || r.ContentHandling.Kind != Null || len(r.StatusCodeList) != 2 ||
		r.StatusCodeList[0].Code != "201" || r.StatusCodeList[0].Headers.Kind != Map || r.StatusCodeList[1].Pattern.Value != "" {
		t.Errorf("response %+v", r)
	}
	if l := svc.Provider.RESTAPILogs; l.Node == nil || l.AccessLogging.Value != "false" || l.RoleManagedExternally != nil {
		t.Errorf("logs %+v", l)
	}
}
