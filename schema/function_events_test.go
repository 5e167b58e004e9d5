package schema

import "testing"

// TestDecodeFunctionEventSettings: the nested settings of sns, stream and
// eventBridge events decode into their keys as written.
func TestDecodeFunctionEventSettings(t *testing.T) {
	svc, diags := decodeText(t, `service: s
provider: {name: aws, kinesis: {consumerNamingMode: serviceSpecific}, eventBridge: {useCloudFormation: true}}
functions:
  f:
    handler: h.f
    events:
      - sns: {arn: 'arn:aws:sns:us-east-1:1:t', redrivePolicy: {deadLetterTargetImport: {arn: a, url: u}}}
      - stream: {arn: 'arn:aws:kinesis:us-east-1:1:stream/s', destinations: {onFailure: {arn: q, type: sqs}}}
      - stream: {arn: 'arn:aws:kinesis:us-east-1:1:stream/s', destinations: {onFailure: 'arn:aws:sqs:us-east-1:1:q'}}
      - sqs: {arn: {Fn::Join: ['', [a, b]]}}
      - eventBridge: {pattern: {source: [x]}, retryPolicy: {maximumEventAge: 60}}
`)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if svc.Provider.KinesisConsumerNamingMode.Value != "serviceSpecific" {
		t.Errorf("consumerNamingMode %+v", svc.Provider.KinesisConsumerNamingMode)
	}
	if eb := svc.Provider.EventBridge; eb.Node == nil || !eb.KeyPos.IsValid() || !eb.UseCloudFormation.Truthy() {
		t.Errorf("eventBridge %+v", eb)
	}
	evs := svc.Functions[0].EventList
	if r := evs[0].SNS.Redrive; r.TargetImport == nil || r.ImportARN.Value != "a" || r.ImportURL.Value != "u" || r.TargetARN != nil || r.TargetRef != nil {
		t.Errorf("redrive %+v", r)
	}
	if of := evs[1].Stream.OnFailure; of.ARN.Value != "q" || of.Type.Value != "sqs" {
		t.Errorf("onFailure %+v", of)
	}
	if of := evs[2].Stream.OnFailure; of.Node.Kind != String || of.ARN != nil || of.Type != nil {
		t.Errorf("onFailure ARN %+v", of)
	}
	if a := evs[3].SQS.ARNArgs; a.Join == nil || a.Join.Kind != List || a.GetAtt != nil || evs[1].Stream.ARNArgs.Join != nil {
		t.Errorf("sqs arn %+v", a)
	}
	if r := evs[4].EventBridge.Retry; r.MaximumEventAge.Value != "60" || r.MaximumRetryAttempts != nil {
		t.Errorf("retryPolicy %+v", r)
	}
	if DecodeInputTransformer(nil) != nil {
		t.Error("no inputTransformer decodes to nil")
	}
	if rp := DecodeTargetRetryPolicy(mustParse(t, "{maximumRetryAttempts: 3}")); rp.MaximumRetryAttempts.Value != "3" || rp.MaximumEventAgeInSeconds != nil {
		t.Errorf("retryPolicy %+v", rp)
	}
	if tr := DecodeInputTransformer(mustParse(t, "{inputTemplate: t}")); tr.InputTemplate.Value != "t" || tr.InputPathsMap != nil {
		t.Errorf("inputTransformer %+v", tr)
	}
}

