package events

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/stepform/stepform/schema"
)

// websocketsAPIID is the logical ID of the functions' websocket API.
const websocketsAPIID = "WebsocketsApi"

// websocketRoute is one websocket event, validated.
type websocketRoute struct {
	fn    function
	ev    *schema.FunctionEvent
	route string
	// responseExpression is routeResponseSelectionExpression, or nil.
	responseExpression *schema.Node
	auth               *websocketAuthorizer
}

// websocketAuthorizer is a route's authorizer: a function of the
// service (fn set) or a Lambda ARN.
type websocketAuthorizer struct {
	name string
	// fn is the service's function of that name, when there is one.
	fn             *function
	uri            any
	identitySource any
	// arn is the authorizer's ARN (nil for a function of the service).
	arn *schema.Node
}

// lambdaInvocationURI is the API Gateway URI that invokes a Lambda
// function.
func lambdaInvocationURI(target any) any {
	return join("", "arn:", ref("AWS::Partition"), ":apigateway:", ref("AWS::Region"), ":lambda:path/2015-03-31/functions/", target, "/invocations")
}

// websocketRouteKey is the framework's getNormalizedWebsocketsRouteKey.
var websocketRouteKey = strings.NewReplacer("$", "S", "/", "Slash", "-", "Dash", "_", "Underscore", ".", "Period")

func websocketRouteID(route string) string {
	return websocketRouteKey.Replace(route) + "WebsocketsRoute"
}

// websockets compiles websocket events as the framework's websockets
// plugin does, step by step: the API and its role statement, the
// integrations, route responses, authorizers, permissions, routes, the
// stage (with access logs), and the deployment named after the hash of
// the API's resources.
func (c *compiler) websockets() {
	routes := c.websocketRoutes()
	if len(routes) == 0 {
		return
	}
	ws := c.svc.Provider.Websocket
	external := ws.APIID.Truthy()
	var apiID any = ref(websocketsAPIID)
	apiRef := websocketsAPIID
	if external {
		apiID, apiRef = ws.APIID, ""
		if ws.APIID.Kind == schema.Map {
			apiRef = str(ws.APIID.Get("Ref"))
		}
	}
	if external && ws.Logs.Truthy() {
		c.strictf(ws.LogsKeyPos, "provider.logs.websocket has no effect with provider.apiGateway.websocketApiId",
			"The framework configures no stage for an existing websocket API, so it ignores the access logs. Configure logging where the API is defined, and remove provider.logs.websocket.")
	}
	description := any("Serverless Websockets")
	if ws.Description.Truthy() {
		description = ws.Description
	}
	var order []string
	resources := map[string]any{}
	put := func(id string, r jsObject, replace bool) {
		old, ok := resources[id]
		switch {
		case !ok:
			order = append(order, id)
			resources[id] = r
		case replace:
			resources[id] = r
		default:
			resources[id] = mergeJS(old, r)
		}
	}

	if !external {
		name := any(c.svc.Stage + "-" + c.svc.Name + "-websockets")
		if n := ws.APIName; n != nil && n.Kind == schema.String && n.Value != "" {
			name = n
		}
		expression := any("$request.body.action")
		if ws.RouteSelectionExpression.Truthy() {
			expression = ws.RouteSelectionExpression
		}
		props := jsObject{{"Name", name}, {"RouteSelectionExpression", expression}, {"Description", description}, {"ProtocolType", "WEBSOCKET"}}
		if tags := c.svc.Provider.Tags; tags != nil && ws.UseProviderTags.Truthy() {
			props.set("Tags", stringValues(tags))
		}
		put(websocketsAPIID, jsObject{{"Type", "AWS::ApiGatewayV2::Api"}, {"Properties", props}}, false)
		c.tpl.AddRoleStatement(map[string]any{"Effect": "Allow", "Action": []any{"execute-api:ManageConnections"},
			"Resource": []any{map[string]any{"Fn::Sub": "arn:${AWS::Partition}:execute-api:*:*:*/@connections/*"}}})
	}
	for _, r := range routes {
		integration := jsObject{{"Type", "AWS::ApiGatewayV2::Integration"}}
		if r.fn.AliasID != "" {
			integration.set("DependsOn", r.fn.AliasID)
		}
		integration.set("Properties", jsObject{{"ApiId", apiID}, {"IntegrationType", "AWS_PROXY"}, {"IntegrationUri", lambdaInvocationURI(r.fn.Target)}})
		put(norm(r.fn.Key)+"WebsocketsIntegration", integration, false)
	}
	for _, r := range routes {
		if r.responseExpression == nil {
			continue
		}
		put(websocketRouteID(r.route)+"Response", jsObject{{"Type", "AWS::ApiGatewayV2::RouteResponse"}, {"Properties", jsObject{
			{"ApiId", apiID}, {"RouteId", ref(websocketRouteID(r.route))}, {"RouteResponseKey", "$default"}}}}, true)
	}
	for _, r := range routes {
		a := r.auth
		if a == nil {
			continue
		}
		authorizer := jsObject{{"Type", "AWS::ApiGatewayV2::Authorizer"}}
		// An authorizer named as a function of the service waits for its
		// alias, even when given by ARN.
		if f := c.function(a.name); f != nil && f.AliasID != "" {
			authorizer.set("DependsOn", f.AliasID)
		}
		authorizer.set("Properties", jsObject{{"ApiId", apiID}, {"Name", a.name}, {"AuthorizerType", "REQUEST"},
			{"AuthorizerUri", a.uri}, {"IdentitySource", a.identitySource}})
		put(norm(a.name)+"WebsocketsAuthorizer", authorizer, false)
	}
	for _, r := range routes {
		deps := []any{}
		if apiRef != "" {
			deps = append(deps, apiRef)
		}
		if r.fn.AliasID != "" {
			deps = append(deps, r.fn.AliasID)
		} else {
			deps = append(deps, r.fn.LogicalID)
		}
		put(norm(r.fn.Key)+"LambdaPermissionWebsockets", jsObject{{"Type", "AWS::Lambda::Permission"}, {"DependsOn", deps},
			{"Properties", jsObject{{"FunctionName", r.fn.Target}, {"Action", "lambda:InvokeFunction"}, {"Principal", "apigateway.amazonaws.com"}}}}, false)
		a := r.auth
		if a == nil {
			continue
		}
		deps = []any{}
		if apiRef != "" {
			deps = append(deps, apiRef)
		}
		props := jsObject{{"Action", "lambda:InvokeFunction"}, {"Principal", "apigateway.amazonaws.com"}}
		if a.arn != nil {
			props.set("FunctionName", a.arn)
		} else {
			props.set("FunctionName", a.fn.Target)
			deps = append(deps, a.fn.LogicalID)
			if a.fn.AliasID != "" {
				deps = append(deps, a.fn.AliasID)
			}
		}
		put(norm(a.name)+"LambdaPermissionWebsockets", jsObject{{"Type", "AWS::Lambda::Permission"}, {"DependsOn", deps}, {"Properties", props}}, false)
	}
	for _, r := range routes {
		props := jsObject{{"ApiId", apiID}, {"RouteKey", r.route}, {"AuthorizationType", "NONE"},
			{"Target", join("/", "integrations", ref(norm(r.fn.Key)+"WebsocketsIntegration"))}}
		if r.responseExpression != nil {
			props.set("RouteResponseSelectionExpression", r.responseExpression)
		}
		if r.auth != nil {
			props.set("AuthorizationType", "CUSTOM")
			props.set("AuthorizerId", ref(norm(r.auth.name)+"WebsocketsAuthorizer"))
		}
		put(websocketRouteID(r.route), jsObject{{"Type", "AWS::ApiGatewayV2::Route"}, {"Properties", props}}, false)
	}
	if !external {
		stageProps := jsObject{{"ApiId", apiID}, {"StageName", c.svc.Stage}, {"Description", description}}
		if ws.Logs.Truthy() {
			c.websocketLogs(&stageProps)
		}
		put("WebsocketsDeploymentStage", jsObject{{"Type", "AWS::ApiGatewayV2::Stage"}, {"Properties", stageProps}}, true)
	}

	// The deployment's logical ID changes with the API's resources, so
	// that CloudFormation deploys again when they change.
	hashed := jsObject{}
	for _, id := range order {
		if hashedIntoDeployment(id, resources[id].(jsObject)) {
			hashed = append(hashed, jsField{id, resources[id]})
		}
	}
	sum := sha256.Sum256([]byte(stringifyJS(hashed)))
	deploymentID := "WebsocketsDeployment" + nonAlnum.ReplaceAllString(base64.StdEncoding.EncodeToString(sum[:]), "")
	var deps []any
	for _, r := range routes {
		if r.responseExpression != nil {
			deps = append(deps, websocketRouteID(r.route)+"Response")
		}
		deps = append(deps, websocketRouteID(r.route))
	}
	deployProps := jsObject{{"ApiId", apiID}, {"Description", description}}
	if external {
		deployProps.set("StageName", c.svc.Stage)
	}
	put(deploymentID, jsObject{{"Type", "AWS::ApiGatewayV2::Deployment"}, {"DependsOn", deps}, {"Properties", deployProps}}, false)
	if stage, ok := resources["WebsocketsDeploymentStage"].(jsObject); ok {
		props := stage.get("Properties").(jsObject)
		props.set("DeploymentId", ref(deploymentID))
		stage.set("Properties", props)
		resources["WebsocketsDeploymentStage"] = stage
	}
	for _, id := range order {
		c.merge(id, plain(resources[id]).(map[string]any))
	}
	c.tpl.AddOutput("ServiceEndpointWebsocket", map[string]any{"Description": "URL of the service endpoint",
		"Value": join("", "wss://", plain(apiID), ".execute-api.", ref("AWS::Region"), ".", ref("AWS::URLSuffix"), "/"+c.svc.Stage)})
}