// TestDecodeWebsocketEvents: a websocket event's route, response
// selection expression and authorizer forms, and the provider's websocket
// settings.
func TestDecodeWebsocketEvents(t *testing.T) {
	svc, diags := decodeText(t, `service: s
provider:
  name: aws
  websocketsApiName: api
  websocketsApiRouteSelectionExpression: $request.body.r
  websocketsDescription: 5
  websocket: {useProviderTags: "true"}
  apiGateway: {websocketApiId: abc}
  logs: {websocket: {level: ERROR, accessLogging: "false", format: 1.50}}
functions:
  f:
    handler: h.f
    events:
      - websocket: $connect
      - websocket: {route: r, routeResponseSelectionExpression: $default, authorizer: {name: f, identitySource: [x]}}
      - websocket: {route: s, authorizer: 'arn:aws:lambda:us-east-1:1:function:a'}
`)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	ws := svc.Provider.Websocket
	if ws.APIName.Value != "api" || ws.RouteSelectionExpression.Value != "$request.body.r" || ws.Description.Value != "5" || ws.Description.Kind != String ||
		ws.UseProviderTags.Kind != Bool || !ws.UseProviderTags.Truthy() || ws.AccessLogging.Kind != Bool || ws.AccessLogging.Truthy() ||
		ws.Format.Value != "1.5" || ws.Level.Value != "ERROR" || ws.ExecutionLogging != nil || ws.APIID.Value != "abc" || ws.Logs.Get("level").Value != "ERROR" || !ws.LogsKeyPos.IsValid() {
		t.Errorf("provider websocket settings %+v", ws)
	}
	evs := svc.Functions[0].EventList
	if e := evs[0].Websocket; e == nil || e.Route.Value != "$connect" || e.Authorizer != nil {
		t.Errorf("string event %+v", e)
	}
	if e := evs[1].Websocket; e.Route.Value != "r" || e.RouteResponseSelectionExpression.Value != "$default" ||
		e.AuthorizerName.Value != "f" || e.AuthorizerARN != nil || e.IdentitySource.Kind != List {
		t.Errorf("object event %+v", e)
	}
	if e := evs[2].Websocket; e.Authorizer.Kind != String || e.AuthorizerName != nil {
		t.Errorf("ARN authorizer %+v", e)
	}
}

// TestDecodeCognitoUserPoolEvents: a cognitoUserPool event's settings as
// written; a string event is no object.
func TestDecodeCognitoUserPoolEvents(t *testing.T) {
	svc, diags := decodeText(t, `service: s
provider: {name: aws}
functions:
  f:
    handler: h.f
    events:
      - cognitoUserPool: {pool: p, trigger: CustomSMSSender, kmsKeyId: k, lambdaVersion: V1_0, existing: true, forceDeploy: true}
      - cognitoUserPool: p
`)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	evs := svc.Functions[0].EventList
	if e := evs[0].CognitoUserPool; !e.Object || e.Pool.Value != "p" || e.Trigger.Value != "CustomSMSSender" || e.KMSKeyID.Value != "k" ||
		e.LambdaVersion.Value != "V1_0" || !e.Existing.Truthy() || !e.ForceDeploy.Truthy() {
		t.Errorf("object event %+v", e)
	}
	if e := evs[1].CognitoUserPool; e == nil || e.Object || e.Pool != nil {
		t.Errorf("string event %+v", e)
	}
}

// TestDecodeALBEvents: an alb event's settings, conditions and health
// check keys, numbers coerced; provider.alb's prefix and authorizers.
func TestDecodeALBEvents(t *testing.T) {
	svc, diags := decodeText(t, `service: s
provider:
  name: aws
  alb:
    targetGroupPrefix: p-
    authorizers:
      a: {type: cognito, userPoolArn: arn, userPoolClientId: c, userPoolDomain: d, sessionTimeout: "60"}
functions:
  f:
    handler: h.f
    events:
      - alb:
          listenerArn: {Ref: L}
          priority: "3"
          multiValueHeaders: "false"
          authorizer: a
          healthCheck: {intervalSeconds: "10", matcher: {httpCode: "200"}}
          conditions: {path: /x, header: {name: n, values: [v]}, query: {k: v}, ip: 1.2.3.4/32}
      - alb: not-an-object
`)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	alb := svc.Provider.ALB
	if alb.TargetGroupPrefix.Value != "p-" || len(alb.Authorizers) != 1 || alb.Authorizer("a").UserPoolDomain.Value != "d" ||
		alb.Authorizer("a").SessionTimeout.Kind != Number || alb.Authorizer("b") != nil {
		t.Errorf("provider.alb %+v", alb)
	}
	evs := svc.Functions[0].EventList
	e := evs[0].ALB
	if !e.Object || e.ListenerArn.Get("Ref").Value != "L" || e.Priority.Kind != Number || e.MultiValueHeaders.Kind != Bool || e.MultiValueHeaders.Truthy() || e.Authorizer.Value != "a" {
		t.Errorf("alb event %+v", e)
	}
	if e.Path.Value != "/x" || e.Header.Kind != Map || e.Query.Kind != Map || e.IP.Value != "1.2.3.4/32" || e.Host != nil || e.Method != nil {
		t.Errorf("conditions %+v", e)
	}
	if h := e.HealthCheckSettings; h.IntervalSeconds.Kind != Number || h.MatcherHTTPCode.Value != "200" || h.Path != nil {
		t.Errorf("healthCheck %+v", h)
	}
	if e := evs[1].ALB; e == nil || e.Object || e.ListenerArn != nil {
		t.Errorf("string event %+v", e)
	}
}