// hashedIntoDeployment says whether the framework hashes the resource
// into the deployment's logical ID: the API, and what names it in ApiId or
// DependsOn.
func hashedIntoDeployment(id string, r jsObject) bool {
	if id == websocketsAPIID {
		return true
	}
	if props, ok := r.get("Properties").(jsObject); ok {
		if m, ok := props.get("ApiId").(map[string]any); ok && m["Ref"] == websocketsAPIID {
			return true
		}
	}
	if deps, ok := r.get("DependsOn").([]any); ok {
		for _, d := range deps {
			if d == websocketsAPIID {
				return true
			}
		}
	}
	return false
}

// websocketLogs adds provider.logs.websocket's settings to the stage,
// its access log group, and the custom resource that sets API Gateway's
// CloudWatch role.
func (c *compiler) websocketLogs(stage *jsObject) {
	ws := c.svc.Provider.Websocket
	// An absent setting is on: the framework tests == null.
	on := func(n *schema.Node) bool { return n == nil || n.Truthy() }
	access, execution := on(ws.AccessLogging), on(ws.ExecutionLogging)
	var dataTrace any = true
	if ws.FullExecutionData != nil {
		dataTrace = ws.FullExecutionData
	}
	var level any = "INFO"
	if !execution {
		level = "OFF"
	} else if l := ws.Level; l.Truthy() {
		if l.Kind != schema.String || (l.Value != "INFO" && l.Value != "ERROR") {
			c.diags.Errorf(l.Pos, fmt.Sprintf("provider.logs.websocket.level must be INFO or ERROR, not %s", describeValue(l)),
				"The framework refuses other levels for the websocket API's execution logs.")
		}
		level = l
	}
	stage.set("DefaultRouteSettings", jsObject{{"DataTraceEnabled", dataTrace}, {"LoggingLevel", level}})
	if access {
		var format any = "$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] \"$context.eventType $context.routeKey $context.connectionId\" $context.requestId"
		if f := ws.Format; f.Truthy() {
			format = f
		}
		stage.set("AccessLogSettings", jsObject{{"DestinationArn", map[string]any{
			"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${WebsocketsLogGroup}"}}, {"Format", format}})
	}
	props := map[string]any{"LogGroupName": "/aws/websocket/" + c.svc.Name + "-" + c.svc.Stage}
	p := c.svc.Provider
	if r := p.LogRetentionInDays; r.Truthy() {
		props["RetentionInDays"] = value(r)
	}
	if d := p.LogDataProtectionPolicy; d.Truthy() {
		props["DataProtectionPolicy"] = value(d)
	}
	c.res["WebsocketsLogGroup"] = map[string]any{"Type": "AWS::Logs::LogGroup", "Properties": props}
	if !restLogsRoleManaged(c.svc.Provider.RESTAPILogs) {
		c.apiGatewayCloudWatchRole("provider.logs.websocket", c.svc.Provider.Websocket.LogsKeyPos)
	}
}

// describeValue is a node's value for a message.
func describeValue(n *schema.Node) string {
	if n.Kind == schema.String {
		return fmt.Sprintf("%q", n.Value)
	}
	return n.Kind.String()
}

// stringValues is an object whose numbers and booleans became strings,
// as the framework's schema coercion rewrites provider.tags.
func stringValues(n *schema.Node) *schema.Node {
	out := &schema.Node{Kind: n.Kind, Pos: n.Pos}
	for _, p := range n.Pairs {
		v := p.Value
		if v.Kind == schema.Number || v.Kind == schema.Bool {
			v = schema.NewString(v.Value, v.Pos)
		}
		out.Pairs = append(out.Pairs, schema.Pair{Key: p.Key, KeyPos: p.KeyPos, Value: v})
	}
	return out
}

// websocketRoutes validates the websocket events, in the framework's
// order: function by function, event by event.
func (c *compiler) websocketRoutes() []websocketRoute {
	var routes []websocketRoute
	seen := map[string]bool{}
	for _, fn := range c.fns {
		for _, ev := range fn.EventList {
			e := ev.Websocket
			if e == nil {
				continue
			}
			r := websocketRoute{fn: fn, ev: ev, responseExpression: e.RouteResponseSelectionExpression}
			c.checkSharedFix(fn, ev, "the websocket API's deployment",
				"Give the route to a function without a condition, or drop the condition.")
			switch route := e.Route; {
			case route == nil:
				c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: the websocket event needs route", fn.Key),
					"Give the route key, as - websocket: $connect or - websocket: {route: sendMessage}; the framework fails without it.")
				continue
			case route.Kind == schema.String || route.Kind == schema.Number || route.Kind == schema.Bool:
				r.route = route.Value
			default:
				c.diags.Errorf(route.Pos, fmt.Sprintf("function %q: the websocket route must be a string", fn.Key),
					"route is a route key: $connect, $disconnect, $default, or a value of the route selection expression.")
				continue
			}
			if seen[r.route] {
				c.strictf(posOf(e.Route, ev.KeyPos), fmt.Sprintf("function %q: websocket route %q is already a route", fn.Key, r.route),
					"The framework merges both events into one route, which invokes only the last function listed. Give each route once.")
			}
			seen[r.route] = true
			if x := r.responseExpression; x != nil && !(x.Kind == schema.String && x.Value == "$default") {
				c.strictf(x.Pos, fmt.Sprintf("function %q: routeResponseSelectionExpression must be $default", fn.Key),
					"API Gateway supports only $default as a websocket route's response selection expression.")
			}
			if e.Authorizer != nil {
				auth, ok := c.websocketAuthorizer(fn, e)
				if !ok {
					continue
				}
				r.auth = auth
				if auth != nil && r.route != "$connect" {
					c.strictf(e.Authorizer.Pos, fmt.Sprintf("function %q: websocket route %q has an authorizer", fn.Key, r.route),
						"API Gateway authorizes websocket clients when they connect: only the $connect route takes an authorizer. Move it to the $connect route.")
				}
			}
			routes = append(routes, r)
		}
	}
	return routes
}

// websocketAuthorizer reads a route's authorizer; ok is false when the
// framework fails on it.
func (c *compiler) websocketAuthorizer(fn function, e *schema.WebsocketEvent) (auth *websocketAuthorizer, ok bool) {
	a := e.Authorizer
	lookup := func(name *schema.Node) (*websocketAuthorizer, bool) {
		if f := c.function(name.Value); f != nil {
			return &websocketAuthorizer{name: name.Value, fn: f, uri: lambdaInvocationURI(f.Target)}, true
		}
		c.diags.Errorf(name.Pos, fmt.Sprintf("function %q: websocket authorizer %q is not a function of the service", fn.Key, name.Value),
			"The framework fails: give the key of a function under functions:, or the authorizer's ARN.")
		return nil, false
	}
	defaultSource := []any{"route.request.header.Auth"}
	// The framework's schema coerces a number or boolean into a name,
	// and a list of one name into that name.
	if a.Kind == schema.List && len(a.Items) == 1 {
		a = a.Items[0]
	}
	scalar := a.Kind == schema.String || a.Kind == schema.Number || a.Kind == schema.Bool
	switch {
	case scalar && strings.Contains(a.Value, ":"):
		return &websocketAuthorizer{name: a.Value[strings.LastIndex(a.Value, ":")+1:], uri: lambdaInvocationURI(a.Value), arn: a,
			identitySource: defaultSource}, true
	case scalar:
		auth, ok := lookup(a)
		if ok {
			auth.identitySource = defaultSource
		}
		return auth, ok
	case a.Kind == schema.Map || a.Kind == schema.List:
		switch arn, name := e.AuthorizerARN, e.AuthorizerName; {
		case arn.Truthy():
			auth = &websocketAuthorizer{uri: lambdaInvocationURI(arn), arn: arn}
			switch {
			case arn.Kind == schema.String:
				auth.name = arn.Value[strings.LastIndex(arn.Value, ":")+1:]
			case name.Truthy() && name.Kind == schema.String:
				auth.name = name.Value
			default:
				c.diags.Errorf(a.Pos, fmt.Sprintf("function %q: a websocket authorizer with an intrinsic arn needs name", fn.Key),
					"The framework fails (Non-string \"arn\" needs to be accompanied with \"name\"): add name:, which names the authorizer.")
				return nil, false
			}
		case name.Truthy() && name.Kind == schema.String:
			if auth, ok = lookup(name); !ok {
				return nil, false
			}
		default:
			c.diags.Errorf(a.Pos, fmt.Sprintf("function %q: the websocket authorizer needs name or arn", fn.Key),
				"Give name: (a function of the service) or arn: (a Lambda function's ARN); the framework fails without them.")
			return nil, false
		}
		auth.identitySource = defaultSource
		if s := e.IdentitySource; s.Truthy() {
			if s.Kind == schema.List {
				auth.identitySource = s
			} else {
				// The framework's schema coerces one source into a list.
				auth.identitySource = []any{s}
			}
		}
		return auth, true
	}
	c.diags.Errorf(a.Pos, fmt.Sprintf("function %q: the websocket authorizer must be a function name, an ARN or an object", fn.Key),
		"The framework fails on an authorizer of another form. Give a function's name, an ARN, or {name, arn, identitySource}.")
	return nil, false
}
